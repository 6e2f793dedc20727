// What `npm run bench:erp` measured per connector, and how it is printed:
// requests per order (new and returning customers), orders per 5 minutes
// against the bound the request limit allows (requests per 5 minutes ÷
// requests per order), and the 429 answers the run caused.

export interface PhaseReport {
  label: string;
  orders: number;
  seconds: number;
  /** Requests the ERP accepted (429 refusals not included). */
  requests: number;
  /** 429 answers. */
  refused: number;
  /** Look-ups sent inside `$batch` requests (each batch counts as one request). */
  batchedLookups?: number;
  /** JSON-RPC requests by method (Tryton). */
  byMethod?: Map<string, number>;
}

export interface ConnectorReport {
  name: string;
  phases: PhaseReport[];
  /** The limits the run was held to, in words. */
  limitText: string;
  /** The request limit as requests per 5 minutes. */
  requestsPer5Minutes: number;
  maxInFlight?: number;
  maxConcurrent?: number;
  documents?: number;
  duplicates?: number;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);
const pad = (text: string | number, width: number) => String(text).padStart(width);

export function printReport(report: ConnectorReport): void {
  const all: PhaseReport = {
    label: "all",
    orders: report.phases.reduce((s, p) => s + p.orders, 0),
    seconds: report.phases.reduce((s, p) => s + p.seconds, 0),
    requests: report.phases.reduce((s, p) => s + p.requests, 0),
    refused: report.phases.reduce((s, p) => s + p.refused, 0),
    batchedLookups: report.phases.reduce((s, p) => s + (p.batchedLookups ?? 0), 0),
  };
  console.log(`\n${report.name} — ${report.limitText}`);
  console.log(`  ${"orders of".padEnd(20)} ${pad("orders", 6)} ${pad("seconds", 8)} ${pad("requests", 9)} ${pad("per order", 9)} ${pad("429s", 6)}${all.batchedLookups ? `  ${pad("look-ups in $batch per order", 28)}` : ""}`);
  for (const p of [...report.phases, all]) {
    const batched = all.batchedLookups ? `  ${pad(fixed((p.batchedLookups ?? 0) / p.orders), 28)}` : "";
    console.log(`  ${p.label.padEnd(20)} ${pad(p.orders, 6)} ${pad(fixed(p.seconds, 1), 8)} ${pad(p.requests, 9)} ${pad(fixed(p.requests / p.orders), 9)} ${pad(p.refused, 6)}${batched}`);
  }
  for (const p of report.phases) {
    if (!p.byMethod) continue;
    const methods = [...p.byMethod].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m.replace(/^model\./, "")} ${fixed(n / p.orders)}`);
    console.log(`  requests per order, ${p.label}: ${methods.join(", ")}`);
  }
  const perOrder = all.requests / all.orders;
  const measured = (all.orders / all.seconds) * 300;
  const bound = report.requestsPer5Minutes / perOrder;
  console.log(
    `  orders per 5 minutes: ${measured.toFixed(0)} measured; bound ${bound.toFixed(0)} (${report.requestsPer5Minutes} requests ÷ ${fixed(perOrder)} per order); ratio ${fixed(measured / bound, 3)}`,
  );
  const extra = [
    report.maxInFlight !== undefined ? `most requests in flight ${report.maxInFlight} (limit ${report.maxConcurrent})` : null,
    report.documents !== undefined ? `ERP documents ${report.documents}, duplicates ${report.duplicates}` : null,
  ].filter(Boolean);
  console.log(`  429 answers caused: ${all.refused} (target 0)${extra.length ? "; " + extra.join("; ") : ""}`);
}
