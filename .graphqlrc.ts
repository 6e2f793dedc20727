// GraphQL codegen: types for every Admin operation in app/graphql/, generated
// from the COMMITTED schema file (no network), with Shopify's codegen preset so
// `admin.graphql(QUERY)` in routes and the worker's client are typed.
import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";

const schema = "./app/graphql/admin-2026-10.graphql";
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
            "./app/types/admin.types.d.ts": { plugins: ["typescript"] },
            "./app/types/admin.generated.d.ts": {
              preset,
              presetConfig: { apiType: ApiType.Admin },
            },
          },
        },
      },
    },
  },
};
