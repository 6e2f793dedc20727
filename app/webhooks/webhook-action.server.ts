// Every webhook route's action and loader go through this. The action times
// the answer from request to response (thrown Responses included, e.g. a 401
// for a bad HMAC) for the ack-latency histogram on /metrics; Shopify allows
// 5 s. The loader exists because Remix sends GET and HEAD to a route's
// loader: without one it answers 400 "Unexpected Server Error" and logs a
// stack trace for every browser or probe that opens a webhook URL.
import type { ActionFunctionArgs } from "@remix-run/node";
import { observeWebhookAck } from "../observability/metrics";
import { methodNotAllowed } from "./webhook-body.server";

export function webhookAction(handle: (request: Request) => Promise<Response>) {
  return async ({ request }: ActionFunctionArgs): Promise<Response> => {
    const started = performance.now();
    const topic = request.headers.get("X-Shopify-Topic");
    let status = 500;
    try {
      // PUT, DELETE, OPTIONS...: Remix sends every method but GET and HEAD here.
      const response = request.method === "POST" ? await handle(request) : methodNotAllowed();
      status = response.status;
      return response;
    } catch (thrown) {
      if (thrown instanceof Response) status = thrown.status;
      throw thrown;
    } finally {
      observeWebhookAck(topic, status, (performance.now() - started) / 1000);
    }
  };
}

/** GET and HEAD on a webhook route: 405 with Allow: POST. */
export async function webhookLoader(): Promise<Response> {
  return methodNotAllowed();
}
