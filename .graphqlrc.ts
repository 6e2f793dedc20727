// GraphQL codegen: types for every Admin operation in app/graphql/, generated
// from the COMMITTED schema file (no network), with Shopify's codegen preset so
// `admin.graphql(QUERY)` in routes and the worker's client are typed.
import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";

const schema = "./app/graphql/admin-2026-10.graphql";

/**
 * The Admin API's custom scalars as they arrive in JSON: every one but JSON is
 * a string (money and decimals too: the app never turns them into floats).
 * Enums become string unions, which is what a response holds.
 */
const typesConfig = {
  enumsAsTypes: true,
  scalars: Object.fromEntries(
    ["ARN", "BigInt", "Color", "Date", "DateTime", "Decimal", "FormattedString", "HTML", "Money", "StorefrontID", "URL", "UnsignedInt64", "UtcOffset"].map(
      (name) => [name, "string"],
    ),
  ),
};
const documents = ["./app/graphql/**/*.ts"];

export default {
  schema,
  documents,
  projects: {
    default: {
      schema,
      documents,
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            "./app/types/admin.types.d.ts": { plugins: ["typescript"], config: typesConfig },
            "./app/types/admin.generated.d.ts": {
              preset,
              presetConfig: { apiType: ApiType.Admin },
              // Operations name the fragment types they spread instead of repeating their fields.
              config: { inlineFragmentTypes: "combine" },
            },
          },
        },
      },
    },
  },
};
