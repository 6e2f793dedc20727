// Dates, durations and state names in plain words for the merchant pages.
// Times are shown in the browser's locale; the server renders UTC so the
// first paint and hydration agree, then the client switches (see useClientTime).

export const STATE_LABELS: Record<string, string> = {
  pending: "Waiting",
  sending: "Sending",
  synced: "Synced",
  retrying: "Retrying",
  needs_attention: "Needs attention",
  failed: "Failed",
  skipped: "Skipped",
  resolved: "Resolved",
};

export const OPERATION_LABELS: Record<string, string> = {
  create: "Create",
  update: "Update",
  cancel: "Cancel",
  refund: "Refund",
  none: "Nothing due",
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? "UTC",
  }).format(date) + (timeZone ? "" : " UTC");
}

/** "3 minutes", "2 hours", "4 days": how long something has been waiting. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? "" : "s"}`;
}

export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  return `${formatDuration(now - new Date(iso).getTime())} ago`;
}
