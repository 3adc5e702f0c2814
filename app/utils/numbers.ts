// Number formatting with formatters built once: `n.toLocaleString("en", options)` builds a new
// Intl.NumberFormat on every call, which showed up in the profile of pages that format a number
// per table cell.

const countFormat = new Intl.NumberFormat("en");
const hoursFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** Minutes as hours with one decimal: 90 → "1.5 h" (with a non-breaking space). */
export function formatHours(minutes: number): string {
  return `${hoursFormat.format(minutes / 60)}\u00a0h`;
}

/** A count with its noun: plural(1, "team") → "1 team", plural(1200, "person", "people") → "1,200 people". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
