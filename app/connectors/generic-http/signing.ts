// Request signing for the Generic HTTPS JSON connector. The receiver computes
// the same HMAC over the exact bytes it received and compares in constant time
// (docs/connectors.md has the check to copy); that proves the order came from
// this app and was not altered on the way.
import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "X-Signature-SHA256";
export const SCHEMA_VERSION_HEADER = "X-Erp-Sync-Schema-Version";
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

/** base64(HMAC-SHA256(secret, body)). */
export function signBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}
