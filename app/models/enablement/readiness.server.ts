import { sql } from "kysely";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { statesCte } from "./resolve.server";
import { storedFigures } from "./stored-figures.server";

// Wave readiness measured from enablement: the share of a wave's team leads and members who are
// trained (every required module met or waived), whether the coaches of its teams hold a current
// certification, and whether the sponsors are briefed. Read by ~/models/plan/waves.server.
// People without any required module do not count: with nobody to train the criterion is "not
// measurable" rather than met.

export interface Share {
  done: number;
  total: number;
}

export interface WaveEnablementFigures {
  leads: Share;
  members: Share;
  coaches: Share;
  sponsors: Share;
}

interface PeopleRow {
  audience: string;
  wave_id: string | null;
  total: number;
  done: number;
}

const empty = (): Share => ({ done: 0, total: 0 });

/** Figures per wave for the given waves (two queries; the people's figures stored while fresh). */
export async function waveEnablementFigures(
  db: DB,
  programId: string,
  waveIds: readonly string[],
  today: Day,
): Promise<Map<string, WaveEnablementFigures>> {
  const figures = new Map<string, WaveEnablementFigures>(
    waveIds.map((id) => [id, { leads: empty(), members: empty(), coaches: empty(), sponsors: empty() }]),
  );
  if (waveIds.length === 0) return figures;
  const [people, coaches] = await Promise.all([
    // The people's part moves only with the states: stored (ADR 0014), per audience × wave.
    storedFigures(db, programId, "wave_readiness", today, async () => {
      const cte = statesCte(programId, today, { necessity: "required", audiences: ["team_lead", "team_member", "sponsor"] });
      const { rows } = await sql<PeopleRow>`${cte},
        per_person as (
          select audience, person_id, min(wave_id) as wave_id, bool_and(state in ('met', 'waived')) as trained
          from states group by audience, person_id
        )
        select audience, wave_id, count(*)::int as total, (count(*) filter (where trained))::int as done
        from per_person group by audience, wave_id`.execute(db);
      return rows.map((r) => ({ audience: r.audience, wave_id: r.wave_id, total: Number(r.total), done: Number(r.done) }));
    }),
    sql<{ wave_id: string; total: number; done: number }>`
      select pt.wave_id, count(distinct c.id)::int as total,
        count(distinct c.id) filter (where exists (
          select 1 from enablement_cert_awards aw join enablement_cert_levels l on l.id = aw.level_id
          join enablement_cert_paths cp on cp.id = l.path_id
          where aw.person_id = c.person_id and cp.program_id = ${programId}
            and aw.awarded_on <= ${today}::date and (aw.expires_on is null or aw.expires_on > ${today}::date)))::int as done
      from coach_assignments a
      join coaches c on c.id = a.coach_id and c.active
      join program_teams pt on pt.team_id = a.team_id and pt.program_id = ${programId}
      where a.program_id = ${programId} and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date)
        and pt.wave_id in (${sql.join(waveIds.map((id) => sql`${id}`))})
      group by pt.wave_id`.execute(db),
  ]);
  const sponsors = empty();
  for (const row of people) {
    if (row.audience === "sponsor") {
      sponsors.total += Number(row.total);
      sponsors.done += Number(row.done);
      continue;
    }
    const wave = row.wave_id ? figures.get(row.wave_id) : undefined;
    if (!wave) continue;
    const share = row.audience === "team_lead" ? wave.leads : wave.members;
    share.total += Number(row.total);
    share.done += Number(row.done);
  }
  for (const row of coaches.rows) {
    const wave = figures.get(row.wave_id);
    if (wave) wave.coaches = { total: Number(row.total), done: Number(row.done) };
  }
  for (const wave of figures.values()) wave.sponsors = { ...sponsors };
  return figures;
}
