// Delivering an alert: a Slack-compatible incoming webhook (POST
// {"text": "..."}, which Slack, Mattermost, Rocket.Chat, Google Chat and
// Teams workflows accept) through the outbound URL guard, and/or e-mail over
// SMTP_URL with nodemailer. Errors never carry the webhook URL: its path is
// the secret that lets anyone post to the channel.
import nodemailer from "nodemailer";
import { config } from "../config.server";
import { createGuardedFetch, configuredUrlGuard, RedirectRefusedError, type GuardedFetchOptions } from "../security/url-guard.server";
import type { AlertMessage } from "./alert-message";

export class AlertDeliveryError extends Error {
  constructor(
    readonly channel: "webhook" | "email",
    message: string,
  ) {
    super(message);
    this.name = "AlertDeliveryError";
  }
}

export interface WebhookSenderOptions {
  /** fetch the guard wraps (tests inject nothing: loopback with ALLOW_PRIVATE_ERP_URLS). */
  baseFetch?: typeof fetch;
  guard?: GuardedFetchOptions;
  timeoutMs?: number;
}

export function createWebhookSender(options: WebhookSenderOptions = {}) {
  const guarded = createGuardedFetch(options.baseFetch ?? globalThis.fetch, options.guard ?? configuredUrlGuard());
  return async (url: string, message: AlertMessage): Promise<void> => {
    const host = (() => {
      try {
        return new URL(url).host;
      } catch {
        return "an invalid address";
      }
    })();
    let response: Response;
    try {
      response = await guarded(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: message.text }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      if (error instanceof RedirectRefusedError) {
        throw new AlertDeliveryError(
          "webhook",
          `Alert webhook at ${host} answered with a redirect, which the app does not follow. Enter the webhook's final address in Settings.`,
        );
      }
      const reason = error instanceof Error && "userMessage" in error ? String((error as { userMessage: unknown }).userMessage) : "no answer";
      throw new AlertDeliveryError("webhook", `Alert webhook at ${host} could not be reached (${reason}).`);
    }
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new AlertDeliveryError("webhook", `Alert webhook at ${host} answered HTTP ${response.status}.`);
  };
}

export interface EmailSenderOptions {
  /** smtp://user:pass@host:587 or smtps://…; unset = e-mail alerts are off. */
  smtpUrl?: string;
  from?: string;
}

export function emailAlertsConfigured(): boolean {
  return Boolean(config().alerts.smtpUrl);
}

/** null when SMTP_URL is not set: e-mail alerts are then not available. */
export function createEmailSender(options: EmailSenderOptions = { smtpUrl: config().alerts.smtpUrl, from: config().alerts.emailFrom }) {
  if (!options.smtpUrl) return null;
  const transport = nodemailer.createTransport(options.smtpUrl);
  const from = options.from || "ERP Order Sync <alerts@localhost>";
  return async (to: string[], message: AlertMessage): Promise<void> => {
    try {
      await transport.sendMail({ from, to, subject: message.subject, text: message.text });
    } catch (error) {
      const code = (error as { code?: string; responseCode?: number }).responseCode ?? (error as { code?: string }).code ?? "error";
      throw new AlertDeliveryError("email", `Alert e-mail could not be sent (SMTP ${code}).`);
    }
  };
}
