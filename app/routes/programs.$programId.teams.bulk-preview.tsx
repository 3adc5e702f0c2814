import type { LoaderFunctionArgs } from "@remix-run/node";
import { bulkPreviewText } from "~/components/plan/team-bulk-bar";
import { previewAssign, previewStatus, type TeamTarget } from "~/models/plan/program-teams.server";
import { listWaves } from "~/models/plan/waves.server";
import { isDomainError } from "~/models/errors";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { assignSchema, ONBOARDING_STATUS_LABELS, PROGRAM_TEAM_LIST_SPEC, statusSchema } from "~/validation/plan";

// What the team list's bulk bar would do, asked while the PLO chooses (before any submit): the
// bar shows "29 teams: 10 already in this wave are skipped, 9 teams under way would leave their
// current wave" as the wave or status is picked. Read only; the action re-counts on submit.
// Without JavaScript the action's confirmation step says the same.

export interface BulkPreviewAnswer {
  assign: string | null;
  status: string | null;
}

/** The query string as form data, so the bar's own schemas (and their limits) apply. */
function asFormData(search: URLSearchParams): FormData {
  const form = new FormData();
  for (const [key, value] of search) form.append(key, value);
  return form;
}

export async function loader({ request, params }: LoaderFunctionArgs): Promise<Response> {
  const { program } = await requireProgram(request, params, "plan:write");
  const db = getDb();
  const search = new URL(request.url).searchParams;
  const list = parseListParams(search, PROGRAM_TEAM_LIST_SPEC);
  const form = asFormData(search);
  const target = (allMatching: boolean, teamIds: string[]): TeamTarget =>
    allMatching ? { matching: { q: list.q, ...list.filters } } : { teamIds };
  const answer: BulkPreviewAnswer = { assign: null, status: null };
  try {
    await fill(answer);
  } catch (error) {
    // A wave that is gone, a team of another program: no preview; submitting says why.
    if (!isDomainError(error)) throw error;
  }
  // A Response, not a bare object: a resource route fetched by the bar (no Remix warning per call).
  return Response.json(answer);

  async function fill(answer: BulkPreviewAnswer): Promise<void> {
    const assign = search.get("waveId") ? parseForm(assignSchema, form) : null;
    if (assign?.ok) {
      const waveId = assign.data.waveId === "none" ? null : assign.data.waveId;
      const [preview, waves] = await Promise.all([
        previewAssign(db, program.id, target(assign.data.allMatching, assign.data.teamId), waveId),
        listWaves(db, program.id),
      ]);
      const name = waveId ? (waves.find((w) => w.id === waveId)?.name ?? null) : null;
      answer.assign = `${name ? `Assign to “${name}”` : "Take out of their wave"}: ${bulkPreviewText(preview, name)}`;
    }
    const status = search.get("status") ? parseForm(statusSchema, form) : null;
    if (status?.ok) {
      const preview = await previewStatus(db, program.id, target(status.data.allMatching, status.data.teamId), status.data.status);
      answer.status = `Set to “${ONBOARDING_STATUS_LABELS[status.data.status]}”: ${bulkPreviewText(preview, null, "status")}`;
    }
  }
}
