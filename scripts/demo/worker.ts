// The demo's sync worker, in its own process like `npm run worker`: the real
// worker loop (app/sync/worker/worker-process.ts) with the real settings-backed
// ShopConfigProvider, against the demo database. SIGTERM/SIGINT stop it
// gracefully. Started by scripts/demo/demo.ts; env (read by app/config.server.ts):
// DATABASE_URL, ENCRYPTION_KEY, ALLOW_PRIVATE_ERP_URLS (the demo ERP is on
// loopback), WORKER_POLL_MS, WORKER_ID.
// TODO(lead): switch to app/worker.server.ts once that composition root lands.
import { config } from "../../app/config.server";
import { createPrismaClient } from "../../app/db/client";
import { createShopConfigProvider } from "../../app/settings/shop-config-provider.server";
import { runWorkerProcess } from "../../app/sync/worker/worker-process";

const { database, worker } = config();
const prisma = createPrismaClient(database.url, { poolMax: database.poolMax });
const configProvider = createShopConfigProvider(prisma, { ttlMs: 2_000 });
await runWorkerProcess({ prisma, configProvider, settings: worker });
configProvider.dispose();
process.exit(0);
