// The parts of answering bad webhook input that every webhook route shares:
// plain-text refusals, the method and unsigned-request checks, and reading the
// body with a size limit and a time limit (Shopify retries a 5xx, so input
// that can never succeed gets a 4xx with a message instead).

import { config } from "../config.server";

/**
 * Largest webhook body accepted. A 2,000-line order in Shopify's REST shape is
 * about 2 MB; 10 MB leaves room for heavy lines (properties, tax and discount
 * lines) while one request can no longer hold the process's memory hostage.
 */
export const MAX_WEBHOOK_BODY_BYTES = 10 * 1024 * 1024;

/**
 * How long a webhook's body may take to arrive once its headers are in.
 * Shopify sends a 2 MB order in well under a second and gives the whole
 * request 5 s; a client that trickles its body (or sends headers and stops)
 * would otherwise hold a connection and its buffers until Node's own
 * 5-minute request timeout.
 */
export const WEBHOOK_BODY_TIMEOUT_MS = 10_000;

/**
 * Webhook body bytes this process receives at once, over all requests. A body
 * that would take the total past it (while another is being received) gets
 * 503 and Shopify delivers it again later: thirty 10 MB webhooks at once must
 * not hold 300 MB, plus their copies, in a process sized for 256 MiB
 * (docs/benchmarks.md, "Memory"). Three bodies of the largest size fit.
 */
export const MAX_RECEIVING_WEBHOOK_BYTES = 32 * 1024 * 1024;
let receivingBytes = 0;

/** Bytes of webhook bodies being received right now (tests read it). */
export function webhookBytesBeingReceived(): number {
  return receivingBytes;
}

/** The body time limit: WEBHOOK_BODY_TIMEOUT_MS when set (tests shorten it), else the constant. */
export function webhookBodyTimeoutMs(): number {
  return config().webhookBodyTimeoutMs ?? WEBHOOK_BODY_TIMEOUT_MS;
}

export function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}

/**
 * Webhooks are POSTs. Any other method (someone opening the URL in a browser,
 * a probe) gets 405 with the method that works; nothing is logged.
 */
export function methodNotAllowed(): Response {
  return plain(405, "Webhooks are POST requests.", { Allow: "POST" });
}

const TOO_LARGE = `Webhook body is larger than ${MAX_WEBHOOK_BODY_BYTES / (1024 * 1024)} MB and was not read.`;

const BUSY = "The app is receiving too many large webhooks at once and did not read this one; Shopify will deliver it again shortly.";

/** Missing HMAC -> 401 (the library would say 400: it is an unsigned request, not a malformed one). */
export function refuseUnsigned(request: Request): void {
  if (request.method === "POST" && !request.headers.get("X-Shopify-Hmac-Sha256")) {
    throw plain(401, "Webhook is not signed (X-Shopify-Hmac-Sha256 is missing).");
  }
}

/**
 * 408 for a body that did not arrive in time. "Connection: close" makes the
 * server close the connection once this answer is sent, so the slow client
 * holds nothing more. The body is not cancelled here: cancelling it would
 * drop the connection before the answer could be written.
 */
function tooSlow(timeoutMs: number): Response {
  return plain(408, `Webhook body did not arrive within ${timeoutMs / 1000} s and was not read; the connection is closed.`, { Connection: "close" });
}

/**
 * Reads the body as text, stopping (413) as soon as it passes the limit,
 * whatever Content-Length claims, and (408) when it has not fully arrived
 * within the time limit; empty -> 400.
 */
export async function readWebhookBody(request: Request, timeoutMs: number = webhookBodyTimeoutMs()): Promise<string> {
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  const known = Number.isInteger(declared) && declared >= 0;
  if (known && declared > MAX_WEBHOOK_BODY_BYTES) throw plain(413, TOO_LARGE);
  let text = "";
  if (request.body) {
    // Reserved up front when the length is declared (Shopify always declares it), else counted as it arrives.
    let reserved = known ? declared : 0;
    if (receivingBytes > 0 && receivingBytes + reserved > MAX_RECEIVING_WEBHOOK_BYTES) {
      await request.body.cancel().catch(() => undefined);
      throw plain(503, BUSY, { "Retry-After": "5" });
    }
    receivingBytes += reserved;
    const reader = request.body.getReader();
    // One buffer of the declared length, filled as the body arrives: the body
    // is held once while it is read, not as chunks and then their concatenation.
    let whole = known ? Buffer.allocUnsafe(declared) : null;
    const chunks: Uint8Array[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(tooSlow(timeoutMs)), timeoutMs);
    });
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), deadline]);
        if (done) break;
        if (size + value.byteLength > MAX_WEBHOOK_BODY_BYTES) {
          await reader.cancel();
          throw plain(413, TOO_LARGE);
        }
        if (whole && size + value.byteLength <= whole.length) whole.set(value, size);
        else {
          // More than declared (or nothing declared): keep the chunks.
          if (whole) chunks.push(whole.subarray(0, size));
          whole = null;
          chunks.push(value);
        }
        size += value.byteLength;
        if (size > reserved) {
          receivingBytes += size - reserved;
          reserved = size;
        }
      }
      text = whole ? whole.toString("utf8", 0, size) : Buffer.concat(chunks).toString("utf8");
    } finally {
      clearTimeout(timer);
      receivingBytes -= reserved;
    }
  }
  if (text.trim() === "") throw plain(400, "Webhook body is empty.");
  return text;
}

export const NOT_A_SHOP_DOMAIN = "X-Shopify-Shop-Domain is not a shop domain (expected something.myshopify.com).";
export const NOT_JSON = "Webhook body is not valid JSON.";
