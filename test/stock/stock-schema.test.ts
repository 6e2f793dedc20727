// The published stock contract (docs/stock.schema.json) and the app agree:
// every example validates against the schema, the app reads the page and
// location examples through the connector, and accepts the notice example.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genericHttpConnector } from "~/connectors/generic-http";
import { signatureMatches } from "../../app/connectors/generic-http/signed-notice.server";
import { parseStockNotice } from "../../app/stock/stock-notice";
import { ReceivingServer } from "../../testkit/receiving-server";

const schema = JSON.parse(readFileSync("docs/stock.schema.json", "utf8"));
const ajv = addFormats(new Ajv2020({ strict: false }));
ajv.addSchema(schema);
const validate = (def: string, value: unknown) => ajv.validate(`${schema.$id}#/$defs/${def}`, value);

describe("stock contract", () => {
  const server = new ReceivingServer("s3cret-s3cret-s3cret");
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it.each(["locations", "stockPage", "notice"])("%s examples validate against the schema", (def) => {
    for (const example of schema.$defs[def].examples) expect(validate(def, example)).toBe(true);
  });

  it("rejects a fractional quantity in the schema (the app turns it into a problem item)", () => {
    expect(validate("notice", { noticeId: "n", issuedAt: "2026-12-05T09:59:00Z", items: [{ itemNumber: "A", locationId: "W", quantity: 1.5 }] })).toBe(false);
  });

  it("the connector reads the examples and the app accepts the notice example", async () => {
    const [first, last] = schema.$defs.stockPage.examples;
    server.stock = { locations: schema.$defs.locations.examples[0].locations, items: [...first.items, ...last.items], pageSize: 2 };
    const connector = genericHttpConnector.create(genericHttpConnector.parseConfig({ baseUrl: server.url, signingSecret: "s3cret-s3cret-s3cret" }));
    expect(await connector.listLocations!()).toEqual(schema.$defs.locations.examples[0].locations);
    expect((await connector.readStock!({})).records).toEqual([...first.items, ...last.items]);
    const body = Buffer.from(JSON.stringify(schema.$defs.notice.examples[0]));
    const signature = createHmac("sha256", "s3cret-s3cret-s3cret").update(body).digest("base64");
    expect(signatureMatches(body, signature, "s3cret-s3cret-s3cret")).toBe(true);
    expect(parseStockNotice(body, Date.parse("2026-12-05T10:00:00Z"))).toMatchObject({ ok: true });
  });
});
