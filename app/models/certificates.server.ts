// What the certificate pages show and download: a shop's certificates
// (newest first), the latest one for the dashboard card, one certificate
// with its exceptions (filtered by kind), and the same as CSV and JSON.
// Every query is scoped to the shop; another shop's id reads as not found.
import type { CompletenessCertificate, PrismaClient } from "@prisma/client";
import { stringify } from "csv-stringify/sync";
import { certificateHeadline, EXCEPTION_KIND_WORDS, type CertificateException } from "../certificate/classify";
import { defuseFormula } from "./order-log-csv.server";

export interface CertificateSummary {
  id: string;
  windowStart: string;
  windowEnd: string;
  trigger: string;
  status: string;
  erpReadBack: boolean;
  headline: string | null;
  message: string | null;
  counts: {
    shopify: number;
    shopifyReported: number | null;
    ledger: number;
    skipped: number;
    expectedInErp: number;
    erp: number;
    erpDocuments: number;
    missingInErp: number;
    duplicated: number;
    totalMismatch: number;
    missingInLedger: number;
  };
  finishedAt: string | null;
}

const FINISHED = ["clean", "exceptions"];

export function summarize(row: CompletenessCertificate): CertificateSummary {
  const counts = {
    shopify: row.shopifyCount,
    shopifyReported: row.shopifyReported,
    ledger: row.ledgerCount,
    skipped: row.skippedCount,
    expectedInErp: row.expectedInErp,
    erp: row.erpCount,
    erpDocuments: row.erpDocuments,
    missingInErp: row.missingInErp,
    duplicated: row.duplicated,
    totalMismatch: row.totalMismatch,
    missingInLedger: row.missingInLedger,
  };
  return {
    id: row.id,
    windowStart: row.windowStart.toISOString(),
    windowEnd: row.windowEnd.toISOString(),
    trigger: row.trigger,
    status: row.status,
    erpReadBack: row.erpReadBack,
    headline: FINISHED.includes(row.status) ? certificateHeadline(counts, row.erpReadBack) : null,
    message: row.message,
    counts,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export async function listCertificates(prisma: PrismaClient, shop: string, take = 60): Promise<CertificateSummary[]> {
  const rows = await prisma.completenessCertificate.findMany({ where: { shop }, orderBy: [{ requestedAt: "desc" }], take, omit: { exceptions: true } });
  return rows.map((r) => summarize({ ...r, exceptions: "[]" }));
}

/** The newest finished certificate, and whether one is being made now (the dashboard card). */
export async function latestCertificate(prisma: PrismaClient, shop: string): Promise<{ latest: CertificateSummary | null; inProgress: boolean }> {
  const [latest, inProgress] = await Promise.all([
    prisma.completenessCertificate.findFirst({ where: { shop, status: { in: [...FINISHED, "failed"] } }, orderBy: [{ windowEnd: "desc" }, { finishedAt: "desc" }], omit: { exceptions: true } }),
    prisma.completenessCertificate.count({ where: { shop, status: { in: ["requested", "running"] } } }),
  ]);
  return { latest: latest ? summarize({ ...latest, exceptions: "[]" }) : null, inProgress: inProgress > 0 };
}

export interface CertificateDetail extends CertificateSummary {
  exceptions: (CertificateException & { orderSyncId: string | null })[];
}

/** One certificate of this shop with its exceptions (only `kind` when given); null when not this shop's. */
export async function loadCertificate(prisma: PrismaClient, shop: string, id: string, kind?: string | null): Promise<CertificateDetail | null> {
  const row = await prisma.completenessCertificate.findFirst({ where: { id, shop } });
  if (!row) return null;
  let exceptions = JSON.parse(row.exceptions) as CertificateException[];
  if (kind && kind in EXCEPTION_KIND_WORDS) exceptions = exceptions.filter((e) => e.kind === kind);
  // Link each exception to the order's page in this app, when the app has the order.
  const ledger = await prisma.orderSync.findMany({ where: { shop, orderId: { in: exceptions.map((e) => e.orderId).slice(0, 5000) } }, select: { id: true, orderId: true } });
  const pageOf = new Map(ledger.map((r) => [r.orderId, r.id]));
  return { ...summarize(row), exceptions: exceptions.map((e) => ({ ...e, orderSyncId: pageOf.get(e.orderId) ?? null })) };
}

export function certificateFileName(detail: CertificateSummary, extension: "csv" | "json"): string {
  return `completeness-${detail.windowStart.slice(0, 10)}-to-${new Date(Date.parse(detail.windowEnd) - 1).toISOString().slice(0, 10)}.${extension}`;
}

/** Every exception, one row each; formula-like cells defused (order names come from outside). */
export function certificateCsv(detail: CertificateDetail): string {
  const header = ["Exception", "Order", "Shopify order id", "Created (UTC)", "External id", "App state", "Shopify total", "ERP total", "ERP documents", "What to do"];
  const rows = detail.exceptions.map((e) => [
    EXCEPTION_KIND_WORDS[e.kind],
    e.orderName,
    e.orderId,
    e.createdAt,
    e.externalId ?? "",
    e.ledgerState ?? "",
    e.shopifyTotal ?? "",
    e.erpTotal ?? "",
    e.erpDocuments.map((d) => `${d.documentNumber ?? d.documentId}${d.cancelled ? " (cancelled)" : ""}`).join("; "),
    e.message,
  ].map((v) => defuseFormula(String(v))));
  return stringify([header, ...rows]);
}

/** The certificate as data: counts, window, and every exception with its ERP documents. */
export function certificateJson(detail: CertificateDetail): string {
  const { exceptions, ...rest } = detail;
  return JSON.stringify({ ...rest, exceptions: exceptions.map(({ orderSyncId: _omit, ...e }) => e) }, null, 2);
}
