// Load and save one shop's settings: which ERP connector, its fields (secret
// ones encrypted, never sent to the browser), sync rules, the external-id
// prefix and how long the sync log is kept. Every function takes the shop and
// reads or writes only that shop's row. Results carry per-field messages in
// plain words so the settings form can show them next to the field.
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { ConnectorConfigError, type ConnectorConfigField, type ConnectorDescription } from "../connectors/port";
import { CONNECTORS, connectorDefinition, type ConnectorCatalog } from "../connectors/index";
import { parseSyncRules, syncRulesSchema, type SyncRules } from "../sync/order/sync-rules";
import { DecryptionError, decryptSecrets, encryptSecrets, getKeyring, type Keyring, type SecretValues } from "../security/crypto.server";
import { checkOutboundUrl, configuredUrlGuard, type UrlGuardOptions } from "../security/url-guard.server";
import { notifyShopSettingsChanged } from "./settings-events.server";

export const NO_CONNECTOR = "none";

/**
 * Shown in place of a stored secret. When the form posts this (or nothing)
 * back, the stored secret is kept.
 */
export const SECRET_MASK = "••••••••";

export interface SettingsDeps {
  urlGuard?: UrlGuardOptions;
  keyring?: Keyring;
  /** The connectors on offer (default: app/connectors/index.ts). */
  connectors?: ConnectorCatalog;
}

export type SaveResult = { ok: true } | { ok: false; fieldErrors: Record<string, string>; formError?: string };

export interface SecretFieldView {
  isSet: boolean;
  /** SECRET_MASK when set, else null. Never any part of the secret itself. */
  hint: string | null;
}

export interface ShopSettingsView {
  shop: string;
  connectorType: string;
  /** Non-secret connector fields, with the connector's defaults filled in. */
  values: Record<string, string>;
  /** One entry per secret field of the chosen connector. */
  secrets: Record<string, SecretFieldView>;
  /** Set when stored credentials cannot be decrypted (e.g. the key changed): they must be entered again. */
  secretsProblem: string | null;
  externalIdPrefix: string;
  logRetentionDays: number;
  syncRules: SyncRules;
  /** Connectors the merchant can choose from, with their form fields. */
  availableConnectors: ConnectorDescription[];
}

/** Non-secret connector values as stored in ShopSettings.connectorConfig (strings only). */
export function parseStoredConfig(json: string | null | undefined): Record<string, string> {
  try {
    const value: unknown = JSON.parse(json ?? "{}");
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

function isVisible(field: ConnectorConfigField, values: Record<string, string | undefined>): boolean {
  if (!field.visibleWhen) return true;
  return field.visibleWhen.values.includes(values[field.visibleWhen.key] ?? "");
}

/** Everything the settings page needs, with secrets reduced to "set / not set". */
export async function loadShopSettingsView(
  prisma: PrismaClient,
  shop: string,
  deps: SettingsDeps = {},
): Promise<ShopSettingsView> {
  const row = await prisma.shopSettings.findUnique({ where: { shop } });
  const connectorType = row?.connectorType ?? NO_CONNECTOR;
  const description = connectorDefinition(connectorType, deps.connectors)?.describe() ?? null;
  const stored = parseStoredConfig(row?.connectorConfig);

  let storedSecrets: SecretValues = {};
  let secretsProblem: string | null = null;
  if (row?.connectorSecrets) {
    try {
      storedSecrets = decryptSecrets(shop, row.connectorSecrets, deps.keyring ?? getKeyring());
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      secretsProblem =
        "The saved passwords and keys for your ERP can no longer be read (the app's encryption key was changed). Enter them again and save.";
    }
  }

  const values: Record<string, string> = {};
  const secrets: Record<string, SecretFieldView> = {};
  for (const field of description?.fields ?? []) {
    if (field.secret) {
      const isSet = Boolean(storedSecrets[field.key]);
      secrets[field.key] = { isSet, hint: isSet ? SECRET_MASK : null };
    } else {
      values[field.key] = stored[field.key] ?? field.defaultValue ?? "";
    }
  }

  return {
    shop,
    connectorType: description ? connectorType : NO_CONNECTOR,
    values,
    secrets,
    secretsProblem,
    externalIdPrefix: row?.externalIdPrefix ?? "shopify-",
    logRetentionDays: row?.logRetentionDays ?? 30,
    syncRules: parseSyncRules(row?.syncRules),
    availableConnectors: Object.values(deps.connectors ?? CONNECTORS).map((d) => d.describe()),
  };
}

export interface ConnectorSettingsInput {
  connectorType: string;
  /** Form values by field key; secret fields may hold SECRET_MASK or "" to keep what is stored. */
  values: Record<string, string | undefined>;
  /** Optional secret fields the merchant explicitly wants removed. */
  clearSecrets?: string[];
}

/**
 * Validates and stores the connector choice and its fields. Nothing is written
 * unless everything is valid, so a half-filled form never breaks a working setup.
 */
export async function saveConnectorSettings(
  prisma: PrismaClient,
  shop: string,
  input: ConnectorSettingsInput,
  deps: SettingsDeps = {},
): Promise<SaveResult> {
  if (input.connectorType === NO_CONNECTOR) {
    await prisma.shopSettings.upsert({
      where: { shop },
      create: { shop, connectorType: NO_CONNECTOR, connectorConfig: "{}", connectorSecrets: null },
      update: { connectorType: NO_CONNECTOR, connectorConfig: "{}", connectorSecrets: null },
    });
    notifyShopSettingsChanged(shop);
    return { ok: true };
  }

  const definition = connectorDefinition(input.connectorType, deps.connectors);
  if (!definition) {
    return { ok: false, fieldErrors: { connectorType: "Choose your ERP from the list." }, formError: "Choose your ERP from the list." };
  }
  const description = definition.describe();
  const keyring = deps.keyring ?? getKeyring();

  const row = await prisma.shopSettings.findUnique({ where: { shop } });
  // Secrets are only carried over within the same connector type.
  let storedSecrets: SecretValues = {};
  if (row?.connectorSecrets && row.connectorType === input.connectorType) {
    try {
      storedSecrets = decryptSecrets(shop, row.connectorSecrets, keyring);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      // Unreadable: treated as not set, so required secrets must be entered again.
    }
  }

  const trimmed: Record<string, string | undefined> = {};
  for (const field of description.fields) {
    const value = input.values[field.key];
    trimmed[field.key] = typeof value === "string" ? value.trim() : undefined;
  }

  const config: Record<string, string> = {};
  const secrets: SecretValues = {};
  const clear = new Set(input.clearSecrets ?? []);
  for (const field of description.fields) {
    // Values of fields hidden by the current choices (e.g. a bearer token after
    // switching to Basic sign-in) are not kept: no stale credentials at rest.
    if (!isVisible(field, trimmed)) continue;
    const value = trimmed[field.key];
    if (field.secret) {
      const keepStored = value === undefined || value === "" || value === SECRET_MASK;
      const secret = keepStored ? (clear.has(field.key) ? undefined : storedSecrets[field.key]) : value;
      if (secret) secrets[field.key] = secret;
    } else if (value) {
      config[field.key] = value;
    }
  }

  const fieldErrors: Record<string, string> = {};
  const guard = deps.urlGuard ?? configuredUrlGuard();
  for (const field of description.fields) {
    const value = config[field.key];
    if (field.type !== "url" || !value) continue;
    const verdict = await checkOutboundUrl(value, guard);
    if (!verdict.ok) fieldErrors[field.key] = verdict.message;
  }
  try {
    definition.parseConfig({ ...config, ...secrets });
  } catch (error) {
    if (!(error instanceof ConnectorConfigError)) throw error;
    for (const [key, message] of Object.entries(error.fieldErrors)) fieldErrors[key] ??= message;
  }
  if (Object.keys(fieldErrors).length > 0) {
    return { ok: false, fieldErrors, formError: "Some settings need your attention. Correct the marked fields and save again." };
  }

  const data = {
    connectorType: input.connectorType,
    connectorConfig: JSON.stringify(config),
    connectorSecrets: Object.keys(secrets).length > 0 ? encryptSecrets(shop, secrets, keyring) : null,
  };
  await prisma.shopSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  notifyShopSettingsChanged(shop);
  return { ok: true };
}

const generalSettingsSchema = z.object({
  externalIdPrefix: z
    .string({ error: "Enter a prefix, for example shopify-." })
    .trim()
    .min(1, "Enter a prefix, for example shopify-. It keeps these orders apart from others in your ERP.")
    .max(20, "Use at most 20 characters for the prefix.")
    .regex(/^[A-Za-z0-9._-]+$/, "Use only letters, digits, dashes (-), underscores (_) and dots (.) in the prefix."),
  logRetentionDays: z.coerce
    .number({ error: "Enter a number of days, for example 30." })
    .int("Enter a whole number of days.")
    .min(1, "Keep the sync log for at least 1 day.")
    .max(730, "Keep the sync log for at most 730 days (2 years)."),
});

export interface GeneralSettingsInput {
  externalIdPrefix: unknown;
  logRetentionDays: unknown;
  /**
   * Changing the prefix after orders were sent means new orders get a
   * different kind of reference in the ERP; the merchant must confirm that.
   */
  confirmPrefixChange?: boolean;
}

function firstMessages(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[issue.path.map(String).join(".") || "_form"] ??= issue.message;
  return fieldErrors;
}

export async function saveGeneralSettings(
  prisma: PrismaClient,
  shop: string,
  input: GeneralSettingsInput,
): Promise<SaveResult> {
  const parsed = generalSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: firstMessages(parsed.error) };
  const { externalIdPrefix, logRetentionDays } = parsed.data;

  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { externalIdPrefix: true } });
  if (row && row.externalIdPrefix !== externalIdPrefix && !input.confirmPrefixChange) {
    const sentOrders = await prisma.orderSync.count({
      where: { shop, OR: [{ erpDocumentId: { not: null } }, { createMaybeSent: true }] },
    });
    if (sentOrders > 0) {
      return {
        ok: false,
        fieldErrors: {
          externalIdPrefix:
            `${sentOrders} order(s) are already in your ERP with the prefix "${row.externalIdPrefix}". ` +
            `They keep it; only new orders will use "${externalIdPrefix}". Confirm the change to save it.`,
        },
      };
    }
  }

  await prisma.shopSettings.upsert({
    where: { shop },
    create: { shop, externalIdPrefix, logRetentionDays },
    update: { externalIdPrefix, logRetentionDays },
  });
  notifyShopSettingsChanged(shop);
  return { ok: true };
}

/** Trims tag / channel / status lists and drops empty entries before validation. */
function tidyLists(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    return raw.map((v) => (typeof v === "string" ? v.trim() : v)).filter((v) => v !== "");
  }
  if (raw && typeof raw === "object") {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, tidyLists(v)]));
  }
  return raw;
}

export async function saveSyncRules(prisma: PrismaClient, shop: string, raw: unknown): Promise<SaveResult> {
  const parsed = syncRulesSchema.safeParse(tidyLists(raw));
  if (!parsed.success) return { ok: false, fieldErrors: firstMessages(parsed.error) };
  const syncRules = JSON.stringify(parsed.data);
  await prisma.shopSettings.upsert({ where: { shop }, create: { shop, syncRules }, update: { syncRules } });
  notifyShopSettingsChanged(shop);
  return { ok: true };
}
