import { describe, expect, it } from "vitest";
import { dropPointFinding, finding } from "../test/fixtures";
import { indicatorRows, shortType } from "./indicators";

describe("shortType", () => {
  it("keeps the part after the last slash", () => {
    expect(shortType("Backdoor:EC2/C&CActivity.B!DNS")).toBe("C&CActivity.B!DNS");
    expect(shortType("NoSlash")).toBe("NoSlash");
  });
});

describe("indicatorRows", () => {
  it("lists each indicator once with its ports, types and finding count, most named first", () => {
    const rows = indicatorRows([
      finding({ id: "one" }),
      finding({ id: "two" }),
      finding({ id: "four" }),
      dropPointFinding,
      finding({
        id: "three",
        type: "Trojan:EC2/DropPoint",
        indicators: ["203.0.113.7"],
        indicatorDetails: [
          { kind: "ip", value: "203.0.113.7", port: 8443 },
          { kind: "ip", value: "203.0.113.7", port: 443 },
        ],
      }),
    ]);
    expect(rows).toEqual([
      {
        kind: "domain",
        value: "c2-relay.example",
        ports: [],
        types: ["C&CActivity.B!DNS"],
        findings: 3,
      },
      { kind: "ip", value: "203.0.113.7", ports: [443, 8443], types: ["DropPoint"], findings: 2 },
    ]);
  });

  it("orders indicators named equally often by value", () => {
    const rows = indicatorRows([finding({ id: "one" }), { ...dropPointFinding, id: "two" }]);
    expect(rows.map((row) => row.value)).toEqual(["203.0.113.7", "c2-relay.example"]);
  });

  it("falls back to the plain values when a finding has no details", () => {
    const rows = indicatorRows([finding({ indicators: ["bad.example"], indicatorDetails: [] })]);
    expect(rows.map((row) => [row.kind, row.value, row.findings])).toEqual([
      ["domain", "bad.example", 1],
    ]);
  });
});
