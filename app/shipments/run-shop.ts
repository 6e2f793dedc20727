// One shipment round for one shop, the job's unit of work (app/jobs/shipments-job.ts):
// 1. the shop must own shipments in the ERP (ShopSettings.shipmentsOwner = "erp");
// 2. the fulfilment scopes (optional scopes the merchant grants when turning
//    this on) are checked before every run: without them nothing is read or
//    written, and the Shipments page says what to approve;
// 3. the ERP's shipments since the cursor are read (when the connector can)
//    and stored once each; shipments the ERP lists but the app cannot read are
//    reported, not lost;
// 4. due shipments are worked (app/shipments/engine.ts).
import type { PrismaClient } from "@prisma/client";
import { ErpError, type ErpConnector } from "../connectors/port";
import { isAdminApiError } from "../shopify-admin/errors";
import { processDueShipments, recordShipments, type ProcessSummary, type ShipmentEngineOptions } from "./engine";
import { missingFulfillmentScopes, type FulfillmentPort } from "./shopify-fulfillments";
import type { ErpShipment } from "./types";

export interface ShopRoundResult {
  shop: string;
  skipped?: "not-owner" | "missing-scopes" | "no-connector";
  read: number;
  recorded: number;
  rejected: number;
  processed?: ProcessSummary;
  problem: string | null;
}

export interface ShopRoundOptions {
  prisma: PrismaClient;
  shop: string;
  connector: ErpConnector | null;
  /** The shop's external id prefix: shipments of ERP sales without it are not the app's and are left alone. */
  externalIdPrefix?: string;
  port: FulfillmentPort;
  now?: () => Date;
  /** Read the ERP only when the last read is older than this (notices are worked every round). */
  readEveryMs?: number;
  /** Pages read per round at most (a long backlog continues next round). */
  maxPages?: number;
  engine?: Partial<ShipmentEngineOptions>;
  signal?: AbortSignal;
}

export const MISSING_SCOPES_MESSAGE =
  "Shopify has not given the app permission to create fulfilments yet, so ERP shipments wait. Open Settings → Who owns what → Shipments and tracking, and approve the permissions Shopify asks for.";

/**
 * ERPs name items by their own item numbers; where the shop maps a SKU to an
 * item number (Settings → SKU mapping), a shipped item number is turned back
 * into the Shopify SKU so the planner can match it (only when exactly one SKU
 * maps to it).
 */
async function withShopifySkus(prisma: PrismaClient, shop: string, shipments: ErpShipment[]): Promise<ErpShipment[]> {
  const numbers = [...new Set(shipments.flatMap((s) => s.lines.filter((l) => !l.lineId && l.sku).map((l) => l.sku!)))];
  if (numbers.length === 0) return shipments;
  const mappings = await prisma.skuMapping.findMany({ where: { shop, itemNumber: { in: numbers } }, select: { sku: true, itemNumber: true } });
  const skusOf = new Map<string, string[]>();
  for (const m of mappings) skusOf.set(m.itemNumber, [...(skusOf.get(m.itemNumber) ?? []), m.sku]);
  const back = (n: string) => (skusOf.get(n)?.length === 1 ? skusOf.get(n)![0] : n);
  return shipments.map((s) => ({ ...s, lines: s.lines.map((l) => (!l.lineId && l.sku ? { ...l, sku: back(l.sku) } : l)) }));
}

export async function runShipmentsForShop(o: ShopRoundOptions): Promise<ShopRoundResult> {
  const now = o.now ?? (() => new Date());
  const result: ShopRoundResult = { shop: o.shop, read: 0, recorded: 0, rejected: 0, problem: null };
  const settings = await o.prisma.shopSettings.findUnique({ where: { shop: o.shop }, select: { shipmentsOwner: true, shipmentsNotifyCustomer: true, uninstalledAt: true } });
  if (!settings || settings.uninstalledAt || settings.shipmentsOwner !== "erp") return { ...result, skipped: "not-owner" };

  const cursor = await o.prisma.shipmentCursor.upsert({ where: { shop: o.shop }, update: {}, create: { shop: o.shop } });
  const problems: string[] = [];
  try {
    const missing = missingFulfillmentScopes(await o.port.grantedScopes());
    if (missing.length) {
      await o.prisma.shipmentCursor.update({ where: { shop: o.shop }, data: { lastRunAt: now(), lastError: `${MISSING_SCOPES_MESSAGE} (missing: ${missing.join(", ")})` } });
      return { ...result, skipped: "missing-scopes", problem: MISSING_SCOPES_MESSAGE };
    }
  } catch (error) {
    const message = isAdminApiError(error) ? error.userMessage : "The app could not ask Shopify which permissions it has; it will try again.";
    await o.prisma.shipmentCursor.update({ where: { shop: o.shop }, data: { lastRunAt: now(), lastError: message } });
    return { ...result, skipped: "missing-scopes", problem: message };
  }

  let since = cursor.since;
  let lastReadAt = cursor.lastReadAt;
  const readDue = !cursor.lastReadAt || now().getTime() - cursor.lastReadAt.getTime() >= (o.readEveryMs ?? 5 * 60_000);
  if (o.connector?.readShipments && readDue) {
    try {
      for (let page = 0; page < (o.maxPages ?? 10); page++) {
        const read = await o.connector.readShipments(since, { signal: o.signal });
        result.read += read.shipments.length;
        result.rejected += read.rejected.length;
        const ours = o.externalIdPrefix ? read.shipments.filter((s) => s.externalId.startsWith(o.externalIdPrefix!)) : read.shipments;
        const stored = await recordShipments(o.prisma, o.shop, await withShopifySkus(o.prisma, o.shop, ours), now());
        result.recorded += stored.added + stored.updated;
        for (const r of read.rejected.slice(0, 3)) problems.push(`The ERP listed shipment ${r.shipmentId ?? "(no id)"} in a form the app cannot read: ${r.problems.join("; ")}.`);
        const moved = read.next !== null && read.next !== since;
        if (read.next !== null) since = read.next;
        if (!moved || read.shipments.length + read.rejected.length === 0) break;
      }
      lastReadAt = now();
    } catch (error) {
      problems.push(error instanceof ErpError ? error.userMessage : "Reading shipments from the ERP failed unexpectedly; the app will try again.");
    }
  } else if (!o.connector?.readShipments) {
    result.skipped = "no-connector";
    problems.push("The connected ERP cannot report shipments to the app, so no fulfilments are created. Choose an ERP connection that supports shipments, or let Shopify own shipments.");
  }

  result.processed = await processDueShipments({
    prisma: o.prisma,
    shop: o.shop,
    port: o.port,
    notifyCustomer: settings.shipmentsNotifyCustomer,
    now,
    ...o.engine,
  });
  result.problem = problems.join(" ") || null;
  await o.prisma.shipmentCursor.update({ where: { shop: o.shop }, data: { since, lastReadAt, lastRunAt: now(), lastError: result.problem } });
  return result;
}
