// Stock notices the ERP pushes to the app (Generic HTTPS JSON connector):
// the signature check and the shape, pure, so the route stays thin. The ERP
// signs the exact body bytes with the shop's signing secret, the same HMAC
// the app puts on every request it sends (X-Signature-SHA256, base64 of
// HMAC-SHA256); the check runs in constant time. The contract and examples:
// docs/stock.md and docs/schemas/stock-notice.schema.json.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ErpStockRecord } from "../connectors/port";

export const NOTICE_MAX_BYTES = 1024 * 1024;
export const NOTICE_MAX_ITEMS = 5000;
/** A notice issued longer ago than this is stale: the next full comparison covers it. */
export const NOTICE_MAX_AGE_MS = 24 * 3600_000;
/** Clocks differ a little; a notice from further in the future is refused. */
export const NOTICE_MAX_FUTURE_MS = 5 * 60_000;

export interface StockNoticeBody {
  noticeId: string;
  issuedAt: Date;
  items: ErpStockRecord[];
}

export type NoticeCheck = { ok: true; notice: StockNoticeBody } | { ok: false; status: 400 | 401 | 413; message: string };

const idText = z.union([z.string().trim().min(1).max(255), z.number().int()]).transform(String);
const noticeSchema = z.object({
  noticeId: idText,
  issuedAt: z.string().datetime({ offset: true }),
  items: z
    .array(z.object({ itemNumber: idText, locationId: idText, quantity: z.unknown() }))
    .min(1)
    .max(NOTICE_MAX_ITEMS),
});

export function signatureMatches(body: Buffer, given: string | null, secret: string): boolean {
  if (!given) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const received = Buffer.from(given, "base64");
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Verify and read one notice; every refusal says what to fix. */
export function checkNotice(body: Buffer, signature: string | null, secret: string, now: number): NoticeCheck {
  if (body.length > NOTICE_MAX_BYTES) return { ok: false, status: 413, message: `The notice is larger than ${NOTICE_MAX_BYTES} bytes. Send at most ${NOTICE_MAX_ITEMS} items per notice.` };
  if (!signatureMatches(body, signature, secret))
    return { ok: false, status: 401, message: "The signature does not match. Sign the exact body with the shop's signing secret (X-Signature-SHA256: base64 of HMAC-SHA256)." };
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, status: 400, message: "The body is not JSON." };
  }
  const parsed = noticeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, status: 400, message: `The notice does not follow the stock notice schema: ${issue.path.join(".") || "body"}: ${issue.message}.` };
  }
  const issuedAt = new Date(parsed.data.issuedAt);
  if (issuedAt.getTime() > now + NOTICE_MAX_FUTURE_MS) return { ok: false, status: 400, message: "issuedAt is in the future. Check the ERP server's clock." };
  return {
    ok: true,
    notice: {
      noticeId: parsed.data.noticeId,
      issuedAt,
      items: parsed.data.items.map((i) => ({ itemNumber: i.itemNumber, locationId: i.locationId, quantity: i.quantity })),
    },
  };
}

export function isStaleNotice(notice: StockNoticeBody, now: number): boolean {
  return notice.issuedAt.getTime() < now - NOTICE_MAX_AGE_MS;
}
