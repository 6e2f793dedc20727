// The worker process's composition root: wires the framework-free engine to
// the real database, settings, connectors and the Shopify Admin API. `npm run
// worker` runs the built bundle of app/worker.entry.ts, which calls main().
// In development the same main() can run inside the web process
// (app/dev-worker.server.ts).
import { hostname } from "node:os";
import type { PrismaClient } from "@prisma/client";
import { assertStartConfig, config } from "./config.server";
import prisma from "./db/db.server";
import { ADMIN_API_VERSION } from "./graphql/api-version";
import type { BackgroundJob } from "./lib/background-job";
import { startMemoryRelief } from "./lib/memory-relief";
import { createLogger, type Logger } from "./logging/logger";
import { startWorkerHeartbeat } from "./observability/heartbeat";
import { createShopConfigProvider } from "./settings/shop-config-provider.server";
import { ShopifyAdminApi } from "./shopify-admin/admin-client";
import { unauthenticated } from "./shopify.server";
import { runWorkerProcess } from "./sync/worker/worker-process";
import { startAlertJob } from "./jobs/alert-job";
import { startBackfillJob } from "./jobs/backfill-job";
import { startCertificateJob } from "./jobs/certificate-job";
import { startErpCheckJob } from "./jobs/erp-check-job";
import { startReconciliationJob } from "./jobs/reconciliation-job";
import { startStockJob } from "./jobs/stock-job";
import { startShipmentsJob } from "./jobs/shipments-job";

export interface WorkerContext {
  /** This process's worker id (WORKER_ID, or host-pid): leases and heartbeat carry it. */
  workerId: string;
  prisma: PrismaClient;
  adminApi: ShopifyAdminApi;
  logger: Logger;
}

/**
 * Admin API access outside a request: the library loads the shop's offline
 * session and refreshes an expiring offline token when it is close to expiry,
 * so both calls go through it.
 */
export function createAdminApi(logger: Logger): ShopifyAdminApi {
  const offlineToken = async (shop: string) => (await unauthenticated.admin(shop)).session.accessToken ?? "";
  return new ShopifyAdminApi({
    apiVersion: ADMIN_API_VERSION,
    getAccessToken: offlineToken,
    refreshAccessToken: offlineToken,
    logger,
  });
}

/**
 * Jobs started with the worker. Each returns something stoppable; add new
 * background jobs here (one line each), their logic in their own module.
 */
export function startCompanionJobs(context: WorkerContext): BackgroundJob[] {
  const jobs: BackgroundJob[] = [];
  jobs.push(startMemoryRelief({ logger: context.logger }));
  jobs.push(startWorkerHeartbeat(context.prisma, { workerId: context.workerId, logger: context.logger }));
  jobs.push(startReconciliationJob(context));
  jobs.push(startBackfillJob(context));
  jobs.push(startAlertJob(context));
  jobs.push(startCertificateJob({ ...context, configProvider: createShopConfigProvider(context.prisma) }));
  jobs.push(startStockJob(context));
  jobs.push(startShipmentsJob({ ...context, configProvider: createShopConfigProvider(context.prisma) }));
  const erpCheckEvery = config().erpCheckIntervalMs; // optional: costs one ERP look-up per synced order
  if (erpCheckEvery) jobs.push(startErpCheckJob({ ...context, configProvider: createShopConfigProvider(context.prisma), everyMs: erpCheckEvery }));
  return jobs;
}

export async function main(): Promise<void> {
  // A missing variable (ENCRYPTION_KEY, the app's credentials) stops the process now, not at the first order.
  assertStartConfig();
  const logger = createLogger({ base: { process: "worker" } });
  // One id for the sync worker's leases and the heartbeat /healthz reads.
  const { worker } = config();
  const workerId = worker.workerId ?? `${hostname()}-${process.pid}`;
  const context: WorkerContext = { workerId, prisma, adminApi: createAdminApi(logger), logger };
  const companions = startCompanionJobs(context);
  logger.info({ companions: companions.map((c) => c.name) }, "sync worker starting");
  await runWorkerProcess({ prisma, configProvider: createShopConfigProvider(prisma), logger, companions, settings: { ...worker, workerId } });
  logger.info("sync worker stopped");
}
