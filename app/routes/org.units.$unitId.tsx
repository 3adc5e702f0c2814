import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { ArchiveCard } from "~/components/org/archive-card";
import { UnitForm } from "~/components/org/org-forms";
import { OrgStatus } from "~/components/org/org-status";
import {
  archiveUnit,
  describeContents,
  getUnitDetail,
  restoreUnit,
  subtreeIds,
  unitOptions,
  updateUnit,
  type TeamListRow,
} from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { redirectWithToast } from "~/utils/toast.server";
import { archiveUnitSchema, restoreUnitSchema, unitSchema } from "~/validation/org";
import { domainFailure } from "~/utils/action.server";

async function loadUnit(unitId: string | undefined) {
  const detail = unitId ? await getUnitDetail(getDb(), unitId) : null;
  if (!detail) throw new Response("This unit does not exist.", { status: 404 });
  return detail;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  const { unit, parent, children, teams, contents, index } = await loadUnit(params.unitId);
  return {
    unit,
    parent,
    ancestors: unit.ancestorIds.map((id) => ({ id, name: index.byId.get(id)?.name ?? "" })),
    children,
    teams,
    contents,
    parentOptions: unitOptions(index, { keep: unit.parentId, exclude: subtreeIds(index, unit.id) }),
    canWrite: can(user.role, "org:write"),
  };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const { unit } = await loadUnit(params.unitId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  try {
    switch (intent) {
      case "save": {
        const parsed = parseForm(unitSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        try {
          const saved = await updateUnit(db, user, unit.id, parsed.data);
          return redirectWithToast(request, `/org/units/${unit.id}`, `Unit “${saved?.path ?? parsed.data.name}” saved.`);
        } catch (error) {
          return domainFailure(error, parsed.values, { intent });
        }
      }
      case "archive": {
        const parsed = parseForm(archiveUnitSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        const result = await archiveUnit(db, user, unit.id, { cascade: parsed.data.cascade });
        const what = result ? describeContents(result.archived).replaceAll("active ", "") : "";
        const leads = result?.leadsCleared ? ` ${result.leadsCleared} team(s) elsewhere lost their lead.` : "";
        return redirectWithToast(request, `/org/units/${unit.id}`, `Unit “${unit.name}” archived${what ? ` with ${what}` : ""}.${leads}`);
      }
      case "restore": {
        const parsed = parseForm(restoreUnitSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        const result = await restoreUnit(db, user, unit.id, { cascade: parsed.data.cascade });
        const what = result ? describeContents(result.restored).replaceAll("active ", "") : "";
        return redirectWithToast(request, `/org/units/${unit.id}`, `Unit “${unit.name}” restored${what ? ` with ${what}` : ""}.`);
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, {}, { intent });
  }
}

const teamColumns: DataColumn<TeamListRow>[] = [
  { accessorKey: "name", header: "Team", cell: (info) => <Link to={`/org/teams/${info.row.original.id}`}>{info.row.original.name}</Link> },
  {
    accessorFn: (t) => t.leadName ?? "",
    id: "lead",
    header: "Lead",
    cell: (info) => info.row.original.leadName ?? <span className="muted">No lead</span>,
  },
  { accessorFn: (t) => t.size ?? -1, id: "size", header: "Size", cell: (info) => info.row.original.size ?? "—" },
  {
    accessorFn: (t) => (t.archivedAt ? "Archived" : "Active"),
    id: "status",
    header: "Status",
    cell: (info) => <OrgStatus archivedAt={info.row.original.archivedAt} />,
  },
];

export default function UnitPage() {
  const { unit, ancestors, children, teams, contents, parentOptions, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saveErrors = failure?.intent === "save" ? failure.errors : {};
  const values = failure?.intent === "save" ? failure.values : { name: unit.name, parentId: unit.parentId ?? "" };
  const otherError = failure && failure.intent !== "save" ? (failure.errors._form ?? Object.values(failure.errors)[0]) : undefined;
  const busy = describeCounts(contents);
  return (
    <>
      <nav aria-label="Unit path" className="org-breadcrumbs">
        <ol>
          <li>
            <Link to="/org">Units</Link>
          </li>
          {ancestors.map((a) => (
            <li key={a.id}>
              <Link to={`/org/units/${a.id}`}>{a.name}</Link>
            </li>
          ))}
        </ol>
      </nav>
      <div className="page-header">
        <h1>{unit.name}</h1>
        <div className="org-actions">
          <Link to={`/org/teams?unit=${unit.id}`}>Teams</Link>
          <Link to={`/org/people?unit=${unit.id}`}>People</Link>
          {canWrite && !unit.archivedAt ? (
            <>
              <Link className="button button--secondary button--small" to={`/org/teams/new?unit=${unit.id}`}>
                New team here
              </Link>
              <Link className="button button--secondary button--small" to={`/org/units/new?parent=${unit.id}`}>
                New sub-unit
              </Link>
            </>
          ) : null}
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <OrgStatus archivedAt={unit.archivedAt} />
          </dd>
        </div>
        <div>
          <dt>Path</dt>
          <dd>{unit.path}</dd>
        </div>
        <div>
          <dt>Inside, sub-units included</dt>
          <dd>{busy || "Nothing active"}</dd>
        </div>
      </dl>
      <div className="grid-2">
        <section className="card" aria-labelledby="sub-units-heading">
          <h2 id="sub-units-heading">Sub-units</h2>
          {children.length === 0 ? (
            <p className="muted">No sub-units.</p>
          ) : (
            <ul>
              {children.map((c) => (
                <li key={c.id}>
                  <Link to={`/org/units/${c.id}`}>{c.name}</Link>
                  {c.archivedAt ? <span className="muted"> (archived)</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
        {canWrite ? (
          <section className="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Name and place</h2>
            <UnitForm values={values} errors={saveErrors} parentOptions={parentOptions} submitLabel="Save unit" />
          </section>
        ) : null}
      </div>
      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams directly in this unit</h2>
        <DataTable
          data={teams}
          columns={teamColumns}
          caption={`Teams in ${unit.name}`}
          getRowId={(t) => t.id}
          csvFileName={`teams-${unit.name}`}
          toCsvRow={(t) => ({
            Team: t.name,
            "Unit path": t.unitPath,
            "Team lead": t.leadName ?? "",
            "Team lead email": t.leadEmail ?? "",
            Size: t.size ?? "",
            Status: t.archivedAt ? "archived" : "active",
          })}
          emptyMessage="No teams directly in this unit."
        />
      </section>
      {canWrite ? (
        <ArchiveCard
          noun="unit"
          name={unit.name}
          archived={unit.archivedAt !== null}
          error={otherError}
          explanation={
            unit.archivedAt
              ? "Restoring makes the unit available again for teams, people and plans."
              : busy
                ? `This unit still has ${busy}. Archiving is refused unless you archive everything in it too; nothing is deleted and it can be restored.`
                : "Archiving hides the unit from plans and pickers. Nothing is deleted: its history stays and it can be restored."
          }
          option={
            unit.archivedAt
              ? {
                  name: "cascade",
                  label: "Also restore what was archived together with it",
                  hint: "Sub-units, teams and people archived at the same moment.",
                }
              : busy
                ? {
                    name: "cascade",
                    label: `Also archive everything in it (${busy})`,
                    hint: "Teams elsewhere led by people archived here lose their lead.",
                  }
                : undefined
          }
        />
      ) : null}
    </>
  );
}

function describeCounts(c: { subUnits: number; teams: number; people: number }): string {
  const parts: string[] = [];
  if (c.subUnits) parts.push(`${c.subUnits} active sub-unit${c.subUnits === 1 ? "" : "s"}`);
  if (c.teams) parts.push(`${c.teams} active team${c.teams === 1 ? "" : "s"}`);
  if (c.people) parts.push(`${c.people} active ${c.people === 1 ? "person" : "people"}`);
  return parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.unit.name ?? "Unit"} · Organization · Rollout Desk` }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
