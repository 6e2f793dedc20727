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
