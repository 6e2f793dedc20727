// Starts the real app for browser tests (and for tests of what the HTTP
// server itself does, test/routes/webhook-http.test.ts): a production build
// (Remix + Vite) into a temporary folder, served on a free loopback port by
// serve-app.mjs against the given database, with App Bridge replaced by the
// local stand-in. Authentication is the library's own: pages are opened with
// a session token signed with the app's secret, never bypassed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { API_KEY, API_SECRET_KEY, getJwt } from "@shopify/shopify-api/test-helpers";
import { testAppEnv } from "../app-env";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"];
// Shopify's library answers bots (HeadlessChrome included) with 410; a person's browser says this.
export const DESKTOP_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

const root = path.resolve(__dirname, "../../..");
const nodeBin = path.join(root, "node_modules/.bin/node");

export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `Chromium not found at ${CHROMIUM_PATH}: browser tests skipped. Install it with "apt-get install -y chromium" (scripts/install-test-oracles.sh does).`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Production build of the app into a fresh folder under .cache/ (git-ignored):
 * inside the project so the server bundle resolves node_modules.
 */
export function buildApp(): string {
  mkdirSync(path.join(root, ".cache"), { recursive: true });
  const dir = mkdtempSync(path.join(root, ".cache", "browser-test-build-"));
  const result = spawnSync(
    path.join(root, "node_modules/.bin/remix"),
    ["vite:build", "--config", path.join(__dirname, "vite.browser.config.ts")],
    { cwd: root, env: { ...process.env, BROWSER_TEST_BUILD_DIR: dir, NODE_ENV: "production" }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`remix vite:build failed:\n${result.stdout}\n${result.stderr}`);
  return dir;
}

export interface RunningApp {
  baseUrl: string;
  /** Everything the server process has written to stdout and stderr so far. */
  output(): string;
  /** URL of an /app page as Shopify's admin opens it: embedded, with shop, host and a fresh id_token. */
  adminUrl(pathname: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startApp(opts: { buildDir: string; databaseUrl: string; shop: string; env?: Record<string, string> }): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const store = opts.shop.replace(".myshopify.com", "");
  const child: ChildProcess = spawn(nodeBin, [path.join(__dirname, "serve-app.mjs"), opts.buildDir], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: opts.databaseUrl,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET_KEY,
      SHOPIFY_APP_URL: baseUrl,
      SCOPES: "read_orders",
      ENCRYPTION_KEY: testAppEnv().ENCRYPTION_KEY,
      APP_BRIDGE_URL: `${baseUrl}/__test__/app-bridge.js`,
      TEST_SHOP: opts.shop,
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners("exit");
  return {
    baseUrl,
    output: () => output,
    async adminUrl(pathname) {
      const now = Math.floor(Date.now() / 1000);
      const { token } = await getJwt(store, API_KEY, API_SECRET_KEY, { exp: now + 60, nbf: now - 5, iat: now - 5 });
      const url = new URL(pathname, baseUrl);
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", opts.shop);
      url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${store}`).toString("base64url"));
      url.searchParams.set("id_token", token);
      return url.href;
    },
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}

export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
