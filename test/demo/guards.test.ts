// Demo mode's refusals: never production, never beyond loopback, never a real shop.
import { describe, expect, it } from "vitest";
import { assertDemoMayRun, DEMO_SHOP, DemoRefusal, isLoopbackHost } from "../../scripts/demo/guards";

describe("demo guards", () => {
  it("runs on loopback for the demo shop outside production", () => {
    for (const host of ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]) {
      expect(() => assertDemoMayRun({ nodeEnv: undefined, host, shop: DEMO_SHOP })).not.toThrow();
    }
  });

  it("refuses NODE_ENV=production and says what to do", () => {
    expect(() => assertDemoMayRun({ nodeEnv: "production", host: "127.0.0.1", shop: DEMO_SHOP })).toThrow(/Unset NODE_ENV/);
  });

  it("refuses to listen on anything but loopback", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.5", "example.com", "10.0.0.1"]) {
      expect(isLoopbackHost(host)).toBe(false);
      expect(() => assertDemoMayRun({ nodeEnv: "development", host, shop: DEMO_SHOP })).toThrow(DemoRefusal);
    }
  });

  it("refuses any shop but its own made-up one", () => {
    expect(() => assertDemoMayRun({ nodeEnv: undefined, host: "127.0.0.1", shop: "real-store.myshopify.com" })).toThrow(DemoRefusal);
  });
});
