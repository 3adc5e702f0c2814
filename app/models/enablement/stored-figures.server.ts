import { sql } from "kysely";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { asDay } from "./resolve.server";

// Figures derived from the person × requirement states (wave readiness, the sponsor report's
// training figures), stored per program × kind with the stamp the heat map uses (ADR 0014):
// the program's and the installation's enablement versions and the day. Every audited change
// that can move a state bumps one of the versions, so a row whose stamp matches is current; a
// stale row is recomputed by the reader that finds it (no lock: two readers computing at once
// store the same figures). The versions are read before the data, so a change committing
// meanwhile only makes the next reader compute again (ADR 0011's argument).

export async function storedFigures<T>(db: DB, programId: string, kind: string, today: Day, compute: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{
    pv: string | number;
    iv: string | number;
    sp: string | number | null;
    si: string | number | null;
    day: string | Date | null;
    figures: string | null;
  }>`
    select p.enablement_version as pv, coalesce(i.enablement_version, 0) as iv,
      f.program_version as sp, f.installation_version as si, f.day, f.figures
    from programs p left join installation i on i.id = 1
    left join enablement_figures f on f.program_id = p.id and f.kind = ${kind}
    where p.id = ${programId}`.execute(db);
  const row = rows[0];
  if (!row) return compute();
  const pv = Number(row.pv);
  const iv = Number(row.iv);
  if (row.figures !== null && Number(row.sp) === pv && Number(row.si) === iv && asDay(row.day) === today) {
    return JSON.parse(row.figures) as T;
  }
  const figures = await compute();
  await sql`
    insert into enablement_figures (program_id, kind, program_version, installation_version, day, figures)
    values (${programId}, ${kind}, ${pv}, ${iv}, ${today}::date, ${JSON.stringify(figures)})
    on conflict (program_id, kind) do update set program_version = excluded.program_version,
      installation_version = excluded.installation_version, day = excluded.day, figures = excluded.figures`.execute(db);
  return figures;
}
