// Every Admin operation reconciliation and backfill send is valid against
// Shopify's real 2026-10 schema (no deprecated fields), including the bulk
// query once its filter is filled in, and stays under Shopify's 1,000-point
// single-query limit at the page sizes the code uses.
import { Kind, parse, visit, type SelectionSetNode } from "graphql";
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

  it("the bulk query is sent without fragments, with the same order, line, shipping and discount fields as the paged query", () => {
    const bulk = parse(ops.BULK_ORDERS_FOR_SYNC_QUERY);
    let fragments = 0;
    visit(bulk, { FragmentSpread: () => void fragments++, FragmentDefinition: () => void fragments++ });
    expect(fragments).toBe(0);
    // Leaf field paths under the order, with connection wrappers (edges/node, nodes, pageInfo) left out.
    const paths = (set: SelectionSetNode | undefined, prefix: string, fragments: Map<string, SelectionSetNode>): string[] =>
      (set?.selections ?? []).flatMap((s) => {
        if (s.kind === Kind.FRAGMENT_SPREAD) return paths(fragments.get(s.name.value), prefix, fragments);
        if (s.kind === Kind.INLINE_FRAGMENT) return paths(s.selectionSet, `${prefix}(${s.typeCondition?.name.value})`, fragments);
        const name = s.name.value;
        if (name === "pageInfo") return [];
        if (["edges", "node", "nodes"].includes(name)) return paths(s.selectionSet, prefix, fragments);
        return s.selectionSet ? paths(s.selectionSet, `${prefix}${name}.`, fragments) : [`${prefix}${name}`];
      });
    const orderPaths = (source: string) => {
      const doc = parse(source);
      const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
      const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
      const root = operation.selectionSet.selections[0];
      return paths(root.kind === Kind.FIELD ? root.selectionSet : undefined, "", fragments).sort();
    };
    expect(orderPaths(ops.BULK_ORDERS_FOR_SYNC_QUERY)).toEqual(orderPaths(ops.ORDERS_FOR_SYNC_PAGE_QUERY));
  });

  it("the paged order query fetches ORDER_LINE_ITEMS_INLINE line items with the order", () => {
    expect(ops.ORDER_FOR_SYNC_QUERY).toContain(`lineItems(first: ${ops.ORDER_LINE_ITEMS_INLINE})`);
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
