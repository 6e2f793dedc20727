// Exact decimal arithmetic on money strings ("19.99"). Floats would turn
// 0.1 + 0.2 into 0.30000000000000004 and break ERP totals checks; the few
// operations connectors need are done on scaled BigInts instead.

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value.trim());
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

export function subtractDecimals(a: string, b: string): string {
  return addDecimals(a, negateDecimal(b));
}

export function negateDecimal(value: string): string {
  const v = value.trim();
  return v.startsWith("-") ? v.slice(1) : v === "0" || /^0(\.0+)?$/.test(v) ? v : "-" + v;
}

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

/** Numeric comparison: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(scaleOf(a.trim()), scaleOf(b.trim()));
  const d = toScaled(a, scale) - toScaled(b, scale);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** "19.9900" -> "19.99", "20.00" -> "20.00" kept at least `minDecimals`. */
export function normalizeDecimal(value: string, minDecimals = 2): string {
  const v = value.trim();
  if (!v.includes(".")) return minDecimals > 0 ? `${v}.${"0".repeat(minDecimals)}` : v;
  const [int, fraction] = v.split(".");
  let frac = fraction.replace(/0+$/, "");
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, "0");
  return frac.length ? `${int}.${frac}` : int;
}
