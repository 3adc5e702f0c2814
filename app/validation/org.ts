import { z } from "zod";
import { checkbox, email, optionalText, requiredText } from "./common";

/** The message a PersonPicker field shows when its email belongs to nobody in the organization. */
export const NO_SUCH_PERSON = "No person with this email in the organization.";

/** Separates the levels of a unit path: "Northwind › Operations › Fleet". */
export const PATH_SEPARATOR = " › ";

/** An optional id from a <select>: empty means none. */
const optionalId = z
  .string({ error: "Choose one of the listed options." })
  .trim()
  .max(100, "Choose one of the listed options.")
  .optional()
  .transform((v) => (v ? v : null));

const requiredId = (message: string) => z.string({ error: message }).trim().min(1, message).max(100, message);

const unitName = requiredText("Name", 120).refine((v) => !v.includes("›"), {
  message: "A unit name cannot contain “›”: it separates the levels of a unit path.",
});

/**
 * The value of a PersonPicker (an email input): lower-cased, or null when left empty. The
 * server then resolves it to a person; an unknown email gets NO_SUCH_PERSON on the field.
 */
export const optionalPersonEmail = (label: string) =>
  z
    .string({ error: `${label}: enter an email address.` })
    .trim()
    .max(254, `${label}: the email must be at most 254 characters.`)
    .optional()
    .transform((v) => (v ? v.toLowerCase() : ""))
    .refine((v) => v === "" || z.email().safeParse(v).success, {
      message: "Enter a valid email address, like name@example.com.",
    })
    .transform((v) => (v === "" ? null : v));

/** A required PersonPicker value (lower-cased email). */
export const personEmail = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(254, `${label}: the email must be at most 254 characters.`)
    .pipe(z.email("Enter a valid email address, like name@example.com."))
    .transform((v) => v.toLowerCase());

export const unitSchema = z.object({
  name: unitName,
  parentId: optionalId,
});
export type UnitInput = z.output<typeof unitSchema>;

/** Archiving a unit: `cascade` also archives everything inside it. */
export const archiveUnitSchema = z.object({ cascade: checkbox });
export const restoreUnitSchema = z.object({ cascade: checkbox });

const teamSize = z
  .string({ error: "Size must be a whole number." })
  .trim()
  .optional()
  .transform((v) => v ?? "")
  .refine((v) => v === "" || /^\d{1,5}$/.test(v), { message: "Size must be a whole number between 1 and 10,000." })
  .transform((v) => (v === "" ? null : Number(v)))
  .refine((v) => v === null || (v >= 1 && v <= 10_000), { message: "Size must be a whole number between 1 and 10,000." });

export const teamSchema = z.object({
  name: requiredText("Name", 120),
  unitId: requiredId("Choose the unit the team belongs to."),
  leadEmail: optionalPersonEmail("Team lead"),
  size: teamSize,
});
export type TeamInput = z.output<typeof teamSchema>;

/** Archiving a team: `releaseMembers` takes its active members out of the team (they stay in the unit). */
export const archiveTeamSchema = z.object({ releaseMembers: checkbox });

export const personSchema = z.object({
  name: requiredText("Name", 200),
  email,
  title: optionalText("Title", 200),
  unitId: optionalId,
  teamId: optionalId,
  externalId: optionalText("Employee ID", 100),
});
export type PersonInput = z.output<typeof personSchema>;

/** Archiving a person: `clearLeads` removes them as lead of the active teams they lead. */
export const archivePersonSchema = z.object({ clearLeads: checkbox });

export const linkAccountSchema = z.object({
  accountEmail: email.transform((v) => v.toLowerCase()),
});
