// OAuth 2.0 client-credentials tokens for Business Central, cached until
// shortly before they expire and fetched once for all concurrent callers.
// That one sign-in request belongs to no caller: it is bounded by its own
// timeout, and each caller stops waiting when its own signal aborts, so one
// delivery giving up never fails the others waiting for the same token.
import { z } from "zod";
import { errorFromNetworkFailure, errorFromStatus } from "../http/classify";
import { parseJson, sendRequest } from "../http/request";
import { ErpError } from "../port";

/** Renew this long before expiry, so a token never dies mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const tokenError = z.object({ error: z.string(), error_description: z.string().optional() });

const SIGN_IN = { erpName: "Microsoft sign-in", isWrite: false };

export interface TokenSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  timeoutMs: number;
}

export class ClientCredentialsTokenProvider {
  private cached: { token: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly settings: TokenSettings,
    private readonly fetchFn: typeof fetch,
    private readonly now: () => number = Date.now,
  ) {}

  async token(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = null));
    return signal ? this.waitFor(this.pending, signal) : this.pending;
  }

  /** The shared sign-in, or this caller's abort (as a connection failure, like an aborted request) if that comes first. */
  private waitFor(pending: Promise<string>, signal: AbortSignal): Promise<string> {
    const gaveUp = () => errorFromNetworkFailure(SIGN_IN, signal.reason, { timedOut: false, timeoutMs: this.settings.timeoutMs });
    if (signal.aborted) return Promise.reject(gaveUp());
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(gaveUp());
      signal.addEventListener("abort", onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Called when the API says the token is no longer valid (revoked, rotated). */
  invalidate(): void {
    this.cached = null;
  }

  private async fetchToken(): Promise<string> {
    const res = await sendRequest(this.fetchFn, {
      ...SIGN_IN,
      url: this.settings.tokenUrl,
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        scope: this.settings.scope,
      }).toString(),
      timeoutMs: this.settings.timeoutMs,
    });
    const body = parseJson(res.bodyText);
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      const e = tokenError.safeParse(body);
      // Entra's description starts with an AADSTS code and a readable reason; the rest is trace ids.
      const reason = e.success ? (e.data.error_description ?? e.data.error).split(/\r?\n/)[0].slice(0, 200) : `HTTP ${res.status}`;
      throw new ErpError({
        kind: "permanent",
        message: `Token request refused: ${e.success ? e.data.error : res.status}`,
        userMessage: `Microsoft refused to sign the app in to Business Central (${reason}). Check the tenant id, client id and client secret in Settings, then retry.`,
        httpStatus: res.status,
      });
    }
    if (res.status !== 200) throw errorFromStatus(SIGN_IN, res);
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) {
      throw new ErpError({
        kind: "permanent",
        message: "Token endpoint answered without access_token",
        userMessage: "The token address did not return a sign-in token. Check the token address in Settings (or leave it empty), then retry.",
      });
    }
    this.cached = { token: parsed.data.access_token, expiresAt: this.now() + parsed.data.expires_in * 1000 };
    return parsed.data.access_token;
  }
}
