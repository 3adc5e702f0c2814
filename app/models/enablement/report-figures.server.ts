import { sql } from "kysely";
import type { EnablementFigures } from "~/models/reports/dimensions";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { statesCte } from "./resolve.server";
import { storedFigures } from "./stored-figures.server";

/**
 * Enablement's figures for the sponsor report (see ~/models/reports/plug-ins.server): the
 * required trainings (person × required module) due by today, how many of them are completed
 * (a valid completion) or waived, how many are overdue (no completion, due day past), and the
 * training delivered so far in trainer hours (held sessions' durations, each session once,
 * whatever its attendance). Recommended modules are left out: a sponsor reads what the program
 * requires. Null while the program requires no training (the dimension says "not measured").
 * The state counts are stored while fresh (ADR 0014, ./stored-figures.server); the hours are read.
 */
export async function enablementReportFigures(db: DB, programId: string, today: Day): Promise<EnablementFigures | null> {
  const required = await db
    .selectFrom("enablement_requirements")
    .select("id")
    .where("program_id", "=", programId)
    .where("necessity", "=", "required")
    .limit(1)
    .executeTakeFirst();
  if (!required) return null;
  const counts = await storedFigures(db, programId, "report", today, async () => {
    const states = statesCte(programId, today, { necessity: "required" });
    const { rows } = await sql<{ required_due: string | number; completed: string | number; overdue: string | number }>`
      ${states}
      select count(*) filter (where due_on <= ${today}::date) as required_due,
        count(*) filter (where due_on <= ${today}::date and state in ('met', 'waived')) as completed,
        count(*) filter (where state = 'overdue') as overdue
      from states`.execute(db);
    const figures = rows[0];
    return {
      requiredDue: Number(figures?.required_due ?? 0),
      completed: Number(figures?.completed ?? 0),
      overdue: Number(figures?.overdue ?? 0),
    };
  });
  const hours = await db
    .selectFrom("enablement_sessions")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("duration_minutes"), sql<number>`0`).as("minutes"))
    .where("program_id", "=", programId)
    .where("state", "=", "held")
    .executeTakeFirstOrThrow();
  return {
    ...counts,
    trainingHours: Math.round((Number(hours.minutes) / 60) * 10) / 10,
  };
}
