import { data, type ActionFunctionArgs } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import { loadViewer } from "~/models/coaching/viewer.server";
import type { Permission } from "./permissions";
import { assignTeams, describeAssignment } from "~/models/coaching/coaches.server";
import { attempt } from "./action.server";
import { certificationWarning } from "~/models/enablement/certification.server";
import { getDb } from "./db.server";
import { parseForm, type FormFailure } from "./forms";
import { requireProgram } from "./program-access.server";
import { redirectWithToast } from "./toast.server";
import { assignSchema } from "~/validation/coaching";

export type AssignActionResult = FormFailure & { intent: string };

/**
 * The bulk "assign the selected teams to a coach" form, posted from the assignment list and from
 * the coverage board alike: back to the same list (filters kept) with a toast, or a 400 with
 * field messages and the typed values (the team checkboxes keep their own state).
 */
export async function assignTeamsAction({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "coaching:manage");
  const url = new URL(request.url);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) => {
    const { teamId: _teamId, ...kept } = values;
    return data<AssignActionResult>({ intent, errors, values: kept }, { status: 400 });
  };
  if (intent !== "assign") return fail({ _form: "Unknown action." });
  const parsed = parseForm(assignSchema, formData);
  if (!parsed.ok) return fail(parsed.errors, parsed.values);
  const { teamId: _teamIds, ...kept } = parsed.values;
  return attempt(
    kept,
    async () => {
      const result = await assignTeams(getDb(), user, program.id, parsed.data);
      // Enablement (issue 15): warn when the wave of these teams requires certified coaches.
      const warning = await certificationWarning(getDb(), program.id, parsed.data.coachId, parsed.data.teamId, parsed.data.startsOn);
      return redirectWithToast(
        request,
        `${url.pathname}${url.search}`,
        `${describeAssignment(result)}${warning ? ` Warning: ${warning}` : ""}`,
      );
    },
    { intent },
  );
}

/**
 * The program of the URL, the user (with the permission checked: 403 otherwise) and the user as
 * a coaching viewer of that program (one more query: their coach row).
 */
export async function requireCoachingViewer(request: Request, params: Params, permission: Permission) {
  const { user, program } = await requireProgram(request, params, permission);
  const viewer = await loadViewer(getDb(), user, program.id);
  return { user, program, viewer };
}
