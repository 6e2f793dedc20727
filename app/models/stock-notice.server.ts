// Receiving one pushed stock notice for a shop: the shop must use the Generic
// HTTPS JSON connector (its signing secret checks the signature) and own
// stock in the ERP; the notice is stored once per id and the stock job applies
// it within seconds (app/jobs/stock-job.ts).
import type { PrismaClient } from "@prisma/client";
import { decryptSecrets } from "../security/crypto.server";
import { checkNotice, isStaleNotice, NOTICE_MAX_BYTES } from "../stock/stock-notice";
import { loadStockSettings, storeStockNotice } from "../stock/stock-store.server";

export interface NoticeAnswer {
  status: number;
  body: { ok: boolean; message: string; outcome?: string };
}

const refuse = (status: number, message: string): NoticeAnswer => ({ status, body: { ok: false, message } });

/** Read at most NOTICE_MAX_BYTES + 1 bytes, so an oversized body is refused without reading it all. */
export async function readLimitedBody(request: Request): Promise<Buffer | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > NOTICE_MAX_BYTES) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > NOTICE_MAX_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

export async function receiveStockNotice(prisma: PrismaClient, shop: string, request: Request, now: number): Promise<NoticeAnswer> {
  if (request.method !== "POST") return refuse(405, "Send stock notices with POST.");
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) return refuse(404, "No such shop.");
  const body = await readLimitedBody(request);
  if (body === null) return refuse(413, `The notice is larger than ${NOTICE_MAX_BYTES} bytes. Split it into several notices.`);
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { connectorType: true, connectorSecrets: true, uninstalledAt: true } });
  // One answer for "no such shop" and "not set up for notices": the endpoint does not tell strangers which shops exist.
  if (!row || row.uninstalledAt || row.connectorType !== "generic-http" || !row.connectorSecrets) return refuse(404, "This shop does not take stock notices.");
  let secret: string | undefined;
  try {
    secret = decryptSecrets(shop, row.connectorSecrets).signingSecret;
  } catch {
    return refuse(503, "The app cannot read this shop's signing secret right now. Try again later.");
  }
  if (!secret) return refuse(404, "This shop does not take stock notices.");
  const checked = checkNotice(body, request.headers.get("x-signature-sha256"), secret, now);
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
