import { differenceInCalendarDays, format, parseISO } from "date-fns";

/** 'YYYY-MM-DD' → "12 Jan 2027"; null stays null. */
export function formatDate(value: string | null | undefined): string | null {
  if (!value) return null;
  return format(parseISO(value), "d MMM yyyy");
}

export function formatDateTime(value: Date | string): string {
  return format(typeof value === "string" ? parseISO(value) : value, "d MMM yyyy, HH:mm");
}

/** How far through its dates a program is, for the overview. */
export function programTimeline(startsOn: string | null, endsOn: string | null, today: Date) {
  if (!startsOn || !endsOn) return null;
  const start = parseISO(startsOn);
  const end = parseISO(endsOn);
  const total = Math.max(1, differenceInCalendarDays(end, start));
  const done = differenceInCalendarDays(today, start);
  if (done < 0) return { percent: 0, label: `starts in ${-done} day${done === -1 ? "" : "s"}` };
  if (done >= total) return { percent: 100, label: "ended" };
  const left = total - done;
  return { percent: Math.round((done / total) * 100), label: `${left} day${left === 1 ? "" : "s"} left` };
}
