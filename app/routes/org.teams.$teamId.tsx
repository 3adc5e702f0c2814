import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { ArchiveCard } from "~/components/org/archive-card";
import { TeamForm } from "~/components/org/org-forms";
import { ImportHistory } from "~/components/org/import-history";
import { OrgStatus } from "~/components/org/org-status";
import { archiveTeam, getTeamDetail, restoreTeam, unitOptions, updateTeam, type TeamDetail } from "~/models/org/org.server";
import { importHistory } from "~/models/org/import-history.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { redirectWithToast } from "~/utils/toast.server";
import { archiveTeamSchema, teamSchema } from "~/validation/org";
import { domainFailure } from "~/utils/action.server";

async function loadTeam(teamId: string | undefined) {
  const detail = teamId ? await getTeamDetail(getDb(), teamId) : null;
  if (!detail) throw new Response("This team does not exist.", { status: 404 });
  return detail;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  const { team, members, archivedMembers, index } = await loadTeam(params.teamId);
  return {
    team,
    members,
    archivedMembers,
    unitOptions: unitOptions(index, { keep: team.unitId }),
    canWrite: can(user.role, "org:write"),
    history: await importHistory(getDb(), team.id),
  };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const { team } = await loadTeam(params.teamId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  switch (intent) {
    case "save": {
      const parsed = parseForm(teamSchema, formData);
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      try {
        await updateTeam(db, user, team.id, parsed.data);
        return redirectWithToast(request, `/org/teams/${team.id}`, `Team “${parsed.data.name}” saved.`);
      } catch (error) {
        return domainFailure(error, parsed.values, { intent });
      }
    }
    case "archive":
    case "restore": {
      const parsed = parseForm(archiveTeamSchema, formData);
      if (!parsed.ok) return fail(parsed.errors);
      try {
        if (intent === "restore") {
          await restoreTeam(db, user, team.id);
          return redirectWithToast(request, `/org/teams/${team.id}`, `Team “${team.name}” restored.`);
        }
        const result = await archiveTeam(db, user, team.id, { releaseMembers: parsed.data.releaseMembers });
        const released = result?.released ? ` Its ${result.released} member(s) stay in the unit, without a team.` : "";
        return redirectWithToast(request, `/org/teams/${team.id}`, `Team “${team.name}” archived.${released}`);
      } catch (error) {
        return domainFailure(error, {}, { intent });
      }
    }
    default:
      return fail({ _form: "Unknown action." });
  }
}

type Member = TeamDetail["members"][number];

const memberColumns: DataColumn<Member>[] = [
  {
    accessorKey: "name",
    header: "Name",
    cell: (info) => (
      <>
        <Link to={`/org/people/${info.row.original.id}`}>{info.row.original.name}</Link>
        {info.row.original.isLead ? <span className="pill org-lead-badge">Lead</span> : null}
      </>
    ),
  },
  { accessorKey: "email", header: "Email" },
  { accessorKey: "title", header: "Title" },
];

export default function TeamPage() {
  const { team, members, archivedMembers, unitOptions, canWrite, history } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saveErrors = failure?.intent === "save" ? failure.errors : {};
  const values =
    failure?.intent === "save"
      ? failure.values
      : {
          name: team.name,
          unitId: team.unitId,
          leadEmail: team.leadEmail ?? "",
          size: team.storedSize === null ? "" : String(team.storedSize),
        };
  const otherError = failure && failure.intent !== "save" ? (failure.errors._form ?? Object.values(failure.errors)[0]) : undefined;
  return (
    <>
      <p className="eyebrow">
        Team in <Link to={`/org/units/${team.unitId}`}>{team.unitPath}</Link>
      </p>
      <div className="page-header">
        <h1>{team.name}</h1>
        {canWrite && !team.archivedAt ? (
          <Link className="button button--secondary button--small" to={`/org/people/new?team=${team.id}`}>
            Add a person
          </Link>
        ) : null}
      </div>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <OrgStatus archivedAt={team.archivedAt} />
          </dd>
        </div>
        <div>
          <dt>Lead</dt>
          <dd>{team.leadId ? <Link to={`/org/people/${team.leadId}`}>{team.leadName}</Link> : "No lead"}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{team.size === null ? "—" : team.memberCount > 0 ? `${team.size} people` : `${team.size} (headcount; nobody assigned)`}</dd>
        </div>
      </dl>
      <ImportHistory entries={history} subject="The team" canOpenImports={canWrite} />
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <DataTable
          data={members}
          columns={memberColumns}
          caption={`Members of ${team.name}`}
          getRowId={(m) => m.id}
          csvFileName={`members-${team.name}`}
          toCsvRow={(m) => ({ Name: m.name, Email: m.email, Title: m.title, Lead: m.isLead ? "yes" : "" })}
          emptyMessage="Nobody is assigned to this team."
        />
        <p className="muted">
          {archivedMembers > 0 ? `${archivedMembers} archived member(s) are not shown. ` : null}
          <Link to={`/org/people?team=${team.id}&status=all`}>All members in the people list</Link>
        </p>
      </section>
      {canWrite ? (
        <>
          <section className="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Team details</h2>
            <TeamForm values={values} errors={saveErrors} unitOptions={unitOptions} submitLabel="Save team" />
          </section>
          <ArchiveCard
            noun="team"
            name={team.name}
            archived={team.archivedAt !== null}
            error={otherError}
            explanation={
              team.archivedAt
                ? "Restoring brings the team back into plans and pickers (its unit must be active)."
                : members.length > 0
                  ? `${members.length} people are members. Archiving is refused while the team has members, unless you take them out of the team; nothing is deleted and the team can be restored.`
                  : "Archiving takes the team out of plans and pickers. Nothing is deleted: its history stays and it can be restored."
            }
            option={
              !team.archivedAt && members.length > 0
                ? {
                    name: "releaseMembers",
                    label: `Take its ${members.length} member(s) out of the team`,
                    hint: "They stay in their unit, without a team.",
                  }
                : undefined
            }
          />
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? "Team"} · Organization · Rollout Desk` }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
