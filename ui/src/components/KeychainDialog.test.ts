import { screen, waitFor, within } from "@testing-library/svelte";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { NewKeychainProfile, Profile, ProfileList } from "../lib/bindings";
import { rejectWith, type FakeBackend } from "../test/backend";
import {
  keychainProfile,
  labProfile,
  prodProfile,
  profileList,
  review,
  startupWith,
} from "../test/fixtures";
import { openWindow } from "../test/window";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

const withKeychainProfile = profileList({
  profiles: [prodProfile, labProfile, keychainProfile],
});

function input(testid: string): HTMLInputElement {
  return screen.getByTestId(testid);
}

/** Opens the Profiles dialog from the toolbar and returns it. */
async function openProfiles(user: UserEvent): Promise<HTMLElement> {
  await user.click(screen.getByTestId("profiles-button"));
  const dialog = screen.getByTestId("profiles-dialog");
  await waitFor(() => {
    expect(dialog.hasAttribute("open")).toBe(true);
  });
  return dialog;
}

/** Types a profile into the add form; the region is picked from the list. */
async function typeProfile(user: UserEvent, name: string, region: string): Promise<void> {
  await user.type(input("keychain-name"), name);
  await user.selectOptions(screen.getByTestId("keychain-region"), region);
  await user.type(input("keychain-access-key-id"), "AKIAIOSFODNN7EXAMPLE");
  await user.type(input("keychain-secret"), SECRET);
  await user.type(input("keychain-session-token"), TOKEN);
}

/** The page as markup (attributes included), to show what a key would leak into. */
function markup(): string {
  return new XMLSerializer().serializeToString(document.body);
}

function addCalls(backend: FakeBackend): NewKeychainProfile[] {
  return backend.calls
    .filter((call) => call.command === "add_keychain_profile")
    .map((call) => call.args.profile as NewKeychainProfile);
}

/** The profile list once `profile` has been added. */
function listWith(profile: Profile): ProfileList {
  return profileList({ profiles: [prodProfile, labProfile, profile] });
}

describe("the Profiles dialog", () => {
  it("opens as a modal from the toolbar and lists the keychain profiles", async () => {
    const user = userEvent.setup();
    await openWindow({ startup: () => startupWith({ profiles: withKeychainProfile }) });

    const dialog = await openProfiles(user);

    const listed = within(dialog).getAllByTestId("keychain-profile");
    expect(listed.map((item) => item.dataset.name)).toEqual(["contractor"]);
    expect(listed[0]?.textContent).toContain("us-west-2");
    expect(screen.getByRole("dialog", { name: "Profiles" })).toBe(dialog);

    await user.click(screen.getByTestId("profiles-close"));
    expect(dialog.hasAttribute("open")).toBe(false);
    expect(screen.queryByTestId("keychain-form")).toBeNull();
  });

  it("sends exactly the typed values, then clears the keys and lists the new profile", async () => {
    const user = userEvent.setup();
    const added: Profile = {
      name: "ir-team",
      kind: "keychain",
      region: "eu-west-1",
      source: "keychain",
    };
    const { backend } = await openWindow({ add_keychain_profile: () => listWith(added) });
    await openProfiles(user);

    await typeProfile(user, "ir-team", "eu-west-1");
    // While typing, the keys are in the password inputs only, never in the markup.
    expect(input("keychain-secret").value).toBe(SECRET);
    expect(markup()).not.toContain(SECRET);
    await user.click(screen.getByTestId("keychain-add"));

    await waitFor(() => {
      expect(addCalls(backend)).toHaveLength(1);
    });
    expect(addCalls(backend)[0]).toEqual({
      name: "ir-team",
      region: "eu-west-1",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      replace: false,
    });
    await waitFor(() => {
      expect(input("keychain-secret").value).toBe("");
    });
    expect(input("keychain-session-token").value).toBe("");
    expect(input("keychain-access-key-id").value).toBe("");
    expect(input("keychain-name").value).toBe("");
    expect(markup()).not.toContain(SECRET);
    expect(markup()).not.toContain(TOKEN);
    expect(screen.getByTestId("keychain-notice").textContent).toBe(
      "Added ir-team; its keys are in the keychain.",
    );
    const listed = screen.getAllByTestId("keychain-profile").map((item) => item.dataset.name);
    expect(listed).toEqual(["ir-team"]);
    const options = [...screen.getByTestId<HTMLSelectElement>("profile-select").options];
    expect(options.map((option) => option.textContent)).toContain("ir-team (keychain)");
  });

  it("sends no region and no session token when none is given", async () => {
    const user = userEvent.setup();
    const added: Profile = { name: "plain", kind: "keychain", region: null, source: "keychain" };
    const { backend } = await openWindow({ add_keychain_profile: () => listWith(added) });
    await openProfiles(user);

    await user.type(input("keychain-name"), "plain");
    await user.type(input("keychain-access-key-id"), "AKIAIOSFODNN7EXAMPLE");
    await user.type(input("keychain-secret"), SECRET);
    await user.click(screen.getByTestId("keychain-add"));

    await waitFor(() => {
      expect(addCalls(backend)).toEqual([
        {
          name: "plain",
          region: null,
          accessKeyId: "AKIAIOSFODNN7EXAMPLE",
          secretAccessKey: SECRET,
          sessionToken: null,
          replace: false,
        },
      ]);
    });
  });

  it("asks before replacing the keys of an existing profile, then sends replace true", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: () => startupWith({ profiles: withKeychainProfile }),
      add_keychain_profile: ({ profile }) =>
        (profile as NewKeychainProfile).replace
          ? withKeychainProfile
          : rejectWith({
              code: "profile-exists",
              message: "A keychain profile called contractor exists.",
            }),
    });
    await openProfiles(user);
    await typeProfile(user, "contractor", "us-west-2");

    await user.click(screen.getByTestId("keychain-add"));

    const question = await screen.findByRole("alertdialog");
    expect(question.textContent).toContain("Replace the keys of contractor?");
    // Nothing is cleared while the question is open: the keys are still needed.
    expect(input("keychain-secret").value).toBe(SECRET);
    expect(screen.queryByTestId("keychain-error")).toBeNull();

    await user.click(within(question).getByRole("button", { name: "Replace keys" }));

    await waitFor(() => {
      expect(addCalls(backend)).toHaveLength(2);
    });
    const [first, second] = addCalls(backend);
    expect(first?.replace).toBe(false);
    expect(second).toEqual({
      name: "contractor",
      region: "us-west-2",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      replace: true,
    });
    await waitFor(() => {
      expect(input("keychain-secret").value).toBe("");
    });
    expect(input("keychain-session-token").value).toBe("");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(screen.getByTestId("keychain-notice").textContent).toBe(
      "Replaced the keys of contractor.",
    );
  });

  it("keeps the old keys when the analyst says no to replacing them", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      add_keychain_profile: () =>
        rejectWith({ code: "profile-exists", message: "A keychain profile called lab exists." }),
    });
    await openProfiles(user);
    await typeProfile(user, "lab", "eu-west-1");
    await user.click(screen.getByTestId("keychain-add"));

    const question = await screen.findByRole("alertdialog");
    await user.click(within(question).getByRole("button", { name: "Keep the old keys" }));

    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(addCalls(backend)).toHaveLength(1);
  });

  it("shows a rejected profile's message in the dialog and keeps what was typed", async () => {
    const user = userEvent.setup();
    await openWindow({
      add_keychain_profile: () =>
        rejectWith({ code: "bad-profile", message: "A profile name cannot contain spaces." }),
    });
    await openProfiles(user);
    await typeProfile(user, "ir team", "eu-west-1");

    await user.click(screen.getByTestId("keychain-add"));

    const error = await screen.findByTestId("keychain-error");
    expect(error.textContent).toBe("A profile name cannot contain spaces.");
    expect(input("keychain-name").value).toBe("ir team");
    expect(input("keychain-secret").value).toBe(SECRET);
  });

  it("says why the keychain cannot be used and disables the form", async () => {
    const user = userEvent.setup();
    const message = "No Secret Service answered on the session bus: is gnome-keyring running?";
    const unavailable = profileList({ keychain: { available: false, message } });
    const { backend } = await openWindow({
      startup: () => startupWith({ profiles: unavailable }),
    });

    await openProfiles(user);

    expect(screen.getByTestId("keychain-message").textContent).toContain(message);
    expect(screen.getByTestId("keychain-message").textContent).toContain(
      "The profiles in ~/.aws keep working.",
    );
    const add = screen.getByTestId<HTMLButtonElement>("keychain-add");
    expect(add.disabled || add.closest("fieldset")?.disabled).toBe(true);
    expect(input("keychain-secret").matches(":disabled")).toBe(true);
    expect(add.matches(":disabled")).toBe(true);
    await user.click(add);
    expect(backend.calls.map((call) => call.command)).not.toContain("add_keychain_profile");
    // The ~/.aws profiles are still there to pull with.
    expect(screen.getByTestId<HTMLButtonElement>("pull").disabled).toBe(false);
  });

  it("removes a keychain profile after asking, and the results follow the new selection", async () => {
    const user = userEvent.setup();
    const { backend } = await openWindow({
      startup: () =>
        startupWith({
          profiles: profileList({
            profiles: [prodProfile, labProfile, keychainProfile],
            defaultProfile: "contractor",
          }),
          review: review({
            origin: { kind: "pull", profile: "contractor", regions: ["us-west-2"] },
          }),
        }),
      remove_keychain_profile: () => profileList(),
      select_profile: () => review({ findingCount: 4, groupCount: 1 }),
    });
    await openProfiles(user);

    await user.click(screen.getByRole("button", { name: "Remove contractor" }));
    const question = screen.getByRole("alertdialog");
    expect(question.textContent).toContain("Remove contractor and its keys from the keychain?");
    expect(backend.calls.map((call) => call.command)).not.toContain("remove_keychain_profile");
    await user.click(within(question).getByRole("button", { name: "Remove" }));

    await waitFor(() => {
      expect(screen.getByTestId("keychain-notice").textContent).toBe(
        "Removed contractor and its keys.",
      );
    });
    expect(backend.calls.find((call) => call.command === "remove_keychain_profile")?.args).toEqual({
      name: "contractor",
    });
    expect(screen.getByTestId("no-keychain-profile")).toBeTruthy();
    expect(screen.getByTestId<HTMLSelectElement>("profile-select").value).toBe("prod-audit");
    await waitFor(() => {
      expect(screen.getByTestId("finding-count").textContent).toBe("4 findings");
    });
    expect(backend.calls.filter((call) => call.command === "select_profile").at(-1)?.args).toEqual({
      profile: "prod-audit",
    });
  });
});
