import { randomBytes } from "node:crypto";
import { inTransaction, type DB } from "~/utils/db.server";
import { createUser, type NewUserInput, type PublicUser } from "~/models/accounts/users.server";
import { ConflictError } from "~/models/errors";

/** Creates the installation row (with its random secret) if this database has none yet. */
export async function ensureInstallation(db: DB): Promise<string> {
  await db
    .insertInto("installation")
    .values({ id: 1, secret: randomBytes(32).toString("base64url") })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const row = await db.selectFrom("installation").select("secret").where("id", "=", 1).executeTakeFirstOrThrow();
  return row.secret;
}

export async function isSetupComplete(db: DB): Promise<boolean> {
  const row = await db.selectFrom("installation").select("setup_completed_at").where("id", "=", 1).executeTakeFirst();
  return Boolean(row?.setup_completed_at);
}

/** Creates the first administrator. Works exactly once per database, even under a race. */
export async function completeSetup(db: DB, admin: Omit<NewUserInput, "role">): Promise<PublicUser> {
  await ensureInstallation(db);
  return inTransaction(db, async (trx) => {
    const claimed = await trx
      .updateTable("installation")
      .set({ setup_completed_at: new Date() })
      .where("id", "=", 1)
      .where("setup_completed_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!claimed) throw new ConflictError("This installation is already set up.");
    return createUser(trx, null, { ...admin, role: "admin" });
  });
}
