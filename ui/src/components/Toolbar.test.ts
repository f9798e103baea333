import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ReviewSummary } from "../lib/bindings";
import { commandNames, pending, rejectWith } from "../test/backend";
import { review, startupWith } from "../test/fixtures";
import { openWindow } from "../test/window";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

function profileSelect(): HTMLSelectElement {
  return screen.getByTestId("profile-select");
}

function pullButton(): HTMLButtonElement {
  return screen.getByTestId("pull");
}

describe("the profile picker", () => {
  it("lists profiles with their kind and selects the default one", async () => {
    await openWindow();
    const options = [...profileSelect().options].map((option) => option.textContent);
    expect(options).toEqual(["prod-audit (SSO)", "lab (keys)"]);
    expect(profileSelect().value).toBe("prod-audit");
  });

  it("is disabled and says so when there is no profile, and Pull is disabled", async () => {
    await openWindow({
      startup: () => startupWith({ profiles: { profiles: [], defaultProfile: null } }),
    });
    expect(profileSelect().disabled).toBe(true);
    expect(profileSelect().textContent).toBe("no AWS profile");
    expect(pullButton().disabled).toBe(true);
  });
});

describe("the region picker", () => {
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
      args: { profile: "prod-audit", regions: ["eu-west-1", "us-east-1"] },
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
