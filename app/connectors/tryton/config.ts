// Settings of the Tryton connector.
import { z } from "zod";
import type { ConnectorConfigField, ConnectorLimits } from "../port";
import type { BookingSettings } from "../support/document-parts";
import { BASE_URL_MESSAGE, isAllowedBaseUrl, parseConnectorConfig } from "../support/parse-config";

// Per JSON-RPC request (support/request-budget.ts). Tryton handles each
// request in one thread; a handful at a time keeps a small server responsive
// for its human users too. Measured against a real trytond 6.0 on SQLite
// (npm run bench:erp, docs/benchmarks.md): 2 to 4 at once give the most
// orders a second, 8 fewer (the database serialises writes); the server
// then answers 25-30 requests a second, and 1,800 a minute lets the app use
// that much and no more.
export const TRYTON_DEFAULT_LIMITS: ConnectorLimits = { maxConcurrency: 4, requestsPerWindow: 1_800, windowMs: 60_000 };

const productCode = z.string().max(60, "A product code has at most 60 characters.").optional();

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
  shippingProductCode: productCode,
  taxProductCode: productCode,
  giftCardProductCode: productCode,
  tipProductCode: productCode,
  dutiesProductCode: productCode,
  adjustmentProductCode: productCode,
  defaultPartyCode: z.string().max(60, "A party code has at most 60 characters.").optional(),
  timeoutMs: z.coerce
    .number({ error: "Enter the timeout in milliseconds, for example 20000." })
    .int()
    .min(1_000, "Use at least 1000 ms (1 second).")
    .max(120_000, "Use at most 120000 ms (2 minutes).")
    .default(20_000),
});

export type TrytonConfig = z.output<typeof trytonConfigSchema>;

/** The Tryton products the settings name for each kind of part that is not a product line. */
export function trytonBookings(config: TrytonConfig): BookingSettings {
  const label = (key: keyof TrytonConfig) => trytonFields.find((f) => f.key === key)!.label;
  return {
    numbers: {
      shipping: config.shippingProductCode,
      tax: config.taxProductCode,
      giftCards: config.giftCardProductCode,
      tips: config.tipProductCode,
      duties: config.dutiesProductCode,
      adjustments: config.adjustmentProductCode,
    },
    labels: {
      shipping: label("shippingProductCode"),
      tax: label("taxProductCode"),
      giftCards: label("giftCardProductCode"),
      tips: label("tipProductCode"),
      duties: label("dutiesProductCode"),
      adjustments: label("adjustmentProductCode"),
    },
  };
}

export function parseTrytonConfig(raw: Record<string, unknown>): TrytonConfig {
  return parseConnectorConfig(trytonConfigSchema, raw);
}

export const trytonFields: ConnectorConfigField[] = [
  { key: "url", label: "Tryton server address", type: "url", secret: false, required: true, helpText: "The web address of trytond, e.g. https://tryton.example.com (the same one the Tryton client connects to)." },
  { key: "database", label: "Database", type: "text", secret: false, required: true },
  { key: "username", label: "User name", type: "text", secret: false, required: true, helpText: "A Tryton user with the Sales and Party groups; create one just for this app." },
  { key: "password", label: "Password", type: "password", secret: true, required: true },
  { key: "companyId", label: "Company id", type: "number", secret: false, required: false, helpText: "Leave empty to use the user's current company." },
  { key: "shippingProductCode", label: "Shipping product code", type: "text", secret: false, required: false, helpText: "Code of a service product for shipping charges and shipping refunds. Needed once an order has shipping." },
  { key: "taxProductCode", label: "Tax product code", type: "text", secret: false, required: false, helpText: "Code of a service product that carries the order's tax as one line when your shop's prices exclude tax (the app writes lines without Tryton taxes, so the sale adds up to what the customer paid). Needed once such an order has tax." },
  { key: "giftCardProductCode", label: "Gift card product code", type: "text", secret: false, required: false, helpText: "Code of a service product for gift cards sold (a prepayment, not stock). Empty: a gift card is booked on its own SKU, and one without a SKU needs attention." },
  { key: "tipProductCode", label: "Tip product code", type: "text", secret: false, required: false, helpText: "Code of a service product for tips. Needed once an order has a tip." },
  { key: "dutiesProductCode", label: "Duties product code", type: "text", secret: false, required: false, helpText: "Code of a service product for import duties charged or refunded. Needed once an order has duties." },
  { key: "adjustmentProductCode", label: "Refund adjustment product code", type: "text", secret: false, required: false, helpText: "Code of a service product for the difference between the refund Shopify calculated and the money actually returned. Needed once a refund has one." },
  { key: "defaultPartyCode", label: "Customer for orders without e-mail", type: "text", secret: false, required: false, helpText: "Code of the Tryton party used when an order has no customer e-mail (point-of-sale and guest orders). Empty: such orders need attention." },
  { key: "timeoutMs", label: "Timeout (milliseconds)", type: "number", secret: false, required: false, defaultValue: "20000" },
];
