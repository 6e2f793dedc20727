// The demo's completeness certificates: Shopify's stand-in lists the orders
// it sent by webhook (testkit/fake-admin/orders-from-rest.ts), staff skip
// the orders that cannot be sent (no SKU in Shopify), and the certificate
// for the demo day is made twice, through the same engine the worker runs
// (app/certificate/run-certificate.server.ts): first clean, then after the
// demo ERP was told to lose one order and hold a copy of another, with
// exactly that missing and that duplicated order named.
import type { PrismaClient } from "@prisma/client";
import { requestCertificate } from "../../app/certificate/certificate-store.server";
import { runCertificate } from "../../app/certificate/run-certificate.server";
import { summarize } from "../../app/models/certificates.server";
import { createShopConfigProvider } from "../../app/settings/shop-config-provider.server";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import { skip } from "../../app/sync/delivery/replay";
import { upsertRestOrder } from "../../testkit/fake-admin/orders-from-rest";
import type { CheckResult } from "./checks";
import type { DemoErp } from "./demo-erp";
import type { DemoEvent } from "./order-stream";
import type { ShopifyStandIn } from "./shopify-stand-in";

export async function certificatePhase(opts: { prisma: PrismaClient; shop: string; erp: DemoErp; shopify: ShopifyStandIn; events: DemoEvent[]; say: (line: string) => void }): Promise<CheckResult[]> {
  const { prisma, shop, erp, shopify, events, say } = opts;
  for (const e of events) if (e.topic !== "refunds/create") upsertRestOrder(shopify.adminApi, e.body);

  // Staff decide the orders without a SKU are not for the ERP.
  const noSku = await prisma.orderSync.findMany({ where: { shop, state: "needs_attention", problems: { contains: "has no SKU" } }, select: { id: true } });
  await skip(prisma, { shop, ids: noSku.map((r) => r.id), actor: "demo staff", note: "Gift wrapping only; not an ERP item" });

  const admin = new ShopifyAdminApi({ getAccessToken: async () => shopify.adminApi.accessToken, refreshAccessToken: async () => shopify.adminApi.accessToken, fetch: (input, init) => shopify.adminApi.fetch(input, init) });
  const provider = createShopConfigProvider(prisma, { ttlMs: 0 });
  const days = events.map((e) => /"created_at":"(\d{4}-\d{2}-\d{2})/.exec(e.body)?.[1]).filter((d): d is string => Boolean(d)).sort();
  const make = async () => {
    const asked = await requestCertificate(prisma, shop, days[0], days.at(-1)!, new Date());
    if (!asked.ok) throw new Error(asked.message);
    const row = await prisma.completenessCertificate.update({ where: { id: asked.certificate.id }, data: { status: "running", startedAt: new Date() } });
    const config = await provider.forShop(shop);
    return runCertificate({ prisma, admin: admin.forShop(shop), connector: config?.connector ?? null }, row);
  };

  try {
    const clean = await make();
    say(`  Certificate 1: ${summarize(clean).headline}  (${shopify.url}/app/certificates/${clean.id})`);
    const synced = await prisma.orderSync.findMany({ where: { shop, state: "synced", cancelledInShopify: false }, orderBy: { orderName: "asc" }, select: { externalId: true, orderName: true } });
    const [lost, copied] = [synced[1], synced[2]];
    erp.dropOrder(lost.externalId);
    erp.makeDuplicate(copied.externalId);
    say(`  !! the demo ERP loses ${lost.orderName} and someone copies ${copied.orderName} in it`);
    const second = await make();
    say(`  Certificate 2: ${summarize(second).headline}  (${shopify.url}/app/certificates/${second.id})`);
    const exceptions = JSON.parse(second.exceptions) as { kind: string; orderName: string }[];
    return [
      { name: "the first certificate is clean (every order in the ERP once, with Shopify's total)", ok: clean.status === "clean" && clean.shopifyCount > 0 && clean.erpReadBack, detail: summarize(clean).headline ?? clean.message ?? "" },
      {
        name: "the second names exactly the lost and the copied order",
        ok: second.status === "exceptions" && exceptions.length === 2 && exceptions.some((e) => e.kind === "missing_in_erp" && e.orderName === lost.orderName) && exceptions.some((e) => e.kind === "duplicated" && e.orderName === copied.orderName),
        detail: exceptions.map((e) => `${e.kind} ${e.orderName}`).join(", "),
      },
    ];
  } finally {
    provider.dispose();
  }
}
