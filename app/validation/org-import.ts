import { z } from "zod";
import { LEAVER_CHOICES } from "~/models/org/import-fields";

// The forms of the HR import's preview (the upload itself is a file: its checks are in the model).

const line = z.coerce
  .number({ error: "Choose a line of the file." })
  .int("Choose a line of the file.")
  .min(1, "Choose a line of the file.")
  .max(10_000_000, "Choose a line of the file.");

/** Skip or take back one line. */
export const lineSchema = z.object({ line });

/** Checkboxes: none, one or many values. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** Confirm proposed renames: the ticked team ids (`rename`) among those shown (`shown`). */
export const confirmRenamesSchema = z.object({ rename: many, shown: many });

/** Confirm proposed changed emails: the ticked lines (`match`) among those shown (`shown`). */
const lines = many.transform((values, ctx) => {
  const out: number[] = [];
  for (const value of values) {
    const parsed = line.safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "Choose a line of the file." });
      return z.NEVER;
    }
    out.push(parsed.data);
  }
  return out;
});
export const confirmEmailsSchema = z.object({ match: lines, shown: lines });

/** The commit: the digest of the preview the PLO saw and, when people left, what happens to them. */
export const commitSchema = z.object({
  fingerprint: z.string().max(100).optional(),
  leavers: z.enum(LEAVER_CHOICES, { error: "Choose whether to archive or keep the people who are not in the file." }).optional(),
});
