// Decimal arithmetic on money strings without floats: amounts are scaled to
// integers (BigInt) at the larger of the operands' decimal places.

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
  const negative = v.startsWith("-");
  const [intPart, frac = ""] = (negative ? v.slice(1) : v).split(".");
  const digits = BigInt(intPart + frac.padEnd(scale, "0").slice(0, scale));
  return negative ? -digits : digits;
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Sum of decimal strings, at least two decimal places ("0.00" for none). */
export function sumMoney(values: Array<string | null | undefined>): string {
  const present = values.filter((v): v is string => isDecimal(v));
  const scale = Math.max(2, ...present.map(scaleOf));
  return fromScaled(
    present.reduce((acc, v) => acc + toScaled(v, scale), 0n),
    scale,
  );
}

export function negateMoney(value: string): string {
  return value.startsWith("-") ? value.slice(1) : value === "0" || /^0(\.0+)?$/.test(value) ? value : `-${value}`;
}

/** -1, 0 or 1 comparing two decimal strings by value ("10.5" equals "10.50"). */
export function compareMoney(a: string, b: string): number {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  const diff = toScaled(a, scale) - toScaled(b, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}
