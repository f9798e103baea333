import { screen, waitFor, within } from "@testing-library/svelte";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { DeviceCode, SignedIn } from "../lib/bindings";
import { shortTime } from "../lib/time";
import { pending, rejectWith, type FakeBackend } from "../test/backend";
import { corpSsoProfile, labProfile, profileList, startupWith } from "../test/fixtures";
import { openWindow } from "../test/window";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const HOUR = 3_600_000;

/** corp-sso is the default profile; lab (static keys) is the other one. */
const ssoStartup =
  (defaultProfile = "corp-sso") =>
  () =>
    startupWith({
      profiles: profileList({ profiles: [labProfile, corpSsoProfile], defaultProfile }),
    });

const DEVICE_CODE: DeviceCode = {
  userCode: "ABCD-EFGH",
  verificationUri: "https://device.sso.eu-west-1.amazonaws.com/",
  expiresAt: "2030-01-01T00:10:00Z",
};

const DENIED = {
  code: "sign-in-failed",
  message: "the sign-in was denied in the browser; start it again to get a new code",
} as const;

/** A sign-in that holds for eight hours from now (plus a little, so the countdown says 8 h). */
function signedInNow(): SignedIn {
  return { profile: "corp-sso", expiresAt: new Date(Date.now() + 8 * HOUR + 30_000).toISOString() };
}

function signInArgs(backend: FakeBackend): Record<string, unknown>[] {
  return backend.calls.filter((call) => call.command === "sso_sign_in").map((call) => call.args);
}

function ssoDialog(): HTMLDialogElement {
  return screen.getByTestId("sso-dialog");
}

function selectedOption(): string {
  const select = screen.getByTestId<HTMLSelectElement>("profile-select");
  return select.selectedOptions[0]?.textContent ?? "";
}

/** Presses Sign in beside the profile picker and waits for the dialog. */
async function startSignIn(user: UserEvent): Promise<HTMLDialogElement> {
  await user.click(screen.getByTestId("sso-sign-in"));
  await waitFor(() => {
    expect(ssoDialog().hasAttribute("open")).toBe(true);
  });
  return ssoDialog();
}

describe("signing in with an SSO profile", () => {
  it("offers Sign in only while an SSO profile is selected", async () => {
    const user = userEvent.setup();
    await openWindow({ startup: ssoStartup("lab") });
    expect(screen.queryByTestId("sso-sign-in")).toBeNull();

    await user.selectOptions(screen.getByTestId("profile-select"), "corp-sso");
    expect(screen.getByTestId("sso-sign-in").textContent).toBe("Sign in");

    await user.selectOptions(screen.getByTestId("profile-select"), "lab");
    expect(screen.queryByTestId("sso-sign-in")).toBeNull();
  });

  it("signs in with the selected profile and says it is starting", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: ssoStartup(),
      sso_sign_in: () => pending<SignedIn>().promise,
    });

    const dialog = await startSignIn(user);

    expect(signInArgs(backend)).toEqual([{ profile: "corp-sso" }]);
    expect(dialog.querySelector("h2")?.textContent).toBe("Sign in with corp-sso");
    expect(within(dialog).getByRole("status").textContent).toBe("Starting the sign-in…");
    expect(screen.queryByTestId("sso-user-code")).toBeNull();
  });

  it("shows the code to confirm and the address as text, not as a link", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: ssoStartup(),
      sso_sign_in: () => pending<SignedIn>().promise,
    });
    const dialog = await startSignIn(user);

    backend.emitDeviceCode(DEVICE_CODE);

    await waitFor(() => {
      expect(screen.getByTestId("sso-user-code").textContent).toBe("ABCD-EFGH");
    });
    expect(screen.getByTestId("sso-address").textContent).toBe(
      "https://device.sso.eu-west-1.amazonaws.com/",
    );
    expect(dialog.querySelector("a")).toBeNull();
    expect(dialog.textContent).toContain("Confirm this code in the browser page that opened:");
    expect(dialog.textContent).toContain("If no page opened, open this address.");
    expect(within(dialog).getByRole("status").textContent).toBe("Waiting for approval…");
  });

  it("closes once approved, says until when, and shows the profile's new lifetime", async () => {
    const user = userEvent.setup();
    const answer = pending<SignedIn>();
    const { backend } = await openWindow({
      startup: ssoStartup(),
      sso_sign_in: () => answer.promise,
    });
    await startSignIn(user);
    backend.emitDeviceCode(DEVICE_CODE);
    expect(selectedOption()).toBe("corp-sso (SSO)");

    const signedIn = signedInNow();
    answer.resolve(signedIn);

    await waitFor(() => {
      expect(ssoDialog().hasAttribute("open")).toBe(false);
    });
    expect(screen.getByTestId("notice").textContent).toBe(
      `Signed in with corp-sso until ${shortTime(signedIn.expiresAt)}.`,
    );
    expect(selectedOption()).toBe("corp-sso (SSO, 8 h left)");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a failure in the dialog, and Try again signs in anew", async () => {
    const user = userEvent.setup();
    const second = pending<SignedIn>();
    let calls = 0;
    const { backend } = await openWindow({
      startup: ssoStartup(),
      sso_sign_in: () => (++calls === 1 ? rejectWith(DENIED) : second.promise),
    });
    await startSignIn(user);

    const error = await screen.findByTestId("sso-error");
    expect(error.textContent).toBe(DENIED.message);
    expect(ssoDialog().hasAttribute("open")).toBe(true);
    // The message is in the dialog, not in the window's alert region behind it.
    expect(screen.getAllByRole("alert")).toEqual([error]);
    expect(screen.getByTestId("sso-close").textContent).toBe("Close");

    await user.click(screen.getByTestId("sso-retry"));

    expect(signInArgs(backend)).toEqual([{ profile: "corp-sso" }, { profile: "corp-sso" }]);
    expect(screen.queryByTestId("sso-error")).toBeNull();
    expect(within(ssoDialog()).getByRole("status").textContent).toBe("Starting the sign-in…");
    backend.emitDeviceCode({ ...DEVICE_CODE, userCode: "WXYZ-JKLM" });
    await waitFor(() => {
      expect(screen.getByTestId("sso-user-code").textContent).toBe("WXYZ-JKLM");
    });
  });

  it("just closes when the analyst closes it while waiting", async () => {
    const user = userEvent.setup();
    const answer = pending<SignedIn>();
    const { backend } = await openWindow({
      startup: ssoStartup(),
      sso_sign_in: () => answer.promise,
    });
    await startSignIn(user);
    backend.emitDeviceCode(DEVICE_CODE);

    await user.click(screen.getByTestId("sso-close"));

    expect(ssoDialog().hasAttribute("open")).toBe(false);
    expect(screen.queryByTestId("sso-user-code")).toBeNull();
    // The code expires unused on the Rust side; that failure has no one left to tell.
    answer.reject({ code: "sign-in-failed", message: "the code expired before it was approved" });
    await new Promise((settled) => setTimeout(settled, 0));
    expect(ssoDialog().hasAttribute("open")).toBe(false);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(signInArgs(backend)).toHaveLength(1);
  });
});

describe("a pull without credentials", () => {
  const NO_CREDENTIALS = {
    code: "no-credentials",
    message:
      "no usable credentials for profile corp-sso: the SSO session has expired; " +
      "run `aws sso login --profile corp-sso`",
  } as const;

  it("offers Sign in from the alert for an SSO profile, which starts the sign-in", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: ssoStartup(),
      pull: () => rejectWith(NO_CREDENTIALS),
      sso_sign_in: () => pending<SignedIn>().promise,
    });
    await user.click(screen.getByTestId("pull"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("aws sso login --profile corp-sso");
    const signIn = within(alert).getByTestId("alert-action");
    expect(signIn.textContent).toBe("Sign in");

    await user.click(signIn);

    await waitFor(() => {
      expect(ssoDialog().hasAttribute("open")).toBe(true);
    });
    expect(signInArgs(backend)).toEqual([{ profile: "corp-sso" }]);
    expect(ssoDialog().querySelector("h2")?.textContent).toBe("Sign in with corp-sso");
    expect(screen.queryByText(/aws sso login/)).toBeNull();
  });

  it("offers no Sign in for a profile with static keys", async () => {
    const user = userEvent.setup();
    const message = "no usable credentials for profile lab: the access key was refused";
    await openWindow({
      startup: ssoStartup("lab"),
      pull: () => rejectWith({ code: "no-credentials", message }),
    });
    await user.click(screen.getByTestId("pull"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(message);
    expect(within(alert).queryByTestId("alert-action")).toBeNull();
  });
});
