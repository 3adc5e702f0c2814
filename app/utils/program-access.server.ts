import type { Params } from "@remix-run/react";
import { getProgramWithVersion, programAndSwitcher, type Program } from "~/models/programs/programs.server";
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
  // Pages read the program with the switcher's query, which the root layout shares; an action
  // (a POST renders no layout) needs only the program.
  const { current: program, dataVersion } =
    request.method === "GET" || request.method === "HEAD"
      ? await programAndSwitcher(getDb(), id)
      : await getProgramWithVersion(getDb(), id);
  if (!program) throw new Response("This program does not exist (or no longer exists).", { status: 404 });
  return { user, program, dataVersion: `${program.id}@${dataVersion}` };
}
