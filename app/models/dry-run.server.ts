// Settings' "Preview" (intent=preview): reads the shop's stored orders of the
// last N days, the settings as saved and as proposed (sync rules, order
// reference prefix, ERP choice, one SKU mapping, a SKU mapping CSV), and hands
// both to the pure dry run (app/dry-run/dry-run.ts). It only reads: nothing is
// saved, queued or sent.
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { connectorDefinition } from "../connectors/index";
import { DEFAULT_DRY_RUN_DAYS, skusOf, startDryRun, type DryRunResult, type DryRunSettings, type StoredOrder } from "../dry-run/dry-run";
import { lookupItemNumbers, parseMappingCsv, type CsvRowError } from "../settings/sku-mapping.server";
import { NO_CONNECTOR, parseStoredConfig } from "../settings/shop-settings.server";
import { parseSyncRules, syncRulesSchema } from "../sync/order/sync-rules";

export const MAX_DRY_RUN_DAYS = 90;
const PAGE = 2_000;

export const previewBodySchema = z.object({
  intent: z.literal("preview"),
  days: z.union([z.string(), z.number()]).optional(),
  change: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("settings"),
      connector: z.object({ connectorType: z.string(), values: z.record(z.string(), z.string()).optional() }).passthrough().optional(),
      general: z.object({ externalIdPrefix: z.string() }).passthrough().optional(),
      syncRules: z.unknown().optional(),
    }),
    z.object({ kind: z.literal("sku_upsert"), sku: z.string(), itemNumber: z.string() }),
    z.object({ kind: z.literal("sku_delete"), sku: z.string() }),
    z.object({ kind: z.literal("sku_import"), csv: z.string() }),
  ]),
});
export type PreviewBody = z.infer<typeof previewBodySchema>;
export type SettingsChange = PreviewBody["change"];

export type PreviewResult =
  | { ok: true; message: string; preview: DryRunResult }
  | { ok: false; message: string; errors: CsvRowError[] };

/**
 * The shop's ledger rows for orders placed in the last `days` days (or first
 * seen then, for rows without a placing time), a page at a time: a preview
 * holds one page of snapshots, not the whole window.
 */
export async function* storedOrderPages(prisma: PrismaClient, shop: string, days: number, now = new Date()): AsyncGenerator<StoredOrder[]> {
  const since = new Date(now.getTime() - days * 24 * 60 * 60_000);
  let after: string | undefined;
  for (;;) {
    const page = await prisma.orderSync.findMany({
      where: {
        shop,
        OR: [{ shopifyCreatedAt: { gte: since } }, { shopifyCreatedAt: null, createdAt: { gte: since } }],
        ...(after ? { id: { gt: after } } : {}),
      },
      select: { id: true, orderName: true, state: true, snapshot: true, refunds: true, erpDocumentId: true, createMaybeSent: true, manualSkip: true },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    if (page.length > 0) yield page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].id;
  }
}

interface SavedSettings {
  settings: Omit<DryRunSettings, "itemNumbers">;
  connectorType: string;
  /** Non-secret connector settings as stored. */
  values: Record<string, string>;
}

function fallbackAllowed(connectorType: string): boolean {
  return connectorDefinition(connectorType)?.describe().skuFallbackAllowed ?? true;
}

/** The connector's own view of the document with these (non-secret) settings values, when it has one. */
function erpPreviewOf(connectorType: string, values: Record<string, string>): DryRunSettings["erpPreview"] {
  const definition = connectorDefinition(connectorType);
  if (!definition?.previewDocument) return null;
  return (order) => definition.previewDocument!(order, values);
}

async function savedSettings(prisma: PrismaClient, shop: string): Promise<SavedSettings> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { connectorType: true, externalIdPrefix: true, syncRules: true, connectorConfig: true } });
  const connectorType = row?.connectorType ?? NO_CONNECTOR;
  const values = parseStoredConfig(row?.connectorConfig);
  return {
    connectorType,
    values,
    settings: {
      rules: parseSyncRules(row?.syncRules),
      externalIdPrefix: row?.externalIdPrefix ?? "shopify-",
      skuFallbackAllowed: fallbackAllowed(connectorType),
      connectorConfigured: connectorType !== NO_CONNECTOR,
      erpPreview: erpPreviewOf(connectorType, values),
    },
  };
}

function daysOf(value: string | number | undefined): number {
  const n = Number(value ?? DEFAULT_DRY_RUN_DAYS);
  return Number.isInteger(n) && n >= 1 && n <= MAX_DRY_RUN_DAYS ? n : DEFAULT_DRY_RUN_DAYS;
}

function summary(p: DryRunResult): string {
  if (p.start.count + p.stop.count + p.changed.count === 0) {
    return `No change: the ${p.ordersReplayed} orders of the last ${p.days} days would go to the ERP exactly as before.`;
  }
  const parts = [
    p.start.count ? `${p.start.count} would start syncing` : null,
    p.stop.count ? `${p.stop.count} would stop syncing` : null,
    p.changed.count ? `${p.changed.count} would be sent differently` : null,
  ].filter(Boolean);
  return `Of the ${p.ordersReplayed} orders of the last ${p.days} days, ${parts.join(", ")}. Nothing has been saved yet.`;
}

export async function previewSettingsChange(prisma: PrismaClient, shop: string, body: PreviewBody, now = new Date()): Promise<PreviewResult> {
  const days = daysOf(body.days);
  const change = body.change;
  const saved = await savedSettings(prisma, shop);
  let proposedBase = saved.settings;
  let overrides = new Map<string, string | null>();

  switch (change.kind) {
    case "settings": {
      const rules = change.syncRules === undefined ? saved.settings.rules : syncRulesSchema.safeParse(change.syncRules);
      if ("success" in rules && !rules.success) {
        return { ok: false, message: "The sync rules could not be read. Correct the marked fields, then preview again.", errors: [] };
      }
      const connectorType = change.connector?.connectorType ?? saved.connectorType;
      // The form posts every field (secret ones empty): its non-secret values are what would be saved.
      const values = change.connector?.values ? { ...(connectorType === saved.connectorType ? saved.values : {}), ...change.connector.values } : saved.values;
      proposedBase = {
        rules: "success" in rules ? rules.data : rules,
        externalIdPrefix: change.general?.externalIdPrefix.trim() ?? saved.settings.externalIdPrefix,
        skuFallbackAllowed: fallbackAllowed(connectorType),
        connectorConfigured: connectorType !== NO_CONNECTOR,
        erpPreview: erpPreviewOf(connectorType, values),
      };
      break;
    }
    case "sku_upsert":
      if (!change.sku.trim() || !change.itemNumber.trim()) {
        return { ok: false, message: "Enter the SKU and the item number to preview the mapping.", errors: [] };
      }
      overrides = new Map([[change.sku.trim(), change.itemNumber.trim()]]);
      break;
    case "sku_delete":
      overrides = new Map([[change.sku.trim(), null]]);
      break;
    case "sku_import": {
      const parsed = parseMappingCsv(change.csv);
      if ("errors" in parsed) return { ok: false, message: "The file has problems; nothing was previewed or imported.", errors: parsed.errors.slice(0, 50) };
      overrides = new Map(parsed.rows.map((r) => [r.sku, r.itemNumber]));
      break;
    }
  }

  // Item numbers are looked up for each page's new SKUs; the proposed map is
  // the current one with the change's overrides on top.
  const current = new Map<string, string>();
  const proposed = new Map<string, string>();
  const looked = new Set<string>();
  const run = startDryRun(shop, { ...saved.settings, itemNumbers: current }, { ...proposedBase, itemNumbers: proposed }, { days });
  for await (const rows of storedOrderPages(prisma, shop, days, now)) {
    const fresh = skusOf(rows).filter((sku) => !looked.has(sku));
    for (const sku of fresh) looked.add(sku);
    for (const [sku, itemNumber] of await lookupItemNumbers(prisma, shop, fresh)) {
      current.set(sku, itemNumber);
      if (!overrides.has(sku)) proposed.set(sku, itemNumber);
    }
    for (const [sku, itemNumber] of overrides) {
      if (itemNumber === null) proposed.delete(sku);
      else proposed.set(sku, itemNumber);
    }
    run.add(rows);
  }
  const preview = run.finish();
  return { ok: true, message: summary(preview), preview };
}
