// Explains one order a chaos run got wrong: everything the app and the fake
// ERP know about it, in time order, so a failing run can be diagnosed from its
// output alone (run.ts prints this for each outdated, missing or duplicated
// order; with --keep the database stays for further queries).
import type { PrismaClient } from "@prisma/client";
import type { ChaosErpServer } from "../../test/support/chaos/chaos-erp-server";

/** What the run planned for one order's webhooks. */
export interface DeliveryPlan {
  createDropped: boolean;
  updated: boolean;
  updateBeforeCreate: boolean;
  duplicatedEventId: string | null;
  /** Refund, edit, cancel events sent right behind the create. */
  lifeEvents: string[];
}

const iso = (d: Date | number | null | undefined) => (d === null || d === undefined ? "-" : new Date(d).toISOString().slice(11, 23));

/** Note and updated_at from a stored REST-shaped payload (without parsing ids). */
function versionOf(payload: string): string {
  const updated = /"updated_at"\s*:\s*"([^"]*)"/.exec(payload)?.[1] ?? "?";
  const note = /"note"\s*:\s*("(?:[^"\\]|\\.)*"|null)/.exec(payload)?.[1] ?? "?";
  return `updated_at ${updated}, note ${note.length > 60 ? `${note.slice(0, 57)}…"` : note}`;
}

export async function explainOrder(
  prisma: PrismaClient,
  erp: ChaosErpServer,
  input: { shop: string; orderId: string; externalId: string; shopifyNote: string | null; shopifyUpdatedAt: string; plan?: DeliveryPlan },
): Promise<string[]> {
  const { shop, orderId, externalId } = input;
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);
  out(`--- ${shop} order ${orderId} (${externalId})`);
  out(`  Shopify now: updated_at ${input.shopifyUpdatedAt}, note ${JSON.stringify(input.shopifyNote)}`);
  if (input.plan) out(`  webhook plan: ${JSON.stringify(input.plan)}`);

  const row = await prisma.orderSync.findUnique({ where: { shop_orderId: { shop, orderId } } });
  if (!row) {
    out("  ledger: no row");
  } else {
    out(
      `  ledger: state ${row.state}, operation ${row.operation}, revision ${row.revision}, createMaybeSent ${row.createMaybeSent}, erpDocumentId ${row.erpDocumentId ?? "-"}`,
    );
    out(`    contentHash ${row.contentHash.slice(0, 12)}  sentHash ${row.sentHash?.slice(0, 12) ?? "-"}  syncedHash ${row.syncedHash?.slice(0, 12) ?? "-"}`);
    out(`    snapshot: ${versionOf(row.snapshot)}; sourceUpdatedAt ${row.sourceUpdatedAt.toISOString()}, sourceTriggeredAt ${row.sourceTriggeredAt?.toISOString() ?? "-"}`);
    out(`    created ${iso(row.createdAt)}, last attempt ${iso(row.lastAttemptAt)}, synced ${iso(row.syncedAt)}, lease ${row.leaseOwner ?? "-"} until ${iso(row.leaseExpiresAt)}`);
  }

  type Event = { at: number; text: string };
  const events: Event[] = [];
  const inbox = await prisma.webhookEvent.findMany({ where: { shop, orderId }, orderBy: { receivedAt: "asc" } });
  for (const e of inbox) {
    events.push({
      at: e.receivedAt.getTime(),
      text: `inbox   ${e.topic} ${e.eventId} triggered ${e.triggeredAt?.toISOString() ?? "-"} → ${e.processResult ?? "unprocessed"} (${versionOf(e.payload)})`,
    });
  }
  if (row) {
    const attempts = await prisma.syncAttempt.findMany({ where: { orderSyncId: row.id }, orderBy: { startedAt: "asc" } });
    for (const a of attempts) {
      events.push({
        at: a.startedAt.getTime(),
        text: `attempt #${a.attemptNumber} ${a.operation} key ${a.idempotencyKey ?? "-"} ${iso(a.startedAt)}–${iso(a.endedAt)} ${a.requestStatus ?? "-"} → ${a.outcome}${a.responseSummary ? ` (${a.responseSummary})` : ""}${a.errorMessage ? ` [${a.errorMessage.slice(0, 80)}]` : ""}`,
      });
    }
    const actions = await prisma.orderAction.findMany({ where: { orderSyncId: row.id }, orderBy: { createdAt: "asc" } });
    for (const a of actions) events.push({ at: a.createdAt.getTime(), text: `action  ${a.action} by ${a.actor}${a.note ? `: ${a.note}` : ""}` });
  }
  for (const j of erp.journal.get(externalId) ?? []) {
    events.push({
      at: j.at,
      text: `erp     ${j.method} ${j.path} fault ${j.fault ?? "-"} → ${j.effect}${j.documentId ? ` doc ${j.documentId}` : ""}${j.note !== undefined ? ` note ${JSON.stringify(j.note)}` : ""}`,
    });
  }
  // Stable sort: same-millisecond events keep their source order.
  events.sort((a, b) => a.at - b.at);
  for (const e of events) out(`  ${iso(e.at)} ${e.text}`);

  const docs = erp.documents.get(externalId) ?? [];
  if (docs.length === 0) out("  ERP: no document");
  for (const d of docs) {
    const lines = ((d.order.lines as Array<{ sku: string | null; quantity: number }>) ?? []).map((l) => `${l.sku ?? "-"}×${l.quantity}`).join(", ");
    out(`  ERP holds doc ${d.documentId}: note ${JSON.stringify(d.order.note ?? null)}, cancelled ${d.cancelled}, lines ${lines}, credit notes ${JSON.stringify(d.refundIds)}`);
  }
  return lines;
}
