// Webhook URLs as a client on the network reaches them: the production build
// served by server.mjs (its fast path hands POSTs to the route's action;
// every other method goes through Remix) on a loopback port, against a fresh
// migrated database. Each case checks what the client sees (status, headers,
// whether the connection stays open) and what the server logs.
import { readdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, removeBuild, startApp, type RunningApp } from "../support/browser/app-harness";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { makeOrder, toRawBody } from "../../testkit/shopify-payloads";
import { webhookRequest } from "../support/webhook-request";

const SHOP = "webhook-http.myshopify.com";
/** The server's body time limit in these tests (WEBHOOK_BODY_TIMEOUT_MS); production uses 10 s. */
const BODY_TIMEOUT_MS = 1_000;
/** Every webhook path the app serves, from its route files (webhooks.orders.create.tsx -> /webhooks/orders/create). */
const WEBHOOK_PATHS = readdirSync(path.resolve(__dirname, "../../app/routes"))
  .filter((file) => file.startsWith("webhooks."))
  .map((file) => `/${file.replace(/\.tsx?$/, "").replaceAll(".", "/")}`);

let db: TestDatabase;
let app: RunningApp;
let buildDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, scope: "read_orders", accessToken: "shpat_http" } });
  await db.prisma.shopSettings.create({ data: { shop: SHOP } });
  buildDir = buildApp();
  app = await startApp({ buildDir, databaseUrl: db.url, shop: SHOP, env: { WEBHOOK_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS) } });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  if (buildDir) removeBuild(buildDir);
  await db?.cleanup();
});

interface RawExchange {
  /** What the server sent, as text. */
  response: string;
  /** Milliseconds from the first byte sent until the server closed the connection (null: still open). */
  closedAfterMs: number | null;
}

/**
 * Writes `head` on a raw connection, then `trickle` one byte every
 * `everyMs` (a slow client), and resolves when the server closes the
 * connection, or as soon as the answer matches `until` (the client then
 * hangs up); rejects if neither happened within `giveUpMs`.
 */
function rawExchange(head: string, { trickle = "", everyMs = 100, giveUpMs = 10_000, until = null as RegExp | null } = {}): Promise<RawExchange> {
  const { port, hostname } = new URL(app.baseUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let response = "";
    let sent = 0;
    const dripping = setInterval(() => {
      if (sent < trickle.length && socket.writable) socket.write(trickle[sent++]);
    }, everyMs);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${giveUpMs} ms; it sent: ${response || "(nothing)"}`));
    }, giveUpMs);
    socket.on("data", (chunk) => {
      response += chunk.toString();
      if (until?.test(response)) {
        clearInterval(dripping);
        clearTimeout(giveUp);
        socket.removeAllListeners("close");
        socket.destroy();
        resolve({ response, closedAfterMs: null });
      }
    });
    socket.on("error", () => undefined); // a reset after the answer still ends in "close"
    socket.on("close", () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    socket.write(head);
  });
}

/** A signed orders/create delivery as raw HTTP headers (the body is sent separately). */
function signedHead(body: string): string {
  const request = webhookRequest({ topic: "orders/create", shop: SHOP, body });
  const headers = [...request.headers].map(([name, value]) => `${name}: ${value}`).join("\r\n");
  return `POST /webhooks/orders/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}\r\n\r\n`;
}

/** Log lines written since `from` that look like an error report (a stack frame or an "Error:" line). */
function errorReportsSince(from: number): string[] {
  return app
    .output()
    .slice(from)
    .split("\n")
    .filter((line) => /^\s+at |Error\b/.test(line));
}

describe("webhook URLs opened with another method than POST", () => {
  it("finds every webhook route of the app", () => {
    expect(WEBHOOK_PATHS).toContain("/webhooks/orders/create");
    expect(WEBHOOK_PATHS).toContain("/webhooks/app/uninstalled");
    expect(WEBHOOK_PATHS.length).toBeGreaterThanOrEqual(9);
  });

  it.each(WEBHOOK_PATHS)("GET %s answers 405 with Allow: POST and logs no error", async (webhookPath) => {
    const logFrom = app.output().length;
    const response = await fetch(`${app.baseUrl}${webhookPath}`);
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    expect(await response.text()).toMatch(/Webhooks are POST requests/);
    await new Promise((r) => setTimeout(r, 100)); // a stack trace would be written after the answer
    expect(errorReportsSince(logFrom)).toEqual([]);
  });

  it.each(["HEAD", "PUT", "DELETE"])("%s /webhooks/app/uninstalled answers 405 with Allow: POST", async (method) => {
    const logFrom = app.output().length;
    const response = await fetch(`${app.baseUrl}/webhooks/app/uninstalled`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    expect(errorReportsSince(logFrom)).toEqual([]);
  });
});

describe("webhook body time limit", () => {
  it("a client that trickles its body gets 408 and the connection is closed at the limit", async () => {
    const body = toRawBody(makeOrder({ id: 501n }));
    // One byte every 100 ms: the whole body would take minutes.
    const exchange = await rawExchange(signedHead(body), { trickle: body, everyMs: 100 });
    expect(exchange.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.response).toMatch(/did not arrive within 1 s/);
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(exchange.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 2_000);
    expect(await db.prisma.orderSync.count({ where: { orderId: "501" } })).toBe(0);
  });

  it("a client that sends the headers and then nothing gets 408 and the connection is closed", async () => {
    const body = toRawBody(makeOrder({ id: 502n }));
    const exchange = await rawExchange(signedHead(body));
    expect(exchange.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 2_000);
    expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("a 5 MB order arriving in pieces at a normal network speed (10 MB/s) is stored (200)", async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => ({ title: `Spare part ${i}`, sku: `PART-${i}`, price: "1.25", quantity: 2 }));
    const body = toRawBody(makeOrder({ id: 503n, lines, note: "n".repeat(500_000) }));
    const bytes = Buffer.from(body);
    expect(bytes.byteLength).toBeGreaterThan(5 * 1024 * 1024);
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body });
    // Ten pieces 50 ms apart: the body takes about half the time limit to arrive.
    const pieces = 10;
    const size = Math.ceil(bytes.byteLength / pieces);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent > 0) await new Promise((r) => setTimeout(r, 50));
        controller.enqueue(bytes.subarray(sent * size, (sent + 1) * size));
        if (++sent === pieces) controller.close();
      },
    });
    const headers = new Headers(request.headers);
    headers.set("Content-Length", String(bytes.byteLength));
    const response = await fetch(`${app.baseUrl}/webhooks/orders/create`, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit);
    expect(response.status).toBe(200);
    const row = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP, orderId: "503" } });
    expect(JSON.parse(row.snapshot).line_items).toHaveLength(5_000);
  });

  it("a body declared larger than the size limit still gets 413 before it is read", async () => {
    const body = toRawBody(makeOrder({ id: 504n }));
    const head = signedHead(body).replace(/Content-Length: \d+/, `Content-Length: ${10 * 1024 * 1024 + 1}`);
    const exchange = await rawExchange(head, { trickle: body.slice(0, 10), until: /larger than 10 MB/ });
    expect(exchange.response).toMatch(/^HTTP\/1\.1 413 /);
  });
});
