// The published schema of a shipment (docs/shipment-notice.schema.json) and
// the parser the app uses (app/shipments/shipment-notice.ts) agree: every
// example is valid for both, and what one refuses the other refuses.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parseShipmentNotice } from "~/shipments/shipment-notice";

const schema = JSON.parse(readFileSync("docs/shipment-notice.schema.json", "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

describe("shipment notice schema", () => {
  it("accepts its examples, and so does the app", () => {
    for (const example of schema.examples as unknown[]) {
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
      expect(parseShipmentNotice(example).ok).toBe(true);
    }
  });

  it.each([
    ["no lines", { shipmentId: "1", externalId: "x", lines: [] }],
    ["a zero quantity", { shipmentId: "1", externalId: "x", lines: [{ sku: "A", quantity: 0 }] }],
    ["a line with neither lineId nor sku", { shipmentId: "1", externalId: "x", lines: [{ quantity: 1 }] }],
    ["an empty tracking number", { shipmentId: "1", externalId: "x", lines: [{ sku: "A", quantity: 1 }], tracking: [{ number: "" }] }],
    ["no externalId", { shipmentId: "1", lines: [{ sku: "A", quantity: 1 }] }],
  ])("both refuse %s", (_label, value) => {
    expect(validate(value)).toBe(false);
    expect(parseShipmentNotice(value).ok).toBe(false);
  });
});
