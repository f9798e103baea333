import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBackend } from "../test/backend";
import { review } from "../test/fixtures";
import * as ipc from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

describe("commands", () => {
  beforeEach(() => {
    vi.mocked(invoke).mockResolvedValue(null);
  });

  it("call the Rust commands by their snake_case names with camelCase arguments", async () => {
    await ipc.startup();
    await ipc.listProfiles();
    await ipc.selectProfile("lab");
    await ipc.addKeychainProfile({
      name: "contractor",
      region: null,
      accessKeyId: "AKIAEXAMPLE0000001",
      secretAccessKey: "not-a-real-secret",
      sessionToken: null,
      replace: false,
    });
    await ipc.removeKeychainProfile("contractor");
    await ipc.loadSample();
    await ipc.pull("prod-audit", ["us-east-1", "eu-west-1"]);
    await ipc.pull("ops-admin", ["us-east-1"], "123456");
    await ipc.cancelPull();
    await ipc.openFindings();
    await ipc.listGroups({ filter: "web", offset: 200, limit: 200 });
    await ipc.groupFindings("123456789012/us-east-1/i-0a1b");
    await ipc.withoutInstance();
    await ipc.exportCsv();
    await ipc.openLink("https://docs.aws.amazon.com/guardduty/");
    await ipc.ssoSignIn("corp-sso");

    expect(vi.mocked(invoke).mock.calls).toEqual([
      ["startup", undefined],
      ["list_profiles", undefined],
      ["select_profile", { profile: "lab" }],
      [
        "add_keychain_profile",
        {
          profile: {
            name: "contractor",
            region: null,
            accessKeyId: "AKIAEXAMPLE0000001",
            secretAccessKey: "not-a-real-secret",
            sessionToken: null,
            replace: false,
          },
        },
      ],
      ["remove_keychain_profile", { name: "contractor" }],
      ["load_sample", undefined],
      ["pull", { profile: "prod-audit", regions: ["us-east-1", "eu-west-1"], mfaCode: null }],
      ["pull", { profile: "ops-admin", regions: ["us-east-1"], mfaCode: "123456" }],
      ["cancel_pull", undefined],
      ["open_findings", undefined],
      ["list_groups", { query: { filter: "web", offset: 200, limit: 200 } }],
      ["group_findings", { key: "123456789012/us-east-1/i-0a1b" }],
      ["without_instance", undefined],
      ["export_csv", undefined],
      ["open_link", { url: "https://docs.aws.amazon.com/guardduty/" }],
      ["sso_sign_in", { profile: "corp-sso" }],
    ]);
  });

  it("return what the command resolved with", async () => {
    fakeBackend({ load_sample: () => review({ findingCount: 42 }) });
    const summary = await ipc.loadSample();
    expect(summary.findingCount).toBe(42);
  });
});

describe("rejections", () => {
  it("keep an AppError's code and message", async () => {
    vi.mocked(invoke).mockRejectedValue({ code: "no-credentials", message: "No credentials" });
    await expect(ipc.pull("prod-audit", ["us-east-1"])).rejects.toMatchObject({
      code: "no-credentials",
      message: "No credentials",
    });
  });

  it("turn a bare string into code internal with that message", async () => {
    vi.mocked(invoke).mockRejectedValue("command pull not found");
    await expect(ipc.startup()).rejects.toMatchObject({
      code: "internal",
      message: "command pull not found",
    });
  });

  it("keep the profile codes the UI branches on", async () => {
    vi.mocked(invoke).mockRejectedValue({
      code: "profile-exists",
      message: "A keychain profile called contractor exists.",
    });
    const profile = {
      name: "contractor",
      region: null,
      accessKeyId: "AKIAEXAMPLE0000001",
      secretAccessKey: "not-a-real-secret",
      sessionToken: null,
      replace: false,
    };
    await expect(ipc.addKeychainProfile(profile)).rejects.toMatchObject({
      code: "profile-exists",
      message: "A keychain profile called contractor exists.",
    });
  });

  it("keep sign-in-failed, so the sign-in dialog can show why", async () => {
    vi.mocked(invoke).mockRejectedValue({
      code: "sign-in-failed",
      message: "the code expired before it was approved",
    });
    await expect(ipc.ssoSignIn("corp-sso")).rejects.toMatchObject({
      code: "sign-in-failed",
      message: "the code expired before it was approved",
    });
  });

  it("turn an unknown code into code internal, keeping the message", async () => {
    vi.mocked(invoke).mockRejectedValue({ code: "teapot", message: "short and stout" });
    await expect(ipc.startup()).rejects.toMatchObject({
      code: "internal",
      message: "short and stout",
    });
  });

  it("turn something without a message into code internal", async () => {
    vi.mocked(invoke).mockRejectedValue(42);
    await expect(ipc.startup()).rejects.toMatchObject({
      code: "internal",
      message: "Unexpected error",
    });
  });

  it("are Errors as well, so they carry a stack", async () => {
    vi.mocked(invoke).mockRejectedValue({ code: "cancelled", message: "Pull cancelled" });
    await expect(ipc.pull(null, ["us-east-1"])).rejects.toBeInstanceOf(Error);
  });
});

describe("onPullProgress", () => {
  it("hands each pull-progress payload to the callback", async () => {
    const backend = fakeBackend({});
    const seen: number[] = [];
    await ipc.onPullProgress((progress) => seen.push(progress.calls));
    backend.emitProgress({ calls: 3, findings: 10, regionsDone: 1, regionsTotal: 2 });
    backend.emitProgress({ calls: 7, findings: 25, regionsDone: 2, regionsTotal: 2 });
    expect(vi.mocked(listen).mock.calls[0]?.[0]).toBe("pull-progress");
    expect(seen).toEqual([3, 7]);
  });

  it("normalises a failure to listen", async () => {
    vi.mocked(listen).mockRejectedValue("event plugin missing");
    await expect(ipc.onPullProgress(() => undefined)).rejects.toMatchObject({
      code: "internal",
      message: "event plugin missing",
    });
  });
});

describe("onSsoDeviceCode", () => {
  it("hands each sso-device-code payload to the callback", async () => {
    const backend = fakeBackend({});
    const seen: string[] = [];
    await ipc.onSsoDeviceCode((code) => seen.push(`${code.userCode} ${code.verificationUri}`));
    backend.emitDeviceCode({
      userCode: "ABCD-EFGH",
      verificationUri: "https://device.sso.eu-west-1.amazonaws.com/",
      expiresAt: "2030-01-01T00:10:00Z",
    });
    expect(vi.mocked(listen).mock.calls[0]?.[0]).toBe("sso-device-code");
    expect(seen).toEqual(["ABCD-EFGH https://device.sso.eu-west-1.amazonaws.com/"]);
  });
});
