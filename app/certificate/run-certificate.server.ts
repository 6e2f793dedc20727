// Computes one stored completeness certificate: lists the orders Shopify
// says were created in the window (Admin API, a page of 250 at a time
// through the cost-aware client, plus Shopify's own ordersCount as a
// cross-check), reads what the ledger holds for them, reads the ERP back by
// external id (the connector batches within the ERP's limits), classifies
// (classify.ts), stores the result and, when it is not clean, alerts on the
// shop's alert channels once.
import type { CompletenessCertificate, PrismaClient } from "@prisma/client";
import { canSendAlerts, sendAlert, type AlertSenders } from "../alerts/alert-check.server";
import { appHomeUrl, type AlertMessage } from "../alerts/alert-message";
import { loadAlertTargets } from "../alerts/alert-settings.server";
import { ErpError, type ErpConnector, type ErpDocumentSummary } from "../connectors/port";
import { CERTIFICATE_ORDERS_COUNT_QUERY, CERTIFICATE_ORDERS_PAGE_QUERY } from "../graphql/certificate";
import type { Logger } from "../logging/logger";
import type { AdminClient } from "../shopify-admin/admin-client";
import type { CertificateOrdersCountQuery, CertificateOrdersPageQuery } from "../types/admin.generated";
import { certificateHeadline, classifyCertificate, type LedgerFacts, type ShopifyOrderHead } from "./classify";

export interface RunCertificateDeps {
  prisma: PrismaClient;
  admin: AdminClient;
  /** null when the shop has no connector set up: only Shopify and the ledger are compared. */
  connector: ErpConnector | null;
  senders?: AlertSenders | null;
  logger?: Logger;
  now?: () => Date;
  signal?: AbortSignal;
  /** Orders per Admin API page (250, Shopify's maximum). */
  pageSize?: number;
  /** Link in the alert (defaults to the app's dashboard in the shop's admin). */
  link?: string;
}

const LEDGER_CHUNK = 250;

/** Shopify search syntax for "created in [from, to)". */
export function createdInWindowQuery(from: Date, to: Date): string {
  return `created_at:>='${from.toISOString()}' created_at:<'${to.toISOString()}'`;
}

export async function listShopifyOrdersInWindow(
  admin: AdminClient,
  from: Date,
  to: Date,
  opts: { pageSize?: number; signal?: AbortSignal; onPage?: (page: ShopifyOrderHead[]) => void } = {},
): Promise<{ orders: ShopifyOrderHead[]; reported: number | null }> {
  const query = createdInWindowQuery(from, to);
  const { data: countData } = await admin.query<CertificateOrdersCountQuery>(CERTIFICATE_ORDERS_COUNT_QUERY, { query }, { signal: opts.signal });
  const orders: ShopifyOrderHead[] = [];
  let after: string | null = null;
  do {
    const { data }: { data: CertificateOrdersPageQuery } = await admin.query<CertificateOrdersPageQuery>(CERTIFICATE_ORDERS_PAGE_QUERY, { first: opts.pageSize ?? 250, after, query }, { signal: opts.signal });
    const page = data.orders.nodes.map((node) => ({
      orderId: node.legacyResourceId,
      name: node.name,
      createdAt: node.createdAt,
      cancelled: node.cancelledAt != null,
      total: node.currentTotalPriceSet?.shopMoney.amount ?? null,
    }));
    orders.push(...page);
    opts.onPage?.(page);
    after = data.orders.pageInfo.hasNextPage ? (data.orders.pageInfo.endCursor ?? null) : null;
  } while (after && !opts.signal?.aborted);
  return { orders, reported: countData.ordersCount?.count ?? null };
}

async function ledgerFacts(prisma: PrismaClient, shop: string, orderIds: string[]): Promise<Map<string, LedgerFacts>> {
  const found = new Map<string, LedgerFacts>();
  for (let i = 0; i < orderIds.length; i += LEDGER_CHUNK) {
    const rows = await prisma.orderSync.findMany({
      where: { shop, orderId: { in: orderIds.slice(i, i + LEDGER_CHUNK) } },
      select: { orderId: true, externalId: true, state: true, shopifyTotal: true, cancelledInShopify: true, skipReason: true },
    });
    for (const row of rows) found.set(row.orderId, row);
  }
  return found;
}

/** Runs a certificate row (claimed as "running" by the caller) to its end: clean, exceptions or failed. */
export async function runCertificate(deps: RunCertificateDeps, row: CompletenessCertificate): Promise<CompletenessCertificate> {
  const { prisma } = deps;
  const now = deps.now ?? (() => new Date());
  try {
    // Each page's ledger rows and ERP read-back run while the next page waits
    // for Shopify's cost points, one page at a time (the ERP's limits hold).
    const connector = deps.connector;
    const ledger = new Map<string, LedgerFacts>();
    const readBack = connector?.readBack ? new Map<string, ErpDocumentSummary[]>() : null;
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    const checkPage = async (page: ShopifyOrderHead[]) => {
      const facts = await ledgerFacts(prisma, row.shop, page.map((o) => o.orderId));
      for (const [id, fact] of facts) ledger.set(id, fact);
      const ids = [...facts.values()].filter((l) => l.state !== "skipped").map((l) => l.externalId);
      if (readBack && ids.length) for (const [id, docs] of await connector!.readBack!(ids, { signal: deps.signal })) readBack.set(id, docs);
    };
    const { orders, reported } = await listShopifyOrdersInWindow(deps.admin, row.windowStart, row.windowEnd, {
      pageSize: deps.pageSize,
      signal: deps.signal,
      onPage: (page) => {
        chain = chain.then(() => (failure ? undefined : checkPage(page))).catch((error: unknown) => void (failure ??= error));
      },
    });
    await chain;
    if (failure) throw failure;
    const verdict = classifyCertificate(orders, ledger, readBack);
    const c = verdict.counts;
    const saved = await prisma.completenessCertificate.update({
      where: { id: row.id },
      data: {
        status: verdict.clean ? "clean" : "exceptions",
        erpReadBack: readBack !== null,
        shopifyReported: reported,
        shopifyCount: c.shopify,
        ledgerCount: c.ledger,
        skippedCount: c.skipped,
        expectedInErp: c.expectedInErp,
        erpCount: c.erp,
        erpDocuments: c.erpDocuments,
        missingInErp: c.missingInErp,
        duplicated: c.duplicated,
        totalMismatch: c.totalMismatch,
        missingInLedger: c.missingInLedger,
        exceptions: JSON.stringify(verdict.exceptions),
        message: reported !== null && reported !== c.shopify ? `Shopify counted ${reported} orders but listed ${c.shopify}; run the certificate again later.` : null,
        finishedAt: now(),
      },
    });
    deps.logger?.info({ shop: row.shop, certificate: row.id, ...c }, "completeness certificate finished");
    if (!verdict.clean) await alertOnce(deps, saved);
    return saved;
  } catch (error) {
    const message =
      error instanceof ErpError
        ? `The ERP could not be read back: ${error.userMessage}`
        : `The certificate could not be made: ${error instanceof Error ? error.message : String(error)}. It is tried again with the next run; use "Make certificate" to try now.`;
    deps.logger?.warn({ shop: row.shop, certificate: row.id, err: error }, "completeness certificate failed");
    return prisma.completenessCertificate.update({ where: { id: row.id }, data: { status: "failed", message, finishedAt: now() } });
  }
}

export function composeCertificateAlert(row: CompletenessCertificate, link: string): AlertMessage {
  const day = `${row.windowStart.toISOString().slice(0, 16).replace("T", " ")} – ${row.windowEnd.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const headline = certificateHeadline(
    { shopify: row.shopifyCount, ledger: row.ledgerCount, skipped: row.skippedCount, expectedInErp: row.expectedInErp, erp: row.erpCount, erpDocuments: row.erpDocuments, missingInErp: row.missingInErp, duplicated: row.duplicated, totalMismatch: row.totalMismatch, missingInLedger: row.missingInLedger },
    row.erpReadBack,
  );
  return {
    subject: `ERP Order Sync: orders of ${row.windowStart.toISOString().slice(0, 10)} are not complete in the ERP`,
    text: `Completeness certificate for ${row.shop}, orders created ${day}: ${headline}.\nOpen the certificate in the app to see each order and what to do: ${link}`,
  };
}

async function alertOnce(deps: RunCertificateDeps, row: CompletenessCertificate): Promise<void> {
  if (!deps.senders) return;
  const targets = await loadAlertTargets(deps.prisma, row.shop);
  if (!targets || !canSendAlerts(targets, deps.senders)) return;
  const claimed = await deps.prisma.completenessCertificate.updateMany({ where: { id: row.id, alertedAt: null }, data: { alertedAt: (deps.now ?? (() => new Date()))() } });
  if (claimed.count === 0) return;
  const link = deps.link ?? `${appHomeUrl(row.shop)}/certificates/${row.id}`;
  const result = await sendAlert(deps.senders, targets, composeCertificateAlert(row, link));
  if (result.delivered.length === 0) await deps.prisma.completenessCertificate.update({ where: { id: row.id }, data: { alertedAt: null } });
  deps.logger?.info({ shop: row.shop, certificate: row.id, delivered: result.delivered, failures: result.failures }, "certificate alert");
}
