// Words that must fit where they are shown: a connection test sends no
// order, so it never says "the order will be sent again automatically"; the
// chat webhook's address is not "the ERP address".
import { describe, expect, it } from "vitest";
import { connectionTestWords } from "../../app/models/settings-page.server";
import { webhookWords } from "../../app/alerts/alert-settings.server";
import { checkOutboundUrl } from "../../app/security/url-guard.server";

describe("connection test messages", () => {
  it("replace the order-retry sentence with what to do about the test", () => {
    expect(connectionTestWords("Tryton had a temporary problem (HTTP 503). The order will be sent again automatically.")).toBe(
      "Tryton had a temporary problem (HTTP 503). No order was sent; try the test again in a moment.",
    );
    expect(
      connectionTestWords("Could not reach Tryton (ECONNREFUSED). The order will be sent again automatically; if this lasts, check that Tryton is online and its address in Settings is right."),
    ).toBe("Could not reach Tryton (ECONNREFUSED). No order was sent; try the test again in a moment. If this lasts, check that Tryton is online and its address in Settings is right.");
    expect(connectionTestWords("Tryton did not answer within 15 seconds. The order will be checked and sent again automatically.")).not.toMatch(/order will/);
    expect(connectionTestWords("Signed in, company found.")).toBe("Signed in, company found.");
  });
});

describe("chat webhook refusals", () => {
  it("speak of the chat webhook address, not the ERP address", async () => {
    const verdict = await checkOutboundUrl("https://169.254.169.254/hook", { allowPrivate: false, requireHttps: true });
    expect(verdict.ok).toBe(false);
    const words = webhookWords(verdict.ok ? "" : verdict.message);
    expect(words).toMatch(/^The chat webhook address/);
    expect(words).not.toMatch(/ERP/);
  });
});
