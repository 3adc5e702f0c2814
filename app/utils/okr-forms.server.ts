import type { OkrViewer } from "~/models/cycles/access.server";
import {
  addComment,
  changeObjectiveState,
  createKeyResult,
  deleteKeyResult,
  deleteObjective,
  resolveComment,
  updateKeyResult,
  updateObjective,
} from "~/models/cycles/okrs.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { parseForm, unconfirmed } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { withOpenForm } from "~/utils/open-form";
import {
  commentSchema,
  idSchema,
  keyResultEditSchema,
  keyResultSchema,
  objectiveEditSchema,
  objectiveStateSchema,
  OBJECTIVE_STATE_LABELS,
} from "~/validation/cycles";

// The forms every OKR page shares (objective edit/state/delete, key results, comments), answered
// the same way on a team's page and on the company and unit objectives page. Back to `here` with
// a toast, or a failure with the intent (and the values, whose id says which form failed).

export async function okrIntent(
  intent: string,
  formData: FormData,
  context: { request: Request; viewer: OkrViewer; programId: string; here: string; today: string },
) {
  const { request, viewer, programId, here, today } = context;
  const db = getDb();
  const program = { id: programId };
  const done = (message: string) => redirectWithToast(request, here, message);
  const run = (values: Record<string, string>, fn: () => Promise<Response>) => attempt(values, fn, { intent });
  switch (intent) {
    case "save-objective": {
      const parsed = parseForm(objectiveEditSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        await updateObjective(db, viewer, program.id, String(formData.get("id") ?? ""), parsed.data, today);
        return done(`Objective “${parsed.data.title}” saved.`);
      });
    }
    case "objective-state": {
      const parsed = parseForm(objectiveStateSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        const { title } = await changeObjectiveState(
          db,
          viewer,
          program.id,
          String(formData.get("id") ?? ""),
          parsed.data.state,
          parsed.data.version,
          today,
        );
        return done(`“${title}” is now ${OBJECTIVE_STATE_LABELS[parsed.data.state].toLowerCase()}.`);
      });
    }
    case "delete-objective": {
      const unticked = unconfirmed(formData);
      const values = { id: String(formData.get("id") ?? "") };
      if (unticked) return failure(unticked, values, 400, { intent });
      return run(values, async () => {
        const { title } = await deleteObjective(db, viewer, program.id, values.id, today);
        return done(`Objective “${title}” deleted.`);
      });
    }
    case "add-kr": {
      const parsed = parseForm(keyResultSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        const objectiveId = String(formData.get("objectiveId") ?? "");
        await createKeyResult(db, viewer, program.id, objectiveId, parsed.data, today);
        // The form stays open for the next key result, as a set is drafted several at a time.
        return redirectWithToast(request, withOpenForm(here, `add-kr:${objectiveId}`), `Key result “${parsed.data.title}” added.`);
      });
    }
    case "save-kr": {
      const parsed = parseForm(keyResultEditSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        await updateKeyResult(db, viewer, program.id, String(formData.get("id") ?? ""), parsed.data, today);
        return done(`Key result “${parsed.data.title}” saved.`);
      });
    }
    case "delete-kr": {
      const parsed = parseForm(idSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        const { title } = await deleteKeyResult(db, viewer, program.id, parsed.data.id, today);
        return done(`Key result “${title}” deleted.`);
      });
    }
    case "comment": {
      const parsed = parseForm(commentSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        await addComment(db, viewer, program.id, parsed.data, today);
        return done("Comment added.");
      });
    }
    case "resolve": {
      const parsed = parseForm(idSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        await resolveComment(db, viewer, program.id, parsed.data.id, today);
        return done("Comment resolved.");
      });
    }
    default:
      return unknownIntent(intent);
  }
}
