// The per-user request budget (app/connectors/support/request-budget.ts):
// a burst of orders through the Business Central connector stays inside the
// limits a real HTTP server enforces (it answers 429 past them), shops that
// sign in as the same BC user share one budget, a 429 holds that user's
// requests for its Retry-After, and a turn too far away fails at once as
// transient with nothing sent.
import { describe, expect, it } from "vitest";
import { businessCentralConnector } from "~/connectors/business-central";
import { ErpError, type ConnectorLimits } from "~/connectors/port";
import type { HttpResponse } from "~/connectors/http/request";
import { RequestBudget } from "~/connectors/support/request-budget";
import { exampleOrder } from "./support/canonical-order-example";
import { FAKE_COMPANY_ID, FakeBusinessCentral } from "./support/fake-business-central";
import { startFakeBusinessCentralServer, type FakeBusinessCentralServer } from "./support/fake-business-central-server";

const LIMITS = { requestsPerWindow: 40, windowMs: 1_000, maxConcurrent: 4, latencyMs: 5 };

function connectorFor(server: FakeBusinessCentralServer, limits: ConnectorLimits | undefined) {
  return businessCentralConnector.create(
    businessCentralConnector.parseConfig({
      tenantId: "contoso.onmicrosoft.com",
      companyId: FAKE_COMPANY_ID,
      clientId: "11111111-2222-4333-8444-555555555555",
      clientSecret: "client-secret",
      apiBaseUrl: server.apiBaseUrl,
      tokenUrl: server.tokenUrl,
      defaultCustomerNumber: "WEB",
      shippingAccountNumber: "40100",
    }),
    { fetch: globalThis.fetch, limits },
  );
}

/** Most requests the server accepted within any window of `windowMs`. */
function busiestWindow(server: FakeBusinessCentralServer, windowMs: number): number {
  const starts = server.requests.filter((r) => r.status !== 429).map((r) => r.startedAt);
  let most = 0;
  for (let lo = 0, hi = 0; hi < starts.length; hi++) {
    while (starts[hi] - starts[lo] >= windowMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

async function burstOfOrders(limits: ConnectorLimits | undefined) {
  const server = await startFakeBusinessCentralServer(new FakeBusinessCentral(), LIMITS);
  try {
    // Two shops' connectors signing in as the same BC user.
    const shops = [connectorFor(server, limits), connectorFor(server, limits)];
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => shops[i % 2].createOrder(exampleOrder(), { idempotencyKey: `k${i}` })));
    return { server, results };
  } finally {
    await server.stop();
  }
}

describe("request budget per ERP user", () => {
  it("30 orders at once from two shops on one BC user: every request within BC's limits, no 429", async () => {
    const { server, results } = await burstOfOrders({ maxConcurrency: LIMITS.maxConcurrent, requestsPerWindow: LIMITS.requestsPerWindow, windowMs: LIMITS.windowMs });
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(server.tooManyRequests).toBe(0);
    expect(server.maxInFlight).toBeLessThanOrEqual(LIMITS.maxConcurrent);
    expect(busiestWindow(server, LIMITS.windowMs)).toBeLessThanOrEqual(LIMITS.requestsPerWindow);
  });

  it("without the budget the same burst goes over BC's limits (what the budget prevents)", async () => {
    const { server, results } = await burstOfOrders(undefined);
    expect(server.tooManyRequests).toBeGreaterThan(0);
    expect(results.some((r) => r.status === "rejected" && r.reason instanceof ErpError && r.reason.httpStatus === 429)).toBe(true);
  });

  it("after a 429 the user's next request waits for Retry-After", async () => {
    const budget = new RequestBudget({ maxConcurrency: 10, requestsPerWindow: 1_000, windowMs: 1_000 }, "Business Central");
    const answer = (status: number, headers: Record<string, string> = {}): HttpResponse => ({ status, headers: new Headers(headers), bodyText: "" });
    await budget.send(async () => answer(429, { "Retry-After": "1" }));
    const asked = Date.now();
    let sentAt = 0;
    await budget.send(async () => {
      sentAt = Date.now();
      return answer(200);
    });
    expect(sentAt - asked).toBeGreaterThanOrEqual(950);
  });

  it("a turn further away than 20 seconds is not waited for: transient, with when to come back, and nothing sent", async () => {
    const budget = new RequestBudget({ maxConcurrency: 1, requestsPerWindow: 2, windowMs: 60_000 }, "Business Central");
    let sent = 0;
    const send = async (): Promise<HttpResponse> => {
      sent += 1;
      return { status: 200, headers: new Headers(), bodyText: "" };
    };
    await budget.send(send);
    const error = await budget.send(send).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ kind: "transient", outcomeUnknown: false });
    expect((error as ErpError).retryAfterMs).toBeGreaterThan(50_000);
    expect((error as ErpError).userMessage).toMatch(/keeping to Business Central's request limit \(2 requests per 60 seconds\).*sent again automatically/);
    expect(sent).toBe(1);
  });
});
