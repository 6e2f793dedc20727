// The demo's sync worker, in its own process like `npm run worker`: the
// production composition root (app/worker.server.ts main()), so the demo runs
// the same background jobs as production (heartbeat, check for missed orders,
// import of past orders, alerts) besides the sync loop. The Admin API calls
// those jobs make go to the demo's Shopify stand-in through the same redirect
// the web app uses (admin-api-redirect.mjs, loaded first so the library's
// fetch is the redirected one). SIGTERM/SIGINT stop it gracefully. Started by
// scripts/demo/demo.ts; env (read by app/config.server.ts): DATABASE_URL,
// ENCRYPTION_KEY, ALLOW_PRIVATE_ERP_URLS (the demo ERP is on loopback),
// WORKER_POLL_MS, WORKER_ID, the app's SHOPIFY_* values, DEMO_SHOP and
// DEMO_SHOPIFY_URL.
await import("./admin-api-redirect.mjs");
const { main } = await import("../../app/worker.server");
await main();
process.exit(0);
export {};
