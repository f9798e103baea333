/**
 * A stand-in for the Rust side in UI tests: `invoke` answers from per-command handlers, and
 * `listen` keeps the handlers so a test can emit "pull-progress" and "sso-device-code" itself.
 * The test file mocks `@tauri-apps/api/core` and `@tauri-apps/api/event`; this drives those mocks.
 */
import { invoke } from "@tauri-apps/api/core";
import { listen, type Event, type EventCallback } from "@tauri-apps/api/event";
import { vi } from "vitest";
import type { AppError, DeviceCode, PullProgress } from "../lib/bindings";

type Handler = (args: Record<string, unknown>) => unknown;

export type FakeBackend = {
  /** Every command called, in order, with its arguments. */
  calls: { command: string; args: Record<string, unknown> }[];
  /** Sends a "pull-progress" event as the Rust side would. */
  emitProgress: (progress: PullProgress) => void;
  /** Sends an "sso-device-code" event as the Rust side would. */
  emitDeviceCode: (code: DeviceCode) => void;
};

/** A command failure as Tauri delivers it: the object the Rust side serialised, not an Error. */
export function rejectWith(error: AppError): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- Tauri's own shape
  return Promise.reject(error);
}

/** Answers each command with its handler; a command without one rejects as the Rust side would. */
export function fakeBackend(handlers: Record<string, Handler>): FakeBackend {
  const listeners = new Map<string, EventCallback<unknown>[]>();
  function emit(name: string, payload: unknown): void {
    const event: Event<unknown> = { event: name, id: 1, payload };
    for (const listener of listeners.get(name) ?? []) listener(event);
  }
  const backend: FakeBackend = {
    calls: [],
    emitProgress(progress) {
      emit("pull-progress", progress);
    },
    emitDeviceCode(code) {
      emit("sso-device-code", code);
    },
  };
  vi.mocked(invoke).mockImplementation((command, args) => {
    const given = (args ?? {}) as Record<string, unknown>;
    backend.calls.push({ command, args: given });
    const handler = handlers[command];
    if (handler === undefined) {
      return rejectWith({ code: "internal", message: `no fake for ${command}` });
    }
    return Promise.resolve(handler(given));
  });
  vi.mocked(listen).mockImplementation((event, callback) => {
    listeners.set(event, [...(listeners.get(event) ?? []), callback]);
    return Promise.resolve(() => undefined);
  });
  return backend;
}

/** The commands called so far, by name. */
export function commandNames(backend: FakeBackend): string[] {
  return backend.calls.map((call) => call.command);
}

/** A command's answer that arrives only when the test says so. */
export type Pending<T> = {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
};

/** An answer the test settles later, to look at the window while a command runs. */
export function pending<T>(): Pending<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  return { promise, resolve, reject };
}
