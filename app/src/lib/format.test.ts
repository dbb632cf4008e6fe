import { describe, expect, it } from "vitest";
import {
  compactTokens,
  countdown,
  formatAmount,
  formatBps,
  formatDate,
  formatDuration,
  formatShare,
  formatTokens,
  parseAmount,
  shortAddress,
} from "./format";

const E18 = 10n ** 18n;

describe("formatTokens", () => {
  it("groups thousands and keeps at most four decimals, rounded down, without trailing zeros", () => {
    expect(formatTokens(1_234_567_890_000_000_000_000n)).toBe("1,234.5678");
    expect(formatTokens(12n * E18 + E18 / 2n)).toBe("12.5");
    expect(formatTokens(14_400n * E18)).toBe("14,400");
    expect(formatTokens(0n)).toBe("0");
    expect(formatTokens(19_999n * 10n ** 14n, 18, 2)).toBe("1.99");
  });
  it("shows dust as a bound instead of zero, and negatives with a sign", () => {
    expect(formatTokens(1n)).toBe("<0.0001");
    expect(formatTokens(-3n * E18)).toBe("-3");
  });
  it("handles tokens with few decimals", () => {
    expect(formatTokens(1_500_000n, 6)).toBe("1.5");
    expect(formatTokens(7n, 0)).toBe("7");
  });
  it("formatAmount adds the symbol", () => {
    expect(formatAmount(3_456n * E18, "TTD")).toBe("3,456 TTD");
  });
});

describe("parseAmount", () => {
  it("reads what people type", () => {
    expect(parseAmount("12.5")).toEqual({ ok: true, value: 12n * E18 + E18 / 2n });
    expect(parseAmount(" 1,000 ")).toEqual({ ok: true, value: 1000n * E18 });
    expect(parseAmount(".5")).toEqual({ ok: true, value: E18 / 2n });
    expect(parseAmount("2", 6)).toEqual({ ok: true, value: 2_000_000n });
  });
  it("refuses what is not a positive amount, in words", () => {
    expect(parseAmount("")).toEqual({ ok: false, error: "Enter an amount" });
    expect(parseAmount("abc")).toEqual({ ok: false, error: "Enter a number such as 12.5" });
    expect(parseAmount("-1")).toEqual({ ok: false, error: "Enter a number such as 12.5" });
    expect(parseAmount("0")).toEqual({ ok: false, error: "The amount must be more than zero" });
    expect(parseAmount("1.1234567", 6)).toEqual({ ok: false, error: "At most 6 decimals" });
  });
  it("round-trips with formatTokens", () => {
    for (const text of ["1", "0.0001", "123,456.789", "42,000,000"]) {
      const parsed = parseAmount(text);
      expect(parsed.ok && formatTokens(parsed.value)).toBe(text);
    }
  });
});

describe("percentages, durations, addresses, dates", () => {
  it("basis points", () => {
    expect(formatBps(2400)).toBe("24%");
    expect(formatBps(2450)).toBe("24.5%");
    expect(formatBps(1)).toBe("0.01%");
    expect(formatBps(10_000n)).toBe("100%");
  });
  it("shares", () => {
    expect(formatShare(1n, 3n)).toBe("33.3%");
    expect(formatShare(5n, 0n)).toBe("—");
  });
  it("durations and countdowns", () => {
    expect(formatDuration(45n)).toBe("45s");
    expect(formatDuration(3n * 3600n + 20n * 60n)).toBe("3h 20m");
    expect(formatDuration(2n * 86_400n + 4n * 3600n + 59n)).toBe("2d 4h");
    expect(countdown(100n, 100n)).toBe("now");
    expect(countdown(160n, 100n)).toBe("1m");
  });
  it("addresses, dates and compact amounts", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
    expect(formatDate(1_767_225_600n)).toBe("2026-01-01 00:00 UTC");
    expect(compactTokens(42_000_000n * E18)).toBe("42.0M");
    expect(compactTokens(14_400n * E18)).toBe("14.4k");
    expect(compactTokens(950n * E18)).toBe("950");
  });
});
