// The Settings form when what is stored changes under it (a save's
// revalidation landing while the merchant types): untouched parts take the
// stored values, edited parts keep the merchant's input.
import { describe, expect, it } from "vitest";
import { withStoredChanges } from "../../app/routes/app.settings/settings-form";

const form = (logRetentionDays: string, prefix = "shopify-", url = "https://erp.example") => ({
  logRetentionDays,
  externalIdPrefix: prefix,
  values: { url, database: "erp" },
  lists: { includeTags: "" },
});

describe("withStoredChanges", () => {
  it("keeps what the merchant typed after saving when the save's revalidation lands later", () => {
    // Stored 30; saved 45; typed 0 before the page learned that 45 is stored.
    expect(withStoredChanges(form("30"), form("45"), form("0"))).toEqual(form("0"));
  });

  it("takes the stored value for every part the merchant has not edited", () => {
    // Another tab changed the prefix and the ERP address; here only the retention was edited.
    const merged = withStoredChanges(form("30"), form("30", "web-", "https://erp2.example"), form("60"));
    expect(merged).toEqual(form("60", "web-", "https://erp2.example"));
  });

  it("shows what is stored when nothing was edited", () => {
    expect(withStoredChanges(form("30"), form("45"), form("30"))).toEqual(form("45"));
  });

  it("merges inside nested parts: one edited connector field stays, its neighbour follows the stored one", () => {
    const before = form("30");
    const stored = { ...form("30"), values: { url: "https://erp.example", database: "erp-live" } };
    const current = { ...form("30"), values: { url: "https://erp-new.example", database: "erp" } };
    expect(withStoredChanges(before, stored, current).values).toEqual({ url: "https://erp-new.example", database: "erp-live" });
  });
});
