// The order page's three-way diff and "Apply the difference": reads Shopify
// now (through the page's admin session), the document last sent and the ERP
// document (connector readOrder), compares them (app/sync/order/three-way-diff.ts),
// and queues exactly the writes that make the ERP equal Shopify by setting
// the ledger row up so the engine plans them (a dropped document link →
// create after a look-up; the content no longer in step → update; the
// cancel not done → cancel; a credit note the ERP lacks → refund). The
// ERP's total read back also corrects the row's erpTotal, which the totals
// check on the page compares with Shopify's.
import type { OrderSync, PrismaClient } from "@prisma/client";
import { ErpError } from "../connectors/port";
import type { FetchOrder } from "../sync/delivery/replay";
import { recordOrderSnapshot } from "../sync/intake/intake";
import { jsonArray } from "../sync/ledger/stored-json";
import { parseDocumentSummary } from "../sync/order/document-summary";
import { parseJsonExact } from "../sync/order/exact-json";
import { applyItemNumbers, mapOrder } from "../sync/order/order-mapper";
import type { StoredRefund } from "../sync/order/refund-mapper";
import type { ShopifyRestOrder } from "../sync/order/shopify-rest-order";
import { compareThreeWay, planRepair, type DiffRow, type RepairPlan } from "../sync/order/three-way-diff";
import type { ShopConfigProvider, ShopSyncConfig } from "../sync/shop-config";
import { storableColumns } from "../lib/storable-text";
import { createShopConfigProvider } from "../settings/shop-config-provider.server";

export interface OrderDiffView {
  /** False when a side could not be read: `message` says which and why. */
  available: boolean;
  message: string | null;
  rows: DiffRow[];
  plan: RepairPlan | null;
  erpDocument: { documentNumber: string | null; status: string | null; url: string | null } | null;
}

export interface OrderDiffDeps {
  fetchOrder: FetchOrder;
  /** Defaults to the shop's saved settings, read fresh. */
  configProvider?: ShopConfigProvider;
  now?: Date;
}

interface Computed {
  view: OrderDiffView;
  payload?: unknown;
  row: OrderSync;
}

const unavailable = (message: string): OrderDiffView => ({ available: false, message, rows: [], plan: null, erpDocument: null });

async function withConfig<T>(prisma: PrismaClient, deps: OrderDiffDeps, shop: string, run: (config: ShopSyncConfig | null) => Promise<T>): Promise<T> {
  const provider = deps.configProvider ?? createShopConfigProvider(prisma, { ttlMs: 0 });
  try {
    return await run(await provider.forShop(shop));
  } finally {
    if (!deps.configProvider) (provider as Partial<{ dispose(): void }>).dispose?.();
  }
}

async function compute(prisma: PrismaClient, row: OrderSync, config: ShopSyncConfig | null, deps: OrderDiffDeps): Promise<Computed> {
  const connector = config?.connector;
  if (!connector) return { row, view: unavailable("No ERP is connected yet, so there is nothing to compare with.") };
  if (!connector.readOrder) return { row, view: unavailable(`Your ERP connector (${config!.description?.name ?? "this connector"}) cannot read documents back, so the ERP column cannot be shown.`) };
  let payload: unknown;
  try {
    payload = await deps.fetchOrder(row.shop, row.orderGid);
  } catch {
    return { row, view: unavailable("Shopify could not be asked for the order right now. Try again in a minute.") };
  }
  if (payload === null || payload === undefined) return { row, view: unavailable(`Shopify no longer has order ${row.orderName}. If it was deleted, choose "Skip".`) };
  const raw = (typeof payload === "string" ? parseJsonExact(payload) : payload) as ShopifyRestOrder;
  const mapped = mapOrder(raw, { shop: row.shop, externalIdPrefix: config!.externalIdPrefix, extraRefunds: jsonArray<StoredRefund>(row.refunds) });
  const skus = [...new Set(mapped.lines.map((l) => l.sku).filter((s): s is string => Boolean(s)))];
  const mapping = await config!.lookupItemNumbers(skus);
  const shopify = applyItemNumbers(mapped, mapping, config!.description?.skuFallbackAllowed ?? false);
  let erp;
  try {
    erp = await connector.readOrder({ externalId: row.externalId, documentId: row.erpDocumentId }, { signal: AbortSignal.timeout(20_000) });
  } catch (error) {
    return { row, view: unavailable(`The ERP document could not be read: ${error instanceof ErpError ? error.userMessage : "the ERP did not answer"}`) };
  }
  const rows = compareThreeWay({ shopify, sent: parseDocumentSummary(row.sentDocument), erp, itemNumberOf: (sku) => mapping.get(sku) ?? sku });
  const sendable = shopify.refunds.filter((r) => r.kind === "credit" && r.status === "settled").map((r) => r.refundId);
  let missingRefundIds: string[];
  if (erp && connector.findRefund) {
    missingRefundIds = [];
    for (const id of sendable) if (!(await connector.findRefund(shopify, id, { idempotencyKey: `diff:${row.externalId}:${id}` }))) missingRefundIds.push(id);
  } else {
    const synced = new Set(jsonArray<string>(row.refundsSynced));
    missingRefundIds = sendable.filter((id) => !synced.has(id));
  }
  const plan = planRepair({ shopify, erp, rows, missingRefundIds, editable: erp?.editable });
  // The totals check on the page compares erpTotal with Shopify's: give it what the ERP holds now.
  if (erp && erp.total !== row.erpTotal) await prisma.orderSync.updateMany({ where: { id: row.id, shop: row.shop, leaseToken: null }, data: { erpTotal: erp.total } });
  return {
    row,
    payload,
    view: { available: true, message: null, rows, plan, erpDocument: erp ? { documentNumber: erp.documentNumber ?? erp.documentId, status: erp.status ?? null, url: erp.url ?? null } : null },
  };
}

/** The comparison for one order of this shop; null when the id is not this shop's. */
export async function loadOrderDiff(prisma: PrismaClient, shop: string, id: string, deps: OrderDiffDeps): Promise<OrderDiffView | null> {
  const row = await prisma.orderSync.findFirst({ where: { id, shop } });
  if (!row) return null;
  return withConfig(prisma, deps, shop, async (config) => (await compute(prisma, row, config, deps)).view);
}

/**
 * Compares again (never trusts what the page showed), then queues the writes:
 * Shopify's order is folded in as a fresh snapshot and the row is set up and
 * put back in the queue, with an OrderAction naming the staff member.
 */
export async function applyDifference(prisma: PrismaClient, input: { shop: string; id: string; actor: string } & OrderDiffDeps): Promise<{ ok: boolean; message: string; view: OrderDiffView | null }> {
  const row = await prisma.orderSync.findFirst({ where: { id: input.id, shop: input.shop } });
  if (!row) return { ok: false, message: "Not found in this shop.", view: null };
  return withConfig(prisma, input, input.shop, async (config) => {
    const { view, payload } = await compute(prisma, row, config, input);
    if (!view.available || !view.plan) return { ok: false, message: view.message ?? "The comparison could not be made.", view };
    const plan = view.plan;
    if (plan.refusal) return { ok: false, message: plan.refusal, view };
    if (plan.writes.length === 0) return { ok: true, message: plan.summary, view };
    const now = input.now ?? new Date();
    await recordOrderSnapshot(prisma, { shop: input.shop, source: "refetch", ...(typeof payload === "string" ? { rawBody: payload } : { payload }), observedAt: now });
    const fresh = await prisma.orderSync.findFirstOrThrow({ where: { id: row.id, shop: input.shop } });
    if (fresh.state === "sending" && fresh.leaseExpiresAt && fresh.leaseExpiresAt > now) return { ok: false, message: "This order is being sent right now; compare again in a moment.", view };
    const data: Record<string, unknown> = { state: "pending", nextAttemptAt: now, attemptCount: 0, firstAttemptAt: null, manualSkip: false, skipReason: null, problems: "[]", lastError: null };
    // The write due first, in the engine's order (app/sync/ledger/fold.ts, dueOperation).
    data.operation = (["create", "cancel", "refund", "update"] as const).find((w) => plan.writes.includes(w));
    if (plan.writes.includes("create")) Object.assign(data, { erpDocumentId: null, erpDocumentNumber: null, erpDocumentUrl: null, erpTotal: null, syncedHash: null, createMaybeSent: true });
    if (plan.writes.includes("update")) data.syncedHash = null;
    if (plan.writes.includes("cancel")) data.cancelSynced = false;
    if (plan.writes.includes("refund")) data.refundsSynced = JSON.stringify(jsonArray<string>(fresh.refundsSynced).filter((r) => !plan.refundIds.includes(r)));
    const applied = await prisma.$transaction(async (tx) => {
      const updated = await tx.orderSync.updateMany({ where: { id: row.id, shop: input.shop, revision: fresh.revision, leaseToken: fresh.leaseToken }, data: { ...data, leaseOwner: null, leaseToken: null, leaseExpiresAt: null } });
      if (updated.count === 0) return false;
      await tx.orderAction.create({ data: storableColumns({ shop: input.shop, orderSyncId: row.id, action: "apply_difference", actor: input.actor, note: plan.summary, createdAt: now }) });
      return true;
    });
    if (!applied) return { ok: false, message: "The order changed while you were looking; compare again.", view };
    return { ok: true, message: `${plan.summary.replace('"Apply the difference" will', "Queued: the app will")} Follow it in the history below.`, view };
  });
}
