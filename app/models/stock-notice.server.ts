// Receiving one pushed stock notice for a shop: the rules every pushed notice
// shares (POST, body limit, the shop's signing secret in constant time:
// app/connectors/generic-http/signed-notice.server.ts), then the shop must own
// stock in the ERP; the notice is stored once per id and the stock job applies
// it within seconds (app/jobs/stock-job.ts).
import type { PrismaClient } from "@prisma/client";
import { receiveSignedNotice } from "../connectors/generic-http/signed-notice.server";
import { isStaleNotice, NOTICE_MAX_BYTES, NOTICE_MAX_ITEMS, parseStockNotice } from "../stock/stock-notice";
import { loadStockSettings, storeStockNotice } from "../stock/stock-store.server";

export interface NoticeAnswer {
  status: number;
  body: { ok: boolean; message: string; outcome?: string };
}

const refuse = (status: number, message: string): NoticeAnswer => ({ status, body: { ok: false, message } });

export const STOCK_NOTICE_RULES = {
  what: "stock notices",
  maxBytes: NOTICE_MAX_BYTES,
  tooLarge: `The notice is larger than ${NOTICE_MAX_BYTES} bytes. Split it into several notices of at most ${NOTICE_MAX_ITEMS} items.`,
};

export async function receiveStockNotice(prisma: PrismaClient, shopParam: string, request: Request, now: number): Promise<NoticeAnswer> {
  const signed = await receiveSignedNotice(prisma, shopParam, request, STOCK_NOTICE_RULES);
  if (!signed.ok) return refuse(signed.status, signed.message);
  const { shop, body } = signed;
  const checked = parseStockNotice(body, now);
  if (!checked.ok) return refuse(checked.status, checked.message);
  if ((await loadStockSettings(prisma, shop)).owner !== "erp")
    return refuse(409, "This shop keeps stock levels in Shopify, so the notice was not applied. The merchant can change this in the app under Settings → Who owns what.");
  if (isStaleNotice(checked.notice, now)) return { status: 200, body: { ok: true, outcome: "stale", message: "Ignored: the notice is more than a day old; the nightly comparison covers it." } };
  const outcome = await storeStockNotice(prisma, shop, checked.notice);
  const message = {
    accepted: "Accepted: the app applies it within a minute.",
    duplicate: "Already received (same noticeId): applied once.",
    stale: "Ignored: a newer notice was already received.",
  }[outcome];
  return { status: outcome === "accepted" ? 202 : 200, body: { ok: true, outcome, message } };
}
