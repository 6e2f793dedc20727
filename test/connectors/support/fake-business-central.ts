// An in-memory stand-in for Business Central API v2.0 (and Microsoft's token
// endpoint), as an injectable fetch. It keeps sales orders, answers the
// look-ups the connector makes, and can be told to misbehave: answer with a
// given status, hang after committing a write, reject tokens.
export const FAKE_TOKEN_URL = "https://login.fake.invalid/tenant/oauth2/v2.0/token";
export const FAKE_API_BASE = "https://bc.fake.invalid/v2.0/tenant/production/api/v2.0";
export const FAKE_COMPANY_ID = "5d115c9c-44e3-ea11-bb43-000d3a2feca1";

export interface FakeOrder {
  id: string;
  number: string;
  externalDocumentNumber: string;
  customerNumber: string;
  status: string;
  totalAmountIncludingTax: number;
  salesOrderLines: Record<string, unknown>[];
}

type Fault = { status: number; headers?: Record<string, string>; body?: unknown } | { hangAfterCommit: true };

export class FakeBusinessCentral {
  orders: FakeOrder[] = [];
  tokenRequests = 0;
  apiRequests: { method: string; path: string; authorization: string | null }[] = [];
  items = new Set(["TSHIRT-BLUE-M", "MUG-WHITE"]);
  customers = new Map<string, string>([["known@example.com", "C00010"]]);
  rejectClientSecret = false;
  /** Tokens the API answers 401 for (revoked). */
  revokedTokens = new Set<string>();
  /** Faults applied to the next requests matching method (in order). */
  private faults: { method: string; fault: Fault }[] = [];
  /** Delay for writes, to widen race windows. */
  writeDelayMs = 0;

  failNext(method: string, fault: Fault): void {
    this.faults.push({ method, fault });
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const headers = new Headers(init?.headers);
    if (url.href === FAKE_TOKEN_URL) return this.token(String(init?.body ?? ""));

    this.apiRequests.push({ method, path: url.pathname + url.search, authorization: headers.get("authorization") });
    const token = headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (!token.startsWith("tok-") || this.revokedTokens.has(token)) {
      return json({ error: { code: "Unauthorized", message: "The credentials provided are incorrect" } }, 401);
    }

    const faultIndex = this.faults.findIndex((f) => f.method === method);
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0].fault : null;
    if (fault && "status" in fault) return json(fault.body ?? { error: { code: "Fault", message: `Injected ${fault.status}` } }, fault.status, fault.headers);

    const path = url.pathname.slice(new URL(FAKE_API_BASE).pathname.length);
    const filter = url.searchParams.get("$filter") ?? "";
    const company = `/companies(${FAKE_COMPANY_ID})`;

    if (method === "GET" && path === `${company}/salesOrders`) {
      const ext = /externalDocumentNumber eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'");
      return json({ value: this.orders.filter((o) => o.externalDocumentNumber === ext).slice(0, 1) });
    }
    if (method === "GET" && path === `${company}/salesInvoices`) return json({ value: [] });
    if (method === "GET" && path === `${company}/items`) {
      const numbers = [...filter.matchAll(/number eq '([^']*)'/g)].map((m) => m[1]);
      return json({ value: numbers.filter((n) => this.items.has(n)).map((n) => ({ id: `id-${n}`, number: n })) });
    }
    if (method === "GET" && path === `${company}/customers`) {
      const email = /email eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'") ?? "";
      const number = this.customers.get(email);
      return json({ value: number ? [{ number }] : [] });
    }
    const byId = /^\/companies\([^)]+\)\/salesOrders\(([^)]+)\)$/.exec(path);
    if (method === "GET" && byId) {
      const order = this.orders.find((o) => o.id === byId[1]);
      return order ? json(order) : json({ error: { code: "NotFound", message: "not found" } }, 404);
    }
    if (method === "POST" && path === `${company}/salesOrders`) {
      const body = JSON.parse(String(init?.body));
      if (this.writeDelayMs) await new Promise((r) => setTimeout(r, this.writeDelayMs));
      const lines = (body.salesOrderLines ?? []) as { quantity?: number; unitPrice?: number; discountAmount?: number }[];
      const order: FakeOrder = {
        id: `00000000-0000-4000-8000-${String(this.orders.length + 1).padStart(12, "0")}`,
        number: `S-ORD${101000 + this.orders.length + 1}`,
        externalDocumentNumber: body.externalDocumentNumber,
        customerNumber: body.customerNumber,
        status: "Draft",
        totalAmountIncludingTax: Math.round(lines.reduce((t, l) => t + (l.quantity ?? 0) * (l.unitPrice ?? 0) - (l.discountAmount ?? 0), 0) * 100) / 100,
        salesOrderLines: lines,
      };
      this.orders.push(order);
      if (fault && "hangAfterCommit" in fault) {
        // Committed, but the answer never comes: the client's timeout fires.
        await new Promise<never>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
      }
      return json(order, 201);
    }
    return json({ error: { code: "BadRequest_MethodNotFound", message: `No fake for ${method} ${path}` } }, 400);
  };

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
