// Ledger columns that hold JSON arrays (refunds, refundsSynced, problems) are
// read through this one function: a damaged or empty value reads as [] rather
// than stopping the order.
export function jsonArray<T>(text: string): T[] {
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
