// The Settings page's form as the merchant edits it (connector, order
// references and log, sync rules), how it starts from what is stored, and the
// body Save sends. Shared by the page (route.tsx) and its cards.
import type { Dispatch, SetStateAction } from "react";
import type { useLoaderData } from "@remix-run/react";
import type { ConnectorConfigField } from "../../connectors/port";
import type { SyncRules } from "../../sync/order/sync-rules";
import type { loader } from "./route";

export type SettingsData = ReturnType<typeof useLoaderData<typeof loader>>;

export interface FormState {
  connectorType: string;
  values: Record<string, string>;
  externalIdPrefix: string;
  logRetentionDays: string;
  confirmPrefixChange: boolean;
  rules: SyncRules;
  /** Tag / channel / status lists as the comma-separated text the merchant types. */
  lists: { includeTags: string; excludeTags: string; salesChannels: string; financialStatuses: string };
}

export function initialState(data: SettingsData): FormState {
  const s = data.settings;
  const secretValues = Object.fromEntries(Object.keys(s.secrets).map((k) => [k, ""]));
  return {
    connectorType: s.connectorType,
    values: { ...s.values, ...secretValues },
    externalIdPrefix: s.externalIdPrefix,
    logRetentionDays: String(s.logRetentionDays),
    confirmPrefixChange: false,
    rules: s.syncRules,
    lists: {
      includeTags: s.syncRules.filters.includeTags.join(", "),
      excludeTags: s.syncRules.filters.excludeTags.join(", "),
      salesChannels: s.syncRules.filters.salesChannels.join(", "),
      financialStatuses: s.syncRules.filters.financialStatuses.join(", "),
    },
  };
}

/**
 * The form after the stored settings changed underneath it (a save's
 * revalidation, another tab's save): every part the merchant has not touched
 * since `before` takes the stored value, every part they edited keeps their
 * input. A revalidation that lands while they type must not undo what they
 * typed (it did, on a slow connection, right after a save).
 */
export function withStoredChanges<T>(before: T, stored: T, current: T): T {
  if (JSON.stringify(current) === JSON.stringify(before)) return stored;
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isRecord(before) || !isRecord(stored) || !isRecord(current)) return current;
  const merged: Record<string, unknown> = { ...current };
  for (const key of Object.keys(stored)) merged[key] = withStoredChanges(before[key], stored[key], current[key]);
  return merged as T;
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

export function isVisible(field: ConnectorConfigField, values: Record<string, string>): boolean {
  return !field.visibleWhen || field.visibleWhen.values.includes(values[field.visibleWhen.key] ?? "");
}

/** The JSON body of "Save": every section at once, lists split into their values. */
export function saveBody(form: FormState) {
  return {
    intent: "save",
    connector: { connectorType: form.connectorType, values: form.values },
    general: { externalIdPrefix: form.externalIdPrefix, logRetentionDays: form.logRetentionDays, confirmPrefixChange: form.confirmPrefixChange },
    syncRules: {
      ...form.rules,
      filters: {
        ...form.rules.filters,
        includeTags: splitList(form.lists.includeTags),
        excludeTags: splitList(form.lists.excludeTags),
        salesChannels: splitList(form.lists.salesChannels),
        financialStatuses: splitList(form.lists.financialStatuses),
      },
    },
  };
}

/** What a card of the page's one form gets: the form, a way to change it, and the messages of the last save. */
export interface FormSectionProps {
  form: FormState;
  setForm: Dispatch<SetStateAction<FormState>>;
  error(key: string): string | undefined;
}
