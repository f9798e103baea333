// The real app with two AWS profiles whose pulls go to the loopback GuardDuty emulator: each
// profile's pull shows its own findings, and switching back to a profile shows its last results
// at once, without a call to AWS. A profile added in the Profiles dialog keeps its keys in the
// keychain and pulls with them. Run through tests/e2e/run.sh, which writes the profiles (`alpha`
// in us-east-1, `bravo` in eu-west-1, fake keys), starts the emulator, points AWS_ENDPOINT_URL
// at it and unlocks a throwaway keyring.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { Session, WebDriver } from "./webdriver.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(here, "artifacts");
const app = process.env.THREAT_REVIEW_APP;
const emulatorLog = process.env.E2E_EMULATOR_LOG;
const $ = Session.testid;

/** The profiles run.sh writes: each one's region and (fake) access key id. */
const PROFILES = {
  alpha: { region: "us-east-1", accessKeyId: "AKIDE2EALPHA00000001" },
  bravo: { region: "eu-west-1", accessKeyId: "AKIDE2EBRAVO00000002" },
};

/**
 * What `threat-review pull --profile NAME --json` finds with the same HOME and emulator: the
 * findings to expect in the window, and the group keys in the order the window lists them.
 * The command line gets a config folder of its own, so the app's remembered choices stay its own.
 */
function pullWithCli(profile) {
  const config = path.join(process.env.E2E_TMP, "cli-config");
  mkdirSync(config, { recursive: true });
  const stdout = execFileSync(app, ["pull", "--profile", profile, "--json"], {
    env: { ...process.env, XDG_CONFIG_HOME: config, AWS_EC2_METADATA_DISABLED: "true" },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  const result = JSON.parse(stdout.toString("utf8"));
  const inGroups = result.groups.reduce((sum, group) => sum + group.findings.length, 0);
  return {
    findings: inGroups + result.withoutInstance.length,
    keys: result.groups.map((group) => group.key),
    regions: result.regions,
  };
}

/** The GuardDuty calls the emulator has logged so far: operation, region and access key id. */
function emulatorCalls() {
  const log = readFileSync(emulatorLog, "utf8");
  return [...log.matchAll(/ call operation=(\w+) region="([^"]*)" access_key_id=(\S+)/g)].map(
    ([, operation, region, accessKeyId]) => ({ operation, region, accessKeyId }),
  );
}

/** The element's text as laid out (innerText); see app.test.mjs for why rows are read so. */
function renderedText(session, element) {
  return session.executeScript("return arguments[0].innerText;", [{ element }]);
}

async function textOf(session, css) {
  return session.getText(await session.findElement(css));
}

/** The keys of the group rows, in the window's order. */
async function rowKeys(session) {
  const keys = [];
  for (const row of await session.findElements($("group-row"))) {
    keys.push(await session.getAttribute(row, "data-key"));
  }
  return keys;
}

/** The labels of the profile picker's options. */
async function profileLabels(session) {
  const labels = [];
  for (const option of await session.findElements(`${$("profile-select")} option`)) {
    labels.push(await session.getText(option));
  }
  return labels;
}

/** Opens the Profiles dialog and waits for it to be shown as a modal. */
async function openProfilesDialog(session) {
  await session.click(await session.findElement($("profiles-button")));
  const dialog = await session.findElement($("profiles-dialog"));
  await session.waitFor(
    async (s) => (await s.getProperty(dialog, "open")) === true && (await s.isDisplayed(dialog)),
    { timeout: 5_000, message: "the Profiles dialog to open" },
  );
  return dialog;
}

/**
 * Picks `name` in the profile picker by clicking its option. The select itself is not clicked
 * first: that opens WebKitGTK's native pop-up menu, which under Xvfb without a window manager
 * stays up and keeps the select drawn with its old label.
 */
async function chooseProfile(session, name) {
  const select = await session.findElement($("profile-select"));
  await session.click(await session.findElement(`option[value="${name}"]`, { from: select }));
  await session.waitFor(
    async (s) =>
      (await s.executeScript("return arguments[0].value;", [{ element: select }])) === name,
    { timeout: 5_000, message: `the profile picker to show ${name}` },
  );
}

describe("switching between AWS profiles", { timeout: 180_000 }, () => {
  /** @type {Session} */
  let session;
  /** What each profile's pull holds, from the command line. */
  const expected = {};

  before(async () => {
    assert.ok(
      app && path.isAbsolute(app),
      "THREAT_REVIEW_APP must be the app's absolute path (use run.sh)",
    );
    assert.ok(process.env.DISPLAY, "no DISPLAY: run the tests through tests/e2e/run.sh");
    assert.match(
      process.env.AWS_ENDPOINT_URL ?? "",
      /^http:\/\/127\.0\.0\.1:\d+$/,
      "AWS_ENDPOINT_URL must name the loopback emulator (use run.sh)",
    );
    assert.ok(emulatorLog, "E2E_EMULATOR_LOG must name the emulator's log (use run.sh)");
    mkdirSync(artifacts, { recursive: true });
    for (const name of Object.keys(PROFILES)) expected[name] = pullWithCli(name);
    for (const [name, { region }] of Object.entries(PROFILES)) {
      assert.deepEqual(
        expected[name].regions.map((report) => [report.region, report.status]),
        [[region, "ok"]],
        `the command line's pull of ${name}`,
      );
      assert.ok(expected[name].findings > 0, `${name} has findings to show`);
    }
    assert.notEqual(
      expected.alpha.findings,
      expected.bravo.findings,
      "alpha and bravo must differ for the switch to show anything",
    );
    session = await new WebDriver({ host: "127.0.0.1", port: 4444 }).newSession(app);
  });

  after(async () => {
    if (session)
      await session
        .deleteSession()
        .catch((error) => console.error(`deleteSession: ${error.message}`));
  });

  /**
   * Pulls with `name` and waits for its findings; returns the window's count. The status line
   * must say the profile's region answered "ok", and the emulator must have been asked with
   * that profile's key, in that region only. `want` is what the CLI found for that region.
   */
  async function pullAs(name, { region, accessKeyId } = PROFILES[name], want = expected[name]) {
    assert.equal(
      await textOf(session, `${$("region-picker")} summary`),
      `Regions: ${region}`,
      `the regions picked for ${name}`,
    );
    const before = emulatorCalls().length;
    await session.click(await session.findElement($("pull")));

    const count = await session.waitFor(
      async (s) => {
        const status = await textOf(s, $("status-line"));
        const shown = await textOf(s, $("finding-count"));
        return status.includes(`Pulled with ${name}`) ? shown : null;
      },
      { timeout: 60_000, message: `the results of ${name}'s pull` },
    );
    assert.equal(count, `${want.findings} findings`, `${name}'s findings, as the CLI counts them`);
    await session.waitFor(async (s) => (await rowKeys(s)).length === want.keys.length, {
      timeout: 15_000,
      message: `${want.keys.length} group rows of ${name}`,
    });
    assert.deepEqual(await rowKeys(session), want.keys, `${name}'s instances, in the CLI's order`);

    const reports = await session.findElements(`${$("status-line")} [data-status]`);
    assert.equal(reports.length, 1, "one region in the status line");
    assert.equal(await session.getAttribute(reports[0], "data-status"), "ok");
    assert.equal(
      (await renderedText(session, reports[0])).trim(),
      `${region} ok · ${want.findings}`,
      `the status line's report of ${region}`,
    );

    const calls = emulatorCalls().slice(before);
    assert.ok(calls.length >= 3, `the pull called GuardDuty: ${JSON.stringify(calls)}`);
    assert.deepEqual(
      new Set(calls.map((call) => `${call.accessKeyId} ${call.region}`)),
      new Set([`${accessKeyId} ${region}`]),
      `every call of ${name}'s pull was signed with ${name}'s key, in ${region}`,
    );
    return count;
  }

  /** Switches to `name`, whose results were pulled before: they show at once, with no call. */
  async function switchBackTo(name) {
    const want = expected[name];
    const before = emulatorCalls().length;
    await chooseProfile(session, name);
    const count = await session.waitFor(
      async (s) => {
        const status = await textOf(s, $("status-line"));
        return status.includes(`Pulled with ${name}`) ? textOf(s, $("finding-count")) : null;
      },
      { timeout: 5_000, message: `${name}'s last results, shown on switching back` },
    );
    assert.equal(count, `${want.findings} findings`);
    await session.waitFor(async (s) => (await rowKeys(s)).length === want.keys.length, {
      timeout: 5_000,
      message: `${want.keys.length} group rows of ${name}`,
    });
    assert.deepEqual(await rowKeys(session), want.keys, `${name}'s instances`);
    assert.equal((await session.findElements($("pull-progress"))).length, 0, "no pull is running");
    assert.deepEqual(emulatorCalls().slice(before), [], "switching back made no AWS call");
    return count;
  }

  test("the picker lists both profiles with their kind, and nothing is shown before a pull", async () => {
    // The picker says "no AWS profile" until the first frame's data has arrived.
    const labels = await session.waitFor(
      async (s) => {
        const texts = await profileLabels(s);
        return texts.length === 2 ? texts : null;
      },
      { timeout: 30_000, message: "two profiles in the picker" },
    );
    assert.deepEqual(labels, ["alpha (keys)", "bravo (keys)"]);
    const select = await session.findElement($("profile-select"));
    assert.equal(
      await session.executeScript("return arguments[0].value;", [{ element: select }]),
      "alpha",
    );
    // Profiles exist, so no sample findings: an empty window until the analyst pulls.
    await session.waitForElement($("status-line"));
    assert.equal(await textOf(session, $("finding-count")), "0 findings");
    assert.equal((await session.findElements($("sample-banner"))).length, 0, "no sample banner");
    assert.equal(await session.isEnabled(await session.findElement($("pull"))), true);
  });

  test("each profile's pull shows that profile's findings, and switching back needs no pull", async () => {
    await chooseProfile(session, "alpha");
    const alpha = await pullAs("alpha");

    await chooseProfile(session, "bravo");
    // bravo has not been pulled in this session: its view is empty until it is.
    await session.waitFor(async (s) => (await textOf(s, $("finding-count"))) === "0 findings", {
      timeout: 5_000,
      message: "the empty view of bravo before its pull",
    });
    assert.match(await textOf(session, $("not-pulled")), /Nothing pulled with bravo yet/);
    const bravo = await pullAs("bravo");
    assert.notEqual(alpha, bravo, "the two profiles show different findings");

    assert.equal(await switchBackTo("alpha"), alpha);
    await session.nextFrames(3);
    await session.screenshot(path.join(artifacts, "profile-alpha.png"));
    assert.equal(await switchBackTo("bravo"), bravo);
  });

  test("a profile added in the Profiles dialog pulls with the keys it keeps in the keychain", async () => {
    // Fake keys, like the others; only the loopback emulator ever sees them.
    const charlie = {
      region: "eu-west-1",
      accessKeyId: "AKIDE2ECHARLIE000003",
      secret: "fake-charlie-secret-kept-in-the-keychain",
    };
    const dialog = await openProfilesDialog(session);
    assert.equal(
      (await session.findElements($("keychain-message"))).length,
      0,
      "the throwaway keyring answers, so the dialog reports no keychain problem",
    );
    const field = (testid) => session.findElement($(testid), { from: dialog });
    await session.sendKeys(await field("keychain-name"), "charlie");
    await session.click(
      await session.findElement(`option[value="${charlie.region}"]`, {
        from: await field("keychain-region"),
      }),
    );
    await session.sendKeys(await field("keychain-access-key-id"), charlie.accessKeyId);
    const secret = await field("keychain-secret");
    await session.sendKeys(secret, charlie.secret);
    assert.equal(await session.getAttribute(secret, "type"), "password");
    assert.equal(await session.getProperty(secret, "value"), charlie.secret);
    await session.click(await field("keychain-add"));

    await session.waitFor(
      async (s) =>
        (await s.getText(await s.findElement($("keychain-notice")))) ===
        "Added charlie; its keys are in the keychain.",
      { timeout: 15_000, message: "the keychain profile to be added" },
    );
    assert.equal(await session.getProperty(secret, "value"), "", "the secret input is cleared");
    assert.equal(await session.getProperty(await field("keychain-session-token"), "value"), "");
    assert.ok(
      !(await session.getPageSource()).includes(charlie.secret),
      "the secret is nowhere in the page",
    );
    const listed = await session.findElements(`${$("keychain-profile")}[data-name="charlie"]`);
    assert.equal(listed.length, 1, "the dialog lists charlie as a keychain profile");
    await session.nextFrames(3);
    await session.screenshot(path.join(artifacts, "profiles-dialog.png"));

    // Escape closes the modal dialog, as any dialog.
    await session.sendKeys(await field("keychain-name"), "\uE00C");
    await session.waitFor(async (s) => (await s.getProperty(dialog, "open")) === false, {
      timeout: 5_000,
      message: "Escape to close the Profiles dialog",
    });
    assert.deepEqual(await profileLabels(session), [
      "alpha (keys)",
      "bravo (keys)",
      "charlie (keychain)",
    ]);

    // The emulator serves one account, so charlie sees in eu-west-1 what bravo saw there.
    await chooseProfile(session, "charlie");
    await session.waitFor(async (s) => (await textOf(s, $("finding-count"))) === "0 findings", {
      timeout: 5_000,
      message: "the empty view of charlie before its pull",
    });
    await pullAs("charlie", charlie, expected.bravo);
  });

  test("removing the selected keychain profile falls back to another one and its results", async () => {
    const dialog = await openProfilesDialog(session);
    const item = await session.findElement(`${$("keychain-profile")}[data-name="charlie"]`, {
      from: dialog,
    });
    await session.click(await session.findElement("button", { from: item }));
    const question = await session.findElement($("confirm"), { from: dialog });
    assert.equal(
      await session.getText(await session.findElement("p", { from: question })),
      "Remove charlie and its keys from the keychain?",
    );
    await session.click(await session.findElement($("confirm-yes"), { from: question }));
    await session.waitFor(
      async (s) =>
        (await s.getText(await s.findElement($("keychain-notice")))) ===
        "Removed charlie and its keys.",
      { timeout: 15_000, message: "the keychain profile to be removed" },
    );
    await session.click(await session.findElement($("profiles-close")));

    assert.deepEqual(await profileLabels(session), ["alpha (keys)", "bravo (keys)"]);
    const select = await session.findElement($("profile-select"));
    assert.equal(
      await session.executeScript("return arguments[0].value;", [{ element: select }]),
      "alpha",
    );
    const count = await session.waitFor(
      async (s) =>
        (await textOf(s, $("status-line"))).includes("Pulled with alpha")
          ? textOf(s, $("finding-count"))
          : null,
      { timeout: 5_000, message: "alpha's results after charlie was removed" },
    );
    assert.equal(count, `${expected.alpha.findings} findings`);
  });
});
