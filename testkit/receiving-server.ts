// A real HTTP receiver for the Generic HTTPS JSON connector, as a merchant's
// developer would write it: checks the HMAC signature over the raw body,
// stores orders by external id (answering the existing one for a repeat), and
// can be told to fail in the ways real services do.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Failure =
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: "timeout-after-commit" };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** The parts of a canonical order this receiver reads back. */
interface StoredCanonical {
  currency: string;
  totals: { tax: string };
  lines: { itemNumber: string | null; sku: string | null; title: string; quantity: number; unitPrice: string; discount: string }[];
  shippingLines: { code: string | null; title: string; price: string; discount: string }[];
}

export interface StoredOrder {
  documentId: string;
  documentNumber: string;
  externalId: string;
  total: string;
  status: string;
  refunds: unknown[];
  lastBody: unknown;
}

export class ReceivingServer {
  readonly orders = new Map<string, StoredOrder>();
  /** Documents made in the ERP by someone else (a second document for an external id, say). */
  readonly foreignDocuments: StoredOrder[] = [];
  readonly requests: ReceivedRequest[] = [];
  /** Shipments served by GET /shipments?since=<index> (next = how many there are). */
  readonly shipments: unknown[] = [];
  private readonly failures: Failure[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  url = "";
  /** When set, requests must carry exactly this Authorization header. */
  expectedAuthorization: string | null = null;

  constructor(private readonly signingSecret: string) {}

  /** Someone in the ERP copies the order's document, keeping its external id. */
  addForeignDuplicate(externalId: string): StoredOrder {
    const original = this.orders.get(externalId);
    if (!original) throw new Error(`no order ${externalId} to duplicate`);
    const n = 5000 + this.foreignDocuments.length;
    const copy = { ...original, documentId: String(n), documentNumber: `SO-${n}`, refunds: [] };
    this.foreignDocuments.push(copy);
    return copy;
  }

  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private signatureValid(body: string, given: string | undefined): boolean {
    if (!given) return false;
    const expected = createHmac("sha256", this.signingSecret).update(body).digest();
    const received = Buffer.from(given, "base64");
    return received.length === expected.length && timingSafeEqual(received, expected);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    this.requests.push({ method: req.method ?? "", path, headers: req.headers, body });
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };

    if (!this.signatureValid(body, req.headers["x-signature-sha256"] as string | undefined)) {
      return send(401, { message: "Signature does not match" });
    }
    if (this.expectedAuthorization && req.headers.authorization !== this.expectedAuthorization) {
      return send(403, { message: "Wrong credentials" });
    }
    const failure = this.failures.shift();
    if (failure?.kind === "status") return send(failure.status, failure.body, failure.headers);

    const [pathname, search = ""] = path.split("?");
    const stock = req.method === "GET" ? this.stockAnswer(new URL(path, "http://receiver")) : undefined;
    if (stock) return send(200, stock);
    if (req.method === "GET" && path.startsWith("/shipments?")) {
      const since = Number(new URL(path, "http://receiver").searchParams.get("since") || 0);
      return send(200, { shipments: this.shipments.slice(since), next: String(this.shipments.length) });
    }
    if (req.method === "GET" && pathname === "/orders" && search) {
      // Read-back: every document carrying one of the ids, duplicates included.
      const wanted = new Set((new URLSearchParams(search).get("externalIds") ?? "").split(",").filter(Boolean));
      const documents = [...this.orders.values(), ...this.foreignDocuments]
        .filter((o) => wanted.has(o.externalId))
        .map((o) => ({ externalId: o.externalId, ...this.answer(o), cancelled: o.status === "cancelled" }));
      return send(200, { documents });
    }
    const m = /^\/orders(?:\/([^/]+))?(\/cancel|\/refunds)?$/.exec(pathname);
    if (!m) return send(404, { message: "No such route" });
    const externalId = m[1] ? decodeURIComponent(m[1]) : undefined;

    if (req.method === "GET" && externalId && !m[2]) {
      const order = this.orders.get(externalId);
      return order ? send(200, { ...this.answer(order), ...this.linesOf(order) }) : send(404, { message: "Unknown order" });
    }
    const request = JSON.parse(body);
    if (req.method === "POST" && !externalId) {
      const ext = request.order.externalId as string;
      let order = this.orders.get(ext);
      if (!order) {
        order = {
          documentId: String(1000 + this.orders.size),
          documentNumber: `SO-${1000 + this.orders.size}`,
          externalId: ext,
          total: request.order.totals.total,
          status: "open",
          refunds: [],
          lastBody: request,
        };
        this.orders.set(ext, order);
      }
      if (failure?.kind === "timeout-after-commit") {
        this.hanging.add(res); // committed; the answer never comes
        return;
      }
      return send(201, this.answer(order));
    }
    const order = externalId ? this.orders.get(externalId) : undefined;
    if (!order) return send(404, { message: "Unknown order" });
    if (req.method === "PUT" && !m[2]) {
      order.total = request.order.totals.total;
      order.lastBody = request;
    } else if (req.method === "POST" && m[2] === "/cancel") {
      order.status = "cancelled";
    } else if (req.method === "POST" && m[2] === "/refunds") {
      if (!order.refunds.some((r) => (r as { refundId?: unknown }).refundId === request.refund.refundId)) order.refunds.push(request.refund);
    } else {
      return send(405, { message: "Method not allowed" });
    }
    return send(200, this.answer(order));
  }

  /** The document's lines as this receiver stored them from the last order it was sent. */
  private linesOf(o: StoredOrder) {
    const order = (o.lastBody as { order: StoredCanonical }).order;
    return {
      externalId: o.externalId,
      cancelled: o.status === "cancelled",
      editable: o.status !== "cancelled",
      currency: order.currency,
      tax: order.totals.tax,
      lines: [
        ...order.lines.map((l) => ({ kind: "item", code: l.itemNumber ?? l.sku, description: l.title, quantity: String(l.quantity), unitPrice: l.unitPrice, discount: l.discount })),
        ...order.shippingLines.map((l) => ({ kind: "shipping", code: l.code, description: l.title, quantity: "1", unitPrice: l.price, discount: l.discount })),
      ],
    };
  }

  /** Stock the receiver publishes (GET /stock/locations, GET /stock?since=&cursor=, docs/stock.md). */
  stock: { locations: { id: string; name: string }[]; items: { itemNumber: string; locationId: string; quantity: unknown; changedAt?: string }[]; pageSize: number } = {
    locations: [],
    items: [],
    pageSize: 100,
  };

  private stockAnswer(url: URL): unknown {
    if (url.pathname === "/stock/locations") return { locations: this.stock.locations };
    if (url.pathname !== "/stock") return undefined;
    const since = url.searchParams.get("since");
    const items = this.stock.items.filter((i) => !since || (i.changedAt ?? "") >= since);
    const start = Number(url.searchParams.get("cursor") ?? 0);
    const end = start + this.stock.pageSize;
    return {
      items: items.slice(start, end).map(({ itemNumber, locationId, quantity }) => ({ itemNumber, locationId, quantity })),
      nextCursor: end < items.length ? String(end) : null,
    };
  }

  private answer(o: StoredOrder) {
    return { documentId: o.documentId, documentNumber: o.documentNumber, total: o.total, status: o.status, url: `https://erp.example.com/orders/${o.documentId}` };
  }
}
