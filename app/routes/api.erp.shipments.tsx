// POST /api/erp/shipments: signed shipment notices pushed by a Generic HTTPS
// JSON ERP (app/shipments/notice-endpoint.server.ts has the rules). Thin: the
// handler does the work; this file only wires the database and the shop's
// connector (which knows the shop's signing secret).
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { createShopConfigProvider, type CachingShopConfigProvider } from "../settings/shop-config-provider.server";
import { handleShipmentNotice } from "../shipments/notice-endpoint.server";

let provider: CachingShopConfigProvider | undefined;

export async function action({ request }: ActionFunctionArgs) {
  provider ??= createShopConfigProvider(db);
  const configs = provider;
  return handleShipmentNotice(request, { prisma: db, connectorFor: async (shop) => (await configs.forShop(shop))?.connector ?? null });
}

export function loader() {
  return new Response("Shipment notices are POST requests.", { status: 405, headers: { Allow: "POST" } });
}
