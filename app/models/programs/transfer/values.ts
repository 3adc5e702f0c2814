// Shared by the export and the import: how a value reads in a document and how rows are ordered.

export type DocValue = string | number | boolean | null | DocValue[] | { [key: string]: DocValue };
export type DocRow = Record<string, DocValue>;

/** A timestamp as the document writes it (ISO, milliseconds: what JavaScript keeps of it). */
export function isoInstant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return date.toISOString();
}

/** Replaces every string equal to a key of `map` (an id), anywhere in a JSON value. */
export function remapJson(value: unknown, map: ReadonlyMap<string, string>): DocValue {
  if (typeof value === "string") return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remapJson(v, map));
  // fromEntries defines own properties: a "__proto__" key in a document stays a plain key.
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, remapJson(v, map)]));
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  return null;
}

/** Replaces every id (`pattern` matches) inside a text by what `map` has for it. */
export function remapIds(value: unknown, map: ReadonlyMap<string, string>, pattern: RegExp): DocValue {
  if (typeof value !== "string") return value === null || value === undefined ? null : String(value);
  return value.replace(pattern, (id) => map.get(id) ?? id);
}

function compareValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = typeof a === "string" ? a : JSON.stringify(a);
  const y = typeof b === "string" ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders rows by their values, field by field (the fields' order is the table's column order). */
export function compareRows(fields: readonly string[], a: Record<string, unknown>, b: Record<string, unknown>): number {
  for (const field of fields) {
    const order = compareValue(a[field], b[field]);
    if (order !== 0) return order;
  }
  return 0;
}
