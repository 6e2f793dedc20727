// The in-memory Business Central fake (fake-business-central.ts) behind a real
// loopback HTTP server that enforces Business Central's request limits per
// user: at most `requestsPerWindow` API requests started in any sliding
// `windowMs`, at most `maxConcurrent` in flight, each taking `latencyMs`.
// Past either limit it answers 429 with Retry-After (seconds), as BC does,
// and a refused request does not count against the window. Token requests go
// to Microsoft Entra, not to BC, so they are answered at once and not
// counted. Used by `npm run bench:erp` to count what the connector costs.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FAKE_API_BASE, FAKE_TOKEN_URL, type FakeBusinessCentral } from "./fake-business-central";

export interface BusinessCentralLimits {
  requestsPerWindow: number;
  windowMs: number;
  maxConcurrent: number;
  latencyMs: number;
}

/** Microsoft's documented per-user limits, with the bench's 60 ms per request. */
export const BUSINESS_CENTRAL_ONLINE_LIMITS: BusinessCentralLimits = { requestsPerWindow: 6_000, windowMs: 300_000, maxConcurrent: 100, latencyMs: 60 };

export interface ServedRequest {
  method: string;
  path: string;
  startedAt: number;
  status: number;
  /** Inner requests of a `$batch` (0 for a plain request). */
  batched: number;
}

export interface FakeBusinessCentralServer {
  /** API base for the connector's "API address" setting. */
  apiBaseUrl: string;
  /** Token endpoint for the connector's "Token address" setting. */
  tokenUrl: string;
  /** Every API request that reached the server, 429s included, in arrival order. */
  readonly requests: ServedRequest[];
  readonly tooManyRequests: number;
  readonly maxInFlight: number;
  stop(): Promise<void>;
}

const TOKEN_PATH = new URL(FAKE_TOKEN_URL).pathname;
const API_ORIGIN = new URL(FAKE_API_BASE).origin;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function batchSize(path: string, body: string): number {
  if (!path.endsWith("/$batch")) return 0;
  try {
    return (JSON.parse(body) as { requests?: unknown[] }).requests?.length ?? 0;
  } catch {
    return 0;
  }
}

export async function startFakeBusinessCentralServer(fake: FakeBusinessCentral, limits: BusinessCentralLimits): Promise<FakeBusinessCentralServer> {
  const requests: ServedRequest[] = [];
  // Start times of the requests accepted in the current window (oldest first).
  const accepted: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let tooManyRequests = 0;

  async function relay(req: IncomingMessage, res: ServerResponse, target: string, body: string): Promise<number> {
    const answer = await fake.fetch(target, {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string")),
      body: req.method === "GET" || req.method === "DELETE" ? undefined : body,
    });
    const text = await answer.text();
    res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" });
    res.end(text);
    return answer.status;
  }

  function refuse(res: ServerResponse, retryAfterSeconds: number, message: string): void {
    tooManyRequests += 1;
    res.writeHead(429, { "Content-Type": "application/json", "Retry-After": String(retryAfterSeconds) });
    res.end(JSON.stringify({ error: { code: "Application_TooManyRequests", message } }));
  }

  const server = createServer(async (req, res) => {
    const url = req.url ?? "/";
    const body = await readBody(req);
    if (url === TOKEN_PATH) {
      await relay(req, res, FAKE_TOKEN_URL, body);
      return;
    }
    const now = Date.now();
    const entry: ServedRequest = { method: req.method ?? "GET", path: url, startedAt: now, status: 0, batched: batchSize(url.split("?")[0], body) };
    requests.push(entry);
    while (accepted.length > 0 && now - accepted[0] >= limits.windowMs) accepted.shift();
    if (inFlight >= limits.maxConcurrent) {
      entry.status = 429;
      refuse(res, 1, `Too many concurrent requests (limit ${limits.maxConcurrent}).`);
      return;
    }
    if (accepted.length >= limits.requestsPerWindow) {
      entry.status = 429;
      refuse(res, Math.max(1, Math.ceil((accepted[0] + limits.windowMs - now) / 1000)), `Rate limit of ${limits.requestsPerWindow} requests per ${limits.windowMs / 1000} seconds reached.`);
      return;
    }
    accepted.push(now);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((r) => setTimeout(r, limits.latencyMs));
      entry.status = await relay(req, res, API_ORIGIN + url, body);
    } catch (error) {
      entry.status = 500;
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "Internal", message: String(error) } }));
    } finally {
      inFlight -= 1;
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiBaseUrl: origin + new URL(FAKE_API_BASE).pathname,
    tokenUrl: origin + TOKEN_PATH,
    requests,
    get tooManyRequests() {
      return tooManyRequests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
