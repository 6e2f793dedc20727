// Settings of the Business Central connector (API v2.0, OAuth 2.0 client
// credentials from a Microsoft Entra app registration).
import { z } from "zod";
import type { ConnectorConfigField, ConnectorLimits } from "../port";
import type { BookingSettings } from "../support/document-parts";
import { BASE_URL_MESSAGE, isAllowedBaseUrl, parseConnectorConfig } from "../support/parse-config";

// Microsoft's documented per-user limits for Business Central online.
export const BUSINESS_CENTRAL_DEFAULT_LIMITS: ConnectorLimits = { maxConcurrency: 100, requestsPerWindow: 6_000, windowMs: 5 * 60_000 };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalUrl = z.string().refine(isAllowedBaseUrl, BASE_URL_MESSAGE).optional();

const accountNumber = z.string().max(20, "An account number has at most 20 characters.").optional();

export const businessCentralConfigSchema = z.object({
  tenantId: z
    .string({ error: "Enter your Microsoft Entra tenant id (a GUID) or domain (contoso.onmicrosoft.com)." })
    .regex(/^[A-Za-z0-9.-]+$/, "Enter the tenant id (a GUID) or domain, for example contoso.onmicrosoft.com."),
  environment: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,30}$/, "Enter the environment name as shown in the Business Central admin center, e.g. Production.")
    .default("production"),
  companyId: z
    .string({ error: "Enter the company id (a GUID; Business Central shows it on the Companies API page)." })
    .regex(GUID, "The company id is a GUID like 5d115c9c-44e3-ea11-bb43-000d3a2feca1."),
  clientId: z.string({ error: "Enter the application (client) id of your app registration." }).regex(GUID, "The client id is a GUID."),
  clientSecret: z.string({ error: "Enter the client secret of your app registration." }).min(1),
  apiVersion: z.enum(["v2.0", "v1.0"], { error: "Choose API version v2.0 (or v1.0 for old on-premises servers)." }).default("v2.0"),
  defaultCustomerNumber: z.string().max(20, "A customer number has at most 20 characters.").optional(),
  localCurrencyCode: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "Enter a 3-letter currency code, e.g. USD.")
    .transform((s) => s.toUpperCase())
    .optional(),
  shippingAccountNumber: accountNumber,
  giftCardAccountNumber: accountNumber,
  tipAccountNumber: accountNumber,
  dutiesAccountNumber: accountNumber,
  adjustmentAccountNumber: accountNumber,
  // The app's share of BC's per-user limits (resolveLimits reads them by these keys).
  requestsPerWindow: z.coerce
    .number({ error: "Enter how many requests per 5 minutes the app may send, for example 6000." })
    .int()
    .min(60, "Allow at least 60 requests per 5 minutes.")
    .max(BUSINESS_CENTRAL_DEFAULT_LIMITS.requestsPerWindow, "Business Central allows at most 6000 requests per 5 minutes per user.")
    .optional(),
  maxConcurrency: z.coerce
    .number({ error: "Enter how many requests may run at once, for example 100." })
    .int()
    .min(1, "Allow at least 1 request at once.")
    .max(BUSINESS_CENTRAL_DEFAULT_LIMITS.maxConcurrency, "Business Central allows at most 100 requests at once per user.")
    .optional(),
  apiBaseUrl: optionalUrl,
  tokenUrl: optionalUrl,
  timeoutMs: z.coerce
    .number({ error: "Enter the timeout in milliseconds, for example 30000." })
    .int()
    .min(1_000, "Use at least 1000 ms (1 second).")
    .max(120_000, "Use at most 120000 ms (2 minutes).")
    .default(30_000),
});

export type BusinessCentralConfig = z.output<typeof businessCentralConfigSchema>;

export function parseBusinessCentralConfig(raw: Record<string, unknown>): BusinessCentralConfig {
  return parseConnectorConfig(businessCentralConfigSchema, raw);
}

/** The G/L accounts the settings name for each kind of part that is not an item line. */
export function businessCentralBookings(config: BusinessCentralConfig): BookingSettings {
  const label = (key: keyof BusinessCentralConfig) => businessCentralFields.find((f) => f.key === key)!.label;
  return {
    numbers: {
      shipping: config.shippingAccountNumber,
      giftCards: config.giftCardAccountNumber,
      tips: config.tipAccountNumber,
      duties: config.dutiesAccountNumber,
      adjustments: config.adjustmentAccountNumber,
    },
    labels: {
      shipping: label("shippingAccountNumber"),
      giftCards: label("giftCardAccountNumber"),
      tips: label("tipAccountNumber"),
      duties: label("dutiesAccountNumber"),
      adjustments: label("adjustmentAccountNumber"),
    },
  };
}

/** `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/api/v2.0` unless overridden. */
export function apiBaseUrlOf(c: BusinessCentralConfig): string {
  return (
    c.apiBaseUrl ??
    `https://api.businesscentral.dynamics.com/v2.0/${encodeURIComponent(c.tenantId)}/${encodeURIComponent(c.environment)}/api/${c.apiVersion}`
  );
}

export function tokenUrlOf(c: BusinessCentralConfig): string {
  return c.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`;
}

export const BUSINESS_CENTRAL_SCOPE = "https://api.businesscentral.dynamics.com/.default";

export const businessCentralFields: ConnectorConfigField[] = [
  { key: "tenantId", label: "Tenant id", type: "text", secret: false, required: true, helpText: "Your Microsoft Entra tenant id (GUID) or domain." },
  { key: "environment", label: "Environment", type: "text", secret: false, required: true, defaultValue: "production", helpText: "As shown in the Business Central admin center, e.g. Production or Sandbox." },
  { key: "companyId", label: "Company id", type: "text", secret: false, required: true, helpText: "GUID of the company (GET /companies lists them)." },
  { key: "clientId", label: "Application (client) id", type: "text", secret: false, required: true },
  { key: "clientSecret", label: "Client secret", type: "password", secret: true, required: true },
  {
    key: "apiVersion",
    label: "API version",
    type: "select",
    secret: false,
    required: false,
    defaultValue: "v2.0",
    options: [
      { label: "v2.0 (Business Central online, recommended)", value: "v2.0" },
      { label: "v1.0 (older on-premises servers)", value: "v1.0" },
    ],
  },
  { key: "defaultCustomerNumber", label: "Default customer number", type: "text", secret: false, required: false, helpText: "Used when no Business Central customer has the order's e-mail, and for point-of-sale and guest orders without one (e.g. a 'Web shop' customer). Empty: such orders need attention." },
  { key: "localCurrencyCode", label: "Company's local currency", type: "text", secret: false, required: false, helpText: "e.g. USD. Orders in this currency are sent without a currency code, as Business Central expects." },
  { key: "shippingAccountNumber", label: "G/L account for shipping", type: "text", secret: false, required: false, helpText: "Shipping charges and shipping refunds are lines on this account. Needed once an order has shipping." },
  { key: "giftCardAccountNumber", label: "G/L account for gift cards sold", type: "text", secret: false, required: false, helpText: "A gift card sold is a prepayment, not stock: it is a line on this account (give it no tax). Empty: a gift card is booked on its own SKU as an item, and one without a SKU needs attention." },
  { key: "tipAccountNumber", label: "G/L account for tips", type: "text", secret: false, required: false, helpText: "Tips are lines on this account (give it no tax). Needed once an order has a tip." },
  { key: "dutiesAccountNumber", label: "G/L account for duties", type: "text", secret: false, required: false, helpText: "Import duties charged or refunded are lines on this account (give it no tax). Needed once an order has duties." },
  { key: "adjustmentAccountNumber", label: "G/L account for refund adjustments", type: "text", secret: false, required: false, helpText: "The difference between the refund Shopify calculated and the money actually returned is a credit memo line on this account (give it no tax). Needed once a refund has one." },
  {
    key: "requestsPerWindow",
    label: "Requests per 5 minutes (advanced)",
    type: "number",
    secret: false,
    required: false,
    defaultValue: String(BUSINESS_CENTRAL_DEFAULT_LIMITS.requestsPerWindow),
    helpText: "Business Central allows 6000 per user. Lower it when other integrations sign in with the same app registration, or divide it by the number of worker processes.",
  },
  {
    key: "maxConcurrency",
    label: "Requests at the same time (advanced)",
    type: "number",
    secret: false,
    required: false,
    defaultValue: String(BUSINESS_CENTRAL_DEFAULT_LIMITS.maxConcurrency),
    helpText: "Business Central allows 100 per user; share them the same way.",
  },
  { key: "apiBaseUrl", label: "API address (advanced)", type: "url", secret: false, required: false, helpText: "Only for on-premises servers or tests." },
  { key: "tokenUrl", label: "Token address (advanced)", type: "url", secret: false, required: false },
  { key: "timeoutMs", label: "Timeout (milliseconds)", type: "number", secret: false, required: false, defaultValue: "30000" },
];
