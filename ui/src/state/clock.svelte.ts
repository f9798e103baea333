/**
 * The time the window shows countdowns against, refreshed once a minute so "52 min left"
 * counts down without every component keeping its own timer.
 */

/** How often the clock moves on: the countdowns show whole minutes. */
export const TICK_MS = 60_000;

export class Clock {
  /** Milliseconds since the epoch, as of the last tick. */
  now = $state(Date.now());

  /** Reads the time again. */
  tick(): void {
    this.now = Date.now();
  }

  /** Ticks every minute until the returned function runs. */
  start(): () => void {
    this.tick();
    const timer = setInterval(() => {
      this.tick();
    }, TICK_MS);
    return () => {
      clearInterval(timer);
    };
  }
}
