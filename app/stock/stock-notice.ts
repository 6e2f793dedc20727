// Stock notices the ERP pushes to the app (Generic HTTPS JSON connector):
// the shape of a verified body, pure, so the route stays thin. The body limit
// and the signature (the shop's signing secret, constant time) are checked
// before, by the rules every pushed notice shares
// (app/connectors/generic-http/signed-notice.server.ts). The contract and
// examples: docs/stock.md and docs/stock.schema.json.
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

export type NoticeCheck = { ok: true; notice: StockNoticeBody } | { ok: false; status: 400; message: string };

const idText = z.union([z.string().trim().min(1).max(255), z.number().int()]).transform(String);
const noticeSchema = z.object({
  noticeId: idText,
  issuedAt: z.string().datetime({ offset: true }),
  items: z
    .array(z.object({ itemNumber: idText, locationId: idText, quantity: z.unknown() }))
    .min(1)
    .max(NOTICE_MAX_ITEMS),
});

/** Read one verified notice body; every refusal says what to fix. */
export function parseStockNotice(body: Buffer, now: number): NoticeCheck {
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
