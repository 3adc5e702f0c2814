import { sql } from "kysely";
import { ROLES, type Role, type User } from "../../../db/schema";
import { assertAcceptablePassword } from "~/models/accounts/password-policy.server";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { likePattern, type ListParams, type ListSpec, type Page } from "~/utils/list-params";
import { fetchPage } from "~/utils/paging.server";
import { hashPassword } from "~/utils/password.server";
import { FieldError } from "~/models/errors";

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "active" | "created_at" | "last_login_at">;

const publicColumns = ["id", "email", "name", "role", "active", "created_at", "last_login_at"] as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: DB, email: string): Promise<User | undefined> {
  return db
    .selectFrom("users")
    .selectAll()
    .where(sql`lower(email)`, "=", normalizeEmail(email))
    .executeTakeFirst();
}

export async function getUser(db: DB, id: string): Promise<PublicUser | undefined> {
  return db.selectFrom("users").select(publicColumns).where("id", "=", id).executeTakeFirst();
}

export const USER_SORTS = ["name", "email", "role", "active", "last_login_at"] as const;

export type UserSort = (typeof USER_SORTS)[number];

/** The users list (server-paged like every list, ~/utils/list-params): search, role and status filters. */
export const USER_LIST_SPEC: ListSpec<UserSort> = { sorts: USER_SORTS, defaultSort: "name", filters: ["role", "status"] };

/** "active" or "deactivated" (anything else: every account). */
export const USER_STATUSES = ["active", "deactivated"] as const;

function filteredUsers(db: DB, params: ListParams<UserSort>) {
  let query = db.selectFrom("users").select(publicColumns);
  if (params.q) {
    const like = likePattern(params.q);
    query = query.where((eb) => eb.or([eb("name", "ilike", like), eb("email", "ilike", like)]));
  }
  const role = params.filters.role;
  if (role && (ROLES as readonly string[]).includes(role)) query = query.where("role", "=", role as Role);
  if (params.filters.status === "active") query = query.where("active", "=", true);
  if (params.filters.status === "deactivated") query = query.where("active", "=", false);
  const dir = sql.raw(params.dir);
  switch (params.sort) {
    case "email":
      query = query.orderBy(sql`lower(email) ${dir}`);
      break;
    case "role":
      query = query.orderBy(sql`role ${dir}`).orderBy(sql`lower(name)`);
      break;
    case "active":
      query = query.orderBy(sql`active ${sql.raw(params.dir === "asc" ? "desc" : "asc")}`).orderBy(sql`lower(name)`);
      break;
    case "last_login_at":
      query = query.orderBy(sql`last_login_at ${dir} nulls ${sql.raw(params.dir === "asc" ? "first" : "last")}`).orderBy(sql`lower(name)`);
      break;
    default:
      query = query.orderBy(sql`lower(name) ${dir}`);
  }
  return query.orderBy("id");
}

/** One page of accounts matching the list's search and filters, and how many match (two queries). */
export async function listUsers(db: DB, params: ListParams<UserSort>): Promise<Page<PublicUser>> {
  return fetchPage(filteredUsers(db, params), params);
}

/** Every account matching the list's search and filters (the CSV export). */
export async function listAllUsers(db: DB, params: ListParams<UserSort>): Promise<PublicUser[]> {
  return filteredUsers(db, params).execute();
}

async function emailTaken(db: DB, email: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(email)`, "=", normalizeEmail(email));
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export interface NewUserInput {
  name: string;
  email: string;
  password: string;
  role: Role;
}

/** Creates an account. A common or guessable password, or one made of the name or email, is a FieldError on `password`. */
export async function createUser(db: DB, actor: Actor | null, input: NewUserInput): Promise<PublicUser> {
  assertAcceptablePassword(input.password, { name: input.name, email: input.email });
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    if (await emailTaken(trx, input.email)) throw FieldError.on("email", "An account with this email already exists.");
    const user = await trx
      .insertInto("users")
      .values({
        id: crypto.randomUUID(),
        email: normalizeEmail(input.email),
        name: input.name.trim(),
        password_hash: passwordHash,
        role: input.role,
      })
      .returning(publicColumns)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: actor ?? { id: user.id, name: user.name },
      action: "user.created",
      entityType: "user",
      entityId: user.id,
      summary: `Created account ${user.email} (${user.role})`,
      details: { email: user.email, name: user.name, role: user.role },
    });
    return user;
  });
}

export interface UserChanges {
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

/** Updates an account. Returns whether the role or activity changed (then its sessions end). */
export const SELF_DEACTIVATION_MESSAGE = "You cannot deactivate your own account.";
export const LAST_ADMIN_MESSAGE = "This is the last active administrator; make someone else an administrator first.";

/**
 * Saves an account. Refused (FieldError) for an email in use, for deactivating one's own account,
 * and for taking away the last active administrator: checked inside the write's transaction with
 * the administrators' rows locked, so two admins demoting each other at once cannot both succeed.
 */
export async function updateUser(db: DB, actor: Actor, id: string, changes: UserChanges) {
  return inTransaction(db, async (trx) => {
    // Lock the active administrators first (always in the same order), then the row itself.
    const admins = await trx
      .selectFrom("users")
      .select("id")
      .where("role", "=", "admin")
      .where("active", "=", true)
      .orderBy("id")
      .forUpdate()
      .execute();
    const before = await trx.selectFrom("users").select(publicColumns).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) return null;
    if (id === actor.id && !changes.active) throw FieldError.on("active", SELF_DEACTIVATION_MESSAGE);
    const losesAdmin = before.role === "admin" && before.active && (changes.role !== "admin" || !changes.active);
    if (losesAdmin && !admins.some((a) => a.id !== id)) throw FieldError.on("role", LAST_ADMIN_MESSAGE);
    if (await emailTaken(trx, changes.email, id)) throw FieldError.on("email", "An account with this email already exists.");
    const after = await trx
      .updateTable("users")
      .set({
        name: changes.name.trim(),
        email: normalizeEmail(changes.email),
        role: changes.role,
        active: changes.active,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returning(publicColumns)
      .executeTakeFirstOrThrow();
    const changed = (["name", "email", "role", "active"] as const).filter((k) => before[k] !== after[k]);
    if (changed.length > 0) {
      await recordAudit(trx, {
        actor,
        action: "user.updated",
        entityType: "user",
        entityId: id,
        summary: `Updated account ${after.email}: ${changed.join(", ")}`,
        details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
      });
    }
    const endSessions = before.role !== after.role || (before.active && !after.active);
    if (endSessions) await trx.deleteFrom("auth_sessions").where("user_id", "=", id).execute();
    return { user: after, sessionsEnded: endSessions };
  });
}

/**
 * Sets a new password and ends the user's sessions, except `keepSessionId` (the session of a
 * user changing their own password stays signed in). The password is refused (FieldError on
 * `password`) when common, guessable, or made of the user's name or email.
 */
export async function setPassword(db: DB, actor: Actor, userId: string, password: string, keepSessionId?: string): Promise<void> {
  const owner = await db.selectFrom("users").select(["name", "email"]).where("id", "=", userId).executeTakeFirst();
  if (!owner) return;
  assertAcceptablePassword(password, owner);
  const passwordHash = await hashPassword(password);
  await inTransaction(db, async (trx) => {
    const user = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where("id", "=", userId)
      .returning(["email"])
      .executeTakeFirst();
    if (!user) return;
    let sessions = trx.deleteFrom("auth_sessions").where("user_id", "=", userId);
    if (keepSessionId) sessions = sessions.where("id", "!=", keepSessionId);
    await sessions.execute();
    const own = actor.id === userId;
    await recordAudit(trx, {
      actor,
      action: own ? "user.password_changed" : "user.password_reset",
      entityType: "user",
      entityId: userId,
      summary: own ? `Changed own password` : `Reset the password of ${user.email}`,
    });
  });
}

export async function countActiveAdmins(db: DB, exceptId?: string): Promise<number> {
  let q = db
    .selectFrom("users")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("role", "=", "admin")
    .where("active", "=", true);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirstOrThrow()).n;
}
