// Shared glue between a connector's zod schema and the settings form: blank
// form inputs count as "not set", and every zod issue becomes a message on the
// field it belongs to (ConnectorConfigError), so the form can show it in place.
import type { z } from "zod";
import { ConnectorConfigError } from "../port";

function blankToUndefined(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key] = typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value;
  }
  return out;
}

export function parseConnectorConfig<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(blankToUndefined(raw ?? {}));
  if (result.success) return result.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    // Keep the first message per field: it is usually the most basic problem.
    fieldErrors[key] ??= issue.message;
  }
  throw new ConnectorConfigError(fieldErrors);
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * True for https URLs, and for http only on this machine (local test
 * receivers). Production also routes every request through the URL guard.
 */
export function isAllowedBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

export const BASE_URL_MESSAGE =
  "Enter the full address starting with https:// (for example https://erp.example.com), without a user name or password in it.";

/** Joins a base URL and a path without doubling or losing the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + "/" + path.replace(/^\/+/, "");
}
