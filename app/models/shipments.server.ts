// Data for the shipment pages and the settings card: the shipment ledger of
// one shop (every query scoped to it), counts by state, an order's shipments,
// and the "who owns shipments" choice. Staff actions (Retry, Mark resolved)
// are recorded on the row.
import type { PrismaClient } from "@prisma/client";
import { retryShipment } from "../shipments/engine";
import { SHIPMENT_STATES, type ShipmentState } from "../shipments/states";
import { REQUIRED_FULFILLMENT_SCOPES } from "../shipments/shopify-fulfillments";
import { createShopConfigProvider } from "../settings/shop-config-provider.server";

export const SHIPMENTS_OWNERS = ["shopify", "erp"] as const;
export type ShipmentsOwner = (typeof SHIPMENTS_OWNERS)[number];

/** Asked for when the merchant lets the ERP own shipments (shopify.app.toml optional_scopes). */
export const FULFILLMENT_SCOPES_TO_REQUEST = [
  ...REQUIRED_FULFILLMENT_SCOPES,
  "read_third_party_fulfillment_orders",
  "write_third_party_fulfillment_orders",
] as const;

export interface ShipmentRowView {
  id: string;
  shipmentId: string;
  documentNumber: string | null;
  orderId: string | null;
  orderName: string;
  externalId: string;
  state: ShipmentState;
  trackingNumbers: string;
  fulfillmentName: string | null;
  shippedAt: string | null;
  syncedAt: string | null;
  receivedAt: string;
  attemptCount: number;
  lastError: string | null;
}

function view(r: {
  id: string;
  shipmentId: string;
  documentNumber: string | null;
  orderId: string | null;
  orderName: string;
  externalId: string;
  state: string;
  trackingNumbers: string;
  fulfillmentName: string | null;
  shippedAt: Date | null;
  syncedAt: Date | null;
  receivedAt: Date;
  attemptCount: number;
  lastError: string | null;
}): ShipmentRowView {
  return {
    ...r,
    state: r.state as ShipmentState,
    shippedAt: r.shippedAt?.toISOString() ?? null,
    syncedAt: r.syncedAt?.toISOString() ?? null,
    receivedAt: r.receivedAt.toISOString(),
  };
}

const SELECT = {
  id: true,
  shipmentId: true,
  documentNumber: true,
  orderId: true,
  orderName: true,
  externalId: true,
  state: true,
  trackingNumbers: true,
  fulfillmentName: true,
  shippedAt: true,
  syncedAt: true,
  receivedAt: true,
  attemptCount: true,
  lastError: true,
} as const;

export async function shipmentCounts(prisma: PrismaClient, shop: string): Promise<Record<ShipmentState, number>> {
  const groups = await prisma.shipmentSync.groupBy({ by: ["state"], where: { shop }, _count: { _all: true } });
  const counts = Object.fromEntries(SHIPMENT_STATES.map((s) => [s, 0])) as Record<ShipmentState, number>;
  for (const g of groups) if (g.state in counts) counts[g.state as ShipmentState] = g._count._all;
  return counts;
}

export async function listShipments(prisma: PrismaClient, shop: string, options: { state?: string | null; limit?: number } = {}): Promise<ShipmentRowView[]> {
  const state = options.state && (SHIPMENT_STATES as readonly string[]).includes(options.state) ? options.state : undefined;
  const rows = await prisma.shipmentSync.findMany({
    where: { shop, ...(state ? { state } : {}) },
    orderBy: { receivedAt: "desc" },
    take: Math.min(options.limit ?? 100, 500),
    select: SELECT,
  });
  return rows.map(view);
}

export async function shipmentsOfOrder(prisma: PrismaClient, shop: string, orderId: string): Promise<ShipmentRowView[]> {
  const rows = await prisma.shipmentSync.findMany({ where: { shop, orderId }, orderBy: { receivedAt: "asc" }, select: SELECT });
  return rows.map(view);
}

export interface ShipmentsPageStatus {
  owner: ShipmentsOwner;
  lastRunAt: string | null;
  lastError: string | null;
}

export async function shipmentsStatus(prisma: PrismaClient, shop: string): Promise<ShipmentsPageStatus> {
  const [settings, cursor] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { shop }, select: { shipmentsOwner: true } }),
    prisma.shipmentCursor.findUnique({ where: { shop } }),
  ]);
  return {
    owner: settings?.shipmentsOwner === "erp" ? "erp" : "shopify",
    lastRunAt: cursor?.lastRunAt?.toISOString() ?? null,
    lastError: cursor?.lastError ?? null,
  };
}

/** Staff actions on one shipment: "retry" sends (or looks up) again now; "resolve" takes it off the list of problems. */
export async function shipmentAction(prisma: PrismaClient, shop: string, id: string, action: string): Promise<{ ok: boolean; message: string }> {
  if (action === "retry") {
    return (await retryShipment(prisma, shop, id))
      ? { ok: true, message: "The shipment will be sent to Shopify again within a minute." }
      : { ok: false, message: "Only a shipment that needs attention or is retrying can be retried." };
  }
  if (action === "resolve") {
    const n = await prisma.shipmentSync.updateMany({
      where: { id, shop, state: "needs_attention" },
      data: { state: "synced", lastError: "Marked resolved by staff: no fulfilment was created by the app.", syncedAt: new Date() },
    });
    return n.count ? { ok: true, message: "Marked resolved." } : { ok: false, message: "Only a shipment that needs attention can be marked resolved." };
  }
  return { ok: false, message: "Unknown action." };
}

export interface ShipmentsCardData {
  owner: ShipmentsOwner;
  notifyCustomer: boolean;
  /** Whether the shop's ERP connection can report shipments (pull or signed notices). */
  connectorSupports: boolean | null;
  connectorName: string | null;
  lastRunAt: string | null;
  lastError: string | null;
  scopes: readonly string[];
}

export async function loadShipmentsCard(prisma: PrismaClient, shop: string): Promise<ShipmentsCardData> {
  const status = await shipmentsStatus(prisma, shop);
  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { shipmentsNotifyCustomer: true } });
  let connectorSupports: boolean | null = null;
  let connectorName: string | null = null;
  const provider = createShopConfigProvider(prisma, { ttlMs: 0 });
  try {
    const config = await provider.forShop(shop);
    if (config?.connector) {
      connectorName = config.description?.name ?? null;
      connectorSupports = Boolean(config.connector.readShipments);
    }
  } catch {
    connectorSupports = null; // settings unreadable: the connection card says why
  } finally {
    provider.dispose();
  }
  return { ...status, notifyCustomer: settings?.shipmentsNotifyCustomer ?? true, connectorSupports, connectorName, scopes: FULFILLMENT_SCOPES_TO_REQUEST };
}

export async function saveShipmentsCard(prisma: PrismaClient, shop: string, body: unknown): Promise<{ ok: boolean; message: string }> {
  const b = (body ?? {}) as { owner?: unknown; notifyCustomer?: unknown };
  if (!SHIPMENTS_OWNERS.includes(b.owner as ShipmentsOwner) || typeof b.notifyCustomer !== "boolean") {
    return { ok: false, message: "The choice could not be read. Reload the page and choose again." };
  }
  const data = { shipmentsOwner: b.owner as ShipmentsOwner, shipmentsNotifyCustomer: b.notifyCustomer };
  await prisma.shopSettings.upsert({ where: { shop }, update: data, create: { shop, ...data } });
  return {
    ok: true,
    message: b.owner === "erp" ? "Saved: ERP shipments now become Shopify fulfilments." : "Saved: Shopify owns shipments; the app creates no fulfilments.",
  };
}
