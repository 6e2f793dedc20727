// Turns "what went wrong on the wire" into an ErpError the engine can act on:
// transient (retry, maybe later) or permanent (needs attention, in words staff
// understand). Connectors add the ERP's own explanation when it gives one.
import { ErpError } from "../port";
import { parseRetryAfterMs } from "../../lib/retry-after";
import { summarizeBody } from "./redact";

export interface RequestDescription {
  /** The ERP's name as merchants know it: "Business Central", "Tryton". */
  erpName: string;
  /** Whether the request changes data in the ERP (create/update/cancel/refund). */
  isWrite: boolean;
}

/** HTTP statuses that mean "try again later", whatever the ERP. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Messages may start with an ERP name written in lower case ("your order service"). */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s === 1 ? "1 second" : `${s} seconds`;
}

/**
 * An error for a response with a non-success status.
 * `erpMessage` is the ERP's own explanation (field-level when it has one).
 */
export function errorFromStatus(
  req: RequestDescription,
  res: { status: number; headers: Headers; bodyText: string },
  erpMessage?: string,
  now: number = Date.now(),
): ErpError {
  const { status } = res;
  const summary = summarizeBody(res.bodyText);
  // Our sentences add their own full stop.
  erpMessage = erpMessage?.trim().replace(/[.\s]+$/, "") || undefined;
  const detail = erpMessage ? `: ${erpMessage}` : "";

  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(res.headers.get("retry-after"), now);
    const wait = retryAfterMs != null ? ` for ${seconds(retryAfterMs)}` : "";
    return new ErpError({
      kind: "transient",
      message: `${req.erpName} answered HTTP 429 (rate limited)`,
      userMessage: sentence(`${req.erpName} asked us to slow down${wait}. The order will be sent again automatically; nothing to do.`),
      retryAfterMs,
      httpStatus: status,
      responseSummary: summary,
    });
  }
  if (isTransientStatus(status)) {
    // A 5xx answer to a write may come after the ERP committed it (a proxy
    // timing out, a crash after saving), so the next attempt must look first.
    const retryAfterMs = parseRetryAfterMs(res.headers.get("retry-after"), now);
    return new ErpError({
      kind: "transient",
      message: `${req.erpName} answered HTTP ${status}`,
      userMessage: sentence(`${req.erpName} had a temporary problem (HTTP ${status})${detail}. The order will be sent again automatically.`),
      outcomeUnknown: req.isWrite && status !== 503,
      retryAfterMs,
      httpStatus: status,
      responseSummary: summary,
    });
  }
  if (status === 401 || status === 403) {
    return new ErpError({
      kind: "permanent",
      message: `${req.erpName} refused the credentials (HTTP ${status})`,
      userMessage: sentence(`${req.erpName} refused our sign-in or permissions (HTTP ${status})${detail}. Check the connection settings and the ERP user's permissions, then retry.`),
      httpStatus: status,
      responseSummary: summary,
    });
  }
  return new ErpError({
    kind: "permanent",
    message: `${req.erpName} rejected the request (HTTP ${status})`,
    userMessage: sentence(
      erpMessage
        ? `${req.erpName} rejected the order: ${erpMessage}. Correct this (in Shopify or in ${req.erpName}), then retry.`
        : `${req.erpName} rejected the request (HTTP ${status}). Check the connection settings, then retry.`,
    ),
    httpStatus: status,
    responseSummary: summary,
  });
}

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

function errorCode(error: unknown): string | undefined {
  // undici wraps the socket error: TypeError("fetch failed", { cause: { code } }).
  let current: unknown = error;
  for (let i = 0; i < 4 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** An error for a request that got no HTTP answer: timeout, refused, reset. */
export function errorFromNetworkFailure(
  req: RequestDescription,
  error: unknown,
  opts: { timedOut: boolean; timeoutMs: number },
): ErpError {
  const code = errorCode(error);
  if (opts.timedOut) {
    return new ErpError({
      kind: "transient",
      message: `${req.erpName} did not answer within ${opts.timeoutMs} ms`,
      userMessage: sentence(`${req.erpName} did not answer within ${seconds(opts.timeoutMs)}. The order will be checked and sent again automatically.`),
      outcomeUnknown: req.isWrite,
      cause: error,
    });
  }
  const neverSent = code != null && NOT_SENT_CODES.has(code);
  return new ErpError({
    kind: "transient",
    message: `Could not reach ${req.erpName}${code ? ` (${code})` : ""}`,
    userMessage: sentence(`Could not reach ${req.erpName}${code ? ` (${code})` : ""}. The order will be sent again automatically; if this lasts, check that ${req.erpName} is online and its address in Settings is right.`),
    // Refused/unresolvable: the request never left, so nothing can have been written.
    outcomeUnknown: req.isWrite && !neverSent,
    cause: error,
  });
}
