/* global process, console */
// Serves a production build as remix-serve does (static assets, then the
// Remix handler), with one difference: Node's native fetch/Request/Response.
// remix-serve 2.17 installs the @remix-run/web-fetch polyfills unless
// v3_singleFetch is on, and those lack Response.json(), which the order
// page's action uses (HTTP 500 "Response.json is not a function" under
// `npm start`; reported to the lead). The browser tests' server does the same.
// Usage: node serve-build.mjs <buildDir> [module ...]; env HOST, PORT. The
// modules are imported after the globals are installed and before the app
// (the demo's Admin API redirect must patch the fetch the app will capture).
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";

installGlobals({ nativeFetch: true });

const [buildDir, ...preload] = process.argv.slice(2);
for (const module of preload) await import(pathToFileURL(path.resolve(module)).href);
const build = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);
const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production" }));

const host = process.env.HOST ?? "127.0.0.1";
const server = app.listen(Number(process.env.PORT), host, () => console.log(`[serve-build] http://${host}:${server.address().port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close(() => process.exit(0)));
