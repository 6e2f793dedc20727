// Exact decimal arithmetic on money strings ("19.99"), the one module the
// engine, the connectors and reconciliation share. Floats would turn
// 0.1 + 0.2 into 0.30000000000000004 and break every totals check, so
// amounts are scaled to BigInts at the larger of the operands' decimals.
// The rule for money: an amount that is not a decimal is refused (an Error
// naming it), and no operation drops a digit; the only rounding is the
// explicit one in divideDecimal and prorate, half away from zero.

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimal(value: unknown): value is string {
  return typeof value === "string" && DECIMAL.test(value.trim());
}

function scaleOf(value: string): number {
  const dot = value.indexOf(".");
  return dot === -1 ? 0 : value.length - dot - 1;
}

function toScaled(value: string, scale: number): bigint {
  const v = value.trim();
  if (!DECIMAL.test(v)) throw new Error(`Not a decimal amount: "${value}"`);
  const negative = v.startsWith("-");
  const [int, frac = ""] = (negative ? v.slice(1) : v).split(".");
  if (frac.length > scale) throw new Error(`Too many decimals in "${value}" for scale ${scale}`);
  const scaled = BigInt(int + frac.padEnd(scale, "0"));
  return negative ? -scaled : scaled;
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? "." + digits.slice(digits.length - scale) : "";
  return (negative ? "-" : "") + int + frac;
}

/** Sum of decimal strings, keeping the largest number of decimals. */
export function addDecimals(...values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => scaleOf(v.trim())));
  return fromScaled(values.reduce((sum, v) => sum + toScaled(v, scale), 0n), scale);
}

/**
 * Sum of money amounts where some may be absent (null/undefined: a field
 * Shopify left out), with at least two decimals ("0.00" for none). A present
 * value that is not a decimal is refused.
 */
export function sumMoney(values: Array<string | null | undefined>): string {
  const present = values.filter((v): v is string => v !== null && v !== undefined);
  return addDecimals("0.00", ...present);
}

export function subtractDecimals(a: string, b: string): string {
  return addDecimals(a, negateDecimal(b));
}

export function negateDecimal(value: string): string {
  const v = value.trim();
  if (!DECIMAL.test(v)) throw new Error(`Not a decimal amount: "${value}"`);
  return v.startsWith("-") ? v.slice(1) : /^0(\.0+)?$/.test(v) ? v : "-" + v;
}

/** value × an integer factor (a quantity), exact. */
export function multiplyDecimal(value: string, factor: number): string {
  if (!Number.isInteger(factor)) throw new Error("Factor must be an integer");
  const scale = scaleOf(value.trim());
  return fromScaled(toScaled(value, scale) * BigInt(factor), scale);
}

/** value / divisor rounded half away from zero to `decimals` places. */
export function divideDecimal(value: string, divisor: number, decimals: number): string {
  if (!Number.isInteger(divisor) || divisor === 0) throw new Error("Divisor must be a non-zero integer");
  const scale = Math.max(decimals, scaleOf(value.trim()));
  // One extra digit of precision decides the rounding.
  const numerator = toScaled(value, scale) * 10n ** BigInt(decimals + 1);
  const denominator = BigInt(divisor) * 10n ** BigInt(scale);
  let q = numerator / denominator;
  const negative = q < 0n;
  if (negative) q = -q;
  q = (q + 5n) / 10n;
  return fromScaled(negative ? -q : q, decimals);
}

/**
 * The share `part / whole` of an amount, at the amount's own decimals,
 * rounded half away from zero: the discount or tax of 1 unit out of 3.
 * Exact (no rounding at all) when part equals whole or is zero.
 */
export function prorate(value: string, part: number, whole: number): string {
  if (!Number.isInteger(part) || !Number.isInteger(whole) || whole <= 0 || part < 0) {
    throw new Error(`Cannot take ${part}/${whole} of an amount`);
  }
  if (part === whole) return value.trim();
  const decimals = scaleOf(value.trim());
  return divideDecimal(multiplyDecimal(value, part), whole, decimals);
}

/** Numeric comparison: -1, 0 or 1 ("10.5" equals "10.50"). */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(scaleOf(a.trim()), scaleOf(b.trim()));
  const d = toScaled(a, scale) - toScaled(b, scale);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}
