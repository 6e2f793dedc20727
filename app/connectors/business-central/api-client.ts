// Authenticated JSON requests to the Business Central API: bearer token from
// the token provider, one retry with a fresh token on 401, every request
// within the user's request budget (support/request-budget.ts), look-ups
// combined into OData JSON `$batch` requests, and errors that carry Business
// Central's own message (OData `error.message`, or the field-level
// `validation` list of a problem+json answer).
import { z } from "zod";
import { errorFromStatus } from "../http/classify";
import { parseJson, sendRequest, type HttpRequest, type HttpResponse } from "../http/request";
import { ErpError } from "../port";
import type { RequestBudget } from "../support/request-budget";
import { joinUrl } from "../support/parse-config";
import type { ClientCredentialsTokenProvider } from "./token-provider";

export const BUSINESS_CENTRAL_NAME = "Business Central";

const odataError = z.object({ error: z.object({ code: z.string().optional(), message: z.string() }) });
const problemDetails = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  validation: z
    .array(z.object({ location: z.array(z.union([z.string(), z.number()])).optional(), message: z.string() }))
    .optional(),
});

/** Business Central's explanation of a refusal, ready to show to staff. */
export function describeBusinessCentralError(bodyText: string): string | undefined {
  const body = parseJson(bodyText);
  const od = odataError.safeParse(body);
  if (od.success) {
    // BC appends "CorrelationId: <guid>." which helps Microsoft support, not staff.
    return od.data.error.message.replace(/\s*CorrelationId:\s*[0-9a-f-]+\.?\s*$/i, "").trim().slice(0, 300);
  }
  const pd = problemDetails.safeParse(body);
  if (pd.success && pd.data.validation?.length) {
    return pd.data.validation
      .slice(0, 5)
      .map((v) => {
        const field = (v.location ?? []).filter((p) => p !== "body").join(".");
        // Some validators already name the field in the message.
        return field && !v.message.includes(field.split(".").pop()!) ? `${field}: ${v.message}` : v.message;
      })
      .join("; ");
  }
  if (pd.success && (pd.data.detail || pd.data.title)) return (pd.data.detail ?? pd.data.title)!.slice(0, 300);
  return undefined;
}

export interface ApiCall {
  method: HttpRequest["method"];
  /** Relative to the API base, e.g. "companies(…)/salesOrders". */
  path: string;
  query?: Record<string, string>;
  body?: string;
  ifMatch?: string;
  isWrite: boolean;
  signal?: AbortSignal;
}

/** BC's limit on the operations in one `$batch` request. */
export const BATCH_MAX_OPERATIONS = 100;

const batchAnswer = z.object({
  responses: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).nullable().optional(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

export class BusinessCentralApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: ClientCredentialsTokenProvider,
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
    /** The BC user's request budget; null: requests are not held back. */
    private readonly budget: RequestBudget | null = null,
  ) {}

  /** Sends the call; answers with status >= 400 (other than 401 once) are returned, not thrown. */
  async send(call: ApiCall): Promise<HttpResponse> {
    const first = await this.sendOnce(call, await this.tokens.token(call.signal));
    if (first.status !== 401) return first;
    // 401 = token rejected before anything ran: safe to repeat, even a write.
    this.tokens.invalidate();
    return this.sendOnce(call, await this.tokens.token(call.signal));
  }

  /** Sends the call and returns its parsed JSON, throwing a classified ErpError on failure. */
  async json<T>(call: ApiCall): Promise<T> {
    const res = await this.send(call);
    this.throwIfFailed(res, call.isWrite);
    return parseJson(res.bodyText) as T;
  }

  /**
   * Several GETs answered together, in the order of `calls`, each with its
   * own status for the caller to judge. With `batch` (API v2.0) they go as
   * OData JSON `$batch` requests of at most 100 operations (one request for
   * BC's limits); without it (v1.0, whose older servers may not take JSON
   * batches) one by one.
   */
  async getAll(calls: Omit<ApiCall, "method" | "isWrite" | "signal">[], batch: boolean, signal?: AbortSignal): Promise<HttpResponse[]> {
    if (!batch || calls.length === 1) {
      const answers: HttpResponse[] = [];
      for (const call of calls) answers.push(await this.send({ ...call, method: "GET", isWrite: false, signal }));
      return answers;
    }
    const answers: HttpResponse[] = [];
    for (let i = 0; i < calls.length; i += BATCH_MAX_OPERATIONS) {
      answers.push(...(await this.batchOnce(calls.slice(i, i + BATCH_MAX_OPERATIONS), signal)));
    }
    return answers;
  }

  private async batchOnce(calls: Omit<ApiCall, "method" | "isWrite" | "signal">[], signal?: AbortSignal): Promise<HttpResponse[]> {
    const body = {
      requests: calls.map((call, i) => ({ id: String(i + 1), method: "GET", url: call.path + queryString(call.query), headers: { Accept: "application/json" } })),
    };
    const res = await this.send({ method: "POST", path: "$batch", body: JSON.stringify(body), isWrite: false, signal });
    this.throwIfFailed(res, false);
    const parsed = batchAnswer.safeParse(parseJson(res.bodyText));
    const byId = new Map(parsed.success ? parsed.data.responses.map((r) => [String(r.id), r]) : []);
    return calls.map((_, i) => {
      const answer = byId.get(String(i + 1));
      if (!answer) {
        throw new ErpError({
          kind: "transient",
          message: `Business Central's $batch answer lacks the answer to request ${i + 1}`,
          userMessage: "Business Central answered a combined look-up incompletely. The order will be sent again automatically.",
          responseSummary: res.bodyText.slice(0, 200),
        });
      }
      return {
        status: answer.status,
        headers: new Headers(answer.headers ?? {}),
        bodyText: answer.body === undefined || answer.body === null ? "" : JSON.stringify(answer.body),
      };
    });
  }

  throwIfFailed(res: HttpResponse, isWrite: boolean): void {
    if (res.status >= 200 && res.status < 300) return;
    throw errorFromStatus({ erpName: BUSINESS_CENTRAL_NAME, isWrite }, res, describeBusinessCentralError(res.bodyText));
  }

  private sendOnce(call: ApiCall, token: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    if (call.ifMatch) headers["If-Match"] = call.ifMatch;
    const send = () =>
      sendRequest(this.fetchFn, {
        erpName: BUSINESS_CENTRAL_NAME,
        isWrite: call.isWrite,
        url: joinUrl(this.baseUrl, call.path) + queryString(call.query),
        method: call.method,
        headers,
        body: call.body,
        timeoutMs: this.timeoutMs,
        signal: call.signal,
      });
    return this.budget ? this.budget.send(send, call.signal) : send();
  }
}

function queryString(query: Record<string, string> | undefined): string {
  return query ? "?" + new URLSearchParams(query).toString().replace(/\+/g, "%20") : "";
}

/** An OData string literal: quotes doubled, so an e-mail like o'brien@x cannot break the filter. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
