import { daysInMonth, formatDay, formatDayShort, isDay } from "~/utils/dates";
// The program timeline as shapes: months as columns, waves as bars, milestones as diamonds and a
// line for today. Pure (no database, no React, no clock): the route loads the data, this computes
// every coordinate, and the component only draws what it is given. Dates are 'YYYY-MM-DD'
// strings and are read without time zones, so a date never shifts by a day.

import type { MilestoneState } from "~/validation/plan-details";

export interface TimelineInput {
  program: { startsOn: string | null; endsOn: string | null };
  waves: ReadonlyArray<{ id: string; name: string; startsOn: string | null; endsOn: string | null }>;
  milestones: ReadonlyArray<{ id: string; title: string; dueOn: string; state: MilestoneState }>;
  /** 'YYYY-MM-DD'. */
  today: string;
}

export interface MonthColumn {
  /** 'YYYY-MM'. */
  key: string;
  year: number;
  /** 1–12. */
  month: number;
  /** What fits in the column: "Oct", "O" or nothing. */
  label: string;
  /** The first column and every January carry the year above the month. */
  yearLabel: string | null;
  x: number;
  width: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TextPlacement {
  x: number;
  y: number;
  anchor: "start" | "end";
  text: string;
}

export interface WaveBar {
  id: string;
  name: string;
  startsOn: string | null;
  endsOn: string | null;
  /** "1 Oct 2026 – 15 Dec 2026", or why there is no bar. */
  dateLabel: string;
  /** Top of the wave's lane. */
  laneY: number;
  /** Null when the wave has no dates or lies outside the chart's months. */
  bar: Box | null;
  /** The bar continues beyond the chart's first / last month. */
  clipped: { start: boolean; end: boolean };
  /** One of three black-and-white fill patterns, so neighbouring bars differ without colour. */
  pattern: 0 | 1 | 2;
  label: TextPlacement;
}

export interface MilestoneMark {
  id: string;
  title: string;
  dueOn: string;
  state: MilestoneState;
  /** Centre of the diamond. */
  x: number;
  y: number;
  /** Half the diamond's diagonal. */
  size: number;
  lane: number;
  label: TextPlacement;
}

export interface TimelineLayout {
  width: number;
  height: number;
  /** The plotting area between the margins (x) and below the month header (y). */
  plot: { left: number; right: number; top: number; bottom: number };
  /** First day of the first month and last day of the last month; null when no date is known. */
  range: { start: string; end: string; source: "program" | "items" | "mixed" } | null;
  /** More than MAX_MONTHS months: the chart stops after MAX_MONTHS. */
  truncated: boolean;
  months: MonthColumn[];
  wavesTitleY: number;
  waves: WaveBar[];
  milestonesTitleY: number;
  milestones: MilestoneMark[];
  /** Items with a date outside the chart's months (listed in the table only). */
  outside: Array<{ kind: "wave" | "milestone"; id: string; name: string }>;
  today: { x: number; y1: number; y2: number; labelY: number; date: string } | null;
  /** Where today lies when it is not on the chart. */
  todayOutside: "before" | "after" | null;
  legendY: number;
}

export const TIMELINE_WIDTH = 1120;
export const MAX_MONTHS = 120;
const MARGIN_X = 12;
const HEADER_HEIGHT = 46;
const SECTION_TITLE = 20;
const WAVE_LANE = 44;
const BAR_HEIGHT = 16;
const MILESTONE_LANE = 28;
const DIAMOND = 7;
const TODAY_LABEL = 22;
const LEGEND_HEIGHT = 34;
const LABEL_FONT_WIDTH = 6.4;
const MAX_LABEL_CHARS = 48;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Parses a strict 'YYYY-MM-DD' calendar date; null for anything else. */
export function parseYmd(value: string | null | undefined): Ymd | null {
  if (!isDay(value)) return null;
  const [y, m, d] = value.split("-").map(Number);
  return { y, m, d };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const ymdString = ({ y, m, d }: Ymd) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

export function formatMonth(key: string): string {
  const [y, m] = key.split("-").map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

const monthNumber = ({ y, m }: { y: number; m: number }) => y * 12 + (m - 1);

function truncate(text: string, max = MAX_LABEL_CHARS): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

const textWidth = (text: string) => [...text].length * LABEL_FONT_WIDTH;

/** Places a label after `x`, or before it when it would run past the right edge. */
function placeLabel(
  text: string,
  startX: number,
  endX: number,
  y: number,
  left: number,
  right: number,
): TextPlacement & { from: number; to: number } {
  const width = textWidth(text);
  if (startX + width <= right || endX - width < left) {
    const x = Math.max(left, Math.min(startX, right - width));
    return { x: Math.max(left, x), y, anchor: "start", text, from: Math.max(left, x), to: Math.max(left, x) + width };
  }
  return { x: endX, y, anchor: "end", text, from: endX - width, to: endX };
}

/** Every shape of the timeline. */
export function layoutTimeline(input: TimelineInput): TimelineLayout {
  const left = MARGIN_X;
  const right = TIMELINE_WIDTH - MARGIN_X;

  // ----- The months shown -----
  const programStart = parseYmd(input.program.startsOn);
  const programEnd = parseYmd(input.program.endsOn);
  const itemDates: Ymd[] = [];
  for (const w of input.waves) for (const d of [parseYmd(w.startsOn), parseYmd(w.endsOn)]) if (d) itemDates.push(d);
  for (const m of input.milestones) {
    const d = parseYmd(m.dueOn);
    if (d) itemDates.push(d);
  }
  const byDate = (a: Ymd, b: Ymd) => ymdString(a).localeCompare(ymdString(b));
  itemDates.sort(byDate);
  let start: Ymd | null = programStart ?? itemDates[0] ?? null;
  let end: Ymd | null = programEnd ?? itemDates.at(-1) ?? null;
  start ??= end;
  end ??= start;
  if (start && end && byDate(start, end) > 0) [start, end] = [end, start];
  const source: "program" | "items" | "mixed" = programStart && programEnd ? "program" : !programStart && !programEnd ? "items" : "mixed";

  let firstMonth = 0;
  let monthCount = 0;
  let truncated = false;
  if (start && end) {
    firstMonth = monthNumber(start);
    monthCount = monthNumber(end) - firstMonth + 1;
    if (monthCount > MAX_MONTHS) {
      monthCount = MAX_MONTHS;
      truncated = true;
    }
  }
  const colWidth = monthCount > 0 ? (right - left) / monthCount : 0;
  const months: MonthColumn[] = [];
  for (let i = 0; i < monthCount; i++) {
    const n = firstMonth + i;
    const y = Math.floor(n / 12);
    const m = (n % 12) + 1;
    const label = colWidth >= 34 ? MONTHS[m - 1] : colWidth >= 12 ? MONTHS[m - 1][0] : m % 3 === 1 ? MONTHS[m - 1][0] : "";
    months.push({
      key: `${pad(y, 4)}-${pad(m)}`,
      year: y,
      month: m,
      label,
      yearLabel: i === 0 || m === 1 ? String(y) : null,
      x: left + i * colWidth,
      width: colWidth,
    });
  }
  const lastMonth = firstMonth + monthCount - 1;
  const range =
    monthCount > 0
      ? {
          start: `${pad(Math.floor(firstMonth / 12), 4)}-${pad((firstMonth % 12) + 1)}-01`,
          end: ymdString({
            y: Math.floor(lastMonth / 12),
            m: (lastMonth % 12) + 1,
            d: daysInMonth(Math.floor(lastMonth / 12), (lastMonth % 12) + 1),
          }),
          source,
        }
      : null;

  /** x of the start (or end, with `endOfDay`) of a day; NaN-free for dates inside the range. */
  const xOf = (date: Ymd, endOfDay = false) => {
    const offset = monthNumber(date) - firstMonth + (date.d - (endOfDay ? 0 : 1)) / daysInMonth(date.y, date.m);
    return left + offset * colWidth;
  };
  const inRange = (date: Ymd) => range !== null && ymdString(date) >= range.start && ymdString(date) <= range.end;

  const outside: TimelineLayout["outside"] = [];

  // ----- Waves -----
  const top = HEADER_HEIGHT;
  const wavesTitleY = top + 14;
  let y = top + SECTION_TITLE;
  const waves: WaveBar[] = input.waves.map((wave, index) => {
    const laneY = y;
    y += WAVE_LANE;
    const s = parseYmd(wave.startsOn);
    const e = parseYmd(wave.endsOn);
    const labelY = laneY + 14;
    const base = { id: wave.id, name: wave.name, startsOn: wave.startsOn, endsOn: wave.endsOn, laneY, pattern: (index % 3) as 0 | 1 | 2 };
    if (!s || !e || !range) {
      const dateLabel =
        !s && !e
          ? "dates not set"
          : !s
            ? `start date not set, ends ${formatDay(wave.endsOn ?? "")}`
            : !e
              ? `starts ${formatDay(wave.startsOn ?? "")}, end date not set`
              : "";
      const text = truncate(`${wave.name} — ${dateLabel}`, 90);
      return { ...base, dateLabel, bar: null, clipped: { start: false, end: false }, label: { x: left, y: labelY, anchor: "start", text } };
    }
    const [from, to] = byDate(s, e) <= 0 ? [s, e] : [e, s];
    const dateLabel = `${formatDay(ymdString(from))} – ${formatDay(ymdString(to))}`;
    const text = truncate(`${wave.name} · ${dateLabel}`, 90);
    if (ymdString(to) < range.start || ymdString(from) > range.end) {
      outside.push({ kind: "wave", id: wave.id, name: wave.name });
      const note = `${text} (outside the chart)`;
      return {
        ...base,
        dateLabel,
        bar: null,
        clipped: { start: false, end: false },
        label: { x: left, y: labelY, anchor: "start", text: note },
      };
    }
    const clipped = { start: ymdString(from) < range.start, end: ymdString(to) > range.end };
    const x1 = clipped.start ? left : xOf(from);
    const x2 = clipped.end ? right : xOf(to, true);
    const bar = { x: x1, y: laneY + 20, width: Math.max(2, x2 - x1), height: BAR_HEIGHT };
    const { from: _f, to: _t, ...label } = placeLabel(text, x1 + 2, x2 - 2, labelY, left, right);
    return { ...base, dateLabel, bar, clipped, label };
  });
  if (waves.length === 0) y += 26;

  // ----- Milestones: diamonds on lanes, so that no two labels overlap -----
  y += 6;
  const milestonesTitleY = y + 14;
  y += SECTION_TITLE;
  const lanesTop = y;
  const laneEnds: number[] = [];
  const placed: MilestoneMark[] = [];
  const sorted = input.milestones
    .map((m) => ({ m, date: parseYmd(m.dueOn) }))
    .filter((x): x is { m: TimelineInput["milestones"][number]; date: Ymd } => {
      if (x.date && inRange(x.date)) return true;
      outside.push({ kind: "milestone", id: x.m.id, name: x.m.title });
      return false;
    })
    .sort((a, b) => byDate(a.date, b.date) || a.m.title.localeCompare(b.m.title));
  for (const { m, date } of sorted) {
    const x = (xOf(date) + xOf(date, true)) / 2;
    const prefix = m.state === "late" ? "LATE · " : m.state === "done" ? "Done · " : "";
    const text = `${prefix}${truncate(m.title)} (${formatDayShort(m.dueOn)})`;
    const label = placeLabel(text, x + DIAMOND + 4, x - DIAMOND - 4, 0, left, right);
    const from = Math.min(label.from, x - DIAMOND);
    const to = Math.max(label.to, x + DIAMOND);
    let lane = laneEnds.findIndex((end) => end + 8 <= from);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(to);
    } else laneEnds[lane] = to;
    const cy = lanesTop + lane * MILESTONE_LANE + MILESTONE_LANE / 2;
    placed.push({
      id: m.id,
      title: m.title,
      dueOn: m.dueOn,
      state: m.state,
      x,
      y: cy,
      size: DIAMOND,
      lane,
      label: { x: label.x, y: cy + 4, anchor: label.anchor, text: label.text },
    });
  }
  y = lanesTop + Math.max(1, laneEnds.length) * MILESTONE_LANE;
  const bottom = y + 4;

  // ----- Today -----
  const todayDate = parseYmd(input.today);
  let today: TimelineLayout["today"] = null;
  let todayOutside: TimelineLayout["todayOutside"] = null;
  if (todayDate && range) {
    if (inRange(todayDate)) {
      const x = (xOf(todayDate) + xOf(todayDate, true)) / 2;
      today = { x, y1: top - 6, y2: bottom, labelY: bottom + 15, date: input.today };
    } else todayOutside = input.today < range.start ? "before" : "after";
  }

  const legendY = bottom + TODAY_LABEL + 8;
  return {
    width: TIMELINE_WIDTH,
    height: legendY + LEGEND_HEIGHT,
    plot: { left, right, top, bottom },
    range,
    truncated,
    months,
    wavesTitleY,
    waves,
    milestonesTitleY,
    milestones: placed,
    outside,
    today,
    todayOutside,
    legendY,
  };
}

/** One paragraph saying what the chart shows, for its <desc>. */
export function describeTimeline(layout: TimelineLayout, today: string): string {
  if (!layout.range) return "No dates yet: set the program's start and end dates, or give waves and milestones dates, to see the timeline.";
  const first = layout.months[0];
  const last = layout.months.at(-1)!;
  const late = layout.milestones.filter((m) => m.state === "late").length;
  const parts = [
    `Timeline from ${formatMonth(first.key)} to ${formatMonth(last.key)}, one column per month.`,
    `${layout.waves.length} wave${layout.waves.length === 1 ? "" : "s"} as bars and ${layout.milestones.length} milestone${layout.milestones.length === 1 ? "" : "s"} as diamonds${late ? `, ${late} of them late` : ""}.`,
    layout.today
      ? `A line marks today, ${formatDay(today)}.`
      : layout.todayOutside
        ? `Today (${formatDay(today)}) is ${layout.todayOutside} the months shown.`
        : "",
    layout.outside.length
      ? `${layout.outside.length} item${layout.outside.length === 1 ? "" : "s"} outside these months appear in the table only.`
      : "",
    "The table below lists the same items.",
  ];
  return parts.filter(Boolean).join(" ");
}
