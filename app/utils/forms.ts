import { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  { ok: true; data: T; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Shape returned by an action whose form did not validate (status 400). */
export interface FormFailure {
  errors: FieldErrors;
  values: Record<string, string>;
}

// Password fields: any name with "password", and the repeat/current-password fields
// ("confirm", "current") of the setup and change-password forms.
const SECRET_FIELD = /password|^(confirm|current)$/i;

/** The submitted values as plain strings, to put back into the form after an error. Never passwords. */
export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !SECRET_FIELD.test(key)) values[key] = value.slice(0, 10_000);
  }
  return values;
}

/** Most entries a form may have; the server entry refuses bigger forms before they are read (request-limits.server). */
export const MAX_FORM_FIELDS = 1_000;

/** Validates a form against a zod schema; on failure, one message per field (the first). */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  // One pass over the entries: linear in the size of the form, however many fields it has.
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const errors: FieldErrors = {};
  let count = 0;
  for (const [key, value] of formData.entries()) {
    if (++count > MAX_FORM_FIELDS)
      return { ok: false, errors: { _form: `This form sends more than ${MAX_FORM_FIELDS} fields.` }, values: {} };
    if (typeof value !== "string") continue;
    // PostgreSQL text cannot hold a NUL character: refuse it here instead of failing in the database.
    if (value.includes("\u0000")) errors[key] = "This field contains a character that is not allowed.";
    const seen = raw[key];
    if (seen === undefined) raw[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else raw[key] = [seen, value];
  }
  const result = schema.safeParse({ ...raw });
  if (result.success && Object.keys(errors).length === 0) return { ok: true, data: result.data, values: formValues(formData) };
  if (result.success) return { ok: false, errors, values: formValues(formData) };
  for (const issue of result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "_form";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: formValues(formData) };
}

/**
 * The error of a destructive form whose "Yes, …" box (`confirm`) was left unticked, or null
 * when it was ticked. `what` names the act: "deletion", "removal".
 */
export function unconfirmed(formData: FormData, what = "deletion"): FieldErrors | null {
  return formData.get("confirm") === "on" ? null : { confirm: `Tick the box to confirm the ${what}.` };
}
