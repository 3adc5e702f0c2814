import type { Params } from "@remix-run/react";
import { loadOkrViewer, type OkrViewer } from "~/models/cycles/access.server";
import type { Program } from "~/models/programs/programs.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import type { Permission } from "./permissions";
import { requireProgram } from "./program-access.server";

/** The program of the URL, checked for `permission`, and the user as an OKR viewer (their person record). */
export async function requireCycles(
  request: Request,
  params: Params,
  permission: Permission = "cycles:read",
): Promise<{ user: CurrentUser; program: Program; viewer: OkrViewer }> {
  const { user, program } = await requireProgram(request, params, permission);
  return { user, program, viewer: await loadOkrViewer(getDb(), user) };
}
