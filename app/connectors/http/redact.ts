// Summaries of ERP answers go into the sync log, which staff read and which
// may be exported. They must carry enough to diagnose ("422: field X too
// long") but never secrets or needless personal data.

const SENSITIVE_KEY = /pass(word)?|secret|token|authori[sz]ation|api[-_]?key|cookie|session|signature|email|phone|street|address[12]?$|zip|postal/i;
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const BEARER = /\b(Bearer|Basic|Session)\s+[A-Za-z0-9._~+/=-]+/g;
// Opaque tokens (JWTs, API keys); UUIDs are document ids staff need, so they stay.
const LONG_TOKEN = /\b(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)[A-Za-z0-9_-]{32,}\b/gi;

export const MAX_SUMMARY_LENGTH = 500;

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 6) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 10).map((v) => redactValue(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SENSITIVE_KEY.test(key) ? "[redacted]" : redactValue(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "string") return redactText(value);
  return value;
}

/** Masks e-mail addresses, credentials and long opaque tokens in free text. */
export function redactText(text: string): string {
  return text
    .replace(BEARER, "$1 [redacted]")
    .replace(EMAIL, "[email]")
    .replace(LONG_TOKEN, "[token]");
}

/**
 * A short, redacted, single-line summary of a response body: JSON bodies keep
 * their structure with sensitive keys masked; other text is masked and cut.
 */
export function summarizeBody(body: string, maxLength: number = MAX_SUMMARY_LENGTH): string {
  let summary: string;
  try {
    summary = JSON.stringify(redactValue(JSON.parse(body), 0));
  } catch {
    summary = redactText(body.replace(/\s+/g, " ").trim());
  }
  return summary.length > maxLength ? summary.slice(0, maxLength - 1) + "…" : summary;
}
