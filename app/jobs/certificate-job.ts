// Completeness certificates in the worker process: every minute it asks for
// yesterday's certificate of each syncing shop (once, an hour into the UTC
// day) and computes the certificates waiting, staff's requests included
// (app/certificate/), and deletes certificates past their retention (400
// days). One at a time: a certificate lists a day's orders from the Admin
// API and reads them back from the ERP, which is enough load.
import type { PrismaClient } from "@prisma/client";
import type { AlertSenders } from "../alerts/alert-check.server";
import { createEmailSender, createWebhookSender } from "../alerts/alert-senders.server";
import { claimNextCertificate, purgeOldCertificates, scheduleDailyCertificates } from "../certificate/certificate-store.server";
import { runCertificate } from "../certificate/run-certificate.server";
import type { Logger } from "../logging/logger";
import type { AdminClient } from "../shopify-admin/admin-client";
import type { ShopConfigProvider } from "../sync/shop-config";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";
import { listSyncingShops } from "./syncing-shops";

export interface CertificateJobOptions {
  prisma: PrismaClient;
  adminApi: { forShop(shop: string): AdminClient };
  configProvider: ShopConfigProvider;
  logger: Logger;
  senders?: AlertSenders;
  everyMs?: number;
  now?: () => Date;
  listShops?: () => Promise<string[]>;
}

export interface CertificateJob extends BackgroundJob {
  /** One round: schedule the daily ones, then compute every waiting certificate. */
  round(signal?: AbortSignal): Promise<number>;
}

export function startCertificateJob(options: CertificateJobOptions): CertificateJob {
  const { prisma, logger } = options;
  const now = options.now ?? (() => new Date());
  const senders = options.senders ?? { webhook: createWebhookSender(), email: createEmailSender() };
  const listShops = options.listShops ?? (() => listSyncingShops(prisma));

  const round = async (signal?: AbortSignal) => {
    await scheduleDailyCertificates(prisma, await listShops(), now());
    await purgeOldCertificates(prisma, now());
    let done = 0;
    while (!signal?.aborted) {
      const row = await claimNextCertificate(prisma, now());
      if (!row) break;
      const config = await options.configProvider.forShop(row.shop).catch(() => null);
      await runCertificate({ prisma, admin: options.adminApi.forShop(row.shop), connector: config?.connector ?? null, senders, logger, now, signal }, row);
      done++;
    }
    return done;
  };

  const loop = startPollingLoop({ name: "certificates", everyMs: options.everyMs ?? 60_000, round: async (signal) => void (await round(signal)), logger });
  return {
    name: "certificates",
    round,
    async stop() {
      await loop.stop();
      (options.configProvider as Partial<{ dispose(): void }>).dispose?.();
    },
  };
}
