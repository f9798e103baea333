import { describe, expect, it } from "vitest";
import { clockTime, shortTime } from "./time";

describe("shortTime", () => {
  it("shows day, month and time in the given zone", () => {
    expect(shortTime("2024-12-02T09:14:00Z", "UTC")).toBe("2 Dec 09:14");
    expect(shortTime("2024-12-02T23:30:00.123Z", "Asia/Tokyo")).toBe("3 Dec 08:30");
  });

  it("shows a dash for no time and the text itself for a non-time", () => {
    expect(shortTime(null)).toBe("–");
    expect(shortTime("yesterday-ish")).toBe("yesterday-ish");
  });
});

describe("clockTime", () => {
  it("shows hours and minutes", () => {
    expect(clockTime("2024-12-03T14:02:59Z", "UTC")).toBe("14:02");
  });
});
