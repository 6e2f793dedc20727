// The one decimal module: exact money arithmetic, refusing what is not an
// amount instead of guessing, and rounding only where asked.
import { describe, expect, it } from "vitest";
import { addDecimals, compareDecimals, divideDecimal, multiplyDecimal, negateDecimal, prorate, subtractDecimals, sumMoney } from "~/lib/decimal";

describe("decimal money", () => {
  it("adds, subtracts, multiplies and divides without float error", () => {
    expect(addDecimals("0.1", "0.2")).toBe("0.3");
    expect(subtractDecimals("39.98", "4.00")).toBe("35.98");
    expect(multiplyDecimal("19.99", 3)).toBe("59.97");
    expect(divideDecimal("35.98", 2, 4)).toBe("17.9900");
    expect(divideDecimal("10.00", 3, 4)).toBe("3.3333");
    expect(divideDecimal("20.00", 3, 2)).toBe("6.67");
    expect(divideDecimal("-20.00", 3, 2)).toBe("-6.67");
    expect(compareDecimals("49.480", "49.48")).toBe(0);
  });

  it("sums amounts Shopify left out as nothing, in 0, 2 and 3 decimal currencies", () => {
    expect(sumMoney([])).toBe("0.00");
    expect(sumMoney(["1500", null, "250"])).toBe("1750.00");
    expect(sumMoney(["1.234", "0.001", undefined])).toBe("1.235");
  });

  it("refuses what is not an amount instead of dropping it or its digits", () => {
    expect(() => sumMoney(["1.00", "abc"])).toThrow(/Not a decimal amount: "abc"/);
    expect(() => addDecimals("1e-7")).toThrow(/Not a decimal amount/);
    expect(() => negateDecimal("12,50")).toThrow(/Not a decimal amount/);
  });

  it("prorates a line's discount or tax to the units kept, rounding half away from zero", () => {
    expect(prorate("10.00", 1, 3)).toBe("3.33");
    expect(prorate("5.00", 1, 2)).toBe("2.50");
    expect(prorate("0.05", 1, 2)).toBe("0.03");
    expect(prorate("1000", 2, 3)).toBe("667");
    expect(prorate("7.123", 3, 3)).toBe("7.123");
    expect(prorate("9.99", 0, 4)).toBe("0.00");
    expect(() => prorate("1.00", 1, 0)).toThrow();
  });
});
