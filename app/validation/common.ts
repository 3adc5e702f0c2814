import { z } from "zod";
import { isDay, MAX_DAY, MIN_DAY } from "~/utils/dates";

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
    .refine((v) => v === null || isDay(v), {
      message: `${label} must be a valid date (YYYY-MM-DD).`,
    })
    .refine((v) => v === null || (v >= MIN_DAY && v <= MAX_DAY), {
      message: `${label} must be between 1900 and 2999.`,
    });

/** A checkbox: present ("on") means true. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");
