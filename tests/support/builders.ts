// Small data builders for tests. They go through the real model functions (like the demo seed),
// so the rows, hashes and audit entries are the ones the app itself would produce.
import { randomBytes } from "node:crypto";
import type { Role } from "../../db/schema";
import type { Actor } from "~/models/audit/audit.server";
import { createProgram, type Program } from "~/models/programs/programs.server";
import { createUser, type PublicUser } from "~/models/accounts/users.server";
import type { DB } from "~/utils/db.server";
import type { ProgramInput } from "~/validation/program";

export const TEST_PASSWORD = "correct-horse-battery";

const unique = () => randomBytes(4).toString("hex");

export interface TestUserOptions {
  role?: Role;
  name?: string;
  email?: string;
  password?: string;
  /** Who creates the account (null: the account creates itself, as at setup). */
  actor?: Actor | null;
}

/** A new account with a unique email; returns it with its plain password for logging in. */
export async function createTestUser(db: DB, options: TestUserOptions = {}): Promise<PublicUser & { password: string }> {
  const role = options.role ?? "plo";
  const id = unique();
  const password = options.password ?? TEST_PASSWORD;
  const user = await createUser(db, options.actor ?? null, {
    name: options.name ?? `Test ${role} ${id}`,
    email: options.email ?? `${role}-${id}@example.com`,
    password,
    role,
  });
  return { ...user, password };
}

/** A new program (planned, no dates unless given) created by `actor`. */
export async function createTestProgram(db: DB, actor: Actor, input: Partial<ProgramInput> = {}): Promise<Program> {
  return createProgram(db, actor, {
    name: `Program ${unique()}`,
    description: "",
    startsOn: null,
    endsOn: null,
    status: "planned",
    ...input,
  });
}
