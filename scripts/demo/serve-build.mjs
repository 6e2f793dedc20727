/* global process */
// Serves a production build exactly as `npm start` does (server.mjs), on the
// demo's loopback host and port.
// Usage: node serve-build.mjs <buildDir> [module ...]; env HOST, PORT. The
// modules are imported after the globals are installed and before the app
// (the demo's Admin API redirect must patch the fetch the app will capture).
import { createAppServer, listen } from "../../server.mjs";

const [buildDir, ...preload] = process.argv.slice(2);
listen(await createAppServer({ buildDir, preload }), {
  port: Number(process.env.PORT),
  host: process.env.HOST ?? "127.0.0.1",
  label: "serve-build",
});
