// The one set of rules for notices a Generic HTTPS JSON ERP pushes to the app
// (POST /erp/<shop>.myshopify.com/stock and …/shipments): POST only, the shop
// named in the path, a body limit enforced while reading (whatever
// Content-Length claims), the shop's signing secret (the one the app signs its
// own requests with) checked as base64 HMAC-SHA256 of the exact body bytes in
// constant time, and every refusal a 4xx with a plain message the sender's
// developer can act on (a 5xx would only make them retry what cannot succeed).
// Each kind of notice then parses its own body (app/stock/stock-notice.ts,
// app/shipments/shipment-notice.ts); none checks signatures itself.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { decryptSecrets } from "../../security/crypto.server";
import { SIGNATURE_HEADER } from "./signing";

export const NOTICE_SIGNATURE_HEADER = SIGNATURE_HEADER;

/** A refusal: the status and the sentence the sender reads. */
export interface NoticeRefusal {
  ok: false;
  status: number;
  message: string;
}

export type SignedNotice = { ok: true; shop: string; body: Buffer } | NoticeRefusal;

export interface NoticeRules {
  /** What the sender sends, in words: "stock notices", "shipment notices". */
  what: string;
  maxBytes: number;
  /** The 413 message: how to split what is too large. */
  tooLarge: string;
}

export const refuse = (status: number, message: string): NoticeRefusal => ({ ok: false, status, message });

/** The JSON answer every notice route sends: `{ ok, message, … }`. */
export function noticeResponse(status: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status });
}

export function refusalResponse(r: NoticeRefusal): Response {
  return noticeResponse(r.status, { ok: false, message: r.message });
}

/** base64 HMAC-SHA256 of the exact body with the secret, compared in constant time. */
export function signatureMatches(body: Buffer | string, given: string | null, secret: string): boolean {
  if (!given) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const received = Buffer.from(given.trim(), "base64");
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Read at most maxBytes + 1 bytes, so an oversized body is refused without reading it all. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The checks every pushed notice passes before its own shape is read: the
 * verified body, or the refusal to send. Unknown shops and shops not set up for
 * notices get the same 404, so the endpoint does not tell strangers which
 * shops exist.
 */
export async function receiveSignedNotice(prisma: PrismaClient, shopParam: string, request: Request, rules: NoticeRules): Promise<SignedNotice> {
  if (request.method !== "POST") return refuse(405, `Send ${rules.what} with POST.`);
  const shop = shopParam.trim().toLowerCase();
  if (!SHOP_DOMAIN.test(shop)) return refuse(404, `No such shop: the address must name it, e.g. /erp/example.myshopify.com/….`);
  const body = await readLimitedBody(request, rules.maxBytes);
  if (body === null) return refuse(413, rules.tooLarge);
  const notTaken = refuse(404, `This shop does not take ${rules.what}: the app is not installed there, or its ERP connection is not Generic HTTPS JSON.`);
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { connectorType: true, connectorSecrets: true, uninstalledAt: true } });
  if (!row || row.uninstalledAt || row.connectorType !== "generic-http" || !row.connectorSecrets) return notTaken;
  let secret: string | undefined;
  try {
    secret = decryptSecrets(shop, row.connectorSecrets).signingSecret;
  } catch {
    return refuse(503, "The app cannot read this shop's signing secret right now. Try again later.");
  }
  if (!secret) return notTaken;
  if (!signatureMatches(body, request.headers.get(NOTICE_SIGNATURE_HEADER), secret)) {
    return refuse(401, `The signature does not match. Sign the exact body with the shop's signing secret (${NOTICE_SIGNATURE_HEADER}: base64 of HMAC-SHA256), as for the app's own requests.`);
  }
  return { ok: true, shop, body };
}
