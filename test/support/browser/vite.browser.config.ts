// Production build of the app for the browser tests, into its own folder
// (BROWSER_TEST_BUILD_DIR) so it never overwrites a developer's build/.
// Same Remix options as vite.config.ts; no dev-server settings.
import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

const root = path.resolve(__dirname, "../../..");

export default defineConfig({
  root,
  logLevel: "warn",
  plugins: [
    remix({
      appDirectory: path.join(root, "app"),
      buildDirectory: process.env.BROWSER_TEST_BUILD_DIR ?? path.join(root, "build-browser-test"),
      ignoredRouteFiles: ["**/.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths({ root }),
  ],
  build: { assetsInlineLimit: 0 },
});
