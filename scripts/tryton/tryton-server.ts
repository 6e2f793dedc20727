// Starts a throwaway Tryton 6.0 server for tests and local trials: a fresh
// SQLite database in a temp dir, seeded with the minimum a sale needs
// (currency, company, the admin user's company, a customer, products), on a
// free loopback port. The seeded database file is cached under .tryton/ (git
// ignored) so only the first run pays for trytond-admin (~10-20 s).
//
// Plain Node (no app imports) so it runs in vitest and from the CLI
// (scripts/tryton/start.ts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, "../..");
export const TRYTON_CACHE_DIR = join(REPO_ROOT, ".tryton", "cache");

export const TRYTON_DATABASE = "erpsync";
/**
 * Modules activated in the test database: sales, and the package shipping
 * module whose packages carry the carrier's tracking reference (the shipment
 * flow reads it: docs/shipments.md).
 */
export const TRYTON_MODULES = ["sale", "stock_package_shipping"] as const;
export const TRYTON_ADMIN = "admin";
// A throwaway local database on loopback; not a secret.
export const TRYTON_ADMIN_PASSWORD = "admin-for-tests-only";

/** What the seed puts in the database (codes are the SKUs tests order). */
export const TRYTON_SEED = {
  companyName: "Acme Test Shop Ltd",
  currency: "USD",
  products: [
    { code: "TSHIRT-BLUE-M", name: "Blue T-shirt / M", listPrice: "19.99", type: "goods" },
    { code: "MUG-WHITE", name: "White mug", listPrice: "8.50", type: "goods" },
    { code: "SHIPPING", name: "Shipping", listPrice: "0", type: "service" },
    // Exists but is not marked "salable": Tryton itself refuses it on a sale line.
    { code: "SPARE-PART", name: "Internal spare part", listPrice: "3.00", type: "goods", salable: false },
  ],
  existingCustomer: { name: "Existing Customer", email: "existing.customer@example.com" },
} as const;

export interface TrytonServer {
  url: string;
  database: string;
  username: string;
  password: string;
  companyId: number;
  /** Where the server's log goes (read it when a test fails strangely). */
  logFile: string;
  stop(): Promise<void>;
}

/** Path of trytond, or null when Tryton is not installed (run scripts/tryton/install.sh). */
export function findTrytond(): { trytond: string; admin: string } | null {
  const which = (name: string) => {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  const trytond = which("trytond");
  const admin = which("trytond-admin");
  return trytond && admin ? { trytond, admin } : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function configText(dir: string, port: number): string {
  return [
    "[database]",
    "uri = sqlite://",
    `path = ${dir}`,
    "list = False",
    "[web]",
    `listen = 127.0.0.1:${port}`,
    "[session]",
    "timeout = 3600",
    "",
  ].join("\n");
}

/** Cache key: changes when this file (the seed) or trytond's version changes. */
function cacheKey(): string {
  const source = readFileSync(fileURLToPath(import.meta.url));
  const version = spawnSync("trytond", ["--version"], { encoding: "utf8" }).stdout.trim();
  return createHash("sha256").update(source).update(version).digest("hex").slice(0, 16);
}

// --- minimal JSON-RPC for seeding and for tests to inspect what the connector
// did (independent of the connector's own client) --------------------------

export class SeedRpc {
  private auth = "";
  private readonly url: string;
  private readonly password: string;
  constructor(url: string, password: string = TRYTON_ADMIN_PASSWORD) {
    this.url = url;
    this.password = password;
  }

  /** The JSON-RPC result, typed by the caller: seeding knows what each Tryton method returns. */
  async call<T = number[]>(method: string, params: unknown[]): Promise<T> {
    const res = await fetch(`${this.url}/${TRYTON_DATABASE}/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(this.auth ? { Authorization: this.auth } : {}) },
      body: JSON.stringify({ id: 1, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: unknown };
    if (!res.ok || body.error) throw new Error(`Tryton seed call ${method} failed: HTTP ${res.status} ${JSON.stringify(body.error)}`);
    return body.result as T;
  }

  async login(): Promise<number> {
    const [uid, session] = await this.call<[number, string]>("common.db.login", [TRYTON_ADMIN, { password: this.password }, "en"]);
    this.auth = "Session " + Buffer.from(`${TRYTON_ADMIN}:${uid}:${session}`).toString("base64");
    return uid;
  }
}

async function seed(url: string): Promise<void> {
  const rpc = new SeedRpc(url);
  const uid = await rpc.login();
  const ctx = {};
  const [usd] = await rpc.call("model.currency.currency.create", [
    [{ name: "US Dollar", code: "USD", symbol: "$", digits: 2, rounding: "0.01" }],
    ctx,
  ]);
  await rpc.call("model.currency.currency.create", [[{ name: "Euro", code: "EUR", symbol: "€", digits: 2, rounding: "0.01" }], ctx]);
  const [companyParty] = await rpc.call("model.party.party.create", [[{ name: TRYTON_SEED.companyName }], ctx]);
  const [company] = await rpc.call("model.company.company.create", [[{ party: companyParty, currency: usd }], ctx]);
  await rpc.call("model.res.user.write", [[uid], { companies: [["add", [company]]], company }, ctx]);

  // Tryton ships without country data (trytond_import_countries loads it); one is enough here.
  await rpc.call("model.country.country.create", [[{ name: "United States", code: "US", code3: "USA", code_numeric: "840" }], ctx]);
  const companyCtx = { company };
  const [unit] = await rpc.call("model.product.uom.search", [[["symbol", "=", "u"]], 0, 1, null, companyCtx]);
  for (const p of TRYTON_SEED.products) {
    await rpc.call("model.product.template.create", [
      [
        {
          name: p.name,
          type: p.type,
          default_uom: unit,
          sale_uom: unit,
          salable: "salable" in p ? p.salable : true,
          list_price: p.listPrice,
          code: p.code,
          products: [["create", [{}]]],
        },
      ],
      companyCtx,
    ]);
  }
  await rpc.call("model.party.party.create", [
    [
      {
        name: TRYTON_SEED.existingCustomer.name,
        contact_mechanisms: [["create", [{ type: "email", value: TRYTON_SEED.existingCustomer.email }]]],
        addresses: [["create", [{ street: "1 Existing Street", postal_code: "10001", city: "New York" }]]],
      },
    ],
    companyCtx,
  ]);
}

// --- process management ----------------------------------------------------

async function waitUntilUp(url: string, child: ChildProcess, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: 0, method: "common.server.version", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = existsSync(logFile) ? (await readFile(logFile, "utf8")).slice(-2000) : "";
  throw new Error(`trytond did not start within ${timeoutMs} ms (exit code ${child.exitCode}). Log tail:\n${log}`);
}

function startProcess(trytond: string, conf: string, logFile: string): ChildProcess {
  const out = openSync(logFile, "a");
  return spawn(trytond, ["-c", conf, "-d", TRYTON_DATABASE], { stdio: ["ignore", out, out] });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function runAdmin(admin: string, conf: string, dir: string, logFile: string): Promise<void> {
  const passFile = join(dir, "admin.pass");
  await writeFile(passFile, TRYTON_ADMIN_PASSWORD); // exactly one line
  const out = openSync(logFile, "a");
  const code = await new Promise<number | null>((r) => {
    const p = spawn(
      admin,
      ["-c", conf, "-d", TRYTON_DATABASE, "-u", ...TRYTON_MODULES, "--activate-dependencies", "--email", "admin@example.com"],
      { stdio: ["ignore", out, out], env: { ...process.env, TRYTONPASSFILE: passFile } },
    );
    p.on("exit", r);
  });
  if (code !== 0) throw new Error(`trytond-admin failed (exit ${code}); see ${logFile}`);
}

export async function startTryton(opts: { useCache?: boolean } = {}): Promise<TrytonServer> {
  const bins = findTrytond();
  if (!bins) throw new Error("Tryton is not installed: run scripts/tryton/install.sh");
  const dir = await mkdtemp(join(tmpdir(), "tryton-"));
  const conf = join(dir, "trytond.conf");
  const dbFile = join(dir, `${TRYTON_DATABASE}.sqlite`);
  const logFile = join(dir, "trytond.log");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await writeFile(conf, configText(dir, port));

  const cached = join(TRYTON_CACHE_DIR, `seeded-${cacheKey()}.sqlite`);
  let child: ChildProcess;
  if (opts.useCache !== false && existsSync(cached)) {
    await copyFile(cached, dbFile);
    child = startProcess(bins.trytond, conf, logFile);
    await waitUntilUp(url, child, logFile);
  } else {
    await writeFile(dbFile, "");
    await runAdmin(bins.admin, conf, dir, logFile);
    child = startProcess(bins.trytond, conf, logFile);
    await waitUntilUp(url, child, logFile);
    await seed(url);
    // Copy only while the server is stopped, so the cached file is consistent.
    await stopProcess(child);
    await mkdir(TRYTON_CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    await copyFile(dbFile, partial);
    await rename(partial, cached);
    child = startProcess(bins.trytond, conf, logFile);
    await waitUntilUp(url, child, logFile);
  }

  const rpc = new SeedRpc(url);
  await rpc.login();
  const [companyId] = await rpc.call("model.company.company.search", [[], 0, 1, null, {}]);

  return {
    url,
    database: TRYTON_DATABASE,
    username: TRYTON_ADMIN,
    password: TRYTON_ADMIN_PASSWORD,
    companyId,
    logFile,
    async stop() {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
