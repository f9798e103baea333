import { screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { GroupSummary } from "./lib/bindings";
import { commandNames, rejectWith } from "./test/backend";
import {
  batchWorker,
  dropPointFinding,
  finding,
  profileList,
  review,
  startupWith,
  webFrontend,
} from "./test/fixtures";
import { openWindow, serveGroups } from "./test/window";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

/** The trimmed text of each cell of a table row. */
function cells(row: HTMLElement): string[] {
  return [...row.querySelectorAll("td")].map((cell) => cell.textContent.trim());
}

const REMEDIATION = "https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ec2.html";

describe("the instance list", () => {
  it("shows the groups in the order the Rust side gave, with severity word and number", async () => {
    // Medium first on purpose: the window must not re-sort what the Rust side ordered.
    const { backend } = await openWindow({ list_groups: serveGroups([batchWorker, webFrontend]) });

    const rows = screen.getAllByTestId("group-row");
    expect(rows).toHaveLength(2);
    const [first, second] = rows.map((row) => row.textContent.replace(/\s+/g, " ").trim());
    expect(first).toBe(
      "MEDIUM 5.5 (no Name tag) 3 findings i-09f8e7d6c5b4a3210 eu-west-1 198.51.100[.]23",
    );
    expect(second).toBe(
      "HIGH 8.0 web-frontend-2 12 findings i-0a1b2c3d4e5f67890 us-east-1 203.0.113[.]7 +2",
    );
    expect(backend.calls.find((call) => call.command === "list_groups")?.args).toEqual({
      query: { filter: "", offset: 0, limit: 200 },
    });
  });

  it("sends what is typed in the filter box to list_groups and shows the answer", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow();

    await user.type(screen.getByTestId("filter"), "i-09f8");

    await waitFor(() => {
      expect(screen.getAllByTestId("group-row")).toHaveLength(1);
    });
    const queries = backend.calls.filter((call) => call.command === "list_groups");
    expect(queries.at(-1)?.args).toEqual({ query: { filter: "i-09f8", offset: 0, limit: 200 } });
    expect(screen.getByTestId("group-row").textContent).toContain("i-09f8e7d6c5b4a3210");
  });

  it("loads the next page with the offset of the groups already shown", async () => {
    const user = userEvent.setup();
    const many: GroupSummary[] = Array.from({ length: 201 }, (_, index) => ({
      ...batchWorker,
      key: `key-${index}`,
      instanceId: `i-${String(index).padStart(17, "0")}`,
    }));
    const { backend } = await openWindow({ list_groups: serveGroups(many) });
    expect(screen.getAllByTestId("group-row")).toHaveLength(200);
    expect(screen.getByText(/Showing 200 of 201/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Load more" }));

    await waitFor(() => {
      expect(screen.getAllByTestId("group-row")).toHaveLength(201);
    });
    const queries = backend.calls.filter((call) => call.command === "list_groups");
    expect(queries.at(-1)?.args).toEqual({ query: { filter: "", offset: 200, limit: 200 } });
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });
});

describe("the detail pane", () => {
  it("shows the clicked group's findings with their indicators and links", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      group_findings: () => [finding(), dropPointFinding],
    });
    expect(screen.queryByTestId("group-detail")).toBeNull();

    await user.click(screen.getAllByTestId("group-row")[0] as HTMLElement);

    const detail = await screen.findByTestId("group-detail");
    expect(backend.calls.at(-1)).toEqual({
      command: "group_findings",
      args: { key: "123456789012/us-east-1/i-0a1b2c3d4e5f67890" },
    });
    const rows = await within(detail).findAllByTestId("finding-row");
    expect(rows).toHaveLength(2);
    const [dns, drop] = rows.map((row) => row.textContent.replace(/\s+/g, " ").trim());
    expect(dns).toContain("Backdoor:EC2/C&CActivity.B!DNS C&C activity (DNS)");
    expect(dns).toContain("HIGH 8.0");
    expect(dns).toContain("c2-relay[.]example");
    expect(drop).toContain("Trojan:EC2/DropPoint Drop point archived");
    expect(drop).toContain("MEDIUM 5.0");
    expect(drop).toContain("203.0.113[.]7");

    const indicators = within(detail).getAllByTestId("indicator-row");
    expect(indicators.map(cells)).toEqual([
      ["ip", "203.0.113[.]7", "port 443", "DropPoint", "×1", "copy"],
      ["domain", "c2-relay[.]example", "", "C&CActivity.B!DNS", "×1", "copy"],
    ]);
    const facts = detail.textContent.replace(/\s+/g, " ");
    expect(facts).toContain("i-0a1b2c3d4e5f67890 (web-frontend-2)");
    expect(facts).toContain("123456789012 · us-east-1 · vpc-0f1e2d3c · 10.0.3.17 · t3.medium");
    expect(facts).toContain("12 findings · 431 events");
  });

  it("opens doc, console and remediation links through open_link", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      group_findings: () => [finding()],
      open_link: () => null,
    });
    await user.click(screen.getAllByTestId("group-row")[0] as HTMLElement);
    const row = await screen.findByTestId("finding-row");

    await user.click(within(row).getByRole("button", { name: /Documentation of/ }));
    await user.click(within(row).getByRole("button", { name: /GuardDuty console/ }));
    await user.click(screen.getByRole("button", { name: "remediation guide" }));

    const opened = backend.calls.filter((call) => call.command === "open_link");
    expect(opened.map((call) => call.args.url)).toEqual([
      finding().docUrl,
      finding().consoleUrl,
      REMEDIATION,
    ]);
  });

  it("copies the plain indicator and shows it plain on request", async () => {
    const user = userEvent.setup();
    await openWindow({ group_findings: () => [finding()] });
    await user.click(screen.getAllByTestId("group-row")[0] as HTMLElement);
    const detail = await screen.findByTestId("group-detail");
    await within(detail).findByTestId("indicator-row");

    await user.click(within(detail).getByRole("button", { name: "Copy c2-relay[.]example" }));
    expect(await navigator.clipboard.readText()).toBe("c2-relay.example");
    expect(screen.getByTestId("notice").textContent).toBe("Copied c2-relay[.]example.");

    await user.click(within(detail).getByTestId("toggle-plain"));
    expect(within(detail).getByTestId("indicator-row").textContent).toContain("c2-relay.example");
    expect(within(detail).getByTestId("finding-row").textContent).not.toContain("[.]");
  });
});

describe("attacker-controlled strings", () => {
  const evil = "<img src=x onerror=alert(1)>.example";

  it("are rendered as literal text, never as markup", async () => {
    const user = userEvent.setup();
    const hostile: GroupSummary = {
      ...webFrontend,
      instanceName: "<b>web</b>",
      indicators: [evil],
    };
    await openWindow({
      list_groups: serveGroups([hostile]),
      group_findings: () => [
        finding({
          indicators: [evil],
          indicatorDetails: [{ kind: "domain", value: evil, port: null }],
          typeTitle: "<script>alert(2)</script>",
        }),
      ],
    });

    const row = screen.getByTestId("group-row");
    expect(row.textContent).toContain("<b>web</b>");
    expect(row.textContent).toContain("<img src=x onerror=alert(1)>[.]example");

    await user.click(row);
    const detail = await screen.findByTestId("group-detail");
    await within(detail).findByTestId("finding-row");
    expect(detail.textContent).toContain("<img src=x onerror=alert(1)>[.]example");
    expect(detail.textContent).toContain("<script>alert(2)</script>");

    await user.click(within(detail).getByTestId("toggle-plain"));
    expect(within(detail).getByTestId("indicator-row").textContent).toContain(evil);
    expect(document.querySelector("img, b, script")).toBeNull();
  });
});

describe("the sample banner", () => {
  it("says SAMPLE DATA and why when the results are the bundled samples", async () => {
    await openWindow({
      startup: () =>
        startupWith({
          profiles: profileList({ profiles: [], defaultProfile: null }),
          review: review({ origin: { kind: "sample" }, regions: [], sample: true }),
        }),
    });

    const banner = screen.getByTestId("sample-banner");
    expect(banner.textContent).toContain("SAMPLE DATA");
    expect(banner.textContent).toContain("No AWS profile was found");
    expect(banner.textContent).toContain("bundled sample findings");
  });

  it("is absent when the results are not samples", async () => {
    await openWindow();
    expect(screen.queryByTestId("sample-banner")).toBeNull();
  });

  it("appears once the analyst loads the sample data", async () => {
    const user = userEvent.setup();
    await openWindow({
      load_sample: () => review({ origin: { kind: "sample" }, regions: [], sample: true }),
    });
    expect(screen.queryByTestId("sample-banner")).toBeNull();

    await user.click(screen.getByTestId("load-sample"));

    const banner = await screen.findByTestId("sample-banner");
    expect(banner.textContent).toContain("These are the bundled sample findings");
  });

  it("calls pulled GuardDuty sample findings what they are", async () => {
    await openWindow({ startup: () => startupWith({ review: review({ sample: true }) }) });
    expect(screen.getByTestId("sample-banner").textContent).toContain(
      "These are GuardDuty sample findings",
    );
  });
});

describe("the status line", () => {
  it("tells where the results come from, how each region answered and what is in them", async () => {
    await openWindow({
      startup: () =>
        startupWith({
          review: review({
            findingCount: 214,
            regions: [
              {
                profile: "prod-audit",
                region: "us-east-1",
                status: "ok",
                findings: 214,
                error: null,
              },
              {
                profile: "prod-audit",
                region: "sa-east-1",
                status: "no-detector",
                findings: 0,
                error: null,
              },
              {
                profile: "prod-audit",
                region: "ap-east-1",
                status: "not-enabled",
                findings: 0,
                error: null,
              },
              {
                profile: "prod-audit",
                region: "eu-west-1",
                status: "denied",
                findings: 0,
                error: "AccessDenied: guardduty:ListDetectors",
              },
            ],
            skipped: [
              { source: "findings.jsonl", line: 7, reason: "no type" },
              { source: "empty.json", line: null, reason: "empty file" },
            ],
          }),
        }),
    });

    const status = screen.getByTestId("status-line");
    expect(screen.getByTestId("finding-count").textContent).toBe("214 findings");
    expect(status.textContent).toMatch(/Pulled with prod-audit at \d\d:\d\d/);
    const regions = within(status).getAllByRole("listitem");
    expect(regions.map((item) => item.textContent.replace(/\s+/g, " ").trim())).toEqual([
      "us-east-1 ok · 214",
      "sa-east-1 GuardDuty off",
      "ap-east-1 not enabled",
      "eu-west-1 denied",
      "findings.jsonl:7 · no type",
      "empty.json · empty file",
    ]);
    expect(regions[3]?.getAttribute("title")).toContain("AccessDenied: guardduty:ListDetectors");
    expect(within(status).getByText("2 records skipped")).toBeTruthy();
  });

  it("lists the findings without an instance when that section is opened", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: () => startupWith({ review: review({ withoutInstanceCount: 1 }) }),
      without_instance: () => [
        finding({ id: "no-instance-1", instanceId: null, indicators: ["lost.example"] }),
      ],
    });

    await user.click(screen.getByText("1 finding without an instance"));

    const section = screen.getByTestId("without-instance");
    const row = await within(section).findByTestId("finding-row");
    expect(row.textContent).toContain("lost[.]example");
    expect(commandNames(backend)).toContain("without_instance");
  });
});

describe("failures", () => {
  it("show the AppError's message in an alert that can be dismissed", async () => {
    const user = userEvent.setup();
    await openWindow({
      open_findings: () =>
        rejectWith({ code: "unreadable", message: "findings.json: not JSON at line 1" }),
    });

    await user.click(screen.getByTestId("open-file"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("findings.json: not JSON at line 1");
    expect(alert.getAttribute("data-code")).toBe("unreadable");

    await user.click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("show a startup failure instead of an empty window", async () => {
    await openWindow({
      startup: () => Promise.reject(new Error("IPC bridge unavailable")),
    });
    expect(screen.getByRole("alert").textContent).toContain("IPC bridge unavailable");
  });
});

describe("export", () => {
  it("calls export_csv and reports the path and the rows written", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      export_csv: () => ({ path: "/home/analyst/findings.csv", rows: 15 }),
    });

    await user.click(screen.getByTestId("export-csv"));

    await waitFor(() => {
      expect(screen.getByTestId("notice").textContent).toBe(
        "Exported 15 rows to /home/analyst/findings.csv",
      );
    });
    expect(commandNames(backend)).toEqual(["startup", "list_groups", "export_csv"]);
  });

  it("says nothing when the analyst cancels the save dialog", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({ export_csv: () => null });
    await user.click(screen.getByTestId("export-csv"));
    await waitFor(() => {
      expect(commandNames(backend)).toContain("export_csv");
    });
    expect(screen.getByTestId("notice").textContent).toBe("");
  });

  it("is disabled when nothing is loaded", async () => {
    await openWindow({
      startup: () =>
        startupWith({
          review: review({
            origin: { kind: "empty" },
            groupCount: 0,
            findingCount: 0,
            regions: [],
          }),
        }),
    });
    expect(screen.getByTestId<HTMLButtonElement>("export-csv").disabled).toBe(true);
    expect(screen.getByText("No instances.")).toBeTruthy();
  });
});

describe("the keyboard", () => {
  it("moves with j and k, opens with Enter, filters with / and exports with e", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      group_findings: () => [dropPointFinding],
      export_csv: () => null,
    });

    await user.keyboard("j");
    expect(document.activeElement?.textContent).toContain("web-frontend-2");
    await user.keyboard("j");
    expect(document.activeElement?.textContent).toContain("i-09f8e7d6c5b4a3210");
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement?.textContent).toContain("i-09f8e7d6c5b4a3210");
    await user.keyboard("k");
    expect(document.activeElement?.textContent).toContain("web-frontend-2");
    await user.keyboard("j");
    await user.keyboard("{Enter}");
    await screen.findByTestId("group-detail");
    expect(backend.calls.at(-1)?.args).toEqual({ key: batchWorker.key });

    await user.keyboard("/");
    expect(document.activeElement).toBe(screen.getByTestId("filter"));
    await user.keyboard("{Escape}");

    await user.keyboard("e");
    await waitFor(() => {
      expect(commandNames(backend)).toContain("export_csv");
    });
  });

  it("copies the open group's first indicator with c", async () => {
    const user = userEvent.setup();
    await openWindow({ group_findings: () => [finding()] });
    await user.click(screen.getAllByTestId("group-row")[0] as HTMLElement);

    await user.keyboard("c");

    await waitFor(async () => {
      expect(await navigator.clipboard.readText()).toBe("203.0.113.7");
    });
  });
});
