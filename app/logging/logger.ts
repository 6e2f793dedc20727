// JSON-lines logging for the engine and the worker process (pino).
// Two layers keep personal data and secrets out of logs:
//  1. redaction paths: structured fields that may carry them are censored
//     wherever they appear in a log object (shallow and one level down);
//  2. scrubText(): free text from ERPs (error bodies, messages) is cleaned of
//     e-mail addresses, phone numbers and credentials before it is logged or
//     stored in the sync log.
// Every line about one order carries the correlation id of the Shopify event
// that caused the work, so one grep follows an order from webhook to ERP.
// Errors are logged under pino's standard `err` key with its standard
// serializer (type, message and stack, causes included), their text scrubbed
// like any other free text: `logger.error({ err: error }, "what failed")`.
import pino, { type DestinationStream, type Logger } from "pino";
import { config } from "../config.server";

export type { Logger } from "pino";

const SENSITIVE_KEYS = [
  "email",
  "contact_email",
  "phone",
  "password",
  "passwd",
  "secret",
  "apiKey",
  "api_key",
  "accessToken",
  "access_token",
  "refreshToken",
  "token",
  "authorization",
  "Authorization",
  "cookie",
  "customer",
  "billingAddress",
  "shippingAddress",
  "billing_address",
  "shipping_address",
  "address1",
  "address2",
  "rawBody",
  "payload",
  "snapshot",
];

/** pino redaction paths: each sensitive key at the top level and one or two levels down. */
export const REDACT_PATHS: string[] = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go (default stdout). Tests pass a stream to inspect them. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. { service: "worker" }. */
  base?: Record<string, unknown>;
}

/** pino's standard error serializer, with the error's text scrubbed (it may quote an ERP's answer). */
function serializeError(error: unknown): unknown {
  if (typeof error === "string") return scrubText(error, ERROR_TEXT_LIMIT);
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  if (serialized === null || typeof serialized !== "object") return serialized;
  const fields = serialized as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string") fields[key] = scrubText(value, key === "stack" ? STACK_TEXT_LIMIT : ERROR_TEXT_LIMIT);
  }
  return fields;
}

const ERROR_TEXT_LIMIT = 2_000;
const STACK_TEXT_LIMIT = 8_000;

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? config().logLevel ?? "info",
      base: { service: "erp-sync", ...options.base },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** Child logger whose every line carries the correlation id (the Shopify event id). */
export function withCorrelation(
  logger: Logger,
  correlationId: string | null | undefined,
  fields: Record<string, unknown> = {},
): Logger {
  return logger.child({ correlationId: correlationId ?? undefined, ...fields });
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
// Digit groups joined by separators, as phone numbers are written
// ("+1 613 555 0100", "123-123-1234"); plain numeric ids have no separators
// and survive, so log lines stay useful.
const PHONE = /(?<![\w-])\+?\d{1,4}(?:[ ().-]+\d{2,}){2,}(?![\w-])/g;
const CREDENTIAL =
  /\b(password|passwd|secret|token|api[_-]?key|authorization|session)\b(["']?\s*[:=]\s*["']?)([^"'\s,;}]+)/gi;
const BEARER = /\b(Bearer|Basic|Session)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Remove e-mails, phone numbers and credentials from free text; cap its length. */
export function scrubText(text: string | null | undefined, maxLength = 500): string | null {
  if (text == null) return null;
  let out = String(text)
    .replace(BEARER, "$1 [redacted]")
    .replace(CREDENTIAL, "$1$2[redacted]")
    .replace(EMAIL, "[email]")
    .replace(PHONE, "[phone]");
  if (out.length > maxLength) out = out.slice(0, maxLength - 1) + "…";
  return out;
}
