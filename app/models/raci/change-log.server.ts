import { sql } from "kysely";
import type { Actor } from "~/models/audit/audit.server";
import type { DB } from "~/utils/db.server";
import { ConflictError, NotFoundError } from "~/models/errors";

// What every edit of a RACI matrix shares: finding the matrix, refusing an edit based on a
// version that moved on, and appending to raci_changes (from which history and restore rebuild
// any earlier state).

export type RowKind = "activity" | "role";
export const TABLE = { activity: "raci_activities", role: "raci_roles" } as const;

/** What a cell (or a row's name) holds now, sent with a 409 so the editor shows it. */
export interface RaciCurrent {
  value: string | null;
  version: number;
  updatedByLabel: string | null;
  updatedAt: Date | null;
}

/** Someone else changed the cell or row since the editor loaded it: a 409 with what is there now. */
export function changedMeanwhile(current: RaciCurrent) {
  return new ConflictError<RaciCurrent>(
    `Someone else changed this meanwhile (now “${current.value ?? "empty"}”). Reload to see the latest version; your change was not saved.`,
    current,
  );
}

export async function matrixRow(db: DB, programId: string) {
  return db
    .selectFrom("raci_matrices")
    .select(["id", "program_id as programId", "overload_share as overloadShare", "revision"])
    .where("program_id", "=", programId)
    .executeTakeFirst();
}

export async function requireMatrix(db: DB, programId: string) {
  const matrix = await matrixRow(db, programId);
  if (!matrix) throw new NotFoundError("This program has no RACI matrix.");
  return matrix;
}

type ChangeKind = "cell" | "activity.add" | "activity.update" | "activity.remove" | "role.add" | "role.update" | "role.remove";

export interface MatrixChange {
  kind: ChangeKind;
  activityId?: string | null;
  roleId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Bumps the matrix revision and appends the changes, all in the caller's transaction. */
export async function logChanges(trx: DB, actor: Actor, matrixId: string, changes: MatrixChange[]): Promise<number> {
  if (changes.length === 1) {
    // One change (a cell edit from the grid): bump and append in one statement. Every edit of
    // the matrix waits for the revision's row lock, so the fewer round trips hold it, the
    // shorter the queue when several people edit at once.
    const [c] = changes;
    const { rows } = await sql<{ revision: number }>`
      with rev as (update raci_matrices set revision = revision + 1, updated_at = now() where id = ${matrixId} returning revision)
      insert into raci_changes (matrix_id, revision, actor_id, actor_label, kind, activity_id, role_id, before, after)
      select ${matrixId}, rev.revision, ${actor.id}, ${actor.name}, ${c.kind}, ${c.activityId ?? null}, ${c.roleId ?? null},
        ${c.before === undefined ? null : JSON.stringify(c.before)}::jsonb, ${c.after === undefined ? null : JSON.stringify(c.after)}::jsonb
      from rev
      returning revision`.execute(trx);
    if (!rows[0]) throw new NotFoundError("This program has no RACI matrix.");
    return rows[0].revision;
  }
  const { revision } = await trx
    .updateTable("raci_matrices")
    .set((eb) => ({ revision: eb("revision", "+", 1), updated_at: new Date() }))
    .where("id", "=", matrixId)
    .returning("revision")
    .executeTakeFirstOrThrow();
  if (changes.length > 0) {
    // Chunked so a large import stays under the bind-parameter limit.
    for (let i = 0; i < changes.length; i += 1000) {
      await trx
        .insertInto("raci_changes")
        .values(
          changes.slice(i, i + 1000).map((c) => ({
            matrix_id: matrixId,
            revision,
            actor_id: actor.id,
            actor_label: actor.name,
            kind: c.kind,
            activity_id: c.activityId ?? null,
            role_id: c.roleId ?? null,
            before: c.before === undefined ? null : JSON.stringify(c.before),
            after: c.after === undefined ? null : JSON.stringify(c.after),
          })),
        )
        .execute();
    }
  }
  return revision;
}
