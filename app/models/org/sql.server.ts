import { sql, type Expression } from "kysely";
import { type DB } from "~/utils/db.server";

// ---------------------------------------------------------------------------------------------
// SQL fragments shared by the org lists and other areas (lead-less teams, unit subtrees)
// ---------------------------------------------------------------------------------------------

/**
 * True for a team (alias `t`) without a lead: none named, or the named person archived. Asks the
 * partial index of archived people instead of joining all people.
 */
export const teamWithoutLead = sql<boolean>`(t.lead_person_id is null or t.lead_person_id in (select ap.id from people ap where ap.archived_at is not null))`;

/** Ids of the given units and every unit below them (cycles in bad data cannot loop: UNION). */
export function unitSubtree(unitIds: readonly string[]): Expression<string> {
  return sql<string>`(with recursive subtree(id) as (
      select id from org_units where id in (${sql.join(unitIds)}) and archived_at is null
      union
      select u.id from org_units u join subtree s on u.parent_id = s.id where u.archived_at is null
    ) select id from subtree)`;
}

/** Units for pickers, depth-first with their depth (one recursive query). */
export async function listUnitOptions(db: DB): Promise<Array<{ id: string; name: string; depth: number }>> {
  const { rows } = await sql<{ id: string; name: string; depth: number }>`
    with recursive tree(id, name, depth, path) as (
      select id, name, 0, lower(name) from org_units where parent_id is null and archived_at is null
      union all
      select u.id, u.name, tree.depth + 1, tree.path || chr(1) || lower(u.name)
      from org_units u join tree on u.parent_id = tree.id
      where u.archived_at is null and tree.depth < 30
    )
    select id, name, depth from tree order by path, id`.execute(db);
  return rows.map((r) => ({ ...r, depth: Number(r.depth) }));
}
