// States that mean what they say, through the pages' real loaders and actions
// (session tokens as Shopify's admin sends them): "Mark resolved" records who
// and shows "Resolved by <name>" (never "Synced"); a synced order offers no
// "Retry now"; a retry's toast says what happened, including when no worker
// is running; bulk skip needs a reason and can be undone for 10 minutes; a
// check for missed orders that no worker picks up says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_ID } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, formPost, signedRequests, type RouteModule } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";
import { seedLedger } from "./seed";
import { orderPageActions } from "../../app/routes/app.orders.$id/order-page-actions";

const STORE = "states-test";
const SHOP = `${STORE}.myshopify.com`;

let db: TestDatabase;
const routes: Record<string, RouteModule> = {};

const { admin, bearer } = signedRequests(STORE);
async function act(route: "detail" | "list", path: string, entries: [string, string][], params: Record<string, string> = {}) {
  const response = await callRoute(routes[route].action!, await bearer(path, formPost(entries)), params);
  return { status: response.status, body: (await response.json()) as { ok: boolean; message: string; undo?: { ids: string[] } | null } };
}
async function detail(id: string) {
  const response = await callRoute(routes.detail.loader!, await admin(`/app/orders/${id}`), { id });
  return ((await response.json()) as { order: { state: string; shownState: string; resolvedBy: string | null } }).order;
}
const beat = (ageMs: number) =>
  db.prisma.workerHeartbeat.upsert({
    where: { workerId: "w1" },
    create: { workerId: "w1", startedAt: new Date(Date.now() - ageMs), beatAt: new Date(Date.now() - ageMs), inFlight: 0 },
    update: { beatAt: new Date(Date.now() - ageMs) },
  });

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  routes.detail = await import("../../app/routes/app.orders.$id/route");
  routes.list = await import("../../app/routes/app.orders._index/route");
  routes.check = await import("../../app/routes/app.settings.reconciliation");
});
afterAll(async () => db.cleanup());

describe("Mark resolved", () => {
  it("without a known staff name records 'staff' and shows 'Resolved by staff', not Synced", async () => {
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "needs_attention", problems: '["Item OLD-TEE-M does not exist in the ERP."]' }]);
    const { body } = await act("detail", `/app/orders/${row.id}`, [["intent", "mark_resolved"]], { id: row.id });
    expect(body.message).toBe("1 order marked as resolved; the app sends it again only if it changes in Shopify.");
    const order = await detail(row.id);
    expect(order).toMatchObject({ state: "synced", shownState: "resolved", resolvedBy: "staff" });
    // The history still names the user id the session token carried.
    expect(await db.prisma.orderAction.findFirstOrThrow({ where: { orderSyncId: row.id } })).toMatchObject({ action: "mark_resolved", actor: `staff user ${USER_ID}` });
  });

  it("names the staff member when an online session of that user is stored", async () => {
    await db.prisma.session.create({
      data: { id: `online_${SHOP}_${USER_ID}`, shop: SHOP, state: "s", isOnline: true, accessToken: "x", userId: BigInt(USER_ID), firstName: "Ann", lastName: "Lee", email: "ann@example.com" },
    });
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "failed" }]);
    await act("detail", `/app/orders/${row.id}`, [["intent", "mark_resolved"]], { id: row.id });
    expect(await detail(row.id)).toMatchObject({ shownState: "resolved", resolvedBy: "Ann Lee" });
    // A retry clears it: the order is on its way again, no longer "resolved".
    await act("detail", `/app/orders/${row.id}`, [["intent", "retry_now"]], { id: row.id });
    expect(await detail(row.id)).toMatchObject({ state: "pending", shownState: "pending", resolvedBy: null });
    await db.prisma.session.delete({ where: { id: `online_${SHOP}_${USER_ID}` } });
  });

  it("the log's loader shows the resolved row as its own state", async () => {
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "synced", resolvedBy: "Ann Lee", resolvedAt: new Date(), orderName: "#R1" }]);
    const response = await callRoute(routes.list.loader!, await admin("/app/orders?q=%23R1"));
    const data = (await response.json()) as { rows: { id: string; shownState: string; resolvedBy: string }[] };
    expect(data.rows).toEqual([expect.objectContaining({ id: row.id, shownState: "resolved", resolvedBy: "Ann Lee" })]);
  });
});

describe("the order page's buttons follow the state", () => {
  const ui = { pending: "", run: () => undefined, openSkip: () => undefined };
  const labels = (shownState: string) => {
    const a = orderPageActions({ shownState, shopifyAdminUrl: "shopify:admin/orders/1", erpDocumentUrl: null }, ui);
    return [a.primaryAction, ...((a.secondaryActions ?? []) as { content?: string }[])].filter(Boolean).map((x) => (x as { content?: string }).content);
  };
  it("offers no 'Retry now' on synced or resolved orders, only a re-fetch that says what it does", () => {
    expect(labels("synced")).toEqual(["Re-fetch from Shopify", "Open in Shopify admin"]);
    expect(labels("resolved")).toEqual(["Re-fetch from Shopify", "Open in Shopify admin"]);
    expect(labels("sending")).toEqual(["Open in Shopify admin"]);
  });
  it("offers retry, resolve and skip on orders that need a person", () => {
    expect(labels("needs_attention")).toEqual(["Retry now", "Re-fetch from Shopify and retry", "Mark resolved", "Skip", "Open in Shopify admin"]);
    expect(labels("skipped")).toEqual(["Retry now", "Re-fetch from Shopify and retry", "Mark resolved", "Open in Shopify admin"]);
  });
});

describe("a retry's toast says what happened", () => {
  it("with a worker running: back in the queue, sent within seconds", async () => {
    await beat(1_000);
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "failed" }]);
    const { body } = await act("detail", `/app/orders/${row.id}`, [["intent", "retry_now"]], { id: row.id });
    expect(body).toEqual(expect.objectContaining({ ok: true, message: "1 order is back in the queue; the app sends it within a few seconds." }));
  });
  it("with the last worker beat 5 minutes ago: says nothing is sent until a worker runs", async () => {
    await beat(5 * 60_000);
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "failed" }]);
    const { body } = await act("detail", `/app/orders/${row.id}`, [["intent", "retry_now"]], { id: row.id });
    expect(body.message).toContain("Waiting for the worker; no worker has reported for 5 minutes.");
  });
  it("a row a worker is sending right now is reported as busy, not as retried", async () => {
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "sending", leaseToken: "t", leaseExpiresAt: new Date(Date.now() + 60_000) }]);
    const { body } = await act("detail", `/app/orders/${row.id}`, [["intent", "retry_now"]], { id: row.id });
    expect(body).toEqual(expect.objectContaining({ ok: false, message: "1 is being sent right now; try again in a moment." }));
  });
});

describe("bulk skip", () => {
  it("refuses without a reason and changes nothing", async () => {
    const rows = await seedLedger(db.prisma, [{ shop: SHOP, state: "failed" }]);
    const { status, body } = await act("list", "/app/orders", [["intent", "skip"], ["id", rows[0].id]]);
    expect(status).toBe(400);
    expect(body.message).toMatch(/Say why/);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: rows[0].id } })).state).toBe("failed");
  });

  it("skips with the reason, then 'Undo' puts exactly those orders back in the queue", async () => {
    const rows = await seedLedger(db.prisma, [
      { shop: SHOP, state: "failed" },
      { shop: SHOP, state: "needs_attention" },
    ]);
    const ids = rows.map((r) => r.id);
    const { body } = await act("list", "/app/orders", [["intent", "skip"], ["note", "Wholesale orders, entered by hand"], ...ids.map((id): [string, string] => ["id", id])]);
    expect(body.message).toBe("2 orders skipped; they will not be sent to your ERP.");
    expect(body.undo?.ids.sort()).toEqual([...ids].sort());
    const skipped = await db.prisma.orderSync.findMany({ where: { id: { in: ids } } });
    expect(skipped.every((r) => r.state === "skipped" && r.skipReason?.includes("Wholesale orders, entered by hand"))).toBe(true);

    const undone = await act("list", "/app/orders", [["intent", "undo_skip"], ...ids.map((id): [string, string] => ["id", id])]);
    expect(undone.body.message).toMatch(/^2 skipped orders are back in the queue\./);
    const back = await db.prisma.orderSync.findMany({ where: { id: { in: ids } } });
    expect(back.map((r) => r.state)).toEqual(["pending", "pending"]);
    expect(await db.prisma.orderAction.count({ where: { orderSyncId: ids[0], note: "Undo skip" } })).toBe(1);
  });

  it("cannot undo a skip older than 10 minutes", async () => {
    const [row] = await seedLedger(db.prisma, [{ shop: SHOP, state: "skipped", manualSkip: true, orderName: "#OLD" }]);
    await db.prisma.orderAction.create({ data: { shop: SHOP, orderSyncId: row.id, action: "skip", actor: "x", createdAt: new Date(Date.now() - 11 * 60_000) } });
    const { body } = await act("list", "/app/orders", [["intent", "undo_skip"], ["id", row.id]]);
    expect(body.ok).toBe(false);
    expect(body.message).toContain("The skip of #OLD can no longer be undone");
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("skipped");
  });
});

describe("a requested job that no worker starts", () => {
  it("says it waits for the worker and for how long none has reported", async () => {
    await beat(7 * 60_000);
    const response = await callRoute(routes.check.action!, await bearer("/app/settings/reconciliation", { method: "POST", body: JSON.stringify({ intent: "check_now" }), headers: { "Content-Type": "application/json" } }));
    const body = (await response.json()) as { panel: { state: string; summary: string } };
    expect(body.panel).toMatchObject({ state: "requested", summary: expect.stringMatching(/^Waiting for the worker; no worker has reported for 7 minutes\./) });
    await beat(1_000);
    const again = await callRoute(routes.check.loader!, await admin("/app/settings/reconciliation"));
    expect(((await again.json()) as { panel: { summary: string } }).panel.summary).toBe("Check for missed orders requested: it starts within a few seconds.");
  });
});
