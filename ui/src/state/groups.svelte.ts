/**
 * The instance list: the filter, the pages of groups loaded so far in the Rust side's order
 * (worst first), and the row the keyboard cursor is on.
 */
import type { GroupSummary } from "../lib/bindings";
import { listGroups } from "../lib/ipc";

/** Groups asked for at a time; the list grows by this much with "load more". */
export const PAGE_SIZE = 200;

export class GroupList {
  /** Text the analyst typed in the filter box; the Rust side decides what it matches. */
  filter = $state("");
  /** Groups loaded so far, in the order the Rust side gave. */
  groups = $state.raw<GroupSummary[]>([]);
  /** How many groups match the filter in all. */
  total = $state(0);
  /** Index of the row the keyboard is on, -1 when the list is empty. */
  cursor = $state(-1);
  loading = $state(false);

  /** True when more matching groups exist than are loaded. */
  hasMore = $derived(this.groups.length < this.total);
  /** The group under the cursor. */
  current = $derived(this.groups[this.cursor] ?? null);

  // Each request carries a number; an answer to an older request (the filter changed since) is
  // dropped instead of overwriting a newer one.
  #generation = 0;

  /** Loads the first page for the current filter and puts the cursor on its first row. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const page = await listGroups({ filter: this.filter, offset: 0, limit: PAGE_SIZE });
      if (generation !== this.#generation) return;
      this.groups = page.groups;
      this.total = page.total;
      this.cursor = page.groups.length > 0 ? 0 : -1;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Appends the next page of groups. */
  async loadMore(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const offset = this.groups.length;
      const page = await listGroups({ filter: this.filter, offset, limit: PAGE_SIZE });
      if (generation !== this.#generation) return;
      this.groups = [...this.groups, ...page.groups];
      this.total = page.total;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Empties the list (nothing loaded). */
  clear(): void {
    this.#generation++;
    this.groups = [];
    this.total = 0;
    this.cursor = -1;
    this.loading = false;
  }

  /** Moves the cursor by `step` rows, staying inside the list. */
  move(step: number): void {
    if (this.groups.length === 0) return;
    const next = this.cursor + step;
    this.cursor = Math.min(Math.max(next, 0), this.groups.length - 1);
  }

  /** Puts the cursor on the group with `key`. */
  point(key: string): void {
    const index = this.groups.findIndex((group) => group.key === key);
    if (index >= 0) this.cursor = index;
  }
}
