// Wraps the library's webhook authentication so every webhook route answers
// the same way to bad input: wrong HMAC -> 401 (from the library), missing
// HMAC -> 401 (the library would say 400: it is an unsigned request, not a
// malformed one), other missing Shopify headers -> 400 (library), body that is not JSON -> 400 with
// a message (the library would throw a SyntaxError, i.e. a 500, which makes
// Shopify retry something that can never succeed).
import { authenticate } from "../shopify.server";

export type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>> & {
  /** Exact body text: 64-bit ids survive, unlike in the parsed payload. */
  rawBody: string;
};

export async function authenticateWebhook(request: Request): Promise<WebhookContext> {
  if (request.method === "POST" && !request.headers.get("X-Shopify-Hmac-Sha256")) {
    throw new Response("Webhook is not signed (X-Shopify-Hmac-Sha256 is missing).", {
      status: 401,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const rawBodyPromise = request.clone().text();
  try {
    const context = await authenticate.webhook(request);
    return { ...context, rawBody: await rawBodyPromise };
  } catch (error) {
    if (error instanceof SyntaxError) {
      // Only reachable after the HMAC was verified: the library parses last.
      throw new Response("Webhook body is not valid JSON.", {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
}
