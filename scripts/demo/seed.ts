// A fresh demo database: migrations applied with the real `prisma migrate
// deploy`, an installed demo shop with an offline session (what Shopify's
// install would leave behind), and its ERP connection saved through the real
// settings code, the same path the Settings page uses.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { saveConnectorSettings } from "../../app/settings/shop-settings.server";
import { markShopInstalled } from "../../app/shops/shop-lifecycle.server";

const root = path.resolve(__dirname, "../..");

/** Deletes the file (and its WAL companions) and applies every migration. */
export function freshDatabase(file: string): string {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
  const url = `file:${file}`;
  const result = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  // The app's connections switch the file to WAL on first use (app/db/sqlite/adapter.ts).
  return url;
}

export interface DemoShopSeed {
  shop: string;
  accessToken: string;
  scopes: string;
  erpUrl: string;
  erpSigningSecret: string;
}

export async function seedDemoShop(prisma: PrismaClient, seed: DemoShopSeed): Promise<void> {
  const day = 24 * 3600_000;
  await prisma.session.create({
    data: {
      id: `offline_${seed.shop}`,
      shop: seed.shop,
      state: "installed",
      isOnline: false,
      scope: seed.scopes,
      accessToken: seed.accessToken,
      // Expiring offline tokens (as the app requests); far enough ahead that
      // the library never tries to refresh during a demo.
      expires: new Date(Date.now() + 30 * day),
      refreshToken: "shprt_demo_refresh",
      refreshTokenExpires: new Date(Date.now() + 90 * day),
    },
  });
  await markShopInstalled(prisma, seed.shop);
  const saved = await saveConnectorSettings(prisma, seed.shop, {
    connectorType: "generic-http",
    values: { baseUrl: seed.erpUrl, authType: "none", signingSecret: seed.erpSigningSecret, maxConcurrency: "4", requestsPerMinute: "600" },
  });
  if (!saved.ok) throw new Error(`Demo ERP settings were refused: ${JSON.stringify(saved)}`);
}
