// Which shops the background jobs work for: installed (an offline session to
// call Shopify with, not marked uninstalled) and with an ERP connector chosen.
// A shop without a connector has nowhere to send orders yet, so checking it
// for missed orders or alerting about its backlog would only make noise.
import type { PrismaClient } from "@prisma/client";
import { NO_CONNECTOR } from "../settings/shop-settings.server";

export async function listSyncingShops(prisma: PrismaClient): Promise<string[]> {
  const sessions = await prisma.session.findMany({ where: { isOnline: false }, select: { shop: true }, distinct: ["shop"] });
  if (sessions.length === 0) return [];
  const settings = await prisma.shopSettings.findMany({
    where: { shop: { in: sessions.map((s) => s.shop) }, uninstalledAt: null, connectorType: { not: NO_CONNECTOR } },
    select: { shop: true },
    orderBy: { shop: "asc" },
  });
  return settings.map((s) => s.shop);
}

/** Plain words for a "check now" that cannot run. */
export const NOT_SYNCING_MESSAGE =
  "The check for missed orders did not run because no ERP is connected (or the app is not installed). Connect your ERP in Settings, then check again.";
