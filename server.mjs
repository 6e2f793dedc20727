/* global process, Headers, Request, Response, Buffer */
// The production HTTP server for the Remix build (`npm start`). It replaces
// remix-serve for two reasons:
// - Node's native fetch/Request/Response. remix-serve 2.17 installs the
//   @remix-run/web-fetch polyfills unless single fetch is on, and their
//   Response has no Response.json(), which our actions use (HTTP 500).
// - Graceful shutdown: on SIGTERM it stops accepting connections and lets
//   requests in flight (a webhook being stored) finish before exiting.
// The demo and the browser tests serve their builds through createAppServer
// too, adding their own routes in front of the app.
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import { createReadableStreamFromReadable, installGlobals } from "@remix-run/node";

installGlobals({ nativeFetch: true });

/**
 * Shopify's webhook POSTs, handed straight to the action of their route
 * module (the same `app/routes/webhooks.*.tsx` modules Remix calls). Remix's
 * request handler ranks every route of the app against the URL on every
 * request; for webhooks, which arrive in bursts of hundreds per second and
 * whose routes are fixed paths, that was a tenth of the request's time
 * (docs/benchmarks.md). Any other path falls through to Remix, and so does
 * any other method: each webhook route's loader and action answer it with
 * 405 and Allow: POST. The body's size and time limits (413, 408 with the
 * connection closed) are the route modules' too (readWebhookBody).
 * @param {import("@remix-run/node").ServerBuild} build
 * @param {import("pino").Logger} logger
 */
function webhookActions(build, logger) {
  const actions = new Map();
  for (const route of Object.values(build.routes)) {
    if (route.path?.startsWith("webhooks/") && route.module.action) actions.set(`/${route.path}`, route.module.action);
  }
  return async (req, res, next) => {
    const action = actions.get(req.path);
    if (!action) return next();
    try {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, {
        method: req.method,
        headers,
        body: createReadableStreamFromReadable(req),
        duplex: "half",
      });
      let response;
      try {
        response = await action({ request, params: {}, context: {} });
      } catch (thrown) {
        // Refusals (401, 400, 413...) are thrown Responses, as Remix allows.
        if (!(thrown instanceof Response)) throw thrown;
        response = thrown;
      }
      res.status(response.status);
      response.headers.forEach((value, name) => res.append(name, value));
      // Webhook answers are empty or a line of text.
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      logger.error({ err: error, path: req.path }, "webhook could not be stored");
      if (!res.headersSent) res.status(500).type("text/plain").send("The webhook could not be stored; Shopify will deliver it again.");
      else res.end();
    }
  };
}

/**
 * @param {{ buildDir?: string, preload?: string[], beforeApp?: (app: import("express").Express) => void }} [options]
 *   preload: modules imported before the app (e.g. something that must patch
 *   fetch before the Shopify library captures it); beforeApp: extra routes.
 */
export async function createAppServer({ buildDir = "build", preload = [], beforeApp } = {}) {
  for (const module of preload) await import(pathToFileURL(path.resolve(module)).href);
  const build = await import(pathToFileURL(path.resolve(buildDir, "server/index.js")).href);
  // The app's configuration (app/config.server.ts) and the web process's
  // logger, both exported by app/entry.server.tsx.
  const { appConfig, logger, startWebMemoryRelief } = build.entry.module;
  const settings = appConfig();
  const handleWithRemix = createRequestHandler({ build, mode: settings.nodeEnv ?? "production" });
  const app = express();
  app.locals.http = settings.http;
  app.locals.logger = logger;
  app.locals.startMemoryRelief = startWebMemoryRelief;
  app.disable("x-powered-by");
  // Shopify's webhook POSTs first: they need neither static files nor
  // compression (their answers are empty).
  app.post("/webhooks/*", webhookActions(build, logger));
  app.use(compression());
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  beforeApp?.(app);
  app.all("*", handleWithRemix);
  return app;
}

/** Listens on PORT/HOST (the app's configuration) and closes gracefully on SIGTERM/SIGINT. */
export function listen(app, { port = app.locals.http?.port ?? 3000, host = app.locals.http?.host } = {}) {
  const server = app.listen(port, host, () => {
    const address = server.address();
    const url = `http://${host ?? "localhost"}:${typeof address === "object" && address ? address.port : port}`;
    app.locals.logger.info({ url }, `web app listening on ${url}`);
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // BUILD_DIR is this launcher's own option (which build to serve), read before the app and its configuration load.
  const app = await createAppServer({ buildDir: process.env.BUILD_DIR ?? "build" });
  listen(app);
  // Gives V8's freed pages back after a large webhook (needs --expose-gc, which `npm start` passes).
  app.locals.startMemoryRelief();
}
