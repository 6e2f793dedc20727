// Every webhook route's action goes through this: it times the answer from
// request to response (thrown Responses included, e.g. a 401 for a bad HMAC)
// for the ack-latency histogram on /metrics. Shopify allows 5 s.
import type { ActionFunctionArgs } from "@remix-run/node";
import { observeWebhookAck } from "../observability/metrics";

export function webhookAction(handle: (request: Request) => Promise<Response>) {
  return async ({ request }: ActionFunctionArgs): Promise<Response> => {
    const started = performance.now();
    const topic = request.headers.get("X-Shopify-Topic");
    let status = 500;
    try {
      const response = await handle(request);
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
