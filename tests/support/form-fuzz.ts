import fc from "fast-check";
import { expect } from "vitest";
import type { HttpClient } from "./http-client";

/**
 * Form fuzzing over HTTP: posts random and hostile values to an action (very long strings,
 * unicode, NUL bytes, SQL- and HTML-looking text, numbers, repeated keys, files, missing and
 * stray fields; url-encoded or multipart) and asserts that the server never answers with a
 * 5xx and that what the test observes changed only as the test allows.
 *
 *   await fuzzForm({
 *     client: admin,
 *     path: "/programs/new",
 *     fields: { name: fieldValue(validName), status: fieldValue(fc.constantFrom("planned", "active")) },
 *     observe: () => programRows(admin),
 *     check: ({ status }, before, after) => { ... },
 *   });
 */

/** A file part of a multipart form (sent as plain text in a url-encoded one). */
export interface FileValue {
  file: string;
  filename: string;
}

/** One field: missing (undefined), a value, the key repeated, or a file. */
export type FieldValue = string | readonly string[] | FileValue | undefined;

export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  " \t\r\n ",
  "\u0000",
  "a\u0000b",
  "\r\n\r\nSet-Cookie: x=1",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "9007199254740993",
  "-0",
  "0x1F",
  "true",
  "false",
  "null",
  "undefined",
  "[]",
  "{}",
  '{"__proto__":{"admin":true}}',
  "__proto__",
  "constructor",
  "toString",
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '"; DROP TABLE programs; --',
  "1; SELECT pg_sleep(10)",
  "$1",
  "%",
  "_",
  "\\",
  "\\'",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  "javascript:alert(1)",
  "{{7*7}}",
  "${7*7}",
  "../../../../etc/passwd",
  "%00",
  "%2e%2e%2f",
  "\u202Eevil",
  "\u200B",
  "\uFEFF",
  "ｆｕｌｌｗｉｄｔｈ",
  "🚀🔥💯",
  "👩‍👩‍👧‍👦",
  "Ωμέγα",
  "עברית",
  "中文字符",
  "e\u0301",
  "\uD800",
  "a@b.co",
  "admin@example.com",
  "2024-02-30",
  "2024-02-29",
  "0000-00-00",
  "9999-12-31",
  "-001-01-01",
  "2024-1-1",
  "20240101",
  "R",
  "a",
  "admin",
  "plo",
  "planned",
  "save",
  "archive",
  "reset-password",
  "x".repeat(201),
  "x".repeat(255),
  "é".repeat(5_000),
  "🚀".repeat(3_000),
  "x".repeat(100_000),
  "\u0000".repeat(1_000),
  "a\u0000".repeat(10),
];

const HOSTILE_CHARS = ["'", '"', ";", "-", "<", ">", "&", "\\", "\u0000", "%", "/", " ", "a", "é", "🚀", "\n", "=", "+"];

/** Any string a browser (or an attacker) might send. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 5 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 64 }), weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }), weight: 1 },
    { arbitrary: fc.string({ unit: fc.constantFrom(...HOSTILE_CHARS), maxLength: 40 }), weight: 2 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom("x", "é", "🚀", "\u0000", "'", " "), fc.integer({ min: 100, max: 5_000 }))
        .map(([c, n]) => c.repeat(n)),
      weight: 1,
    },
  );
}

/** Small pieces slipped into well-formed values; NUL (which PostgreSQL text refuses) is the most likely. */
const SNIPPETS = ["\u0000", "\u0000", "\u0000", "'", '"', "\\", "%", "_", "🚀", "\u202E", "<script>", "\uD800", "\r\n", "${", "\u200B"];

/** A well-formed value with a hostile snippet inserted, so it may still pass validation. */
export function tainted(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.constantFrom(...SNIPPETS), fc.nat()).map(([value, snippet, at]) => {
    const i = at % (value.length + 1);
    return value.slice(0, i) + snippet + value.slice(i);
  });
}

/**
 * A field's value: usually hostile, sometimes missing, repeated or a file; with `valid`, often
 * a well-formed (or subtly tainted) value too, so that fuzzing reaches the code behind validation.
 */
export function fieldValue(valid?: fc.Arbitrary<string>): fc.Arbitrary<FieldValue> {
  const hostile = hostileString();
  const options: Array<{ arbitrary: fc.Arbitrary<FieldValue>; weight: number }> = [
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: hostile, weight: 4 },
    { arbitrary: fc.array(valid ? fc.oneof(valid, hostile) : hostile, { minLength: 2, maxLength: 3 }), weight: 1 },
    {
      arbitrary: fc.record({ file: hostile, filename: fc.constantFrom("a.txt", "../../x.csv", 'x"y.csv', "") }),
      weight: 1,
    },
  ];
  if (valid) options.push({ arbitrary: valid, weight: 4 }, { arbitrary: tainted(valid), weight: 4 });
  return fc.oneof(...options);
}

/** The value `FormData.get` would see first (how routes read an `intent`). */
export function firstValue(value: FieldValue): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if ("file" in value) return "[object File]";
  return (value as readonly string[])[0];
}

const strayKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "intent", "_data", "", "a[b]", "id", "role", "active"),
  fc.string({ maxLength: 20 }),
);

export interface PostedForm {
  fields: Record<string, FieldValue>;
  stray: Array<[string, string]>;
  multipart: boolean;
}

export interface FuzzResponse {
  status: number;
  location: string | null;
  body: string;
  form: PostedForm;
}

export interface FormFuzzOptions<S> {
  client: HttpClient;
  path: string;
  fields: Record<string, fc.Arbitrary<FieldValue>>;
  /**
   * A well-formed value per field. With it, half of the forms are well-formed except for one or
   * two fuzzed fields, which reaches the checks behind the first failing field (and success).
   */
  validFields?: Record<string, fc.Arbitrary<FieldValue>>;
  /** Add random unknown fields too (default true). */
  strayFields?: boolean;
  /** Keep only the forms this accepts (e.g. never a matching password and confirmation). */
  where?: (fields: Record<string, FieldValue>) => boolean;
  numRuns?: number;
  /** Forms posted first, as they are (default: one drawn from `validFields`). */
  examples?: Array<Record<string, FieldValue>>;
  /** Reads the state the test watches; called before the first post and after each one. */
  observe?: () => Promise<S>;
  /** Asserts one post's response and what changed; `before`/`after` come from `observe`. */
  check?: (response: FuzzResponse, before: S, after: S) => void | Promise<void>;
}

function encode(form: PostedForm): URLSearchParams | FormData {
  const pairs: Array<[string, string | FileValue]> = [];
  for (const [key, value] of Object.entries(form.fields)) {
    if (value === undefined) continue;
    if (typeof value === "string" || "file" in value) pairs.push([key, value as string | FileValue]);
    else for (const item of value as readonly string[]) pairs.push([key, item]);
  }
  pairs.push(...form.stray);
  if (form.multipart) {
    const data = new FormData();
    for (const [key, value] of pairs) {
      if (typeof value === "string") data.append(key, value);
      else data.append(key, new Blob([value.file], { type: "text/plain" }), value.filename);
    }
    return data;
  }
  return new URLSearchParams(pairs.map(([key, value]) => [key, typeof value === "string" ? value : value.file]));
}

/** Shortens a value for a failure message. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/**
 * Runs the fuzzing; every post must answer below 500 and pass `check`. Returns how often each
 * status was seen, so a test can also make sure the fuzzing reached past validation.
 */
export async function fuzzForm<S = undefined>(options: FormFuzzOptions<S>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let fieldsArbitrary: fc.Arbitrary<Record<string, FieldValue>> = fc.record(options.fields);
  if (options.validFields) {
    const keys = Object.keys(options.fields);
    const mostlyValid = fc
      .tuple(fc.record(options.validFields), fieldsArbitrary, fc.subarray(keys, { minLength: 1, maxLength: 2 }))
      .map(([valid, fuzzed, picked]) => ({ ...valid, ...Object.fromEntries(picked.map((key) => [key, fuzzed[key]])) }));
    fieldsArbitrary = fc.oneof(fieldsArbitrary, mostlyValid);
  }
  if (options.where) fieldsArbitrary = fieldsArbitrary.filter(options.where);
  const formArbitrary: fc.Arbitrary<PostedForm> = fc.record({
    fields: fieldsArbitrary,
    stray: options.strayFields === false ? fc.constant([]) : fc.array(fc.tuple(strayKey, hostileString()), { maxLength: 3 }),
    multipart: fc.boolean(),
  });
  // A well-formed form first (given, or drawn from `validFields`): the success path is reached
  // in every run, not only when the random forms happen to include one.
  const examples = options.examples ?? (options.validFields ? fc.sample(fc.record(options.validFields), 1) : []);
  let before = (await options.observe?.()) as S;
  await fc.assert(
    fc.asyncProperty(formArbitrary, async (form) => {
      const response = await options.client.post(options.path, encode(form));
      const result: FuzzResponse = {
        status: response.status,
        location: response.headers.get("location"),
        body: await response.text(),
        form,
      };
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      expect(result.status, `POST ${options.path} ${preview(form)} answered ${result.status}`).toBeLessThan(500);
      const after = (await options.observe?.()) as S;
      await options.check?.(result, before, after);
      before = after;
    }),
    // Each run changes the server's state, so shrinking would replay against another state:
    // report the first failing form as it was (fast-check prints the seed to replay it).
    {
      numRuns: options.numRuns ?? 30,
      endOnFailure: true,
      examples: examples.map((fields): [PostedForm] => [{ fields, stray: [], multipart: false }]),
    },
  );
  return statuses;
}

/**
 * Compares two snapshots of a list keyed by id: every row in `before` must be byte-identical
 * in `after` except the ids in `changed`, and exactly the ids in `added` (or that many) may be new.
 */
export function expectRowsUnchanged(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  allowed: { changed?: readonly string[]; added?: readonly string[] | number } = {},
): void {
  const changed = new Set(allowed.changed ?? []);
  for (const [id, row] of before) {
    if (changed.has(id)) {
      expect(after.has(id), `row ${id} disappeared`).toBe(true);
      continue;
    }
    expect(after.get(id), `row ${id} changed`).toBe(row);
  }
  const added = [...after.keys()].filter((id) => !before.has(id));
  if (typeof allowed.added === "number") expect(added.length, "number of rows added").toBe(allowed.added);
  else expect(added.sort(), "rows added").toEqual([...(allowed.added ?? [])].sort());
}
