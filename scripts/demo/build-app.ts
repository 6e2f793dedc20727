// Production build of the app (remix vite:build) into its own folder, so a
// developer's build/ is never overwritten. Uses the browser tests' Vite
// config, which is the app's Remix config without dev-server settings.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

export function buildApp(buildDir: string): void {
  const result = spawnSync(
    path.join(root, "node_modules/.bin/remix"),
    ["vite:build", "--config", path.join(root, "test/support/browser/vite.browser.config.ts")],
    { cwd: root, env: { ...process.env, BROWSER_TEST_BUILD_DIR: buildDir, NODE_ENV: "production" }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`remix vite:build failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Arguments for `node` that serve a build like `npm start` (remix-serve) but
 * with Node's native fetch (see serve-build.mjs for why). Prints
 * "[serve-build] http://..." once listening.
 */
export function serveBuildArgs(buildDir: string, preload: string[] = []): string[] {
  return [path.join(__dirname, "serve-build.mjs"), buildDir, ...preload];
}
