// Entry point of the worker process (bundled to build/worker/index.js).
import { main } from "./worker.server";

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
