import { data, type ActionFunctionArgs } from "@remix-run/node";
import { assignTeams, CoachingInputError, describeAssignment } from "~/models/coaching/coaches.server";
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
  try {
    const result = await assignTeams(getDb(), user, program.id, parsed.data);
    return redirectWithToast(request, `${url.pathname}${url.search}`, describeAssignment(result));
  } catch (error) {
    if (error instanceof CoachingInputError) return fail(error.errors, parsed.values);
    throw error;
  }
}
