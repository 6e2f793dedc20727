// The certificate pages' loaders and actions with real session-token
// requests: the list and "Make certificate" (bad dates refused in words),
// the drill-down with its exception filter, the dashboard card's loader,
// the CSV and JSON downloads, and shop scoping (another shop's certificate
// is a 404 everywhere).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, formPost, signedRequests, type RouteModule } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";
import type { CertificateException } from "~/certificate/classify";

const STORE = "certificates-test";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "not-yours.myshopify.com";

let db: TestDatabase;
const routes: Record<string, RouteModule> = {};
let mine: string;
let theirs: string;
let orderPage: string;

const { bearer: request } = signedRequests(STORE);

const exception = (kind: CertificateException["kind"], orderId: string, name: string, extra: Partial<CertificateException> = {}): CertificateException => ({
  kind,
  orderId,
  orderName: name,
  createdAt: "2026-11-24T10:00:00Z",
  externalId: `shopify-${orderId}`,
  ledgerState: "synced",
  shopifyTotal: "52.15",
  erpTotal: null,
  erpDocuments: [],
  message: `fix ${name}`,
  ...extra,
});

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  routes.list = await import("../../app/routes/app.certificates._index/route");
  routes.detail = await import("../../app/routes/app.certificates.$id/route");
  routes.latest = await import("../../app/routes/app.certificates.latest");
  routes.csv = await import("../../app/routes/app.certificates.$id.csv");
  routes.json = await import("../../app/routes/app.certificates.$id.json");
  orderPage = (await db.prisma.orderSync.create({ data: { shop: SHOP, orderId: "9001", orderGid: "gid://shopify/Order/9001", orderName: "#9001", externalId: "shopify-9001", snapshot: "{}", sourceUpdatedAt: new Date() } })).id;
  const window = { windowStart: new Date("2026-11-24T00:00:00Z"), windowEnd: new Date("2026-11-25T00:00:00Z") };
  mine = (
    await db.prisma.completenessCertificate.create({
      data: {
        shop: SHOP,
        ...window,
        trigger: "daily",
        status: "exceptions",
        erpReadBack: true,
        shopifyCount: 1204,
        ledgerCount: 1203,
        expectedInErp: 1203,
        erpCount: 1202,
        erpDocuments: 1203,
        missingInErp: 1,
        duplicated: 1,
        missingInLedger: 1,
        exceptions: JSON.stringify([
          exception("missing_in_erp", "9001", "#9001"),
          exception("duplicated", "9002", "=HYPERLINK(\"x\")", { erpDocuments: [{ documentId: "1", documentNumber: "SO-1", cancelled: false }, { documentId: "2", documentNumber: "SO-2", cancelled: false }] }),
          exception("missing_in_ledger", "9003", "#9003", { externalId: null, ledgerState: null }),
        ]),
        finishedAt: new Date(),
      },
    })
  ).id;
  theirs = (await db.prisma.completenessCertificate.create({ data: { shop: OTHER, ...window, trigger: "daily", status: "exceptions", exceptions: JSON.stringify([exception("duplicated", "7", "#secret-of-another-shop")]) } })).id;
});
afterAll(async () => db.cleanup());

describe("certificate pages", () => {
  it("the dashboard card's loader gives the newest certificate's headline", async () => {
    const data = (await (await callRoute(routes.latest.loader!, await request("/app/certificates/latest"))).json()) as { latest: { id: string; headline: string; status: string } };
    expect(data.latest).toMatchObject({ id: mine, status: "exceptions", headline: "1,204 orders in Shopify, 1,202 in the ERP, 2 missing, 1 duplicated, 0 with a different total" });
  });

  it("lists this shop's certificates only", async () => {
    const data = (await (await callRoute(routes.list.loader!, await request("/app/certificates"))).json()) as { certificates: { id: string }[] };
    expect(data.certificates.map((c) => c.id)).toEqual([mine]);
  });

  it("'Make certificate' asks the worker for a date range, and refuses a reversed range in words", async () => {
    const ok = await callRoute(routes.list.action!, await request("/app/certificates", formPost({ from: "2026-11-01", to: "2026-11-03" })));
    expect(await ok.json()).toMatchObject({ ok: true, message: expect.stringContaining("1 Nov 2026 – 3 Nov 2026") });
    const row = await db.prisma.completenessCertificate.findFirst({ where: { shop: SHOP, trigger: "manual" } });
    expect(row).toMatchObject({ status: "requested", windowStart: new Date("2026-11-01T00:00:00Z"), windowEnd: new Date("2026-11-04T00:00:00Z") });
    const bad = await callRoute(routes.list.action!, await request("/app/certificates", formPost({ from: "2026-11-03", to: "2026-11-01" })));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, message: "The last day must be on or after the first day." });
  });

  it("the drill-down lists every exception with a link to the order's page, and filters by kind", async () => {
    const all = (await (await callRoute(routes.detail.loader!, await request(`/app/certificates/${mine}`), { id: mine })).json()) as { certificate: { exceptions: { kind: string; orderSyncId: string | null }[] } };
    expect(all.certificate.exceptions.map((e) => e.kind)).toEqual(["missing_in_erp", "duplicated", "missing_in_ledger"]);
    expect(all.certificate.exceptions[0].orderSyncId).toBe(orderPage);
    const only = (await (await callRoute(routes.detail.loader!, await request(`/app/certificates/${mine}?kind=duplicated`), { id: mine })).json()) as { certificate: { exceptions: { orderId: string }[] } };
    expect(only.certificate.exceptions.map((e) => e.orderId)).toEqual(["9002"]);
  });

  it("downloads the exceptions as CSV (formulas defused) and the whole certificate as JSON", async () => {
    const csv = await callRoute(routes.csv.loader!, await request(`/app/certificates/${mine}/csv`), { id: mine });
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toBe('attachment; filename="completeness-2026-11-24-to-2026-11-24.csv"');
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("Exception,Order,Shopify order id,Created (UTC),External id,App state,Shopify total,ERP total,ERP documents,What to do");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toContain("SO-1; SO-2");
    const json = await callRoute(routes.json.loader!, await request(`/app/certificates/${mine}/json`), { id: mine });
    const data = (await json.json()) as { counts: { shopify: number }; exceptions: { kind: string; orderSyncId?: string }[] };
    expect(data.counts.shopify).toBe(1204);
    expect(data.exceptions).toHaveLength(3);
    expect(data.exceptions[0]).not.toHaveProperty("orderSyncId");
  });

  it("another shop's certificate is a 404 on every route and its content never shows", async () => {
    for (const route of [routes.detail, routes.csv, routes.json]) {
      const response = await callRoute(route.loader!, await request(`/app/certificates/${theirs}`), { id: theirs });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("secret-of-another-shop");
    }
  });
});
