/* global process, console */
// Serves a production build exactly as `npm start` does (server.mjs), on the
// demo's loopback host and port.
// Usage: node serve-build.mjs <buildDir> [module ...]; env HOST, PORT. The
// modules are imported after the globals are installed and before the app
// (the demo's Admin API redirect must patch the fetch the app will capture).
// Prints "[serve-build] http://..." once listening, whatever LOG_LEVEL says:
// the demo and bench:ingest wait for that line.
import { createAppServer, listen } from "../../server.mjs";

const [buildDir, ...preload] = process.argv.slice(2);
const host = process.env.HOST ?? "127.0.0.1";
const server = listen(await createAppServer({ buildDir, preload }), { port: Number(process.env.PORT), host });
server.once("listening", () => console.log(`[serve-build] http://${host}:${server.address().port}`));
