/** How times from the Rust side (ISO-8601 UTC) are shown: short, in the analyst's time zone. */

type Part = "day" | "month" | "hour" | "minute";

/** The named parts of `date` in `timeZone`, assembled by us so every engine prints the same. */
function parts(date: Date, timeZone: string | undefined): Record<Part, string> {
  const format = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });
  const found: Record<Part, string> = { day: "", month: "", hour: "", minute: "" };
  for (const part of format.formatToParts(date)) {
    if (part.type in found) found[part.type as Part] = part.value;
  }
  return found;
}

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * "2 Dec 09:14": day, month and time of `iso` in `timeZone` (the analyst's own by default).
 * A value that is not a time is shown as it came; null is shown as a dash.
 */
export function shortTime(iso: string | null, timeZone?: string): string {
  if (iso === null) return "–";
  const date = parse(iso);
  if (date === null) return iso;
  const { day, month, hour, minute } = parts(date, timeZone);
  return `${day} ${month} ${hour}:${minute}`;
}

/** "14:02": the time of day only, for "pulled 14:02". */
export function clockTime(iso: string, timeZone?: string): string {
  const date = parse(iso);
  if (date === null) return iso;
  const { hour, minute } = parts(date, timeZone);
  return `${hour}:${minute}`;
}
