import type { Params } from "@remix-run/react";
import { programAndSwitcher, type Program } from "~/models/program.server";
import { requirePermission, type CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import type { Permission } from "./permissions";

/**
 * The program named in the URL, checked for the user's permission; 404 when it does not exist.
 * `dataVersion` keys cached reads of the program's data (see ~/utils/read-cache.server).
 */
export async function requireProgram(
  request: Request,
  params: Params,
  permission: Permission = "programs:read",
): Promise<{ user: CurrentUser; program: Program; dataVersion: string }> {
  const user = await requirePermission(request, permission);
  const id = params.programId ?? "";
  const { current: program, dataVersion } = await programAndSwitcher(getDb(), id);
  if (!program) throw new Response("This program does not exist (or no longer exists).", { status: 404 });
  return { user, program, dataVersion: `${program.id}@${dataVersion}` };
}
