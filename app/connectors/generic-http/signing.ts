// Request signing for the Generic HTTPS JSON connector. The receiver computes
// the same HMAC over the exact bytes it received and compares in constant time;
// that proves the order came from this app and was not altered on the way.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Signature-SHA256";
export const SCHEMA_VERSION_HEADER = "X-Erp-Sync-Schema-Version";
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

/** base64(HMAC-SHA256(secret, body)). */
export function signBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** Reference check for receivers written in TypeScript (see docs/connectors.md). */
export function verifySignature(body: string, secret: string, signature: string | null | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signBody(body, secret), "base64");
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
