// The dashboard's delivery-health panel for one shop: the figures
// (app/health/), the thresholds the merchant set for alerts, and which of
// them hold now, in one object the card renders.
import type { PrismaClient } from "@prisma/client";
import { healthReasonsThatHold, type DeliveryHealth, type HealthReason, type HealthThresholds } from "../health/delivery-health";
import { loadDeliveryHealth } from "../health/delivery-health.server";

export interface DeliveryHealthPanel {
  health: DeliveryHealth;
  thresholds: HealthThresholds;
  /** Thresholds crossed right now (the alert job tells staff once each way). */
  holding: HealthReason[];
}

export async function loadDeliveryHealthPanel(prisma: PrismaClient, shop: string, now = new Date()): Promise<DeliveryHealthPanel> {
  const [health, settings] = await Promise.all([
    loadDeliveryHealth(prisma, shop, now),
    prisma.alertSettings.findUnique({ where: { shop }, select: { lostWebhookPercent: true, lagMinutes: true, backlogMinutes: true } }),
  ]);
  const thresholds: HealthThresholds = {
    lostWebhookPercent: settings?.lostWebhookPercent ?? null,
    lagMinutes: settings?.lagMinutes ?? null,
    backlogMinutes: settings?.backlogMinutes ?? null,
  };
  return { health, thresholds, holding: healthReasonsThatHold(health, thresholds) };
}
