// The parts of answering bad webhook input that every webhook route shares:
// plain-text refusals, the method and unsigned-request checks, and reading
// the body with a size limit (Shopify retries a 5xx, so input that can never succeed gets a
// 4xx with a message instead).

/**
 * Largest webhook body accepted. A 2,000-line order in Shopify's REST shape is
 * about 2 MB; 10 MB leaves room for heavy lines (properties, tax and discount
 * lines) while one request can no longer hold the process's memory hostage.
 */
export const MAX_WEBHOOK_BODY_BYTES = 10 * 1024 * 1024;

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

/** Missing HMAC -> 401 (the library would say 400: it is an unsigned request, not a malformed one). */
export function refuseUnsigned(request: Request): void {
  if (request.method === "POST" && !request.headers.get("X-Shopify-Hmac-Sha256")) {
    throw plain(401, "Webhook is not signed (X-Shopify-Hmac-Sha256 is missing).");
  }
}

/** Reads the body as text, stopping (413) as soon as it passes the limit, whatever Content-Length claims; empty -> 400. */
export async function readWebhookBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BODY_BYTES) throw plain(413, TOO_LARGE);
  let text = "";
  if (request.body) {
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_WEBHOOK_BODY_BYTES) {
        await reader.cancel();
        throw plain(413, TOO_LARGE);
      }
      chunks.push(value);
    }
    text = Buffer.concat(chunks).toString("utf8");
  }
  if (text.trim() === "") throw plain(400, "Webhook body is empty.");
  return text;
}

export const NOT_A_SHOP_DOMAIN = "X-Shopify-Shop-Domain is not a shop domain (expected something.myshopify.com).";
export const NOT_JSON = "Webhook body is not valid JSON.";
