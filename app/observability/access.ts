// Optional bearer protection for /metrics: when METRICS_TOKEN is set, a
// scrape must send `Authorization: Bearer <token>`. Compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import { config } from "../config.server";

export function metricsAccessAllowed(request: Request, token: string | undefined = config().metricsToken): boolean {
  if (!token) return true;
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  // Hash both sides so lengths match and the comparison time says nothing.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1].trim()), digest(token));
}
