// Bundles the worker process (app/worker.entry.ts) for production, next to
// the Remix build: `npm run build` makes both, `npm run worker` runs it.
// Dependencies stay external (node_modules), as in the Remix server build.
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  build: {
    ssr: "app/worker.entry.ts",
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node22",
    rollupOptions: { output: { entryFileNames: "index.js", format: "esm" } },
  },
});
