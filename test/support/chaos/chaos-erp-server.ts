// A hostile ERP for the chaos run, speaking the Generic HTTPS JSON connector's
// contract (docs/connectors.md; reference receiver in
// testkit/receiving-server.ts) over loopback HTTP, except:
// - it does NOT dedupe: every POST /orders makes a new document, so any
//   duplicate the app causes is counted, never hidden;
// - it fails on purpose, per request: 5xx, timeout AFTER committing the
//   write (the answer never comes), the connection reset BEFORE it read the
//   request (nothing committed, but the app cannot know), 429 with
//   Retry-After; and, when told, it is down for a while (every request
//   refused: an outage for the app's circuit breaker);
// - credit notes are kept per refund id, and a refund written again for an
//   id already recorded is counted (`stats.refundRepeats`), so a duplicate
//   credit note the app causes is seen even though the receiver keeps one.
// Signatures are checked like a real receiver would (401 when wrong).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChaosFaultRates {
  /** Share of requests answered 503. */
  serverError: number;
  /** Share of requests that commit (writes) and then never answer. */
  timeoutAfterCommit: number;
  /** Share of requests answered 429 with Retry-After. */
  rateLimited: number;
  /** Share of requests whose connection is reset before the ERP reads them (nothing committed). */
  resetBeforeCommit?: number;
}

export interface ErpDocument {
  documentId: string;
  externalId: string;
  /** The order as last written (create or update body's `order`). */
  order: Record<string, unknown>;
  cancelled: boolean;
  refundIds: string[];
  createdAt: number;
}

/** One request the ERP saw about one external id (for explaining a failed run). */
export interface ErpJournalEntry {
  at: number;
  method: string;
  path: string;
  /** The fault the dice chose for this request (null: answered normally). */
  fault: "5xx" | "timeout" | "429" | "reset" | "down" | null;
  /** What the request did to the ERP's data. */
  effect: "none" | "created" | "updated" | "cancelled" | "refunded" | "read" | "not found";
  documentId?: string;
  /** The order's note in the request body: the chaos run's version marker. */
  note?: string | null;
}

export interface ChaosErpStats {
  requests: number;
  serverErrors: number;
  timeoutsAfterCommit: number;
  rateLimited: number;
  badSignatures: number;
  creates: number;
  resetsBeforeCommit: number;
  /** Requests refused while the ERP was down. */
  refusedWhileDown: number;
  /** Refund writes for a refund id the document already had (a duplicate credit note, had the receiver not deduplicated). */
  refundRepeats: number;
}

export class ChaosErpServer {
  /** All documents per external id: more than one = a duplicate. */
  readonly documents = new Map<string, ErpDocument[]>();
  /** Every request per external id, in arrival order. */
  readonly journal = new Map<string, ErpJournalEntry[]>();
  readonly stats: ChaosErpStats = {
    requests: 0,
    serverErrors: 0,
    timeoutsAfterCommit: 0,
    rateLimited: 0,
    badSignatures: 0,
    creates: 0,
    resetsBeforeCommit: 0,
    refusedWhileDown: 0,
    refundRepeats: 0,
  };
  /** Until this time (ms) every request is refused with 503: the ERP is down. */
  downUntil = 0;
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  private nextId = 1;
  url = "";

  constructor(
    private readonly signingSecret: string,
    private readonly rates: ChaosFaultRates,
    /** How long a "timed out" request is held before the socket is dropped (longer than the client's timeout). */
    private readonly hangMs = 5_000,
    private readonly random: () => number = Math.random,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    this.server.keepAliveTimeout = 30_000;
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

  private hang(res: ServerResponse): void {
    this.stats.timeoutsAfterCommit++;
    this.hanging.add(res);
    setTimeout(() => {
      this.hanging.delete(res);
      res.destroy();
    }, this.hangMs).unref();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    this.stats.requests++;
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    if (Date.now() < this.downUntil) {
      this.stats.refusedWhileDown++;
      this.journalRejected(req.method ?? "?", req.url ?? "/", body, "down");
      return send(503, { message: "ERP is down for maintenance" });
    }
    if (!this.signatureValid(body, req.headers["x-signature-sha256"] as string | undefined)) {
      this.stats.badSignatures++;
      return send(401, { message: "Signature does not match" });
    }

    // One dice roll per request decides its fate.
    const roll = this.random();
    const { serverError, timeoutAfterCommit, rateLimited } = this.rates;
    const reset = this.rates.resetBeforeCommit ?? 0;
    const fault =
      roll < serverError
        ? "5xx"
        : roll < serverError + timeoutAfterCommit
          ? "timeout"
          : roll < serverError + timeoutAfterCommit + rateLimited
            ? "429"
            : roll < serverError + timeoutAfterCommit + rateLimited + reset
              ? "reset"
              : null;
    if (fault === "reset") {
      // The request never reaches the ERP's logic; the client only sees a broken connection.
      this.stats.resetsBeforeCommit++;
      this.journalRejected(req.method ?? "?", req.url ?? "/", body, "reset");
      return void res.socket?.destroy();
    }
    if (fault === "5xx" || fault === "429") this.journalRejected(req.method ?? "?", req.url ?? "/", body, fault);
    if (fault === "5xx") {
      this.stats.serverErrors++;
      return send(503, { message: "ERP is busy, try again" });
    }
    if (fault === "429") {
      this.stats.rateLimited++;
      return send(429, { message: "Slow down" }, { "Retry-After": "1" });
    }

    const m = /^\/orders(?:\/([^/]+))?(\/cancel|\/refunds)?$/.exec(req.url ?? "/");
    if (!m) return send(404, { message: "No such route" });
    const externalId = m[1] ? decodeURIComponent(m[1]) : undefined;
    const parsedBody = req.method === "GET" ? undefined : (JSON.parse(body) as { order: Record<string, unknown>; refund?: { refundId: string } });
    const journalId = externalId ?? (parsedBody ? String(parsedBody.order.externalId) : "?");
    const entry: ErpJournalEntry = {
      at: Date.now(),
      method: req.method ?? "?",
      path: req.url ?? "/",
      fault,
      effect: "none",
      ...(parsedBody ? { note: (parsedBody.order.note as string | null | undefined) ?? null } : {}),
    };
    this.journal.set(journalId, [...(this.journal.get(journalId) ?? []), entry]);

    if (req.method === "GET" && externalId && !m[2]) {
      const doc = this.documents.get(externalId)?.[0];
      entry.effect = doc ? "read" : "not found";
      entry.documentId = doc?.documentId;
      if (fault === "timeout") return this.hang(res);
      return doc ? send(200, this.answer(doc)) : send(404, { message: "Unknown order" });
    }
    const request = parsedBody!;
    let doc: ErpDocument | undefined;
    if (req.method === "POST" && !externalId) {
      // No dedupe on purpose: a second create is a second document.
      const ext = String(request.order.externalId);
      doc = { documentId: String(this.nextId++), externalId: ext, order: request.order, cancelled: false, refundIds: [], createdAt: Date.now() };
      this.documents.set(ext, [...(this.documents.get(ext) ?? []), doc]);
      this.stats.creates++;
      entry.effect = "created";
    } else {
      doc = externalId ? this.documents.get(externalId)?.[0] : undefined;
      if (!doc) {
        entry.effect = "not found";
        return send(404, { message: "Unknown order" });
      }
      entry.effect = req.method === "PUT" ? "updated" : m[2] === "/cancel" ? "cancelled" : "refunded";
      if (req.method === "PUT" && !m[2]) doc.order = request.order;
      else if (req.method === "POST" && m[2] === "/cancel") doc.cancelled = true;
      else if (req.method === "POST" && m[2] === "/refunds" && request.refund) {
        if (doc.refundIds.includes(request.refund.refundId)) this.stats.refundRepeats++;
        else doc.refundIds.push(request.refund.refundId);
      } else return send(405, { message: "Method not allowed" });
    }
    entry.documentId = doc.documentId;
    if (fault === "timeout") return this.hang(res); // committed; the answer never comes
    return send(req.method === "POST" && !externalId ? 201 : 200, this.answer(doc));
  }

  private journalRejected(method: string, url: string, body: string, fault: "5xx" | "429" | "reset" | "down"): void {
    const m = /^\/orders(?:\/([^/]+))?/.exec(url);
    let id = m?.[1] ? decodeURIComponent(m[1]) : undefined;
    let note: string | null | undefined;
    if (method !== "GET") {
      try {
        const order = (JSON.parse(body) as { order?: Record<string, unknown> }).order;
        id ??= order ? String(order.externalId) : undefined;
        note = order ? ((order.note as string | null | undefined) ?? null) : undefined;
      } catch {
        // unreadable body: journal it without a note
      }
    }
    const key = id ?? "?";
    this.journal.set(key, [...(this.journal.get(key) ?? []), { at: Date.now(), method, path: url, fault, effect: "none", ...(note !== undefined ? { note } : {}) }]);
  }

  private answer(doc: ErpDocument) {
    const totals = doc.order.totals as { total?: string } | undefined;
    return { documentId: doc.documentId, documentNumber: `SO-${doc.documentId}`, total: totals?.total, status: doc.cancelled ? "cancelled" : "open" };
  }
}
