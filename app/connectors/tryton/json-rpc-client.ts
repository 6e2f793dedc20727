// Tryton's JSON-RPC over HTTP: session login, automatic re-login when the
// session expires (HTTP 401), Tryton's own encoding of Decimal and date values,
// and every failure turned into an ErpError (UserError = permanent, with
// Tryton's message; timeouts/5xx/429 = transient).
import { errorFromStatus } from "../http/classify";
import { sendRequest } from "../http/request";
import { summarizeBody } from "../http/redact";
import { ErpError } from "../port";
import { joinUrl } from "../support/parse-config";
import type { RequestBudget } from "../support/request-budget";

export const TRYTON_NAME = "Tryton";

export interface TrytonRpcSettings {
  url: string;
  database: string;
  username: string;
  password: string;
  timeoutMs: number;
}

/** Tryton's wire form of a Decimal: never a float. */
export function trytonDecimal(value: string): { __class__: "Decimal"; decimal: string } {
  return { __class__: "Decimal", decimal: value };
}

/** Tryton's wire form of a date, from an ISO timestamp ("2026-11-25T10:00:00-05:00" -> that local date). */
export function trytonDate(iso: string): { __class__: "date"; year: number; month: number; day: number } {
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  return { __class__: "date", year, month, day };
}

/** Turns Tryton's tagged values back into plain JSON: Decimal -> "19.99", date -> "2026-11-25". */
function reviveTrytonValue(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && "__class__" in value) {
    const v = value as Record<string, unknown>;
    if (v.__class__ === "Decimal") return String(v.decimal);
    if (v.__class__ === "date") {
      const pad = (n: unknown) => String(n).padStart(2, "0");
      return `${v.year}-${pad(v.month)}-${pad(v.day)}`;
    }
  }
  return value;
}

// Errors Tryton raises for a request that cannot succeed as it is.
const PERMANENT_ERROR_TYPES = new Set(["UserError", "UserWarning", "AccessError", "RequiredValidationError", "DomainValidationError", "SelectionValidationError", "SizeValidationError", "DigitsValidationError", "ForbiddenCharValidationError", "ImportDataError"]);

function errorFromRpcError(error: unknown, bodyText: string, isWrite: boolean): ErpError {
  const [type, args] = Array.isArray(error) ? error : [String(error), []];
  const typeName = String(type);
  const message = Array.isArray(args) ? args.filter((a) => typeof a === "string" && a.trim()).slice(0, 2).join(" — ") : String(args ?? "");
  const summary = summarizeBody(bodyText);
  // "must be unique" on a numbered record (party code, sale number) is two
  // transactions drawing the same sequence number (Tryton on SQLite has no
  // row locks); Tryton rolled the request back, and a retry draws a new number.
  if (
    typeName === "ConcurrencyException" ||
    /database is locked|could not serialize|deadlock/i.test(`${typeName} ${message}`) ||
    /\bThe (code|number) on .+ must be unique/i.test(message)
  ) {
    return new ErpError({
      kind: "transient",
      message: `Tryton ${typeName}: ${message}`,
      userMessage: "Tryton was busy with a conflicting change. The order will be sent again automatically.",
      outcomeUnknown: false,
      responseSummary: summary,
    });
  }
  if (PERMANENT_ERROR_TYPES.has(typeName) || typeName.endsWith("ValidationError")) {
    return new ErpError({
      kind: "permanent",
      message: `Tryton ${typeName}: ${message}`,
      userMessage: `Tryton refused the request: ${(message || typeName).replace(/[.\s]+$/, "")}. Correct this (in Shopify or in Tryton), then retry.`,
      responseSummary: summary,
    });
  }
  // An unexpected server-side exception (a bug or misconfiguration in
  // Tryton): retrying the same data will fail the same way.
  return new ErpError({
    kind: "permanent",
    message: `Tryton internal error ${typeName}: ${message}`,
    userMessage: `Tryton reported an internal error (${typeName.slice(0, 80)}). Ask your Tryton administrator to check the server log, then retry.`,
    outcomeUnknown: isWrite,
    responseSummary: summary,
  });
}

export class TrytonRpcClient {
  private authorization: string | null = null;
  private loggingIn: Promise<void> | null = null;
  private nextId = 1;

  constructor(
    private readonly settings: TrytonRpcSettings,
    private readonly fetchFn: typeof fetch,
    /** The shop's request budget on this server (each RPC is one request); null: not held back. */
    private readonly budget: RequestBudget | null = null,
  ) {}

  private get endpoint(): string {
    return joinUrl(this.settings.url, `${encodeURIComponent(this.settings.database)}/`);
  }

  /** Calls `method` with params; re-logs in once when the session has expired. */
  async call<T>(method: string, params: unknown[], opts: { isWrite: boolean; signal?: AbortSignal }): Promise<T> {
    await this.ensureLoggedIn(opts.signal);
    const sessionUsed = this.authorization;
    const first = await this.post(method, params, opts);
    if (first.status !== 401) return this.unwrap<T>(first, opts.isWrite);
    // 401 = session unknown/expired; Tryton refuses before doing anything, so
    // repeating the call, even a write, cannot duplicate it.
    if (this.authorization === sessionUsed) this.authorization = null;
    await this.ensureLoggedIn(opts.signal);
    return this.unwrap<T>(await this.post(method, params, opts), opts.isWrite);
  }

  private async ensureLoggedIn(signal?: AbortSignal): Promise<void> {
    if (this.authorization) return;
    // Concurrent calls share one login instead of each starting its own
    // (five failed logins in a row lock the user out for a while).
    this.loggingIn ??= this.login(signal).finally(() => (this.loggingIn = null));
    await this.loggingIn;
  }

  private async login(signal?: AbortSignal): Promise<void> {
    const res = await this.post("common.db.login", [this.settings.username, { password: this.settings.password }, "en"], {
      isWrite: false,
      signal,
      authenticated: false,
    });
    if (res.status === 401 || res.status === 403) {
      throw new ErpError({
        kind: "permanent",
        message: `Tryton login refused for the configured user (HTTP ${res.status})`,
        userMessage: `Tryton refused the user name or password for database "${this.settings.database}". Check them in Settings, then retry.`,
        httpStatus: res.status,
      });
    }
    if (res.status === 429) {
      const e = errorFromStatus({ erpName: TRYTON_NAME, isWrite: false }, res);
      throw new ErpError({
        kind: "transient",
        message: "Tryton blocked logins after repeated failures (HTTP 429)",
        userMessage: "Tryton is blocking sign-ins for a while after several failed attempts. The order will be sent again automatically; if it keeps happening, check the password in Settings.",
        retryAfterMs: e.retryAfterMs ?? 60_000,
        httpStatus: 429,
      });
    }
    const result = this.unwrap<[number, string]>(res, false);
    if (!Array.isArray(result) || result.length < 2) {
      throw new ErpError({
        kind: "permanent",
        message: "Tryton login answered without a session",
        userMessage: `Tryton did not accept the login for database "${this.settings.database}". Check the address, database name, user name and password in Settings.`,
      });
    }
    const [uid, session] = result;
    this.authorization = "Session " + Buffer.from(`${this.settings.username}:${uid}:${session}`).toString("base64");
  }

  private post(method: string, params: unknown[], opts: { isWrite: boolean; signal?: AbortSignal; authenticated?: boolean }) {
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
    if (opts.authenticated !== false && this.authorization) headers.Authorization = this.authorization;
    const send = () =>
      sendRequest(this.fetchFn, {
        erpName: TRYTON_NAME,
        isWrite: opts.isWrite,
        url: this.endpoint,
        method: "POST",
        headers,
        body: JSON.stringify({ id: this.nextId++, method, params }),
        timeoutMs: this.settings.timeoutMs,
        signal: opts.signal,
      });
    return this.budget ? this.budget.send(send, opts.signal) : send();
  }

  private unwrap<T>(res: { status: number; headers: Headers; bodyText: string }, isWrite: boolean): T {
    if (res.status === 404) {
      throw new ErpError({
        kind: "permanent",
        message: "Tryton answered 404 for the database endpoint",
        userMessage: `Tryton has no database "${this.settings.database}" at this address. Check the address and database name in Settings.`,
        httpStatus: 404,
      });
    }
    if (res.status !== 200) throw errorFromStatus({ erpName: TRYTON_NAME, isWrite }, res);
    let body: { result?: unknown; error?: unknown } | undefined;
    try {
      body = JSON.parse(res.bodyText, reviveTrytonValue);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== "object") {
      throw new ErpError({
        kind: "permanent",
        message: "Tryton answered with something that is not JSON-RPC",
        userMessage: "The address in Settings does not answer like a Tryton server. Check it (it should be the Tryton server's web address), then retry.",
        outcomeUnknown: isWrite,
        responseSummary: summarizeBody(res.bodyText),
      });
    }
    if (body.error) throw errorFromRpcError(body.error, res.bodyText, isWrite);
    return body.result as T;
  }
}

