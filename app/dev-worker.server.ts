// Development convenience: run the sync worker inside the web process, so
// `shopify app dev` alone syncs orders. Production runs `npm run worker` as
// its own process(es) instead (SYNC_WORKER_IN_PROCESS is ignored there).
import { main as runWorker } from "./worker.server";

declare global {
  // Vite's dev server re-imports modules on change; start the worker once.
  var inProcessWorkerStarted: boolean | undefined;
}

export function startInProcessWorkerForDevelopment(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NODE_ENV !== "development" || env.SYNC_WORKER_IN_PROCESS === "false") return false;
  if (globalThis.inProcessWorkerStarted) return false;
  globalThis.inProcessWorkerStarted = true;
  void runWorker().catch((error) => console.error("in-process sync worker stopped with an error", error));
  return true;
}
