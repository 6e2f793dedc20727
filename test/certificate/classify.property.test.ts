// The certificate's verdict checked against a reference model (fast-check):
// for random days of orders — some never received, some skipped by rules,
// some cancelled, some waiting, each with zero to three ERP documents (some
// cancelled, some with another total) — the counts add up, every exception
// is one the model expects and none is missed, and "clean" means exactly
// that every live order is in the ERP once with its total.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErpDocumentSummary } from "~/connectors/port";
import { classifyCertificate, type LedgerFacts, type ShopifyOrderHead } from "~/certificate/classify";

const orderArb = fc.record({
  received: fc.boolean(),
  state: fc.constantFrom("synced", "synced", "synced", "skipped", "needs_attention", "retrying"),
  cancelled: fc.boolean(),
  documents: fc.array(fc.record({ cancelled: fc.boolean(), otherTotal: fc.boolean() }), { maxLength: 3 }),
});

describe("certificate verdict (property-based, against a reference model)", () => {
  it("names exactly the exceptions the model expects and the counts add up", () => {
    fc.assert(
      fc.property(fc.array(orderArb, { maxLength: 40 }), (specs) => {
        const orders: ShopifyOrderHead[] = [];
        const ledger = new Map<string, LedgerFacts>();
        const readBack = new Map<string, ErpDocumentSummary[]>();
        const expected = new Map<string, string>();
        specs.forEach((s, i) => {
          const id = String(1000 + i);
          orders.push({ orderId: id, name: `#${id}`, createdAt: "2026-11-24T10:00:00Z", cancelled: s.cancelled, total: "10.00" });
          if (!s.received) {
            expected.set(id, "missing_in_ledger");
            return;
          }
          ledger.set(id, { orderId: id, externalId: `x-${id}`, state: s.state, shopifyTotal: "10.00", cancelledInShopify: s.cancelled, skipReason: null });
          readBack.set(`x-${id}`, s.documents.map((d, n) => ({ documentId: `${id}-${n}`, total: d.otherTotal ? "9.00" : "10.00", cancelled: d.cancelled })));
          // The reference model, written from the rules in docs/reconciliation.md.
          if (s.state === "skipped") return;
          const live = s.documents.filter((d) => !d.cancelled);
          if (live.length > 1) expected.set(id, "duplicated");
          else if (s.cancelled) return;
          else if (live.length === 0) expected.set(id, "missing_in_erp");
          else if (live[0].otherTotal) expected.set(id, "total_mismatch");
        });
        const verdict = classifyCertificate(orders, ledger, readBack);
        const got = new Map(verdict.exceptions.map((e) => [e.orderId, e.kind as string]));
        expect(got).toEqual(expected);
        const c = verdict.counts;
        expect(c.shopify).toBe(specs.length);
        expect(c.ledger + c.missingInLedger).toBe(c.shopify);
        expect(c.missingInErp + c.duplicated + c.totalMismatch + c.missingInLedger).toBe(verdict.exceptions.length);
        expect(c.erpDocuments).toBeGreaterThanOrEqual(c.erp);
        expect(verdict.clean).toBe(expected.size === 0);
        // Every exception says what to do, in words.
        for (const e of verdict.exceptions) expect(e.message).toMatch(/\.$/);
      }),
      { numRuns: 500 },
    );
  });
});
