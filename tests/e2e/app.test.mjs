// The real app in a real window (Xvfb), driven through tauri-driver: it opens on the bundled
// sample findings, a group opens in the detail pane, and the CSV export writes the same rows as
// `threat-review sample --csv -`. Run through tests/e2e/run.sh, which sets up the display.

import assert from "node:assert/strict";
import { execFile as execFileCallback, execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { Session, WebDriver, waitFor } from "./webdriver.mjs";

const execFile = promisify(execFileCallback);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(here, "artifacts");
const app = process.env.THREAT_REVIEW_APP;
const $ = Session.testid;

const HEADER =
  "account_id,region,instance_id,instance_name,finding_type,severity,severity_label," +
  "indicator_kind,indicator,remote_port,threat_list,event_count,first_seen,last_seen," +
  "updated_at,archived,title,finding_id,finding_doc_url,remediation_url,console_url";

/** Runs the app's command line (the same binary as the window) and returns its stdout. */
function cli(...args) {
  return execFileSync(app, args, {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30_000,
  });
}

/**
 * Parses RFC 4180 CSV: fields separated by commas, records by CRLF (a bare LF is accepted too),
 * fields in double quotes may hold commas, line breaks and doubled quotes.
 */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field !== "") throw new Error(`CSV: a quote inside an unquoted field at offset ${i}`);
      quoted = true;
      i += 1;
    } else if (c === ",") {
      record.push(field);
      field = "";
      i += 1;
    } else if (c === "\r" || c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error("CSV: the last quoted field is not closed");
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The defanged form the window shows by default (see ui/src/lib/defang.ts). */
function defanged(value) {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) {
    const last = value.lastIndexOf(".");
    return `${value.slice(0, last)}[.]${value.slice(last + 1)}`;
  }
  if (value.includes(":") && /^[0-9a-f:.]+$/i.test(value)) return value.replaceAll(":", "[:]");
  return value.replace(/^http(s?):\/\//i, "hxxp$1://").replaceAll(".", "[.]");
}

/** Width and height from a PNG's IHDR chunk, after checking its signature. */
function pngSize(png) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.subarray(0, 8).equals(signature), "the screenshot is not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How many distinct colours an image holds (ImageMagick), to tell a rendered UI from a blank. */
async function colours(file) {
  const { stdout } = await execFile("identify", ["-format", "%k", file], { timeout: 30_000 });
  return Number(stdout.trim());
}

/**
 * The element's text as laid out (innerText). WebKitWebDriver's "Get Element Text" leaves out
 * the group rows' name, id and indicator spans (they clip their overflow with an ellipsis),
 * although the window shows them, so the rows are read this way.
 */
function renderedText(session, element) {
  return session.executeScript("return arguments[0].innerText;", [{ element }]);
}

/** How many pixels differ between two images of the same size (ImageMagick, with a fuzz). */
function differingPixels(a, b) {
  return new Promise((resolve, reject) => {
    // compare exits 1 when the images differ; the count is on stderr either way.
    execFileCallback(
      "compare",
      ["-metric", "AE", "-fuzz", "5%", a, b, "null:"],
      { timeout: 30_000 },
      (error, _out, err) => {
        const count = Number.parseFloat(err.trim());
        if (Number.isFinite(count) && (!error || error.code === 1)) resolve(count);
        else reject(new Error(`compare ${a} ${b} failed: ${err.trim() || error?.message}`));
      },
    );
  });
}

/** Runs xdotool on the test display, bounded; returns stdout. */
async function xdotool(args, timeout = 10_000) {
  const { stdout } = await execFile("xdotool", args, { timeout, env: process.env });
  return stdout.trim();
}

describe("the Threat Review window", { timeout: 150_000 }, () => {
  /** @type {Session} */
  let session;
  let sample;
  let groups;

  before(async () => {
    assert.ok(
      app && path.isAbsolute(app),
      "THREAT_REVIEW_APP must be the app's absolute path (use run.sh)",
    );
    assert.ok(process.env.DISPLAY, "no DISPLAY: run the tests through tests/e2e/run.sh");
    mkdirSync(artifacts, { recursive: true });
    sample = JSON.parse(cli("sample", "--json").toString("utf8"));
    groups = sample.groups;
    assert.equal(groups.length, 5, "`threat-review sample --json` should hold 5 instance groups");
    session = await new WebDriver({ host: "127.0.0.1", port: 4444 }).newSession(app);
  });

  after(async () => {
    if (session)
      await session
        .deleteSession()
        .catch((error) => console.error(`deleteSession: ${error.message}`));
  });

  test("it opens on the bundled sample findings, one row per instance in the CLI's order", async () => {
    const rows = await session.waitFor(
      async (s) => {
        const found = await s.findElements($("group-row"));
        return found.length >= groups.length ? found : null;
      },
      { timeout: 30_000, message: `${groups.length} elements ${$("group-row")} in the window` },
    );
    assert.equal(rows.length, groups.length, "the number of group rows");

    const banner = await session.waitForElement($("sample-banner"));
    assert.equal(await session.isDisplayed(banner), true, "the sample banner is displayed");
    assert.match(await session.getText(banner), /SAMPLE DATA/);
    assert.match(await session.getText(banner), /bundled sample findings/);

    for (const [index, group] of groups.entries()) {
      const row = rows[index];
      const text = await renderedText(session, row);
      assert.equal(
        await session.getAttribute(row, "data-key"),
        group.key,
        `group row ${index + 1}'s key`,
      );
      assert.ok(
        text.includes(group.instanceId),
        `group row ${index + 1} shows ${group.instanceId}: ${JSON.stringify(text)}`,
      );
      assert.ok(
        text.includes(group.instanceName ?? group.instanceId),
        `group row ${index + 1} shows the name ${group.instanceName}: ${JSON.stringify(text)}`,
      );
      assert.ok(
        text.includes(`${group.findingCount} findings`),
        `group row ${index + 1} counts ${group.findingCount} findings`,
      );
      assert.ok(
        text.includes(group.region),
        `group row ${index + 1} shows the region ${group.region}`,
      );
    }

    const total = groups.reduce((sum, group) => sum + group.findingCount, 0);
    assert.equal(total, 30);
    assert.equal(
      await session.getText(await session.findElement($("finding-count"))),
      `${total} findings`,
    );
    assert.match(
      await session.getText(await session.findElement($("status-line"))),
      /on 5 instances/,
    );
    // Without a profile there is nothing to pull from.
    assert.equal(
      await session.isEnabled(await session.findElement($("pull"))),
      false,
      "Pull is disabled without a profile",
    );
    assert.equal(
      await session.isEnabled(await session.findElement($("export-csv"))),
      true,
      "Export CSV is enabled",
    );
  });

  test("clicking the first group opens its findings and indicators in the detail pane", async () => {
    const group = groups[0];
    const [first] = await session.findElements($("group-row"));
    await session.click(first);

    const detail = await session.waitForElement($("group-detail"));
    const rows = await session.waitFor(
      async (s) => {
        const found = await s.findElements($("finding-row"), { from: detail });
        return found.length === group.findingCount ? found : null;
      },
      {
        timeout: 15_000,
        message: `${group.findingCount} ${$("finding-row")} in ${$("group-detail")}`,
      },
    );
    const shownIds = [];
    for (const row of rows) shownIds.push(await session.getAttribute(row, "data-finding-id"));
    assert.deepEqual(
      new Set(shownIds),
      new Set(group.findings.map((finding) => finding.id)),
      "the detail lists the group's findings",
    );
    assert.equal(
      await session.getAttribute(first, "aria-current"),
      "true",
      "the clicked row is marked open",
    );

    const text = await session.getText(detail);
    assert.ok(text.includes(group.instanceId), `the detail names ${group.instanceId}`);
    assert.ok(text.includes(`${group.findingCount} findings`), "the detail counts the findings");
    // Indicators are defanged until the analyst asks for them plain.
    for (const indicator of group.indicators) {
      assert.ok(
        text.includes(defanged(indicator)),
        `the detail shows ${defanged(indicator)}: ${JSON.stringify(text)}`,
      );
    }
    const toggle = await session.findElement($("toggle-plain"), { from: detail });
    await session.click(toggle);
    const plain = await session.waitFor(
      async (s) => {
        const now = await s.getText(detail);
        return group.indicators.every((indicator) => now.includes(indicator)) ? now : null;
      },
      {
        timeout: 5_000,
        message: `the plain indicators ${group.indicators.join(", ")} in the detail`,
      },
    );
    assert.ok(plain.includes(group.indicators[0]));
    await session.click(toggle);
    await session.waitFor(
      async (s) => (await s.getText(detail)).includes(defanged(group.indicators[0])),
      {
        timeout: 5_000,
        message: "the indicators defanged again",
      },
    );
  });

  test("the window shows the open group, as a WebDriver and an X screenshot agree", async () => {
    const group = groups[0];
    // Open the first group again if the previous test did not get that far.
    if ((await session.findElements($("group-detail"))).length === 0) {
      await session.click((await session.findElements($("group-row")))[0]);
    }
    const detail = await session.waitForElement($("group-detail"));
    assert.ok(
      (await session.getText(detail)).includes(group.instanceId),
      "the first group is open",
    );
    // The window paints a moment after the DOM changes; wait for painted frames first.
    await session.nextFrames(3);
    const file = path.join(artifacts, "window.png");
    const png = await session.screenshot(file);
    const { width, height } = pngSize(png);
    assert.ok(width >= 900 && height >= 560, `the window screenshot is ${width}x${height}`);
    assert.ok((await colours(file)) > 16, "the window screenshot is not blank");

    // The whole Xvfb screen, as X has it: the window's own pixels, not WebKit's snapshot.
    const root = path.join(artifacts, "xvfb-root.png");
    await execFile("import", ["-window", "root", root], { timeout: 30_000, env: process.env });
    assert.deepEqual(
      pngSize(await readFile(root)),
      { width: 1400, height: 900 },
      "the Xvfb screen size",
    );

    // Without a window manager the window sits where it asked; cut it out and compare.
    const [id] = (await xdotool(["search", "--onlyvisible", "--name", "^Threat Review$"])).split(
      "\n",
    );
    const geometry = Object.fromEntries(
      (await xdotool(["getwindowgeometry", "--shell", id]))
        .split("\n")
        .map((line) => line.split("=")),
    );
    assert.equal(
      `${geometry.WIDTH}x${geometry.HEIGHT}`,
      `${width}x${height}`,
      "the X window has the screenshot's size",
    );
    const cut = path.join(artifacts, "xvfb-window.png");
    await execFile(
      "convert",
      [root, "-crop", `${width}x${height}+${geometry.X}+${geometry.Y}`, "+repage", cut],
      {
        timeout: 30_000,
      },
    );
    const differing = await differingPixels(file, cut);
    assert.ok(
      differing < width * height * 0.01,
      `the X window and the WebDriver screenshot differ in ${differing} of ${width * height} pixels`,
    );
  });

  test("exporting through the native Save dialog writes the 30 sample findings as CSV", async () => {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
    const target = path.join(artifacts, `export-${stamp}.csv`);
    assert.ok(!existsSync(target));

    await session.click(await session.findElement($("export-csv")));

    // The GTK dialog is a separate X window; there is no window manager on Xvfb.
    const found = await xdotool(
      ["search", "--sync", "--onlyvisible", "--name", "^Export findings as CSV$"],
      30_000,
    ).catch((error) => {
      throw new Error(
        `the "Export findings as CSV" dialog did not appear within 30 s: ${error.message}`,
      );
    });
    const dialog = found.split("\n").at(-1);
    // The dialog as it showed up, for whoever has to look into a failure here.
    await execFile("import", ["-window", "root", path.join(artifacts, "save-dialog.png")], {
      timeout: 30_000,
      env: process.env,
    });
    const attempts = [
      // XSetInputFocus works without a window manager; then type as the keyboard (XTEST).
      {
        how: "windowfocus, then XTEST keys",
        keys: async () => {
          await xdotool(["windowfocus", dialog]);
          await sleep(300);
          await xdotool(["key", "--clearmodifiers", "ctrl+a"]);
          await xdotool(["type", "--delay", "10", target], 30_000);
          await xdotool(["key", "Return"]);
        },
      },
      // Synthetic events sent to the dialog window itself.
      {
        how: "keys sent with --window",
        keys: async () => {
          await xdotool(["key", "--window", dialog, "ctrl+a"]);
          await xdotool(["type", "--window", dialog, "--delay", "10", target], 30_000);
          await xdotool(["key", "--window", dialog, "Return"]);
        },
      },
    ];
    const tried = [];
    for (const { how, keys } of attempts) {
      await keys();
      const saved = await waitFor(() => existsSync(target), { timeout: 10_000 }).catch(() => false);
      if (saved) break;
      tried.push(how);
    }
    if (!existsSync(target)) {
      await xdotool(["key", "--window", dialog, "Escape"]).catch(() => {});
      assert.fail(`the Save dialog did not write ${target}; tried: ${tried.join("; ")}`);
    }
    // The dialog is gone once it has answered.
    await waitFor(
      () =>
        xdotool(["search", "--onlyvisible", "--name", "^Export findings as CSV$"]).then(
          () => false,
          () => true,
        ),
      { timeout: 10_000, message: "the Save dialog to close" },
    );

    // The window reports the export once the file is in place.
    const notice = await session.waitFor(
      async (s) => {
        const text = await s.getText(await s.findElement($("notice")));
        return text.startsWith("Exported") ? text : null;
      },
      { timeout: 10_000, message: `the "Exported …" notice` },
    );
    assert.equal(notice, `Exported 30 rows to ${target}`);

    const bytes = await readFile(target);
    const records = parseCsv(bytes.toString("utf8"));
    assert.equal(records[0].join(","), HEADER, "the CSV header");
    const data = records.slice(1);
    assert.equal(data.length, 30, "30 data rows");
    for (const [index, record] of data.entries()) {
      assert.equal(record.length, records[0].length, `data row ${index + 1} has every column`);
    }
    const column = (name) => records[0].indexOf(name);
    const expectedIds = [...groups, { findings: sample.withoutInstance }].flatMap((group) =>
      group.findings.map((finding) => finding.id),
    );
    assert.deepEqual(
      new Set(data.map((record) => record[column("finding_id")])),
      new Set(expectedIds),
      "the exported finding ids are those of `sample --json`",
    );
    assert.deepEqual(
      new Set(data.map((record) => record[column("instance_id")])),
      new Set(groups.map((group) => group.instanceId)),
    );

    const fromCli = cli("sample", "--csv", "-");
    assert.ok(
      bytes.equals(fromCli),
      "the exported file is byte-identical to `threat-review sample --csv -`",
    );
  });
});
