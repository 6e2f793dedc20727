/* global process, console, Buffer */
// The bare minimum a webhook receiver must do, as the benchmark's yardstick:
// node:http, read the body, check Shopify's HMAC, insert the event into
// SQLite (WAL, default synchronous=FULL: durable before the 200, like the
// app) deduplicated on (shop, event id), answer 200. No framework, no ORM,
// no parsing of the order.
// Usage: node baseline-server.mjs ; env: PORT, HOST, DATABASE_FILE, SHOPIFY_API_SECRET
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { createClient } from "@libsql/client";

const secret = process.env.SHOPIFY_API_SECRET;
const db = createClient({ url: `file:${process.env.DATABASE_FILE}` });
await db.execute("PRAGMA journal_mode=WAL");
await db.execute("PRAGMA busy_timeout=5000");
await db.execute(
  "CREATE TABLE IF NOT EXISTS inbox (shop TEXT NOT NULL, event_id TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (shop, event_id))",
);

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
  const expected = createHmac("sha256", secret).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.writeHead(401).end();
    return;
  }
  try {
    await db.execute({
      sql: "INSERT OR IGNORE INTO inbox (shop, event_id, topic, payload, received_at) VALUES (?, ?, ?, ?, ?)",
      args: [String(req.headers["x-shopify-shop-domain"]), String(req.headers["x-shopify-event-id"]), String(req.headers["x-shopify-topic"]), body.toString("utf8"), Date.now()],
    });
    res.writeHead(200).end();
  } catch (error) {
    console.error(error);
    res.writeHead(500).end();
  }
});
server.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1", () => console.log(`baseline listening on ${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
