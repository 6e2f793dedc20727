// Settings of the Tryton connector.
import { z } from "zod";
import type { ConnectorConfigField, ConnectorLimits } from "../port";
import { BASE_URL_MESSAGE, isAllowedBaseUrl, parseConnectorConfig } from "../support/parse-config";

// Tryton handles each request in one worker thread/process; a handful at a
// time keeps a small server responsive for its human users too.
export const TRYTON_DEFAULT_LIMITS: ConnectorLimits = { maxConcurrency: 4, requestsPerWindow: 600, windowMs: 60_000 };

export const trytonConfigSchema = z.object({
  url: z.string({ error: "Enter the address of your Tryton server." }).refine(isAllowedBaseUrl, BASE_URL_MESSAGE),
  database: z
    .string({ error: "Enter the Tryton database name." })
    .regex(/^[A-Za-z0-9_.-]+$/, "A database name has only letters, digits, dots, dashes and underscores."),
  username: z.string({ error: "Enter the Tryton user name the app signs in with." }).min(1),
  password: z.string({ error: "Enter the Tryton user's password." }).min(1),
  companyId: z.coerce
    .number({ error: "Enter the company's number (id) in Tryton, or leave it empty to use the user's current company." })
    .int()
    .positive("Enter the company's number (id) in Tryton, or leave it empty.")
    .optional(),
  shippingProductCode: z.string().max(60).optional(),
  defaultPartyCode: z.string().max(60).optional(),
  timeoutMs: z.coerce
    .number({ error: "Enter the timeout in milliseconds, for example 20000." })
    .int()
    .min(1_000, "Use at least 1000 ms (1 second).")
    .max(120_000, "Use at most 120000 ms (2 minutes).")
    .default(20_000),
});

export type TrytonConfig = z.output<typeof trytonConfigSchema>;

export function parseTrytonConfig(raw: Record<string, unknown>): TrytonConfig {
  return parseConnectorConfig(trytonConfigSchema, raw);
}

export const trytonFields: ConnectorConfigField[] = [
  { key: "url", label: "Tryton server address", type: "url", secret: false, required: true, helpText: "The web address of trytond, e.g. https://tryton.example.com (the same one the Tryton client connects to)." },
  { key: "database", label: "Database", type: "text", secret: false, required: true },
  { key: "username", label: "User name", type: "text", secret: false, required: true, helpText: "A Tryton user with the Sales and Party groups; create one just for this app." },
  { key: "password", label: "Password", type: "password", secret: true, required: true },
  { key: "companyId", label: "Company id", type: "number", secret: false, required: false, helpText: "Leave empty to use the user's current company." },
  { key: "shippingProductCode", label: "Shipping product code", type: "text", secret: false, required: false, helpText: "Code of a service product used for shipping charges. Empty: shipping is written as a comment line (not in the sale total)." },
  { key: "defaultPartyCode", label: "Customer for orders without e-mail", type: "text", secret: false, required: false, helpText: "Code of the Tryton party used when an order has no customer e-mail (e.g. point-of-sale orders)." },
  { key: "timeoutMs", label: "Timeout (milliseconds)", type: "number", secret: false, required: false, defaultValue: "20000" },
];
