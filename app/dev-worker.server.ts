// Development convenience: run the sync worker inside the web process, so
// `shopify app dev` alone syncs orders. Production runs `npm run worker` as
// its own process(es) instead (SYNC_WORKER_IN_PROCESS is ignored there).
import { config, type AppConfig } from "./config.server";
import { logger } from "./logger.server";
import { main as runWorker } from "./worker.server";

declare global {
  // Vite's dev server re-imports modules on change; start the worker once.
  var inProcessWorkerStarted: boolean | undefined;
}

export function startInProcessWorkerForDevelopment(settings: AppConfig = config()): boolean {
  if (settings.nodeEnv !== "development" || !settings.syncWorkerInProcess) return false;
  if (globalThis.inProcessWorkerStarted) return false;
  globalThis.inProcessWorkerStarted = true;
  void runWorker().catch((error) => logger.error({ err: error }, "in-process sync worker stopped with an error"));
  return true;
}
