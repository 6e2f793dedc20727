// A small connector definition for settings tests: one URL, a required API
// key, an optional password shown only for "basic" sign-in, and limit fields.
// Offered next to the real connectors (withFakeConnector), under its own type.
import { z } from "zod";
import type { ConnectorDeps, ConnectorDefinition, ErpConnector } from "~/connectors/port";
import { CONNECTORS, type ConnectorCatalog } from "~/connectors/index";
import { parseConnectorConfig } from "~/connectors/support/parse-config";

export const FAKE_TYPE = "fake-erp";

const schema = z.object({
  baseUrl: z.string({ error: "Enter the ERP address." }),
  apiKey: z.string({ error: "Enter the API key." }).min(8, "The API key has at least 8 characters."),
  signIn: z.enum(["key", "basic"]).default("key"),
  password: z.string().optional(),
  maxConcurrency: z.coerce.number().int().positive().optional(),
  requestsPerWindow: z.coerce.number().int().positive().optional(),
});
export type FakeConfig = z.output<typeof schema>;

export interface FakeConnector extends ErpConnector {
  config: FakeConfig;
  deps: ConnectorDeps | undefined;
}

export const created: FakeConnector[] = [];

export const fakeDefinition: ConnectorDefinition<FakeConfig> = {
  describe: () => ({
    type: FAKE_TYPE,
    name: "Fake ERP",
    description: "For tests.",
    fields: [
      { key: "baseUrl", label: "ERP address", type: "url", secret: false, required: true },
      { key: "apiKey", label: "API key", type: "password", secret: true, required: true },
      {
        key: "signIn",
        label: "Sign-in",
        type: "select",
        secret: false,
        required: true,
        defaultValue: "key",
        options: [
          { label: "Key", value: "key" },
          { label: "Basic", value: "basic" },
        ],
      },
      { key: "password", label: "Password", type: "password", secret: true, required: false, visibleWhen: { key: "signIn", values: ["basic"] } },
      { key: "maxConcurrency", label: "Parallel requests", type: "number", secret: false, required: false },
      { key: "requestsPerWindow", label: "Requests per minute", type: "number", secret: false, required: false },
    ],
    defaultLimits: { maxConcurrency: 2, requestsPerWindow: 30, windowMs: 60_000 },
    skuFallbackAllowed: false,
  }),
  parseConfig: (raw) => parseConnectorConfig(schema, raw),
  create: (config, deps) => {
    const notUsed = async () => {
      throw new Error("not used in settings tests");
    };
    const connector: FakeConnector = {
      config,
      deps,
      testConnection: async () => ({ ok: true, message: "ok" }),
      findOrder: notUsed,
      createOrder: notUsed,
      updateOrder: notUsed,
      cancelOrder: notUsed,
      recordRefund: notUsed,
    };
    created.push(connector);
    return connector;
  },
};

/** The app's connectors plus the fake one: pass as `connectors` to the settings code. */
export const withFakeConnector: ConnectorCatalog = { ...CONNECTORS, [FAKE_TYPE]: fakeDefinition };
