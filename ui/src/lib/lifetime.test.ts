import { describe, expect, it } from "vitest";
import { lifetimeWords } from "./lifetime";

const NOW = Date.parse("2024-12-03T14:00:00Z");

describe("lifetimeWords", () => {
  it("counts whole minutes left, rounding down", () => {
    expect(lifetimeWords("2024-12-03T14:52:00Z", NOW)).toBe("52 min left");
    expect(lifetimeWords("2024-12-03T14:52:59Z", NOW)).toBe("52 min left");
    expect(lifetimeWords("2024-12-03T14:00:30Z", NOW)).toBe("under 1 min left");
  });

  it("counts hours and minutes past the hour", () => {
    expect(lifetimeWords("2024-12-03T16:05:00Z", NOW)).toBe("2 h 5 min left");
    expect(lifetimeWords("2024-12-03T22:00:00Z", NOW)).toBe("8 h left");
  });

  it("says expired from the moment of expiry on", () => {
    expect(lifetimeWords("2024-12-03T14:00:00Z", NOW)).toBe("expired");
    expect(lifetimeWords("2024-12-03T13:10:00Z", NOW)).toBe("expired");
  });

  it("says nothing about a value that is not a time", () => {
    expect(lifetimeWords("soon", NOW)).toBeNull();
  });
});
