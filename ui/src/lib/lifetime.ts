/** How long the credentials of a pull still hold, in the words the profile picker shows. */

const MINUTE = 60_000;

/**
 * "52 min left", "2 h 5 min left", "under 1 min left" or "expired": what is left of credentials
 * that expire at `expiresAt` (ISO-8601 UTC), seen at `now` (milliseconds since the epoch).
 * Null when `expiresAt` is not a time.
 */
export function lifetimeWords(expiresAt: string, now: number): string | null {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return null;
  if (end <= now) return "expired";
  const minutes = Math.floor((end - now) / MINUTE);
  if (minutes < 1) return "under 1 min left";
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}
