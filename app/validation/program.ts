import { z } from "zod";
import { PROGRAM_STATUSES } from "../../db/schema";
import { optionalDate, optionalText, requiredText } from "./common";

export const programSchema = z
  .object({
    name: requiredText("Name", 120),
    description: optionalText("Description", 4000),
    startsOn: optionalDate("Start date"),
    endsOn: optionalDate("End date"),
    status: z.enum(PROGRAM_STATUSES, { error: "Choose one of the listed statuses." }),
  })
  .refine((v) => !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn, {
    path: ["endsOn"],
    message: "The end date must be on or after the start date.",
  });

export type ProgramInput = z.output<typeof programSchema>;
