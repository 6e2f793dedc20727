// Entry point of the worker process (bundled to build/worker/index.js). A
// configuration problem stops it while loading (app/config.server.ts says
// which variable); anything that ends main() is logged like every error.
import { createLogger } from "./logging/logger";
import { main } from "./worker.server";

main().then(
  () => process.exit(0),
  (error) => {
    createLogger({ base: { process: "worker" } }).fatal({ err: error }, "sync worker stopped with an error");
    process.exit(1);
  },
);
