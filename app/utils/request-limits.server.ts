import { MAX_UPLOAD_BYTES } from "~/models/org/import-fields";
import { MAX_FORM_FIELDS } from "./forms";

// How much a request may send, by kind of route. The server entry (server/index.js) enforces
// these before any route runs: a declared Content-Length over the limit is refused without
// reading the body, and a body without one is counted as it streams in, so a huge or
// many-field post never reaches memory or the form parser. See docs/decisions/0012.

export type BodyKind = "upload" | "form" | "small";

export interface BodyLimit {
  kind: BodyKind;
  /** Most bytes of the body. */
  bytes: number;
  /** Most fields (form entries) in the body. */
  fields: number;
  /** How the limit reads in a message: "10 MB". */
  label: string;
}

const KB = 1024;
const MB = 1024 * 1024;

/** A multipart upload carries the file plus its envelope (boundaries, part headers, the other fields). */
const UPLOAD_ENVELOPE = 64 * KB;

export const BODY_LIMITS: Record<BodyKind, BodyLimit> = {
  upload: { kind: "upload", bytes: MAX_UPLOAD_BYTES + UPLOAD_ENVELOPE, fields: 50, label: `${MAX_UPLOAD_BYTES / MB} MB` },
  form: { kind: "form", bytes: 1 * MB, fields: MAX_FORM_FIELDS, label: "1 MB" },
  small: { kind: "small", bytes: 16 * KB, fields: 20, label: "16 KB" },
};

// Routes that accept a file. A new upload route must be listed here, or it gets the form limit.
// Every file upload posts to a path ending in /import (org, RACI, cycles, enablement …), so a new
// area's import gets the upload limit without being listed here.
const UPLOAD_ROUTES = [/\/import$/];
// What anyone may post without being signed in: sign-in, first setup, sign-out.
const PUBLIC_ROUTES = [/^\/(login|setup|logout)$/];

/** The limit for a post to `pathname` (a Remix data request `/x.data` counts as `/x`). */
export function bodyLimitFor(pathname: string): BodyLimit {
  const path = pathname.replace(/\.data$/, "").replace(/\/+$/, "") || "/";
  if (path === "/_root") return BODY_LIMITS.small;
  if (UPLOAD_ROUTES.some((route) => route.test(path))) return BODY_LIMITS.upload;
  if (PUBLIC_ROUTES.some((route) => route.test(path))) return BODY_LIMITS.small;
  return BODY_LIMITS.form;
}

/** The words of a refusal: what was too large, and what the user can do. */
export function bodyLimitMessage(limit: BodyLimit, reason: "bytes" | "fields"): string {
  if (reason === "fields") {
    const most = limit.fields.toLocaleString("en");
    if (limit.kind === "small") return `This request sends more than ${most} fields, the most sign-in and setup accept.`;
    return `This form sends more than ${most} fields, the most ${limit.kind === "form" ? "a form" : "an upload"} may send. Select fewer items and send it again.`;
  }
  if (limit.kind === "upload") return `The upload is larger than ${limit.label}. Export only the columns you need, or split the file.`;
  if (limit.kind === "form")
    return `This form is larger than ${limit.label}, the most a form may send. Shorten the longest text and send it again.`;
  return `This request is larger than ${limit.label}, the most sign-in and setup accept.`;
}
