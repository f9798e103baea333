/** Renders the whole window against a fake Rust side, as the analyst would first see it. */
import { render } from "@testing-library/svelte";
import App from "../App.svelte";
import type { GroupPage, GroupQuery, GroupSummary, Startup } from "../lib/bindings";
import { AppState } from "../state/app.svelte";
import { fakeBackend, type FakeBackend } from "./backend";
import { batchWorker, emptyReview, startupWith, webFrontend } from "./fixtures";

type Handler = (args: Record<string, unknown>) => unknown;

/** A `list_groups` answer serving `groups` in the given order, paged and filtered by name. */
export function serveGroups(groups: GroupSummary[]): Handler {
  return (args) => {
    const { filter, offset, limit } = args.query as GroupQuery;
    const matching = groups.filter((group) =>
      `${group.instanceName ?? ""} ${group.instanceId}`.includes(filter),
    );
    const page: GroupPage = {
      total: matching.length,
      offset,
      groups: matching.slice(offset, offset + limit),
    };
    return page;
  };
}

export type OpenWindow = ReturnType<typeof render<typeof App>> & {
  app: AppState;
  backend: FakeBackend;
};

/**
 * Starts the window; `handlers` replace the default answers (two groups of a pull, profiles
 * read again as at startup, and nothing pulled yet for a profile switched to).
 */
export async function openWindow(handlers: Record<string, Handler> = {}): Promise<OpenWindow> {
  const startup = handlers.startup ?? (() => startupWith());
  const backend = fakeBackend({
    startup,
    list_groups: serveGroups([webFrontend, batchWorker]),
    list_profiles: () => (startup({}) as Startup).profiles,
    select_profile: () => emptyReview,
    ...handlers,
  });
  const app = new AppState();
  const view = render(App, { props: { app } });
  await app.start();
  return { ...view, app, backend };
}
