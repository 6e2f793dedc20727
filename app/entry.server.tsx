// Server rendering with streaming, as in Shopify's Remix template: bots get
// the whole document, browsers get it streamed.
import { PassThrough } from "stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { startInProcessWorkerForDevelopment } from "./dev-worker.server";
import { logger } from "./logger.server";
import { startMemoryRelief } from "./lib/memory-relief";

// `shopify app dev`: orders sync without a second terminal (see dev-worker.server.ts).
startInProcessWorkerForDevelopment();

// For server.mjs, which serves the build: where to listen comes from the
// app's one configuration, and it logs through the web process's logger.
export { config as appConfig } from "./config.server";
export { logger } from "./logger.server";

/**
 * The web process's memory relief (app/lib/memory-relief.ts), started by
 * server.mjs in production. Wider spaced and with a larger threshold than the
 * worker's: each relief pauses request handling for a collection, and webhooks
 * must be answered fast; it is there for what a large webhook leaves behind
 * (about 60 MiB at once), not for the small swings of steady traffic.
 */
export function startWebMemoryRelief() {
  return startMemoryRelief({ logger, everyMs: 30_000, growthBytes: 24 * 1024 * 1024 });
}

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        logger.error({ err: error, path: new URL(request.url).pathname }, "rendering a page failed");
      },
    });
    // Abort a stream that has not finished within the timeout.
    setTimeout(abort, streamTimeout + 1000);
  });
}
