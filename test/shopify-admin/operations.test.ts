// Every Admin operation reconciliation and backfill send is valid against
// Shopify's real 2026-10 schema (no deprecated fields), including the bulk
// query once its filter is filled in, and stays under Shopify's 1,000-point
// single-query limit at the page sizes the code uses.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import * as ops from "../../app/graphql/orders";
import { createdBetweenFilter } from "../../app/reconciliation/backfill";
import { queryCost, validateAdminOperation } from "../../testkit/fake-admin-api";

const operations: [string, string][] = Object.entries(ops as Record<string, unknown>).flatMap(([name, value]) =>
  typeof value === "string" && value.startsWith("#graphql") ? [[name, value] as [string, string]] : [],
);

describe("order operations", () => {
  it("are all found", () => {
    expect(operations.map(([n]) => n)).toEqual(expect.arrayContaining(["RECONCILE_ORDERS_PAGE_QUERY", "BULK_ORDERS_FOR_SYNC_QUERY", "ORDER_FOR_SYNC_QUERY"]));
  });

  it.each(operations)("%s validates against the committed schema", (_name, source) => {
    expect(validateAdminOperation(source)).toEqual([]);
  });

  it("the bulk query stays valid with a real filter in it", () => {
    const filter = createdBetweenFilter(new Date("2026-01-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"));
    const query = ops.BULK_ORDERS_FOR_SYNC_QUERY.replace(ops.BULK_ORDERS_FILTER_PLACEHOLDER, JSON.stringify(filter));
    expect(query).toContain("created_at:>='2026-01-01T00:00:00.000Z'");
    expect(validateAdminOperation(query)).toEqual([]);
  });

  it("the validator is real: a wrong field is rejected", () => {
    expect(validateAdminOperation("query X { orders(first: 1) { nodes { id notAField } } }").join()).toMatch(/notAField/);
  });

  it("each query requests at most 1,000 points at the page size used", () => {
    const sizes: Record<string, Record<string, unknown>> = {
      RECONCILE_ORDERS_PAGE_QUERY: { first: 250 },
      ORDERS_FOR_SYNC_PAGE_QUERY: { first: ops.ORDERS_FOR_SYNC_PAGE_SIZE },
      ORDER_LINE_ITEMS_PAGE_QUERY: { first: 50 },
    };
    for (const [name, source] of operations) {
      const cost = queryCost(parse(source), sizes[name] ?? {});
      expect({ name, ok: cost <= 1000 }).toEqual({ name, ok: true });
    }
  });
});
