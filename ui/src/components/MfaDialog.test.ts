import { screen, waitFor } from "@testing-library/svelte";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ReviewSummary } from "../lib/bindings";
import { pending, rejectWith, type FakeBackend } from "../test/backend";
import {
  labProfile,
  prodProfile,
  profileList,
  review,
  roleProfile,
  startupWith,
} from "../test/fixtures";
import { openWindow } from "../test/window";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const DEVICE = "arn:aws:iam::111122223333:mfa/analyst";
const MFA_REQUIRED = {
  code: "mfa-required",
  message: `profile ops-admin needs an MFA code from ${DEVICE}: pass --mfa-code (or type it when asked)`,
} as const;
const REFUSED = {
  code: "no-credentials",
  message:
    "no usable credentials for profile ops-admin: STS refused to assume " +
    "arn:aws:iam::111122223333:role/ops-admin with the MFA code (a wrong or already used code " +
    "is the usual cause; wait for the next code and try again): AccessDenied",
} as const;

/** ops-admin is the default profile, and the last pull was in two regions. */
const roleStartup = () =>
  startupWith({
    profiles: profileList({
      profiles: [prodProfile, labProfile, roleProfile],
      defaultProfile: "ops-admin",
      lastRegions: ["us-east-1", "eu-west-1"],
    }),
  });

/** What ops-admin's pull answers once the code opened a session: one instance, three findings. */
const rolePull = review({
  origin: { kind: "pull", profile: "ops-admin", regions: ["eu-west-1", "us-east-1"] },
  groupCount: 1,
  findingCount: 3,
});

/** A pull that needs a code when none is sent, and accepts `good` (refusing any other code). */
function pullNeedingCode(good: string): (args: Record<string, unknown>) => unknown {
  return (args) => {
    if (args.mfaCode === null) return rejectWith(MFA_REQUIRED);
    return args.mfaCode === good ? rolePull : rejectWith(REFUSED);
  };
}

function pullArgs(backend: FakeBackend): Record<string, unknown>[] {
  return backend.calls.filter((call) => call.command === "pull").map((call) => call.args);
}

function codeInput(): HTMLInputElement {
  return screen.getByTestId("mfa-code");
}

function mfaDialog(): HTMLDialogElement {
  return screen.getByTestId("mfa-dialog");
}

/** Presses Pull in the toolbar and waits for the MFA dialog. */
async function pullUntilAsked(user: UserEvent): Promise<HTMLDialogElement> {
  await user.click(screen.getByTestId("pull"));
  await waitFor(() => {
    expect(mfaDialog().hasAttribute("open")).toBe(true);
  });
  return mfaDialog();
}

/** Types `code` into the dialog and presses its Pull button. */
async function sendCode(user: UserEvent, code: string): Promise<void> {
  await user.type(codeInput(), code);
  await user.click(screen.getByTestId("mfa-submit"));
}

describe("a pull that needs an MFA code", () => {
  it("asks for the code in a dialog naming the MFA device, not in an alert", async () => {
    const user = userEvent.setup();
    await openWindow({ startup: roleStartup, pull: pullNeedingCode("123456") });

    const dialog = await pullUntilAsked(user);

    expect(dialog.querySelector("h2")?.textContent).toBe("MFA code for ops-admin");
    expect(screen.getByTestId("mfa-device").textContent).toBe(DEVICE);
    expect(screen.queryByRole("alert")).toBeNull();
    const input = codeInput();
    expect(input.value).toBe("");
    expect(input.inputMode).toBe("numeric");
    expect(input.autocomplete).toBe("one-time-code");
    expect(input.maxLength).toBe(6);
    expect(input.pattern).toBe("[0-9]{6}");
    expect(input.required).toBe(true);
    // The results from before the pull are still on show behind the dialog.
    expect(screen.getByTestId("finding-count").textContent).toBe("15 findings");
  });

  it("pulls again with the typed code, shows the results and lets go of the code", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({ startup: roleStartup, pull: pullNeedingCode("123456") });
    await pullUntilAsked(user);

    await sendCode(user, "123456");

    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("3 findings");
    });
    expect(pullArgs(backend)).toEqual([
      { profile: "ops-admin", regions: ["eu-west-1", "us-east-1"], mfaCode: null },
      { profile: "ops-admin", regions: ["eu-west-1", "us-east-1"], mfaCode: "123456" },
    ]);
    expect(screen.getByTestId("notice").textContent).toBe("Pulled 3 findings.");
    expect(mfaDialog().hasAttribute("open")).toBe(false);
    expect(codeInput().value).toBe("");
    expect(new XMLSerializer().serializeToString(mfaDialog())).not.toContain("123456");
  });

  it("sends no code on the next pull, as the Rust side keeps the session", async () => {
    const user = userEvent.setup();
    let sessionOpen = false;
    const { backend } = await openWindow({
      startup: roleStartup,
      pull: (args) => {
        if (args.mfaCode === "123456") sessionOpen = true;
        return sessionOpen ? rolePull : rejectWith(MFA_REQUIRED);
      },
    });
    await pullUntilAsked(user);
    await sendCode(user, "123456");
    await waitFor(() => {
      expect(mfaDialog().hasAttribute("open")).toBe(false);
    });

    await user.click(screen.getByTestId("pull"));

    await waitFor(() => {
      expect(pullArgs(backend)).toHaveLength(3);
    });
    expect(pullArgs(backend)[2]).toEqual({
      profile: "ops-admin",
      regions: ["eu-west-1", "us-east-1"],
      mfaCode: null,
    });
    expect(mfaDialog().hasAttribute("open")).toBe(false);
  });

  it("shows a refused code's message in the dialog and takes the next code", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({ startup: roleStartup, pull: pullNeedingCode("654321") });
    await pullUntilAsked(user);

    await sendCode(user, "123456");

    const error = await screen.findByTestId("mfa-error");
    expect(error.textContent).toBe(REFUSED.message);
    expect(mfaDialog().hasAttribute("open")).toBe(true);
    expect(codeInput().value).toBe("");
    // The message is in the dialog, not in the window's alert region behind it.
    expect(screen.getAllByRole("alert")).toEqual([error]);
    expect(screen.getByTestId("finding-count").textContent).toBe("15 findings");

    await sendCode(user, "654321");

    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("3 findings");
    });
    expect(pullArgs(backend).map((args) => args.mfaCode)).toEqual([null, "123456", "654321"]);
    expect(mfaDialog().hasAttribute("open")).toBe(false);
    expect(screen.queryByTestId("mfa-error")).toBeNull();
  });

  it("closes on Cancel without another pull, keeping the previous results", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({ startup: roleStartup, pull: pullNeedingCode("123456") });
    await pullUntilAsked(user);
    await user.type(codeInput(), "12");

    await user.click(screen.getByTestId("mfa-cancel"));

    expect(mfaDialog().hasAttribute("open")).toBe(false);
    expect(pullArgs(backend)).toHaveLength(1);
    expect(backend.calls.map((call) => call.command)).not.toContain("cancel_pull");
    expect(screen.getByTestId("finding-count").textContent).toBe("15 findings");
    expect(screen.getByTestId("notice").textContent).toBe(
      "Pull cancelled; the previous results are kept.",
    );
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("stops the pull sent with a code when the analyst cancels while it runs", async () => {
    const user = userEvent.setup();
    const answer = pending<ReviewSummary>();
    const { backend } = await openWindow({
      startup: roleStartup,
      pull: (args) => (args.mfaCode === null ? rejectWith(MFA_REQUIRED) : answer.promise),
      cancel_pull: () => null,
    });
    await pullUntilAsked(user);
    await sendCode(user, "123456");
    expect(screen.getByTestId<HTMLButtonElement>("mfa-submit").disabled).toBe(true);

    await user.click(screen.getByTestId("mfa-cancel"));

    expect(mfaDialog().hasAttribute("open")).toBe(false);
    expect(backend.calls.at(-1)?.command).toBe("cancel_pull");
    answer.reject({
      code: "cancelled",
      message: "pull cancelled; the previous results are still shown",
    });
    await waitFor(() => {
      expect(screen.getByTestId("notice").textContent).toBe(
        "Pull cancelled; the previous results are kept.",
      );
    });
    expect(mfaDialog().hasAttribute("open")).toBe(false);
    expect(screen.getByTestId("finding-count").textContent).toBe("15 findings");
  });

  it("sends nothing until the code is six digits", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({ startup: roleStartup, pull: pullNeedingCode("123456") });
    await pullUntilAsked(user);

    await sendCode(user, "12a4");
    await user.keyboard("{Enter}");

    expect(pullArgs(backend)).toHaveLength(1);
    expect(codeInput().value).toBe("12a4");
    expect(mfaDialog().hasAttribute("open")).toBe(true);
  });

  it("shows the whole message when it names no MFA device", async () => {
    const user = userEvent.setup();
    const message = "the role of ops-admin needs an MFA code";
    await openWindow({
      startup: roleStartup,
      pull: () => rejectWith({ code: "mfa-required", message }),
    });

    await pullUntilAsked(user);

    expect(screen.getByTestId("mfa-device").textContent).toBe(message);
  });

  it("closes and alerts when a pull sent with a code fails for another reason", async () => {
    const user = userEvent.setup();
    const failed = "us-east-1: GuardDuty is not enabled in this region";
    await openWindow({
      startup: roleStartup,
      pull: (args) =>
        rejectWith(args.mfaCode === null ? MFA_REQUIRED : { code: "pull-failed", message: failed }),
    });
    await pullUntilAsked(user);

    await sendCode(user, "123456");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(failed);
    expect(mfaDialog().hasAttribute("open")).toBe(false);
    expect(codeInput().value).toBe("");
  });
});
