// sendOnce: a mutation without an idempotency key (fulfillmentCreate) is not
// repeated by the Admin client after a network failure or a 5xx, because
// Shopify may have carried it out; the caller gets outcomeUnknown and looks up
// first. THROTTLED is still waited out and retried: Shopify ran nothing.
import { describe, expect, it } from "vitest";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import { FULFILLMENT_CREATE_MUTATION } from "../../app/graphql/fulfillments";
import { isAdminApiError } from "../../app/shopify-admin/errors";
import { FakeAdminApi } from "../../testkit/fake-admin-api";
import { losingAnswers } from "../../testkit/fake-admin/fulfillments";
import { createVirtualClock } from "../../testkit/virtual-clock";

function setUp(lose: () => boolean) {
  const clock = createVirtualClock();
  const fake = new FakeAdminApi({ clock, scopes: ["read_orders", "write_merchant_managed_fulfillment_orders"] });
  const [order] = fake.seed({ count: 1 });
  const [fo] = fake.fulfillments.setUp(order);
  const api = new ShopifyAdminApi({
    getAccessToken: async () => fake.accessToken,
    refreshAccessToken: async () => fake.accessToken,
    fetch: losingAnswers(fake.fetch, lose),
    clock,
    random: () => 0.5,
  });
  const input = { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems[0].id, quantity: 1 }] }], notifyCustomer: false };
  return { fake, client: api.forShop(fake.shop), input };
}

describe("Admin client sendOnce", () => {
  it("does not repeat a mutation whose answer was lost, and says the outcome is unknown", async () => {
    let lost = 0;
    const { fake, client, input } = setUp(() => lost++ === 0);
    const error = await client.query(FULFILLMENT_CREATE_MUTATION, { fulfillment: input }, { sendOnce: true }).catch((e: unknown) => e);
    expect(isAdminApiError(error, "NETWORK") && error.outcomeUnknown).toBe(true);
    expect(fake.fulfillments.calls).toHaveLength(1); // carried out once, not repeated
  });

  it("without sendOnce the same lost answer is retried (why the flag matters)", async () => {
    let lost = 0;
    const { fake, client, input } = setUp(() => lost++ === 0);
    await client.query(FULFILLMENT_CREATE_MUTATION, { fulfillment: input });
    expect(fake.fulfillments.created).toHaveLength(2);
  });

  it("does not repeat after a 5xx either, but still waits out THROTTLED", async () => {
    const a = setUp(() => false);
    a.fake.failNext(1, 502);
    const error = await a.client.query(FULFILLMENT_CREATE_MUTATION, { fulfillment: a.input }, { sendOnce: true }).catch((e: unknown) => e);
    expect(isAdminApiError(error, "SERVER_ERROR") && error.outcomeUnknown).toBe(true);
    const b = setUp(() => false);
    b.fake.drain(995);
    await b.client.query(FULFILLMENT_CREATE_MUTATION, { fulfillment: b.input }, { sendOnce: true });
    expect(b.fake.throttledCount).toBeGreaterThan(0);
    expect(b.fake.fulfillments.created).toHaveLength(1);
  });
});
