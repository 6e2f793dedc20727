/* global process, console */
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
import { installGlobals } from "@remix-run/node";

installGlobals({ nativeFetch: true });

/**
 * @param {{ buildDir?: string, preload?: string[], beforeApp?: (app: import("express").Express) => void }} [options]
 *   preload: modules imported before the app (e.g. something that must patch
 *   fetch before the Shopify library captures it); beforeApp: extra routes.
 */
export async function createAppServer({ buildDir = "build", preload = [], beforeApp } = {}) {
  for (const module of preload) await import(pathToFileURL(path.resolve(module)).href);
  const build = await import(pathToFileURL(path.resolve(buildDir, "server/index.js")).href);
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  beforeApp?.(app);
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV ?? "production" }));
  return app;
}

/** Listens on PORT/HOST and closes gracefully on SIGTERM/SIGINT. */
export function listen(app, { port = Number(process.env.PORT || 3000), host = process.env.HOST, label = "server" } = {}) {
  const server = app.listen(port, host, () => {
    const address = server.address();
    console.log(`[${label}] http://${host ?? "localhost"}:${typeof address === "object" && address ? address.port : port}`);
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  listen(await createAppServer({ buildDir: process.env.BUILD_DIR ?? "build" }));
}
