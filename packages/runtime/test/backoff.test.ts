import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "../src/backoff.js";

describe("backoffDelayMs", () => {
  it("doubles an exponential delay each attempt, up to its cap", () => {
    const backoff = { type: "exponential" as const, delayMs: 100, maxDelayMs: 350 };
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(backoff, attempt))).toEqual([100, 200, 350, 350]);
  });

  it("draws full jitter between 0 and the computed delay", () => {
    const backoff = { type: "exponential" as const, delayMs: 1_000, jitter: true };
    expect(backoffDelayMs(backoff, 3, () => 0.25)).toBe(1_000);
    expect(backoffDelayMs(backoff, 3, () => 0)).toBe(0);
  });

  it("keeps a fixed delay", () => {
    expect(backoffDelayMs({ type: "fixed", delayMs: 42 }, 7)).toBe(42);
  });

  it("asks a custom function, with the attempt and the error", () => {
    const seen: Array<[number, unknown]> = [];
    const custom = (attempt: number, error: unknown) => (seen.push([attempt, error]), attempt * 7);
    const error = new Error("429");
    expect(backoffDelayMs({ type: "custom", name: "byAttempt" }, 3, Math.random, custom, error)).toBe(21);
    expect(seen).toEqual([[3, error]]);
  });

  it("refuses a custom backoff that is not wired in, or returns no delay", () => {
    expect(() => backoffDelayMs({ type: "custom", name: "missing" }, 1)).toThrow(/backoff function missing is not wired/);
    expect(() => backoffDelayMs({ type: "custom", name: "nan" }, 1, Math.random, () => Number.NaN)).toThrow(/returned NaN/);
  });
});
