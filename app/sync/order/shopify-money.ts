// Reading amounts out of Shopify's REST payloads in one currency view. Every
// amount comes as a MoneyBag (`*_set`: shop_money and presentment_money);
// the engine sends shop money to the ERP and checks the same document again
// in presentment money (what the buyer paid), so both views are read the
// same way. Plain fields (`price`, `total_price`) are in the shop currency.
import { isDecimal } from "../../lib/decimal";

/** Which of a MoneyBag's two amounts to read. */
export type MoneyView = "shop" | "presentment";

export type MoneySetLike =
  | { shop_money: { amount: string | number }; presentment_money?: { amount: string | number } | null }
  | null
  | undefined;

function decimalOrNull(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  const text = typeof raw === "number" ? String(raw) : String(raw).trim();
  return isDecimal(text) ? text : null;
}

/**
 * The amount in the chosen view, or null when absent or not a decimal (the
 * order's validation then names what is missing). A plain field is only a
 * fallback for shop money; for presentment money it is used only when the
 * order has one currency (then both views are the same amounts).
 */
export function amountOf(
  set: MoneySetLike,
  plain: string | number | null | undefined,
  view: MoneyView,
  singleCurrency: boolean,
): string | null {
  if (view === "shop") return decimalOrNull(set?.shop_money?.amount ?? plain);
  const presentment = set?.presentment_money?.amount;
  if (presentment !== undefined && presentment !== null) return decimalOrNull(presentment);
  return singleCurrency ? decimalOrNull(set?.shop_money?.amount ?? plain) : null;
}
