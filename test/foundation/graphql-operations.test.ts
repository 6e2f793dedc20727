// Every Admin operation the app sends is validated against Shopify's real
// Admin schema for our API version (committed file, see
// app/graphql/SCHEMA_SOURCE.md), including a ban on deprecated fields.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildSchema, NoDeprecatedCustomRule, parse, specifiedRules, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "../../app/graphql/api-version";

const graphqlDir = path.resolve(__dirname, "../../app/graphql");
let schema: GraphQLSchema;

function errorsFor(source: string): string[] {
  return validate(schema, parse(source), [...specifiedRules, NoDeprecatedCustomRule]).map((e) => e.message);
}

async function allOperations(): Promise<[string, string][]> {
  const ops: [string, string][] = [];
  for (const file of readdirSync(graphqlDir).filter((f) => f.endsWith(".ts") && f !== "api-version.ts")) {
    const mod = (await import(path.join(graphqlDir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "string" && value.trimStart().startsWith("#graphql")) ops.push([`${file}:${name}`, value]);
    }
  }
  return ops;
}

beforeAll(() => {
  schema = buildSchema(readFileSync(path.join(graphqlDir, `admin-${ADMIN_API_VERSION}.graphql`), "utf8"));
});

describe("Admin GraphQL operations", () => {
  it("are found in app/graphql (the one place they live)", async () => {
    const names = (await allOperations()).map(([name]) => name);
    expect(names).toContain("shop.ts:SHOP_OVERVIEW_QUERY");
  });

  it("each validate against the committed schema without deprecated fields", async () => {
    for (const [name, source] of await allOperations()) {
      expect({ name, errors: errorsFor(source) }).toEqual({ name, errors: [] });
    }
  });

  it("reject a bogus field (the check is real)", () => {
    expect(errorsFor("query Bogus { shop { name notARealField } }").join()).toMatch(/notARealField/);
  });

  it("reject a deprecated field", () => {
    expect(errorsFor("query Old { shop { plan { displayName } } }").join()).toMatch(/deprecated/);
  });
});
