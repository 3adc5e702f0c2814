import { sql } from "kysely";
import type { Audience } from "../../../db/schema";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { ensureCoverage } from "./coverage.server";
import { asDay } from "./resolve.server";

// The PLO's overdue list: every required training item whose due day has passed with no
// completion and no waiver — the person × requirement states the state CTE judges "overdue"
// (./resolve.server). Resolving them costs seconds at 20,000 people, so they are stored with the
// heat map under its stamp (`enablement_overdue`, ADR 0014) and the list pages over the stored
// rows: a freshness check, the page (names joined for its rows only) and a count (kept on the
// stamp for the unfiltered list).

export const OVERDUE_SORTS = ["due", "person", "module"] as const;
export type OverdueSort = (typeof OVERDUE_SORTS)[number];

export const OVERDUE_LIST_SPEC: ListSpec<OverdueSort> = {
  sorts: OVERDUE_SORTS,
  defaultSort: "due",
  filters: ["wave", "unit", "module"],
};

export interface OverdueRow {
  personId: string;
  personName: string;
  personEmail: string;
  requirementId: string;
  moduleId: string;
  moduleTitle: string;
  audience: Audience;
  /** The team the person is reached through (for a coach: one of the teams they coach). */
  teamName: string | null;
  dueOn: Day;
}

type OverdueFilters = Pick<ListParams<OverdueSort>, "q" | "sort" | "dir" | "filters">;

/**
 * The stored overdue rows of the program matching the list's search and filters, ordered (the
 * rows carry the names they sort by). People and teams are left joins on their keys, for the
 * email and the team's name: a page joins its own rows only, and a count that reads none of
 * their columns does not join them at all.
 */
function overdueQuery(db: DB, programId: string, params: OverdueFilters) {
  let query = db
    .selectFrom("enablement_overdue as o")
    .leftJoin("people as p", "p.id", "o.person_id")
    .leftJoin("teams as t", "t.id", "o.team_id")
    .where("o.program_id", "=", programId);
  const { wave, unit, module } = params.filters;
  if (wave === "none") query = query.where("o.wave_id", "is", null);
  else if (wave) query = query.where("o.wave_id", "=", wave);
  // A unit and everything below it, like the state query's unit scope (archived units included:
  // a person may still belong to one).
  if (unit)
    query = query.where(
      "o.unit_id",
      "in",
      sql<string>`(with recursive sub(id) as (
        select ${unit}::text union select u.id from org_units u join sub on u.parent_id = sub.id
      ) select id from sub)`,
    );
  if (module) query = query.where("o.module_id", "=", module);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) =>
      eb.or([eb("o.person_name", "ilike", like), eb("p.email", "ilike", like), eb("o.module_title", "ilike", like)]),
    );
  }
  const dir = params.dir;
  // Ties always fall back to the list's first order (due day, name, module) and the row's key.
  switch (params.sort) {
    case "person":
      query = query.orderBy("o.person_name", dir).orderBy("o.due_on").orderBy("o.module_title");
      break;
    case "module":
      query = query.orderBy("o.module_title", dir).orderBy("o.due_on").orderBy("o.person_name");
      break;
    default:
      query = query.orderBy("o.due_on", dir).orderBy("o.person_name", dir).orderBy("o.module_title", dir);
  }
  // The default order in either direction is the index's, read forwards or backwards.
  const keyDir = params.sort === "due" ? dir : "asc";
  return query
    .orderBy("o.person_id", keyDir)
    .orderBy("o.requirement_id", keyDir)
    .select([
      "o.person_id",
      "o.person_name",
      "p.email",
      "o.requirement_id",
      "o.module_id",
      "o.module_title",
      "o.audience",
      "t.name as team_name",
      "o.due_on",
    ]);
}

type Selected = Awaited<ReturnType<ReturnType<typeof overdueQuery>["execute"]>>[number];

function toRow(r: Selected): OverdueRow {
  return {
    personId: r.person_id,
    personName: r.person_name,
    personEmail: r.email ?? "",
    requirementId: r.requirement_id,
    moduleId: r.module_id,
    moduleTitle: r.module_title,
    audience: r.audience,
    teamName: r.team_name,
    dueOn: asDay(r.due_on) ?? "",
  };
}

/** One page of the program's overdue training as of `today` (the stored rows, recomputed first when stale). */
export async function pageOverdue(db: DB, programId: string, today: Day, params: ListParams<OverdueSort>): Promise<Page<OverdueRow>> {
  const { overdueRows } = await ensureCoverage(db, programId, today);
  // Unfiltered, the total is the stored rows' number, kept on their stamp: not counted again.
  const unfiltered = !params.q && Object.values(params.filters).every((value) => !value);
  const page = await fetchPage(overdueQuery(db, programId, params), params, unfiltered ? overdueRows : null);
  return { ...page, rows: page.rows.map(toRow) };
}

/** Every overdue item the list's search and filters match, in the list's order (the CSV export): one query. */
export async function allOverdue(db: DB, programId: string, today: Day, params: OverdueFilters): Promise<OverdueRow[]> {
  await ensureCoverage(db, programId, today);
  const rows = await overdueQuery(db, programId, params).execute();
  return rows.map(toRow);
}
