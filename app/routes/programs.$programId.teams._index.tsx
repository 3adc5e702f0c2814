import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { UnitFilter, WaveFilter } from "~/components/data-table/list-filters";
import { StatusBadge } from "~/components/plan/readiness";
import { AddUnitForm, BULK_FORM_ID, bulkPreviewText, TeamBulkBar } from "~/components/plan/team-bulk-bar";
import { FormError } from "~/components/ui/field";
import { listUnitOptions } from "~/models/org/org.server";
import {
  assignWave,
  listProgramTeams,
  previewAssign,
  setStatus,
  undoableBulkChange,
  undoBulkChange,
  type BulkPreview,
  type ProgramTeamRow,
  type TeamTarget,
} from "~/models/plan/program-teams.server";
import { listWaves } from "~/models/plan/waves.server";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm, type FormFailure } from "~/utils/forms";
import { parseListParams, listSearch } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { cachedRead } from "~/utils/read-cache.server";
import { redirectWithToast } from "~/utils/toast.server";
import { assignSchema, assignUnitSchema, ONBOARDING_STATUS_LABELS, statusSchema, PROGRAM_TEAM_LIST_SPEC } from "~/validation/plan";
import { ONBOARDING_STATUSES } from "../../db/schema";
import { domainFailure } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params, "plan:read");
  const db = getDb();
  const list = parseListParams(new URL(request.url).searchParams, PROGRAM_TEAM_LIST_SPEC);
  const canWrite = can(user.role, "plan:write");
  const [page, waves, units] = await cachedRead(`teams|${dataVersion}|${JSON.stringify(list)}`, () =>
    Promise.all([listProgramTeams(db, program.id, list), listWaves(db, program.id), listUnitOptions(db)]),
  );
  // After a bulk change, its "Undo" (`?bulk=<audit event>`): one's own change, within the window.
  const bulkId = Number(new URL(request.url).searchParams.get("bulk") ?? "");
  const undo = canWrite && Number.isSafeInteger(bulkId) && bulkId > 0 ? await undoableBulkChange(db, user, program.id, bulkId) : null;
  return {
    program: { id: program.id, name: program.name },
    undo,
    page,
    params: list,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units,
    canWrite,
    today: dates.today(),
  };
}

type ActionResult = FormFailure & { intent: string };

/** A wave assignment that moves teams under way out of their wave: what it would do, to confirm. */
interface ConfirmAssign {
  intent: "confirm-assign";
  preview: BulkPreview;
  waveId: string;
  waveName: string | null;
  teamIds: string[];
  allMatching: boolean;
}

const teamsWord = (n: number) => `${n.toLocaleString("en")} team${n === 1 ? "" : "s"}`;

/** The list's address with (or without) the `bulk` parameter that offers "Undo". */
function withUndo(back: string, auditId: number | null): string {
  const url = new URL(back, "http://x");
  url.searchParams.delete("bulk");
  if (auditId !== null) url.searchParams.set("bulk", String(auditId));
  return `${url.pathname}${url.search}`;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const url = new URL(request.url);
  // "All matching" means the filters of the page the form was posted from (its query string).
  const list = parseListParams(url.searchParams, PROGRAM_TEAM_LIST_SPEC);
  const matching = { q: list.q, ...list.filters };
  const back = `${url.pathname}${url.search}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  const waveNames = async () => new Map((await listWaves(db, program.id)).map((w) => [w.id, w.name]));

  try {
    switch (intent) {
      case "assign": {
        const parsed = parseForm(assignSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const target: TeamTarget = parsed.data.allMatching ? { matching } : { teamIds: parsed.data.teamId };
        const waveId = parsed.data.waveId === "none" ? null : parsed.data.waveId;
        const name = waveId ? ((await waveNames()).get(waveId) ?? null) : null;
        // Moving teams under way out of their wave asks first (a plain form: works without JavaScript).
        if (formData.get("confirmed") !== "yes") {
          const preview = await previewAssign(db, program.id, target, waveId);
          if (preview.leaving > 0) {
            return data<ConfirmAssign>({
              intent: "confirm-assign",
              preview,
              waveId: parsed.data.waveId,
              waveName: name,
              teamIds: parsed.data.allMatching ? [] : parsed.data.teamId,
              allMatching: parsed.data.allMatching,
            });
          }
        }
        const result = await assignWave(db, user, program.id, target, waveId);
        const already = result.matched - result.changed;
        const done = waveId
          ? `Assigned ${teamsWord(result.changed)} to “${name}”.`
          : `Took ${teamsWord(result.changed)} out of their wave.`;
        const note = already > 0 ? ` ${teamsWord(already)} ${already === 1 ? "was" : "were"} there already.` : "";
        return redirectWithToast(
          request,
          withUndo(back, result.auditId),
          result.matched === 0 ? "No team matches these filters: nothing changed." : done + note,
        );
      }
      case "undo": {
        const auditId = Number(formData.get("auditId"));
        if (!Number.isSafeInteger(auditId) || auditId <= 0) return fail({ _form: "This change cannot be undone." });
        const undone = await undoBulkChange(db, user, program.id, auditId);
        return redirectWithToast(request, withUndo(back, null), `${undone.summary}.`);
      }
      case "status": {
        const parsed = parseForm(statusSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const target: TeamTarget = parsed.data.allMatching ? { matching } : { teamIds: parsed.data.teamId };
        const changedOn = parsed.data.changedOn ?? dates.today();
        const result = await setStatus(db, user, program.id, target, parsed.data.status, changedOn);
        const already = result.matched - result.changed;
        const done = `Set ${teamsWord(result.changed)} to “${ONBOARDING_STATUS_LABELS[parsed.data.status]}” as of ${dates.formatDate(changedOn)}.`;
        const note = already > 0 ? ` ${teamsWord(already)} had that status already.` : "";
        return redirectWithToast(
          request,
          withUndo(back, result.auditId),
          result.matched === 0 ? "No team matches these filters: nothing changed." : done + note,
        );
      }
      case "assign-unit": {
        const parsed = parseForm(assignUnitSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const waveId = parsed.data.waveId === "none" ? null : parsed.data.waveId;
        const result = await assignWave(db, user, program.id, { unitIds: [parsed.data.unitId] }, waveId);
        const name = waveId ? (await waveNames()).get(waveId) : null;
        const message =
          result.matched === 0
            ? "This unit (with its sub-units) has no active teams: nothing changed."
            : waveId
              ? `Assigned ${teamsWord(result.changed)} of the unit to “${name}”.${result.matched > result.changed ? ` ${teamsWord(result.matched - result.changed)} were there already.` : ""}`
              : `Took ${teamsWord(result.changed)} of the unit out of their wave.`;
        return redirectWithToast(request, back, message);
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    const { teamId: _teamIds, ...values } = formValues(formData);
    return domainFailure(error, values, { intent });
  }
}

export default function ProgramTeams() {
  const { program, page, params, waves, units, canWrite, today, undo } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const location = useLocation();
  const confirm = answer && answer.intent === "confirm-assign" && "preview" in answer ? answer : null;
  const result = answer && "errors" in answer ? answer : null;
  const bulkErrors = result && (result.intent === "assign" || result.intent === "status") ? result.errors : {};
  const unitErrors = result?.intent === "assign-unit" ? result.errors : {};
  const otherError = result && !["assign", "status", "assign-unit"].includes(result.intent) ? result.errors._form : undefined;
  const csvHref = `/programs/${program.id}/teams.csv${listSearch(params, { page: 1 })}`;

  const columns: ServerColumn<ProgramTeamRow>[] = [
    {
      id: "team",
      accessorKey: "name",
      header: "Team",
      cell: (info) => <a href={`/programs/${program.id}/teams/${info.row.original.id}`}>{info.row.original.name}</a>,
    },
    { id: "unit", accessorKey: "unitName", header: "Unit" },
    {
      id: "lead",
      accessorKey: "leadName",
      header: "Lead",
      enableSorting: false,
      cell: (info) => info.row.original.leadName ?? <span className="muted">No lead</span>,
    },
    {
      id: "wave",
      accessorKey: "waveName",
      header: "Wave",
      cell: (info) =>
        info.row.original.waveId ? (
          <a href={`/programs/${program.id}/waves/${info.row.original.waveId}`}>{info.row.original.waveName}</a>
        ) : (
          <span className="muted">No wave</span>
        ),
    },
    { id: "status", accessorKey: "status", header: "Status", cell: (info) => <StatusBadge status={info.row.original.status} /> },
    {
      id: "changed",
      accessorKey: "statusChangedOn",
      header: "Since",
      cell: (info) => dates.formatDate(info.row.original.statusChangedOn) ?? <span className="muted">—</span>,
    },
  ];

  const filters = (
    <>
      <WaveFilter waves={waves} value={params.filters.wave} />
      <label className="filter">
        <span className="visually-hidden">Status</span>
        <select name="status" defaultValue={params.filters.status ?? ""}>
          <option value="">All statuses</option>
          {ONBOARDING_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ONBOARDING_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <UnitFilter units={units} value={params.filters.unit} />
      <label className="filter">
        <span className="visually-hidden">Lead</span>
        <select name="lead" defaultValue={params.filters.lead ?? ""}>
          <option value="">Any lead</option>
          <option value="yes">Has a lead</option>
          <option value="no">No lead</option>
        </select>
      </label>
    </>
  );

  return (
    <>
      <div className="page-header">
        <h1>Teams in the plan</h1>
        <Link to={`/programs/${program.id}/waves`}>Waves →</Link>
      </div>
      <p className="lead">
        Every active team of the organization, with its wave and onboarding status in this program.
        {canWrite ? " Select teams (or apply to all teams matching the filters) to assign a wave or set a status." : ""}
      </p>
      <FormError error={otherError} />
      {undo ? (
        <Form
          method="post"
          action={location.pathname + location.search}
          className="homes-toast plan-undo"
          aria-label="Undo the last change"
        >
          <p role="status">{`${undo.summary}.`}</p>
          <input type="hidden" name="auditId" value={undo.id} />
          <button type="submit" name="intent" value="undo" className="button button--small">
            Undo
          </button>
        </Form>
      ) : null}
      {confirm ? (
        <section className="card plan-confirm" aria-labelledby="confirm-heading">
          <h2 id="confirm-heading">Move teams that are under way?</h2>
          <p role="alert">{bulkPreviewText(confirm.preview, confirm.waveName)}</p>
          <Form method="post" action={location.pathname + location.search}>
            <input type="hidden" name="waveId" value={confirm.waveId} />
            <input type="hidden" name="confirmed" value="yes" />
            {confirm.allMatching ? <input type="hidden" name="allMatching" value="on" /> : null}
            {confirm.teamIds.map((id: string) => (
              <input key={id} type="hidden" name="teamId" value={id} />
            ))}
            <button type="submit" name="intent" value="assign" className="button">
              {confirm.waveName
                ? `Move ${teamsWord(confirm.preview.changing)} to “${confirm.waveName}”`
                : `Take ${teamsWord(confirm.preview.changing)} out of their wave`}
            </button>{" "}
            <Link to={location.pathname + location.search} className="button button--secondary">
              Cancel
            </Link>
          </Form>
        </section>
      ) : null}
      <ServerTable
        caption="Teams in the plan"
        rows={page.rows}
        total={page.total}
        params={params}
        columns={columns}
        getRowId={(row) => row.id}
        csvHref={csvHref}
        filters={filters}
        searchLabel="Search teams, units, leads and waves"
        emptyMessage="The organization has no active teams yet. Import or add teams first."
        selection={canWrite ? { name: "teamId", formId: BULK_FORM_ID, label: (row) => row.name } : undefined}
        bulkActions={
          canWrite
            ? (selected) => (
                <TeamBulkBar
                  selectedCount={selected}
                  matchingCount={page.total}
                  waves={waves}
                  today={today}
                  errors={bulkErrors}
                  values={result && (result.intent === "assign" || result.intent === "status") ? result.values : {}}
                />
              )
            : undefined
        }
      />
      {canWrite ? (
        <section className="card narrow">
          <h2>Add a whole unit to a wave</h2>
          <p className="muted">Every active team of the unit and of all units below it joins the wave.</p>
          <AddUnitForm units={units} waves={waves} errors={unitErrors} values={result?.intent === "assign-unit" ? result.values : {}} />
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Teams in the plan · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
