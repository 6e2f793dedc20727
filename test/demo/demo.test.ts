// `npm run demo -- --check` end to end, headless: builds the app, starts the
// demo ERP, the Shopify stand-in, the web app and the worker on loopback
// (all started by the demo itself), streams signed webhooks, and checks that
// orders reached the ERP, the needs-attention items exist in words, the
// outage was retried through, that the SKU fix through the pages works, and
// that a shipment the ERP pushes (twice) becomes exactly one fulfilment with
// its tracking in Shopify's stand-in.
// Uses its own database file and work folder, so a running demo is untouched.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "demo-check-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function runDemoCheck(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      path.join(root, "node_modules/.bin/vite-node"),
      ["--config", path.join(root, "vitest.config.ts"), path.join(root, "scripts/demo/demo.ts"), "--", "--check", "--orders", "12"],
      {
        cwd: root,
        // The build goes inside the project (.cache/) so the server bundle resolves node_modules.
        env: { ...process.env, NODE_ENV: "test", DEMO_DATABASE_FILE: path.join(work, "demo.sqlite"), DEMO_WORK_DIR: path.join(root, ".cache", `demo-test-${process.pid}`), LOG_LEVEL: "info" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("npm run demo -- --check", () => {
  it("streams Shopify's sample orders through the real app and worker into the local ERP", async () => {
    const { code, output } = await runDemoCheck();
    rmSync(path.join(root, ".cache", `demo-test-${process.pid}`), { recursive: true, force: true });
    const failed = output.split("\n").filter((l) => l.includes("FAIL"));
    expect(failed, output.slice(-4000)).toEqual([]);
    expect(output).toContain("ordinary orders reached the ERP");
    expect(output).toMatch(/orders whose line has no SKU need attention, in words: \d+ orders/);
    expect(output).toMatch(/ok {3}the first certificate is clean/);
    expect(output).toMatch(/ok {3}a shipment the ERP pushes becomes exactly one Shopify fulfilment with its tracking: #\d+: notice 202\/200, shipment synced, 1 fulfilment\(s\) with tracking 1Z999AA10123456784/);
    expect(output).toMatch(/the second names exactly the lost and the copied order: missing_in_erp #\d+, duplicated #\d+/);
    expect(output).toContain("Demo check passed.");
    expect(code).toBe(0);
  }, 150_000);
});
