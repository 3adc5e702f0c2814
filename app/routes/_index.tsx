import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isSetupComplete } from "~/models/accounts/installation.server";
import { listPrograms } from "~/models/programs/programs.server";
import { sponsorHomePath } from "~/models/reports/home.server";
import { getCurrentUser } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { lastProgramId } from "~/utils/program-cookie.server";

// The start page only routes: setup on an empty installation, login, else the user's home in their program
// (a sponsor's is the latest published report, or the live status while none is published).
export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  if (!(await isSetupComplete(db))) throw redirect("/setup");
  const user = await getCurrentUser(request);
  if (!user) throw redirect("/login");
  const programs = await listPrograms(db);
  const last = await lastProgramId(request);
  const target = programs.find((p) => p.id === last) ?? programs.find((p) => p.status === "active") ?? programs[0];
  if (!target) throw redirect("/programs");
  if (user.role === "sponsor") throw redirect(await sponsorHomePath(db, user, target.id));
  // Each role's home: a coach's is their teams (with a one-step session log); a team lead's and a
  // member's is their team (coach, checklist, what comes next, key results to check in on); the
  // PLO and the administrator start from the program overview.
  const home = user.role === "coach" ? "/my-teams" : user.role === "team_lead" || user.role === "member" ? "/my-team" : "";
  throw redirect(`/programs/${target.id}${home}`);
}
