// A tiny W3C WebDriver client for the end-to-end tests: Node's global fetch, no dependency.
// It talks only to a driver on the loopback address (tauri-driver on 127.0.0.1:4444).

import { writeFile } from "node:fs/promises";

/** The key under which W3C WebDriver names an element reference. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

const LOOPBACK = new Set(["127.0.0.1", "::1", "[::1]"]);

/** An error the driver answered with, or a request that failed or timed out. */
export class WebDriverError extends Error {
  constructor(message, { code, status } = {}) {
    super(message);
    this.name = "WebDriverError";
    this.code = code;
    this.status = status;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `predicate` until it returns something truthy, and returns that. Errors thrown by the
 * predicate count as "not yet" (the last one is named in the timeout message).
 */
export async function waitFor(predicate, { timeout = 10_000, interval = 200, message } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = typeof message === "function" ? message() : (message ?? "condition");
      const why = lastError ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${why}`);
    }
    await sleep(interval);
  }
}

/** A driver endpoint: http://127.0.0.1:<port>. */
export class WebDriver {
  constructor({ host = "127.0.0.1", port = 4444 } = {}) {
    if (!LOOPBACK.has(host)) throw new Error(`refusing a non-loopback WebDriver host: ${host}`);
    this.base = `http://${host}:${port}`;
  }

  /** Sends one command; returns the answer's `value`, or throws the driver's error. */
  async request(method, path, body, { timeout = 30_000 } = {}) {
    const url = `${this.base}${path}`;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      const why = error.name === "TimeoutError" ? `no answer within ${timeout} ms` : error.message;
      throw new WebDriverError(`${method} ${path}: ${why}`);
    }
    const text = await response.text();
    let answer;
    try {
      answer = text === "" ? {} : JSON.parse(text);
    } catch {
      throw new WebDriverError(
        `${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`,
        {
          status: response.status,
        },
      );
    }
    const value = answer?.value;
    if (!response.ok || (value && typeof value === "object" && "error" in value && value.error)) {
      const code = value?.error ?? `http ${response.status}`;
      throw new WebDriverError(
        `${method} ${path}: ${code}: ${value?.message ?? text.slice(0, 300)}`,
        {
          code,
          status: response.status,
        },
      );
    }
    return value;
  }

  /** GET /status: the driver's readiness. */
  status() {
    return this.request("GET", "/status", undefined, { timeout: 5_000 });
  }

  /**
   * Starts the app under test. The capabilities name only `tauri:options` (a `browserName`
   * makes tauri-driver fail to match). Starting a Tauri app under Xvfb can take a while.
   */
  async newSession(application, { timeout = 90_000 } = {}) {
    const value = await this.request(
      "POST",
      "/session",
      { capabilities: { alwaysMatch: { "tauri:options": { application } } } },
      { timeout },
    );
    if (!value?.sessionId)
      throw new WebDriverError(`POST /session: no sessionId in ${JSON.stringify(value)}`);
    return new Session(this, value.sessionId, value.capabilities);
  }
}

/** One WebDriver session: one running app window. */
export class Session {
  constructor(driver, id, capabilities) {
    this.driver = driver;
    this.id = id;
    this.capabilities = capabilities;
  }

  command(method, path, body, options) {
    return this.driver.request(method, `/session/${this.id}${path}`, body, options);
  }

  /** The first element matching `css`; throws naming the selector when there is none. */
  async findElement(css, { from } = {}) {
    const path = from ? `/element/${from}/element` : "/element";
    try {
      const value = await this.command("POST", path, { using: "css selector", value: css });
      return value[ELEMENT];
    } catch (error) {
      if (error.code === "no such element") {
        throw new WebDriverError(
          `no element matches ${JSON.stringify(css)}${from ? " inside the given element" : ""}`,
          {
            code: error.code,
          },
        );
      }
      throw error;
    }
  }

  /** Every element matching `css`, in document order (possibly none). */
  async findElements(css, { from } = {}) {
    const path = from ? `/element/${from}/elements` : "/elements";
    const value = await this.command("POST", path, { using: "css selector", value: css });
    return value.map((reference) => reference[ELEMENT]);
  }

  /** Shorthand for `[data-testid="..."]`. */
  static testid(id) {
    return `[data-testid="${id}"]`;
  }

  /** Waits until `css` matches at least one element; returns the first. */
  async waitForElement(css, { timeout = 15_000 } = {}) {
    return waitFor(async () => (await this.findElements(css))[0], {
      timeout,
      message: `an element matching ${JSON.stringify(css)}`,
    });
  }

  click(element) {
    return this.command("POST", `/element/${element}/click`, {});
  }

  getText(element) {
    return this.command("GET", `/element/${element}/text`);
  }

  getAttribute(element, name) {
    return this.command("GET", `/element/${element}/attribute/${encodeURIComponent(name)}`);
  }

  /** A DOM property of the element (`value` of an input, `open` of a dialog). */
  getProperty(element, name) {
    return this.command("GET", `/element/${element}/property/${encodeURIComponent(name)}`);
  }

  /** Types `text` into the element as keyboard input. */
  sendKeys(element, text) {
    return this.command("POST", `/element/${element}/value`, { text });
  }

  isDisplayed(element) {
    return this.command("GET", `/element/${element}/displayed`);
  }

  isEnabled(element) {
    return this.command("GET", `/element/${element}/enabled`);
  }

  getTitle() {
    return this.command("GET", "/title");
  }

  getPageSource() {
    return this.command("GET", "/source");
  }

  /** Runs `script` (a function body) in the page; elements in `args` are passed by reference. */
  executeScript(script, args = []) {
    const wrapped = args.map((arg) =>
      typeof arg === "object" && arg !== null && arg.element ? { [ELEMENT]: arg.element } : arg,
    );
    return this.command("POST", "/execute/sync", { script, args: wrapped });
  }

  /**
   * Runs `script` (a function body) asynchronously: it finishes by calling its last argument,
   * `arguments[arguments.length - 1]`, with the result.
   */
  executeAsyncScript(script, args = [], { timeout = 30_000 } = {}) {
    const wrapped = args.map((arg) =>
      typeof arg === "object" && arg !== null && arg.element ? { [ELEMENT]: arg.element } : arg,
    );
    return this.command("POST", "/execute/async", { script, args: wrapped }, { timeout });
  }

  /**
   * Waits until the page has produced `frames` more animation frames, so what the DOM holds has
   * been painted (the window lags behind the DOM, by seconds at start under Xvfb).
   */
  nextFrames(frames = 2) {
    return this.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       let left = arguments[0];
       const step = () => (--left <= 0 ? done(true) : requestAnimationFrame(step));
       requestAnimationFrame(step);`,
      [frames],
    );
  }

  /** The window as PNG, written to `file`; returns the PNG bytes. */
  async screenshot(file) {
    const base64 = await this.command("GET", "/screenshot");
    const png = Buffer.from(base64, "base64");
    if (file) await writeFile(file, png);
    return png;
  }

  /** Polls `predicate` (which gets this session). */
  waitFor(predicate, options) {
    return waitFor(() => predicate(this), options);
  }

  /** Ends the session, which closes the app. */
  deleteSession() {
    return this.driver.request("DELETE", `/session/${this.id}`, undefined, { timeout: 20_000 });
  }
}
