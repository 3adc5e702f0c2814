import { addDays as addDaysToDate, addMonths as addMonthsToDate, differenceInCalendarDays, format, parseISO } from "date-fns";

// The one module for calendar days. A day is a 'YYYY-MM-DD' string, as PostgreSQL's `date`
// comes back from the database factory: no time zone, so a date never shifts by a day. Every
// "today", every date check and every day arithmetic of the app goes through here.

/** A calendar day, 'YYYY-MM-DD'. */
export type Day = string;

/** The earliest and latest day a form accepts (a typo like 0202 or 20266 is refused). */
export const MIN_DAY: Day = "1900-01-01";
export const MAX_DAY: Day = "2999-12-31";

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Today on this machine's calendar (the app's one definition of "today"). */
export function today(now: Date = new Date()): Day {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** True for a real 'YYYY-MM-DD' day (no 2026-02-30, no 2026-2-3). */
export function isDay(value: unknown): value is Day {
  if (typeof value !== "string") return false;
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** True for a real day between MIN_DAY and MAX_DAY. */
export function isDayInRange(value: unknown): value is Day {
  return isDay(value) && value >= MIN_DAY && value <= MAX_DAY;
}

/** A date as other tools write it in their exports: 2027-01-12, 2027-01-12T10:00:00Z, 12.01.2027; null otherwise. */
export function importDay(value: string): Day | null {
  const v = value.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/.exec(v);
  if (iso && isDayInRange(iso[1])) return iso[1];
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  if (dotted) {
    const day = `${dotted[3]}-${dotted[2].padStart(2, "0")}-${dotted[1].padStart(2, "0")}`;
    if (isDayInRange(day)) return day;
  }
  return null;
}

/** The value as a day, or null when it is not a real 'YYYY-MM-DD' day. */
export function parseDay(value: string | null | undefined): Day | null {
  const trimmed = value?.trim();
  return trimmed && isDay(trimmed) ? trimmed : null;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function toDate(day: Day): Date {
  return parseISO(day);
}

function fromDate(date: Date): Day {
  return format(date, "yyyy-MM-dd");
}

/** `day` shifted by `days` (negative goes back). */
export function addDays(day: Day, days: number): Day {
  return fromDate(addDaysToDate(toDate(day), days));
}

/** `day` shifted by whole months (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: Day, months: number): Day {
  return fromDate(addMonthsToDate(toDate(day), months));
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: Day, to: Day): number {
  return differenceInCalendarDays(toDate(to), toDate(from));
}

/** The earlier / later of two days. */
export const minDay = (a: Day, b: Day): Day => (a <= b ? a : b);
export const maxDay = (a: Day, b: Day): Day => (a >= b ? a : b);

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A real day as "12 Jan 2027" (or "12 Jan"), written directly: date-fns' `format` gives the same
 * text, but a page of a few hundred dates spent most of a millisecond in it.
 */
function dayText(day: Day, withYear: boolean): string {
  const text = `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;
  return withYear ? `${text} ${day.slice(0, 4)}` : text;
}

/** '2027-01-12' → "12 Jan 2027"; null or empty stays null. */
export function formatDate(value: Day | null | undefined): string | null {
  if (!value) return null;
  return isDay(value) ? dayText(value, true) : format(toDate(value), "d MMM yyyy");
}

/** '2027-01-12' → "12 Jan 2027" (the value itself when it is not a day). */
export function formatDay(value: Day): string {
  return isDay(value) ? dayText(value, true) : value;
}

/** '2027-01-12' → "12 Jan". */
export function formatDayShort(value: Day): string {
  return isDay(value) ? dayText(value, false) : value;
}

/** A timestamp → "12 Jan 2027, 14:05" (machine time zone). */
export function formatDateTime(value: Date | string): string {
  return format(typeof value === "string" ? parseISO(value) : value, "d MMM yyyy, HH:mm");
}

/** How far through its dates a program is, for the overview. */
export function programTimeline(startsOn: Day | null, endsOn: Day | null, now: Day | Date) {
  if (!startsOn || !endsOn) return null;
  const todayDay = typeof now === "string" ? now : today(now);
  const total = Math.max(1, daysBetween(startsOn, endsOn));
  const done = daysBetween(startsOn, todayDay);
  if (done < 0) return { percent: 0, label: `starts in ${-done} day${done === -1 ? "" : "s"}` };
  if (done >= total) return { percent: 100, label: "ended" };
  const left = total - done;
  return { percent: Math.round((done / total) * 100), label: `${left} day${left === 1 ? "" : "s"} left` };
}

/** The ISO weekday of a day: 1 (Monday) … 7 (Sunday). */
export function isoWeekday(day: Day): number {
  return ((toDate(day).getDay() + 6) % 7) + 1;
}

/** The weeks (Monday first) that show month 'YYYY-MM' in a calendar grid: days outside it are null. */
export function monthWeeks(month: string): Array<Array<Day | null>> {
  const [y, m] = month.split("-").map(Number);
  const first = `${month}-01`;
  const cells: Array<Day | null> = Array.from({ length: isoWeekday(first) - 1 }, () => null);
  for (let d = 1; d <= daysInMonth(y, m); d++) cells.push(`${month}-${pad(d)}`);
  while (cells.length % 7 !== 0) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
}

/** 'YYYY-MM' of a day, and the month `n` months later. */
export function monthOf(day: Day): string {
  return day.slice(0, 7);
}
export function shiftMonth(month: string, n: number): string {
  return monthOf(addMonths(`${month}-01`, n));
}

/** '2027-01' → "January 2027". */
export function formatMonth(month: string): string {
  return format(toDate(`${month}-01`), "MMMM yyyy");
}
