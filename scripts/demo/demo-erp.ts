// The demo's local ERP: the Generic HTTPS JSON connector's reference receiver
// (testkit/receiving-server.ts: checks our signature, stores
// orders by external id) behind a thin front that behaves like a real ERP in
// two ways the demo needs to show:
//  - it only knows the item numbers in its catalogue, and rejects an order
//    with another one (HTTP 422 with its reason), which staff fix with a SKU
//    mapping in Settings and a retry;
//  - it can be "down" for a while (HTTP 503 with Retry-After), after which it
//    recovers and the app's retries deliver everything;
//  - it ships orders and tells the app, as a signed shipment notice (the
//    Generic HTTPS JSON contract, docs/shipments.md).
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ReceivingServer, type StoredOrder } from "../../testkit/receiving-server";

const FORWARDED_HEADERS = ["content-type", "accept", "authorization", "idempotency-key", "x-signature-sha256", "x-erp-sync-schema-version"];

interface LineLike {
  itemNumber?: string | null;
  sku?: string | null;
  giftCard?: boolean;
}

export class DemoErp {
  private readonly receiver: ReceivingServer;
  private server!: Server;
  private downUntil = 0;
  url = "";
  /** Requests answered 503 because of an outage (shown in the demo summary). */
  outageRefusals = 0;

  constructor(
    private readonly signingSecret: string,
    private readonly catalogue: ReadonlySet<string>,
  ) {
    this.receiver = new ReceivingServer(signingSecret);
  }

  /** The warehouse shipped: POST the shipment to the app, signed with the shop's signing secret. */
  async pushShipmentNotice(appUrl: string, shop: string, shipment: object): Promise<{ status: number; outcome: string }> {
    const body = JSON.stringify(shipment);
    const signature = createHmac("sha256", this.signingSecret).update(body).digest("base64");
    const res = await fetch(`${appUrl}/erp/${shop}/shipments`, { method: "POST", body, headers: { "Content-Type": "application/json", "X-Signature-SHA256": signature } });
    const answer = (await res.json().catch(() => ({}))) as { status?: string; message?: string };
    return { status: res.status, outcome: answer.status ?? answer.message ?? "" };
  }

  /** Orders the ERP holds, by external id. */
  get orders(): ReadonlyMap<string, StoredOrder> {
    return this.receiver.orders;
  }

  async start(host: string): Promise<void> {
    await this.receiver.start();
    this.server = createServer((req, res) => void this.handle(req, res).catch((error) => this.fail(res, error)));
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.receiver.stop();
  }

  /** Someone in the ERP copies an order's document, keeping its external id: a duplicate the certificate must find. */
  makeDuplicate(externalId: string): StoredOrder {
    return this.receiver.addForeignDuplicate(externalId);
  }

  /** Someone deletes an order's document in the ERP: the certificate must call it missing. */
  dropOrder(externalId: string): void {
    this.receiver.orders.delete(externalId);
  }

  /** Every request fails with 503 for `ms` from now, then the ERP is back. */
  outage(ms: number): void {
    this.downUntil = Date.now() + ms;
  }

  get isDown(): boolean {
    return Date.now() < this.downUntil;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");

    if (this.isDown) {
      this.outageRefusals++;
      return send(res, 503, { message: "The ERP is down for maintenance" }, { "Retry-After": "2" });
    }
    const unknown = req.method === "POST" || req.method === "PUT" ? this.unknownItemNumbers(body) : [];
    if (unknown.length > 0) {
      return send(res, 422, {
        message: `Item number ${unknown.map((n) => `"${n}"`).join(", ")} does not exist in the ERP`,
        errors: unknown.map((n) => ({ field: "lines.itemNumber", message: `no item ${n}` })),
      });
    }

    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(this.receiver.url + (req.url ?? "/"), {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" });
    res.end(await answer.text());
  }

  private unknownItemNumbers(body: string): string[] {
    let request: { order?: { lines?: LineLike[] } };
    try {
      request = JSON.parse(body);
    } catch {
      return [];
    }
    const numbers = (request.order?.lines ?? [])
      .filter((l) => !l.giftCard && l.itemNumber)
      .map((l) => l.itemNumber as string)
      .filter((n) => !this.catalogue.has(n));
    return [...new Set(numbers)];
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) return void res.destroy();
    send(res, 500, { message: error instanceof Error ? error.message : "internal error" });
  }
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}
