// Shopify's global ids: the numeric part is kept exact (ids pass 2^53), and
// anything that is not a Shopify gid reads as nothing rather than a wrong id.
import { describe, expect, it } from "vitest";
import { gidFor, legacyIdFromGid, parseGid } from "~/lib/shopify-gid";
import { legacyOrderId } from "~/models/order-ids";

describe("Shopify gids", () => {
  it("reads type and exact id, and writes them back", () => {
    expect(parseGid("gid://shopify/Order/820982911946154508")).toEqual({ type: "Order", id: "820982911946154508" });
    expect(parseGid("gid://shopify/LineItem/1?from=bulk")).toEqual({ type: "LineItem", id: "1" });
    expect(gidFor("Order", "820982911946154508")).toBe("gid://shopify/Order/820982911946154508");
    expect(legacyIdFromGid(gidFor("Refund", "42"))).toBe("42");
  });

  it("refuses what is not a Shopify gid", () => {
    for (const value of [undefined, null, 42, "", "820982911946154508", "gid://other/Order/1", "gid://shopify/Order/", "gid://shopify/Order/12a"]) {
      expect(parseGid(value), String(value)).toBeNull();
    }
  });

  it("order ids from the admin: the legacy id or an Order gid, nothing else", () => {
    expect(legacyOrderId("123")).toBe("123");
    expect(legacyOrderId(encodeURIComponent("gid://shopify/Order/820982911946154508"))).toBe("820982911946154508");
    expect(legacyOrderId("gid://shopify/Product/123")).toBeNull();
    expect(legacyOrderId("12x")).toBeNull();
    expect(legacyOrderId("")).toBeNull();
  });
});
