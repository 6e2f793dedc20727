// A shop's alert settings (AlertSettings): who to tell and when. The webhook
// URL is a credential (whoever has it can post to the channel), so it is
// stored encrypted like connector secrets and never sent back to the browser:
// the form shows only its host. It must pass the outbound URL guard.
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { decryptString, encryptString } from "../security/crypto.server";
import { checkOutboundUrl, configuredUrlGuard, type UrlGuardOptions } from "../security/url-guard.server";

export const DEFAULT_ATTENTION_THRESHOLD = 10;
const MAX_EMAILS = 5;

export interface AlertSettingsView {
  emails: string;
  webhookSet: boolean;
  /** Host of the saved webhook (e.g. hooks.slack.com), to recognise it. */
  webhookHost: string | null;
  webhookUnreadable: boolean;
  attentionThreshold: number;
  noSyncMinutes: number | null;
  /** Delivery health thresholds (app/health/), null = off. */
  lostWebhookPercent: number | null;
  lagMinutes: number | null;
  backlogMinutes: number | null;
  lastAlertAt: string | null;
  lastAlertReason: string | null;
}

export const alertSettingsFormSchema = z.object({
  emails: z.string().default(""),
  /** Empty: keep the saved webhook (unless removeWebhook). */
  webhookUrl: z.string().default(""),
  removeWebhook: z.boolean().default(false),
  attentionThreshold: z.union([z.string(), z.number()]).default(String(DEFAULT_ATTENTION_THRESHOLD)),
  noSyncMinutes: z.union([z.string(), z.number()]).default(""),
  lostWebhookPercent: z.union([z.string(), z.number()]).default(""),
  lagMinutes: z.union([z.string(), z.number()]).default(""),
  backlogMinutes: z.union([z.string(), z.number()]).default(""),
});
export type AlertSettingsForm = z.input<typeof alertSettingsFormSchema>;

export type SaveAlertSettingsResult = { ok: true; settings: AlertSettingsView } | { ok: false; fieldErrors: Record<string, string> };

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export function splitEmails(text: string | null): string[] {
  return (text ?? "")
    .split(/[,;\s]+/)
    .map((e) => e.trim())
    .filter(Boolean);
}

export async function loadAlertSettings(prisma: PrismaClient, shop: string): Promise<AlertSettingsView> {
  const row = await prisma.alertSettings.findUnique({ where: { shop } });
  let webhookHost: string | null = null;
  let webhookUnreadable = false;
  if (row?.webhookUrl) {
    try {
      webhookHost = hostOf(decryptString(shop, row.webhookUrl));
    } catch {
      webhookUnreadable = true;
    }
  }
  return {
    emails: splitEmails(row?.email ?? null).join(", "),
    webhookSet: Boolean(row?.webhookUrl),
    webhookHost,
    webhookUnreadable,
    attentionThreshold: row?.attentionThreshold ?? DEFAULT_ATTENTION_THRESHOLD,
    noSyncMinutes: row?.noSyncMinutes ?? null,
    lostWebhookPercent: row?.lostWebhookPercent ?? null,
    lagMinutes: row?.lagMinutes ?? null,
    backlogMinutes: row?.backlogMinutes ?? null,
    lastAlertAt: row?.lastAlertAt?.toISOString() ?? null,
    lastAlertReason: row?.lastAlertReason ?? null,
  };
}

/** The decrypted targets, for the alert job only. */
export async function loadAlertTargets(prisma: PrismaClient, shop: string) {
  const row = await prisma.alertSettings.findUnique({ where: { shop } });
  if (!row) return null;
  let webhookUrl: string | null = null;
  let webhookProblem: string | null = null;
  if (row.webhookUrl) {
    try {
      webhookUrl = decryptString(shop, row.webhookUrl);
    } catch {
      webhookProblem = "The saved alert webhook cannot be read with the app's current encryption key. Enter the webhook address again in Settings.";
    }
  }
  return { row, emails: splitEmails(row.email), webhookUrl, webhookProblem };
}

function wholeNumber(value: string | number, min: number, max: number): number | null {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export async function saveAlertSettings(
  prisma: PrismaClient,
  shop: string,
  input: AlertSettingsForm,
  options: { guard?: UrlGuardOptions; emailAvailable?: boolean } = {},
): Promise<SaveAlertSettingsResult> {
  const form = alertSettingsFormSchema.parse(input);
  const fieldErrors: Record<string, string> = {};

  const emails = splitEmails(form.emails);
  const badEmail = emails.find((e) => !z.email().safeParse(e).success);
  if (badEmail) fieldErrors.emails = `"${badEmail}" is not an e-mail address. Separate several addresses with commas.`;
  else if (emails.length > MAX_EMAILS) fieldErrors.emails = `Enter at most ${MAX_EMAILS} addresses, or use a shared mailbox.`;
  else if (emails.length > 0 && options.emailAvailable === false) {
    fieldErrors.emails = "E-mail alerts are not set up on this app's server yet (no SMTP server). Use a chat webhook, or ask the app's support to set up e-mail.";
  }

  const webhookText = form.webhookUrl.trim();
  let webhookEnvelope: string | null | undefined; // undefined = keep
  if (form.removeWebhook) webhookEnvelope = null;
  if (webhookText) {
    const verdict = await checkOutboundUrl(webhookText, { ...(options.guard ?? configuredUrlGuard()) });
    // The guard speaks of "the ERP address"; here it is the chat webhook's.
    if (!verdict.ok) fieldErrors.webhookUrl = webhookWords(verdict.message);
    else if (verdict.url.protocol !== "https:" && !(options.guard ?? configuredUrlGuard()).allowPrivate) {
      fieldErrors.webhookUrl = "Use the https:// address your chat tool gives you for incoming webhooks.";
    } else webhookEnvelope = encryptString(shop, verdict.url.href);
  }

  const threshold = wholeNumber(form.attentionThreshold, 0, 100_000);
  if (threshold === null) fieldErrors.attentionThreshold = "Enter a whole number (0 turns this alert off).";
  const noSyncText = String(form.noSyncMinutes).trim();
  const noSync = noSyncText === "" ? null : wholeNumber(noSyncText, 10, 10_080);
  if (noSyncText !== "" && noSync === null) fieldErrors.noSyncMinutes = "Enter minutes between 10 and 10080 (one week), or leave empty to turn this alert off.";

  // Delivery health thresholds: empty turns each off.
  const optional = (key: "lostWebhookPercent" | "lagMinutes" | "backlogMinutes", min: number, max: number, words: string) => {
    const text = String(form[key]).trim();
    if (text === "") return null;
    const n = wholeNumber(text, min, max);
    if (n === null) fieldErrors[key] = words;
    return n;
  };
  const lostWebhookPercent = optional("lostWebhookPercent", 1, 100, "Enter a whole percentage between 1 and 100, or leave empty to turn this alert off.");
  const lagMinutes = optional("lagMinutes", 1, 10_080, "Enter minutes between 1 and 10080 (one week), or leave empty to turn this alert off.");
  const backlogMinutes = optional("backlogMinutes", 5, 43_200, "Enter minutes between 5 and 43200 (30 days), or leave empty to turn this alert off.");

  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const data = {
    email: emails.length ? emails.join(", ") : null,
    attentionThreshold: threshold!,
    noSyncMinutes: noSync,
    lostWebhookPercent,
    lagMinutes,
    backlogMinutes,
    ...(webhookEnvelope !== undefined ? { webhookUrl: webhookEnvelope } : {}),
  };
  await prisma.alertSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return { ok: true, settings: await loadAlertSettings(prisma, shop) };
}

/** The URL guard's refusal in the chat webhook's words (it is written for ERP addresses). */
export function webhookWords(message: string): string {
  return message
    .replaceAll("The ERP address", "The chat webhook address")
    .replaceAll("ERP server", "webhook server")
    .replaceAll("where your ERP is reachable", "where your chat tool is reachable")
    .replaceAll("under which your ERP is reachable", "your chat tool gives you");
}
