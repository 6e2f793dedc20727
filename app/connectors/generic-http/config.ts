// Settings of the Generic HTTPS JSON connector: where to send orders, how to
// authenticate, and the secret the receiver uses to check our signature.
import { z } from "zod";
import type { ConnectorConfigField, ConnectorLimits } from "../port";
import { BASE_URL_MESSAGE, isAllowedBaseUrl, parseConnectorConfig } from "../support/parse-config";

export const GENERIC_HTTP_DEFAULT_PATHS = {
  createPath: "/orders",
  updatePath: "/orders/{externalId}",
  cancelPath: "/orders/{externalId}/cancel",
  refundPath: "/orders/{externalId}/refunds",
  lookupPath: "/orders/{externalId}",
  readBackPath: "/orders",
} as const;

export const GENERIC_HTTP_DEFAULT_LIMITS: ConnectorLimits = {
  maxConcurrency: 4,
  requestsPerWindow: 120,
  windowMs: 60_000,
};

const pathTemplate = z
  .string()
  .startsWith("/", "Start the path with / (for example /orders/{externalId}).")
  .refine((p) => !/[\s?#]/.test(p.replace(/\{[a-zA-Z]+\}/g, "")), "Use a plain path without spaces, ? or #.")
  .refine(
    (p) => [...p.matchAll(/\{([^}]*)\}/g)].every((m) => m[1] === "externalId" || m[1] === "documentId"),
    "Only {externalId} and {documentId} can be filled in.",
  );

const authTypes = ["none", "bearer", "basic", "header"] as const;

export const genericHttpConfigSchema = z
  .object({
    baseUrl: z.string({ error: "Enter the address of your receiving service." }).refine(isAllowedBaseUrl, BASE_URL_MESSAGE),
    authType: z.enum(authTypes, { error: "Choose how we sign in: none, bearer token, basic or custom header." }).default("none"),
    bearerToken: z.string().optional(),
    basicUsername: z.string().optional(),
    basicPassword: z.string().optional(),
    headerName: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "A header name has only letters, digits and dashes (for example X-Api-Key).")
      .optional(),
    headerValue: z.string().optional(),
    signingSecret: z
      .string({ error: "Enter a signing secret (at least 16 characters) and give the same one to your receiving service." })
      .min(16, "Use at least 16 characters for the signing secret."),
    timeoutMs: z.coerce
      .number({ error: "Enter the timeout in milliseconds, for example 15000." })
      .int("Enter a whole number of milliseconds.")
      .min(1_000, "Use at least 1000 ms (1 second).")
      .max(120_000, "Use at most 120000 ms (2 minutes).")
      .default(15_000),
    createPath: pathTemplate.default(GENERIC_HTTP_DEFAULT_PATHS.createPath),
    updatePath: pathTemplate.default(GENERIC_HTTP_DEFAULT_PATHS.updatePath),
    cancelPath: pathTemplate.default(GENERIC_HTTP_DEFAULT_PATHS.cancelPath),
    refundPath: pathTemplate.default(GENERIC_HTTP_DEFAULT_PATHS.refundPath),
    lookupPath: pathTemplate
      .refine((p) => p.includes("{externalId}"), "The look-up path must contain {externalId}.")
      .default(GENERIC_HTTP_DEFAULT_PATHS.lookupPath),
    readBackPath: pathTemplate
      .refine((p) => !p.includes("{"), "The read-back path takes no {placeholders}: the external ids go in ?externalIds=.")
      .default(GENERIC_HTTP_DEFAULT_PATHS.readBackPath),
    maxConcurrency: z.coerce
      .number()
      .int()
      .min(1, "Allow at least 1 request at a time.")
      .max(50, "Allow at most 50 requests at a time.")
      .default(GENERIC_HTTP_DEFAULT_LIMITS.maxConcurrency),
    requestsPerMinute: z.coerce
      .number()
      .int()
      .min(1, "Allow at least 1 request per minute.")
      .max(6_000, "Allow at most 6000 requests per minute.")
      .default(GENERIC_HTTP_DEFAULT_LIMITS.requestsPerWindow),
  })
  .superRefine((c, ctx) => {
    const need = (key: "bearerToken" | "basicUsername" | "basicPassword" | "headerName" | "headerValue", message: string) => {
      if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message });
    };
    if (c.authType === "bearer") need("bearerToken", "Enter the token your service expects after 'Bearer'.");
    if (c.authType === "basic") {
      need("basicUsername", "Enter the user name.");
      need("basicPassword", "Enter the password.");
    }
    if (c.authType === "header") {
      need("headerName", "Enter the header name, for example X-Api-Key.");
      need("headerValue", "Enter the header value.");
    }
  });

export type GenericHttpConfig = z.output<typeof genericHttpConfigSchema>;

export function parseGenericHttpConfig(raw: Record<string, unknown>): GenericHttpConfig {
  return parseConnectorConfig(genericHttpConfigSchema, raw);
}

export function genericHttpLimits(config: GenericHttpConfig): ConnectorLimits {
  return { maxConcurrency: config.maxConcurrency, requestsPerWindow: config.requestsPerMinute, windowMs: 60_000 };
}

const authVisible = (...values: string[]) => ({ key: "authType", values });

export const genericHttpFields: ConnectorConfigField[] = [
  { key: "baseUrl", label: "Service address", type: "url", secret: false, required: true, helpText: "The https:// address of the service that receives orders, e.g. https://erp.example.com/api." },
  {
    key: "authType",
    label: "Sign-in method",
    type: "select",
    secret: false,
    required: true,
    defaultValue: "none",
    options: [
      { label: "None (signature only)", value: "none" },
      { label: "Bearer token", value: "bearer" },
      { label: "User name and password (Basic)", value: "basic" },
      { label: "Custom header", value: "header" },
    ],
  },
  { key: "bearerToken", label: "Bearer token", type: "password", secret: true, required: false, visibleWhen: authVisible("bearer") },
  { key: "basicUsername", label: "User name", type: "text", secret: false, required: false, visibleWhen: authVisible("basic") },
  { key: "basicPassword", label: "Password", type: "password", secret: true, required: false, visibleWhen: authVisible("basic") },
  { key: "headerName", label: "Header name", type: "text", secret: false, required: false, helpText: "For example X-Api-Key.", visibleWhen: authVisible("header") },
  { key: "headerValue", label: "Header value", type: "password", secret: true, required: false, visibleWhen: authVisible("header") },
  { key: "signingSecret", label: "Signing secret", type: "password", secret: true, required: true, helpText: "At least 16 characters. Your service uses it to check the X-Signature-SHA256 header of every request." },
  { key: "timeoutMs", label: "Timeout (milliseconds)", type: "number", secret: false, required: false, defaultValue: "15000" },
  { key: "createPath", label: "Path to create an order", type: "text", secret: false, required: false, defaultValue: GENERIC_HTTP_DEFAULT_PATHS.createPath },
  { key: "updatePath", label: "Path to update an order", type: "text", secret: false, required: false, defaultValue: GENERIC_HTTP_DEFAULT_PATHS.updatePath, helpText: "{externalId} and {documentId} are filled in." },
  { key: "cancelPath", label: "Path to cancel an order", type: "text", secret: false, required: false, defaultValue: GENERIC_HTTP_DEFAULT_PATHS.cancelPath },
  { key: "refundPath", label: "Path to record a refund", type: "text", secret: false, required: false, defaultValue: GENERIC_HTTP_DEFAULT_PATHS.refundPath },
  { key: "lookupPath", label: "Path to look an order up", type: "text", secret: false, required: false, defaultValue: GENERIC_HTTP_DEFAULT_PATHS.lookupPath, helpText: "Must contain {externalId}. Answer 404 when you have no such order." },
  { key: "readBackPath", label: "Path to read orders back", type: "text", secret: false, required: false, defaultValue: GENERIC_HTTP_DEFAULT_PATHS.readBackPath, helpText: "GET with ?externalIds=a,b,c answers every document holding those ids (for the completeness certificate)." },
  { key: "maxConcurrency", label: "Requests at the same time", type: "number", secret: false, required: false, defaultValue: String(GENERIC_HTTP_DEFAULT_LIMITS.maxConcurrency) },
  { key: "requestsPerMinute", label: "Requests per minute", type: "number", secret: false, required: false, defaultValue: String(GENERIC_HTTP_DEFAULT_LIMITS.requestsPerWindow) },
];
