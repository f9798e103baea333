import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { tick } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReviewSummary } from "../lib/bindings";
import { commandNames, pending, rejectWith } from "../test/backend";
import {
  batchWorker,
  keychainProfile,
  labProfile,
  prodProfile,
  profileList,
  review,
  startupWith,
  webFrontend,
} from "../test/fixtures";
import { openWindow, serveGroups } from "../test/window";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

function profileSelect(): HTMLSelectElement {
  return screen.getByTestId("profile-select");
}

function pullButton(): HTMLButtonElement {
  return screen.getByTestId("pull");
}

function optionTexts(): string[] {
  return [...profileSelect().options].map((option) => option.textContent);
}

/** lab's last pull: one instance, three findings, in eu-west-1. */
const labReview = review({
  origin: { kind: "pull", profile: "lab", regions: ["eu-west-1"] },
  groupCount: 1,
  findingCount: 3,
  regions: [{ profile: "lab", region: "eu-west-1", status: "ok", findings: 3, error: null }],
});

describe("the profile picker", () => {
  it("lists profiles with their kind and selects the default one", async () => {
    await openWindow({
      startup: () =>
        startupWith({
          profiles: profileList({
            profiles: [prodProfile, labProfile, keychainProfile],
            defaultProfile: "lab",
          }),
        }),
    });
    expect(optionTexts()).toEqual(["prod-audit (SSO)", "lab (keys)", "contractor (keychain)"]);
    expect(profileSelect().value).toBe("lab");
  });

  it("switches to the chosen profile's last results at once, without pulling", async () => {
    const user = userEvent.setup();
    let shown = [webFrontend, batchWorker];
    const { backend } = await openWindow({
      list_groups: (args) => serveGroups(shown)(args),
      select_profile: ({ profile }) => {
        shown = profile === "lab" ? [batchWorker] : [webFrontend, batchWorker];
        return profile === "lab" ? labReview : review();
      },
    });
    expect(screen.getByTestId("finding-count").textContent).toBe("15 findings");

    await user.selectOptions(profileSelect(), "lab");

    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("3 findings");
    });
    expect(backend.calls.filter((call) => call.command === "select_profile")).toEqual([
      { command: "select_profile", args: { profile: "lab" } },
    ]);
    const rows = screen.getAllByTestId("group-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toContain("i-09f8e7d6c5b4a3210");
    expect(screen.getByTestId("status-line").textContent).toContain("Pulled with lab");
    expect(commandNames(backend)).not.toContain("pull");
    expect(screen.queryByRole("alert")).toBeNull();

    await user.selectOptions(profileSelect(), "prod-audit");

    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("15 findings");
    });
    expect(screen.getAllByTestId("group-row")).toHaveLength(2);
    expect(backend.calls.filter((call) => call.command === "select_profile").at(-1)).toEqual({
      command: "select_profile",
      args: { profile: "prod-audit" },
    });
  });

  it("shows an empty view for a profile not pulled yet, until the analyst pulls", async () => {
    const user = userEvent.setup();
    await openWindow({ pull: () => labReview });

    await user.selectOptions(profileSelect(), "lab");

    const hint = await screen.findByTestId("not-pulled");
    expect(hint.textContent.replace(/\s+/g, " ").trim()).toBe(
      "Nothing pulled with lab yet in this session: pick the regions and press Pull.",
    );
    expect(screen.getByTestId("finding-count").textContent).toBe("0 findings");
    expect(screen.queryAllByTestId("group-row")).toHaveLength(0);

    await user.click(pullButton());

    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("3 findings");
    });
    expect(screen.queryByTestId("not-pulled")).toBeNull();
  });

  it("is disabled and says so when there is no profile, and Pull is disabled", async () => {
    await openWindow({
      startup: () => startupWith({ profiles: profileList({ profiles: [], defaultProfile: null }) }),
    });
    expect(profileSelect().disabled).toBe(true);
    expect(profileSelect().textContent).toBe("no AWS profile");
    expect(pullButton().disabled).toBe(true);
  });
});

describe("the credentials' lifetime", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows the minutes left next to the profile and counts down every minute", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    vi.setSystemTime(new Date("2024-12-03T14:00:00Z"));
    await openWindow({
      startup: () =>
        startupWith({
          review: review({ credentialsExpireAt: "2024-12-03T14:52:00Z" }),
        }),
    });
    expect(optionTexts()).toEqual(["prod-audit (SSO, 52 min left)", "lab (keys)"]);

    vi.advanceTimersByTime(60_000);
    await tick();
    expect(optionTexts()[0]).toBe("prod-audit (SSO, 51 min left)");

    vi.advanceTimersByTime(51 * 60_000);
    await tick();
    expect(optionTexts()[0]).toBe("prod-audit (SSO, expired)");
  });

  it("belongs to the profile whose results are shown", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    vi.setSystemTime(new Date("2024-12-03T14:00:00Z"));
    const { app } = await openWindow({
      startup: () =>
        startupWith({
          review: review({ credentialsExpireAt: "2024-12-03T16:05:00Z" }),
        }),
    });
    expect(optionTexts()[0]).toBe("prod-audit (SSO, 2 h 5 min left)");

    await app.chooseProfile("lab");
    await tick();

    expect(optionTexts()).toEqual(["prod-audit (SSO)", "lab (keys)"]);
  });
});

describe("the region picker", () => {
  it("starts on the regions of the last pull, remembered across launches", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: () =>
        startupWith({ profiles: profileList({ lastRegions: ["us-west-2", "eu-west-1"] }) }),
      pull: () => review(),
    });
    const picker = screen.getByTestId("region-picker");
    expect(picker.querySelector("summary")?.textContent).toBe("Regions: eu-west-1, us-west-2");

    await user.click(pullButton());

    expect(backend.calls.find((call) => call.command === "pull")?.args).toEqual({
      profile: "prod-audit",
      regions: ["eu-west-1", "us-west-2"],
      mfaCode: null,
    });
  });

  it("starts with the selected profile's region and follows a change of profile", async () => {
    const user = userEvent.setup();
    await openWindow();
    const picker = screen.getByTestId("region-picker");
    expect(picker.querySelector("summary")?.textContent).toBe("Regions: us-east-1");

    await user.selectOptions(profileSelect(), "lab");

    expect(picker.querySelector("summary")?.textContent).toBe("Regions: eu-west-1");
  });

  it("disables Pull when no region is ticked", async () => {
    const user = userEvent.setup();
    await openWindow();
    await user.click(screen.getByText("Regions:", { exact: false }));

    await user.click(screen.getByRole("checkbox", { name: "us-east-1" }));

    expect(pullButton().disabled).toBe(true);
    await user.click(screen.getByRole("checkbox", { name: "us-west-2" }));
    expect(pullButton().disabled).toBe(false);
  });
});

describe("a pull", () => {
  it("sends the profile and regions, shows progress, and cancel calls cancel_pull", async () => {
    const user = userEvent.setup();
    const answer = pending<ReviewSummary>();
    const { backend } = await openWindow({
      pull: () => answer.promise,
      cancel_pull: () => null,
    });
    await user.click(screen.getByText("Regions:", { exact: false }));
    await user.click(screen.getByRole("checkbox", { name: "eu-west-1" }));

    await user.click(pullButton());

    expect(backend.calls.at(-1)).toEqual({
      command: "pull",
      args: { profile: "prod-audit", regions: ["eu-west-1", "us-east-1"], mfaCode: null },
    });
    const progress = await screen.findByTestId("pull-progress");
    expect(progress.textContent).toContain("Starting pull…");
    expect(pullButton().disabled).toBe(true);

    backend.emitProgress({ calls: 14, findings: 57, regionsDone: 1, regionsTotal: 2 });
    await waitFor(() => {
      expect(progress.textContent).toContain("1 of 2 regions · 14 calls · 57 findings so far");
    });
    const bar = progress.querySelector("progress");
    expect(bar?.value).toBe(1);
    expect(bar?.max).toBe(2);

    await user.click(screen.getByTestId("cancel-pull"));
    expect(commandNames(backend).at(-1)).toBe("cancel_pull");

    answer.reject({ code: "cancelled", message: "Pull cancelled" });
    await waitFor(() => {
      expect(screen.queryByTestId("pull-progress")).toBeNull();
    });
    expect(screen.getByTestId("notice").textContent).toBe(
      "Pull cancelled; the previous results are kept.",
    );
    expect(screen.queryByRole("alert")).toBeNull();
    expect(pullButton().disabled).toBe(false);
  });

  it("replaces the results with what was pulled", async () => {
    const user = userEvent.setup();
    await openWindow({
      pull: () => review({ findingCount: 3, groupCount: 1 }),
    });
    await user.click(pullButton());
    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("3 findings");
    });
    expect(screen.getByTestId("notice").textContent).toBe("Pulled 3 findings.");
  });

  it("shows a failed pull's message in the alert region", async () => {
    const user = userEvent.setup();
    await openWindow({
      pull: () =>
        rejectWith({
          code: "no-credentials",
          message: "The SSO session of prod-audit has expired: run aws sso login.",
        }),
    });

    await user.click(pullButton());

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(
      "The SSO session of prod-audit has expired: run aws sso login.",
    );
  });
});
