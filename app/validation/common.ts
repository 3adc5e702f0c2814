import { z } from "zod";

/** A required single-line text: trimmed, not empty, not longer than `max`. */
export const requiredText = (label: string, max = 200) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);

export const optionalText = (label: string, max = 2000) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .optional()
    .transform((v) => v ?? "");

export const email = z
  .string({ error: "Email is required." })
  .trim()
  .min(1, "Email is required.")
  .max(254, "Email must be at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const newPassword = z
  .string({ error: "Password is required." })
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

/** An optional 'YYYY-MM-DD' date from an <input type="date">; empty means none. */
export const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isCalendarDate(v), {
      message: `${label} must be a valid date (YYYY-MM-DD).`,
    })
    .refine((v) => v === null || (v >= "1900-01-01" && v <= "2999-12-31"), {
      message: `${label} must be between 1900 and 2999.`,
    });

/** A real 'YYYY-MM-DD' day (no 2026-02-30). */
export function isCalendarDate(v: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
  );
}

/** A checkbox: present ("on") means true. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");
