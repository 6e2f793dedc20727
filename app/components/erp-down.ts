// The dashboard's words for an ERP outage (the shop's circuit breaker is
// open, app/sync/delivery/erp-breaker.ts): since when the ERP has not answered and
// what happens to the orders meanwhile. Shared by the page and its tests.

/** "14:02 UTC" on the day itself, "Dec 1, 14:02 UTC" on another day (UTC, as the server renders it). */
export function formatSince(iso: string, now: Date): string {
  const at = new Date(iso);
  const time = `${at.toISOString().slice(11, 16)} UTC`;
  if (at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  const day = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" }).format(at);
  return `${day}, ${time}`;
}

export function erpDownTitle(sinceIso: string, waitingCount: number, now: Date): string {
  const waiting = waitingCount === 1 ? "1 order is waiting" : `${waitingCount} orders are waiting`;
  return `Your ERP is not answering since ${formatSince(sinceIso, now)}; ${waiting} and will be sent when it answers`;
}
