/**
 * The one door to the Rust side: every command the window calls, typed with the generated
 * bindings, and every failure turned into an `AppError` so callers branch on `code` alone.
 */
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AppError,
  DeviceCode,
  ErrorCode,
  ExportResult,
  FindingView,
  GroupPage,
  GroupQuery,
  NewKeychainProfile,
  ProfileList,
  PullProgress,
  ReviewSummary,
  SignedIn,
  Startup,
} from "./bindings";

export type { UnlistenFn };

// A record rather than a list, so the compiler insists on every code the Rust side can send.
const KNOWN_CODES: Record<ErrorCode, true> = {
  "no-credentials": true,
  "no-region": true,
  "unknown-profile": true,
  "pull-failed": true,
  "pull-running": true,
  cancelled: true,
  unreadable: true,
  "unknown-group": true,
  "export-failed": true,
  "mfa-required": true,
  "sign-in-failed": true,
  "keychain-unavailable": true,
  "profile-exists": true,
  "bad-profile": true,
  "link-refused": true,
  internal: true,
};
const ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(KNOWN_CODES));

/** A rejected command: an `AppError` that is also an `Error`, so it keeps a stack trace. */
export class CommandError extends Error implements AppError {
  readonly code: ErrorCode;

  constructor(error: AppError) {
    super(error.message);
    this.name = "CommandError";
    this.code = error.code;
  }
}

function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && ERROR_CODES.has(code) && typeof message === "string";
}

/**
 * Turns whatever a command rejected with into an `AppError`. Anything that is not already
 * `{code, message}` with a known code becomes code "internal", keeping its text as the message.
 */
export function toAppError(value: unknown): CommandError {
  if (value instanceof CommandError) return value;
  if (isAppError(value)) return new CommandError(value);
  let message = "Unexpected error";
  if (typeof value === "string" && value !== "") message = value;
  else if (value instanceof Error) message = value.message;
  else if (typeof value === "object" && value !== null) {
    const text = (value as Record<string, unknown>).message;
    if (typeof text === "string") message = text;
  }
  return new CommandError({ code: "internal", message });
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toAppError(error);
  }
}

/** What the window needs for its first frame: profiles, regions and the current results. */
export function startup(): Promise<Startup> {
  return call("startup");
}

/** Reads the AWS profiles again (after the analyst edited their config). */
export function listProfiles(): Promise<ProfileList> {
  return call("list_profiles");
}

/**
 * Switches the window to `profile`: resolves with that profile's last results, or with empty
 * results (origin "empty") when it has not been pulled yet.
 */
export function selectProfile(profile: string | null): Promise<ReviewSummary> {
  return call("select_profile", { profile });
}

/**
 * Keeps `profile`'s keys in the OS keychain and lists the profiles again. Rejects with
 * "profile-exists" unless `profile.replace`, "keychain-unavailable" or "bad-profile".
 */
export function addKeychainProfile(profile: NewKeychainProfile): Promise<ProfileList> {
  return call("add_keychain_profile", { profile });
}

/** Removes the keychain profile `name` and its keys, and lists the profiles again. */
export function removeKeychainProfile(name: string): Promise<ProfileList> {
  return call("remove_keychain_profile", { name });
}

/** Replaces the results with the bundled sample findings. */
export function loadSample(): Promise<ReviewSummary> {
  return call("load_sample");
}

/**
 * Pulls findings of `profile` in `regions`; progress arrives through `onPullProgress`. Rejects
 * with "mfa-required" when the profile assumes a role that needs an MFA code and `mfaCode` is
 * null; the Rust side keeps the session a code opened, so later pulls need no code until it ends.
 */
export function pull(
  profile: string | null,
  regions: string[],
  mfaCode: string | null = null,
): Promise<ReviewSummary> {
  return call("pull", { profile, regions, mfaCode });
}

/**
 * Signs in with the SSO profile `profile`: the Rust side opens the AWS sign-in page in the system
 * browser, sends the code to confirm there through `onSsoDeviceCode`, and resolves once the
 * analyst approved (it may wait about ten minutes). Rejects with "sign-in-failed" (denied, code
 * expired, network) or "bad-profile" (not an SSO profile).
 */
export function ssoSignIn(profile: string): Promise<SignedIn> {
  return call("sso_sign_in", { profile });
}

/** Asks a running pull to stop; the pull then rejects with code "cancelled". */
export function cancelPull(): Promise<void> {
  return call("cancel_pull");
}

/** Lets the analyst pick finding files to import; null when they cancelled the dialog. */
export function openFindings(): Promise<ReviewSummary | null> {
  return call("open_findings");
}

/** One page of instance groups matching `query.filter`, worst first. */
export function listGroups(query: GroupQuery): Promise<GroupPage> {
  return call("list_groups", { query });
}

/** The findings of the group whose opaque key is `key`. */
export function groupFindings(key: string): Promise<FindingView[]> {
  return call("group_findings", { key });
}

/** Findings that name no EC2 instance, so belong to no group. */
export function withoutInstance(): Promise<FindingView[]> {
  return call("without_instance");
}

/** Writes the results as CSV where the analyst chooses; null when they cancelled the dialog. */
export function exportCsv(): Promise<ExportResult | null> {
  return call("export_csv");
}

/** Opens a link that came from the Rust side in the system browser. */
export function openLink(url: string): Promise<void> {
  return call("open_link", { url });
}

/** Starts listening with `listening`, turning a failure to listen into an `AppError`. */
async function subscribe(listening: () => Promise<UnlistenFn>): Promise<UnlistenFn> {
  try {
    return await listening();
  } catch (error) {
    throw toAppError(error);
  }
}

/** Calls `callback` with each progress report of a running pull until the returned function runs. */
export function onPullProgress(callback: (progress: PullProgress) => void): Promise<UnlistenFn> {
  return subscribe(() =>
    listen<PullProgress>("pull-progress", (event) => {
      callback(event.payload);
    }),
  );
}

/**
 * Calls `callback` with the code each SSO sign-in asks the analyst to confirm in the browser,
 * until the returned function runs.
 */
export function onSsoDeviceCode(callback: (code: DeviceCode) => void): Promise<UnlistenFn> {
  return subscribe(() =>
    listen<DeviceCode>("sso-device-code", (event) => {
      callback(event.payload);
    }),
  );
}
