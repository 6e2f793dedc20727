import prisma from "../db/db.server";
import { metricsAccessAllowed } from "../observability/access";
import { renderMetrics } from "../observability/metrics";

// Prometheus scrape endpoint: counts and durations only (no shop data);
// bearer-protected when METRICS_TOKEN is set.
export async function loader({ request }: { request: Request }): Promise<Response> {
  if (!metricsAccessAllowed(request)) {
    return new Response("Unauthorized\n", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  const { contentType, body } = await renderMetrics(prisma);
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
