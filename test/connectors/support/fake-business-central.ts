// An in-memory stand-in for Business Central API v2.0 (and Microsoft's token
// endpoint), as an injectable fetch. It keeps sales orders and credit memos
// with their lines, computes their totals as BC does (tax per line from the
// item's or account's rate, unless the customer's prices include tax),
// answers the look-ups the connector makes, alone or inside an OData JSON
// `$batch` request (each inner request handled as if sent alone), and can be
// told to misbehave: answer with a given status, hang after committing a
// write, reject tokens, answer a create with totals from before its lines.
import { salesShipmentsPage } from "./fake-business-central-shipments";
import type { BcShipment } from "~/connectors/business-central/shipments";

export const FAKE_TOKEN_URL = "https://login.fake.invalid/tenant/oauth2/v2.0/token";
export const FAKE_API_BASE = "https://bc.fake.invalid/v2.0/tenant/production/api/v2.0";
export const FAKE_COMPANY_ID = "5d115c9c-44e3-ea11-bb43-000d3a2feca1";

export interface FakeDocument {
  id: string;
  number: string;
  externalDocumentNumber: string;
  customerNumber: string;
  status: string;
  /** Copied from the customer, as BC does ("Prices Including VAT"); read-only in the API. */
  pricesIncludeTax: boolean;
  totalAmountIncludingTax: number;
  totalAmountExcludingTax: number;
  lines: FakeLine[];
}

/** A sales order as the fake holds it (salesOrderLines = its lines). */
export type FakeOrder = FakeDocument & { salesOrderLines: FakeLine[] };

export interface FakeLine {
  id: string;
  lineType?: string;
  lookupNumber?: string;
  description?: string;
  quantity?: number;
  unitPrice?: number;
  discountAmount?: number;
}

type Fault = { status: number; headers?: Record<string, string>; body?: unknown } | { hangAfterCommit: true };

const SETS = {
  salesOrders: { lines: "salesOrderLines", prefix: "S-ORD" },
  salesCreditMemos: { lines: "salesCreditMemoLines", prefix: "S-CR" },
} as const;
type EntitySet = keyof typeof SETS;

const cents = (value: number | undefined) => Math.round((value ?? 0) * 100);

export class FakeBusinessCentral {
  orders: FakeOrder[] = [];
  creditMemos: FakeDocument[] = [];
  tokenRequests = 0;
  /** Every API request; those sent inside a `$batch` follow it, marked `batched`. */
  apiRequests: { method: string; path: string; authorization: string | null; body?: Record<string, unknown>; batched?: boolean }[] = [];
  items = new Set(["TSHIRT-BLUE-M", "MUG-WHITE"]);
  /** G/L accounts by number. */
  accounts = new Set(["40100", "40200", "40300", "40400", "40500"]);
  customers = new Map<string, string>([["known@example.com", "C00010"]]);
  /** Customers BC has besides those with an e-mail above (e.g. a default "WEB" customer). */
  customerNumbersWithoutEmail = new Set(["WEB", "10000"]);
  /** Customers whose "Prices Including VAT" is on (BC's default is off). */
  customersWithPricesIncludingTax = new Set<string>();
  /** Tax rate BC applies per item or account number (its posting groups); none = 0. */
  taxRates = new Map<string, number>();
  /** Posted sales shipments (API v2.0 salesShipments, shaped from Microsoft's v2.0 reference). */
  shipments: BcShipment[] = [];
  rejectClientSecret = false;
  /** Tokens the API answers 401 for (revoked). */
  revokedTokens = new Set<string>();
  /** Faults applied to the next requests matching method (in order). */
  private faults: { method: string; fault: Fault }[] = [];
  /** Delay for writes, to widen race windows. */
  writeDelayMs = 0;
  /** Answer creates with the header's totals from before the lines were in (0), as a slow BC might. */
  answerCreatesBeforeTotals = false;
  private ids = 0;

  failNext(method: string, fault: Fault): void {
    this.faults.push({ method, fault });
  }

  /** A document's totals as BC computes them: tax added per line from its rate unless prices include it. */
  private recompute(doc: FakeDocument): void {
    let total = 0;
    let net = 0;
    for (const l of doc.lines) {
      if (l.lineType === "Comment") continue;
      const base = Math.round((l.quantity ?? 0) * cents(l.unitPrice)) - cents(l.discountAmount);
      const rate = this.taxRates.get(l.lookupNumber ?? "") ?? 0;
      total += doc.pricesIncludeTax ? base : base + Math.round(base * rate);
      net += doc.pricesIncludeTax ? Math.round(base / (1 + rate)) : base;
    }
    doc.totalAmountIncludingTax = total / 100;
    doc.totalAmountExcludingTax = net / 100;
  }

  private store(set: EntitySet): FakeDocument[] {
    return set === "salesOrders" ? this.orders : this.creditMemos;
  }

  private view(set: EntitySet, doc: FakeDocument): Record<string, unknown> {
    const { lines, ...header } = doc;
    return { ...header, [SETS[set].lines]: lines };
  }

  private newLine(body: Record<string, unknown>): FakeLine {
    this.ids += 1;
    return { ...(body as Omit<FakeLine, "id">), id: `line-${this.ids}` };
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const headers = new Headers(init?.headers);
    if (url.href === FAKE_TOKEN_URL) return this.token(String(init?.body ?? ""));

    const authorization = headers.get("authorization");
    this.apiRequests.push({
      method,
      path: url.pathname + url.search,
      authorization,
      ...(typeof init?.body === "string" ? { body: JSON.parse(init.body) } : {}),
    });
    const token = authorization?.replace(/^Bearer /, "") ?? "";
    if (!token.startsWith("tok-") || this.revokedTokens.has(token)) {
      return json({ error: { code: "Unauthorized", message: "The credentials provided are incorrect" } }, 401);
    }
    if (method === "POST" && url.pathname === `${new URL(FAKE_API_BASE).pathname}/$batch`) return this.batch(String(init?.body), authorization);
    return this.handle(url, method, init);
  };

  /** OData JSON batch: each inner request handled (and faulted) as if sent alone; answers by id. */
  private async batch(body: string, authorization: string | null): Promise<Response> {
    const { requests } = JSON.parse(body) as { requests: { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }[] };
    const responses = [];
    for (const inner of requests) {
      const url = new URL(`${FAKE_API_BASE}/${inner.url}`);
      const innerBody = inner.body === undefined ? undefined : JSON.stringify(inner.body);
      this.apiRequests.push({ method: inner.method, path: url.pathname + url.search, authorization, batched: true, ...(inner.body ? { body: inner.body as Record<string, unknown> } : {}) });
      const res = await this.handle(url, inner.method, { method: inner.method, body: innerBody });
      const text = await res.text();
      const answerHeaders = Object.fromEntries(res.headers.entries());
      responses.push({ id: inner.id, status: res.status, headers: answerHeaders, ...(text ? { body: JSON.parse(text) } : {}) });
    }
    return json({ responses });
  }

  private async handle(url: URL, method: string, init: RequestInit | undefined): Promise<Response> {
    const faultIndex = this.faults.findIndex((f) => f.method === method);
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0].fault : null;
    if (fault && "status" in fault) return json(fault.body ?? { error: { code: "Fault", message: `Injected ${fault.status}` } }, fault.status, fault.headers);

    const path = decodeURIComponent(url.pathname.slice(new URL(FAKE_API_BASE).pathname.length));
    const filter = url.searchParams.get("$filter") ?? "";
    const company = `/companies(${FAKE_COMPANY_ID})`;
    const numbersIn = () => [...filter.matchAll(/number eq '([^']*)'/g)].map((m) => m[1]);

    if (method === "GET" && path === `${company}/salesInvoices`) return json({ value: [] });
    if (method === "GET" && path === `${company}/salesShipments`) return json({ value: salesShipmentsPage(this.shipments, url.searchParams) });
    if (method === "GET" && path === `${company}/items`) return json({ value: numbersIn().filter((n) => this.items.has(n)).map((n) => ({ id: `id-${n}`, number: n })) });
    if (method === "GET" && path === `${company}/accounts`) return json({ value: numbersIn().filter((n) => this.accounts.has(n)).map((n) => ({ id: `acc-${n}`, number: n })) });
    if (method === "GET" && path === `${company}/customers`) {
      const email = /email eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'") ?? "";
      const number = this.customers.get(email);
      return json({ value: number ? [{ number }] : [] });
    }

    const m = /^\/companies\([^)]+\)\/(salesOrders|salesCreditMemos|salesInvoices)(?:\(([^)]+)\))?(?:\/(\w+)(?:\('([^']+)'\))?)?$/.exec(path);
    if (!m || m[1] === "salesInvoices") {
      if (m && method === "GET") return json({ error: { code: "NotFound", message: "not found" } }, 404);
      return json({ error: { code: "BadRequest_MethodNotFound", message: `No fake for ${method} ${path}` } }, 400);
    }
    const set = m[1] as EntitySet;
    const [docId, sub, lineId] = [m[2], m[3], m[4]];
    const docs = this.store(set);

    if (!docId && method === "GET") {
      const ext = /externalDocumentNumber eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'");
      return json({ value: docs.filter((d) => d.externalDocumentNumber === ext).slice(0, 1).map((d) => this.view(set, d)) });
    }
    if (!docId && method === "POST") {
      const body = JSON.parse(String(init?.body));
      if (this.writeDelayMs) await new Promise((r) => setTimeout(r, this.writeDelayMs));
      const refusal = this.refusalOf(body.customerNumber, (body[SETS[set].lines] ?? []) as FakeLine[]);
      if (refusal) return refusal;
      const lines = ((body[SETS[set].lines] ?? []) as Record<string, unknown>[]).map((l) => this.newLine(l));
      const doc: FakeDocument = {
        id: `00000000-0000-4000-8000-${String(this.orders.length + this.creditMemos.length + 1).padStart(12, "0")}`,
        number: `${SETS[set].prefix}${101000 + docs.length + 1}`,
        externalDocumentNumber: body.externalDocumentNumber,
        customerNumber: body.customerNumber,
        status: "Draft",
        pricesIncludeTax: this.customersWithPricesIncludingTax.has(body.customerNumber),
        totalAmountIncludingTax: 0,
        totalAmountExcludingTax: 0,
        lines,
      };
      const answer = this.answerCreatesBeforeTotals ? this.view(set, doc) : null;
      this.recompute(doc);
      if (set === "salesOrders") {
        // Kept as one object, so tests read salesOrderLines and lines alike.
        Object.defineProperty(doc, "salesOrderLines", { get: () => doc.lines, enumerable: false });
      }
      docs.push(doc as FakeOrder);
      if (fault && "hangAfterCommit" in fault) {
        // Committed, but the answer never comes: the client's timeout fires.
        await new Promise<never>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
      }
      return json(answer ?? this.view(set, doc), 201);
    }

    const doc = docs.find((d) => d.id === docId);
    if (!doc) return json({ error: { code: "NotFound", message: "not found" } }, 404);
    if (!sub && method === "GET") return json(this.view(set, doc));
    if (!sub && method === "PATCH") return json(this.view(set, Object.assign(doc, JSON.parse(String(init?.body)))));
    if (!sub && method === "DELETE") {
      docs.splice(docs.indexOf(doc), 1);
      return new Response(null, { status: 204 });
    }
    if (sub === SETS[set].lines && !lineId && method === "GET") return json({ value: doc.lines });
    if (sub === SETS[set].lines && !lineId && method === "POST") {
      const refusal = this.refusalOf(doc.customerNumber, [JSON.parse(String(init?.body))]);
      if (refusal) return refusal;
      doc.lines.push(this.newLine(JSON.parse(String(init?.body))));
      this.recompute(doc);
      return json(doc.lines.at(-1), 201);
    }
    if (sub === SETS[set].lines && lineId && method === "DELETE") {
      doc.lines = doc.lines.filter((l) => l.id !== lineId);
      this.recompute(doc);
      return new Response(null, { status: 204 });
    }
    return json({ error: { code: "BadRequest_MethodNotFound", message: `No fake for ${method} ${path}` } }, 400);
  }

  /** BC's 400 for a customer, item or G/L account it does not have (nothing is written). */
  private refusalOf(customerNumber: string, lines: FakeLine[]): Response | null {
    const refuse = (message: string) => json({ error: { code: "Internal_RecordNotFound", message: `${message} CorrelationId: 00000000-0000-0000-0000-000000000000.` } }, 400);
    if (!this.customerNumbersWithoutEmail.has(customerNumber) && ![...this.customers.values()].includes(customerNumber)) {
      return refuse(`The Customer does not exist. Identification fields and values: No.='${customerNumber}'`);
    }
    for (const line of lines) {
      const number = line.lookupNumber ?? "";
      if (line.lineType === "Item" && !this.items.has(number)) return refuse(`The Item does not exist. Identification fields and values: No.='${number}'`);
      if (line.lineType === "Account" && !this.accounts.has(number)) return refuse(`The G/L Account does not exist. Identification fields and values: No.='${number}'`);
    }
    return null;
  }

  private token(body: string): Response {
    this.tokenRequests += 1;
    const form = new URLSearchParams(body);
    if (this.rejectClientSecret || form.get("grant_type") !== "client_credentials") {
      return json(
        { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 0000" },
        401,
      );
    }
    return json({ token_type: "Bearer", expires_in: 3599, access_token: `tok-${this.tokenRequests}` });
  }
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}
