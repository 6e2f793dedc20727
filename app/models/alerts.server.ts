// The Settings page's "Alerts" card: what is saved (the webhook only as its
// host) and whether e-mail can be offered on this server (SMTP_URL set).
import type { PrismaClient } from "@prisma/client";
import { emailAlertsConfigured } from "../alerts/alert-senders.server";
import { alertSettingsFormSchema, loadAlertSettings, saveAlertSettings, type AlertSettingsView } from "../alerts/alert-settings.server";

export interface AlertsCardData {
  settings: AlertSettingsView;
  emailAvailable: boolean;
}

export async function loadAlertsCard(prisma: PrismaClient, shop: string): Promise<AlertsCardData> {
  return { settings: await loadAlertSettings(prisma, shop), emailAvailable: emailAlertsConfigured() };
}

export type SaveAlertsResult = { ok: true; message: string; card: AlertsCardData } | { ok: false; message: string; fieldErrors: Record<string, string> };

export async function saveAlertsFromForm(prisma: PrismaClient, shop: string, body: unknown): Promise<SaveAlertsResult> {
  const parsed = alertSettingsFormSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: "The form could not be read. Reload the page.", fieldErrors: {} };
  const result = await saveAlertSettings(prisma, shop, parsed.data, { emailAvailable: emailAlertsConfigured() });
  if (!result.ok) return { ok: false, message: "Alert settings were not saved. Correct the marked fields.", fieldErrors: result.fieldErrors };
  return { ok: true, message: "Alert settings saved", card: await loadAlertsCard(prisma, shop) };
}
