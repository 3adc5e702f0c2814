import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChecklistMarks, checklistNextText } from "~/components/cycles/checklist-view";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { StatusBadge } from "~/components/plan/readiness";
import { currentChecklists } from "~/models/cycles/checklist.server";
import { getTeamPlace } from "~/models/plan/program-teams.server";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/plan.css" },
  { rel: "stylesheet", href: "/styles/checkins.css" },
];

// One team's place in the plan: its wave, the wave's dates and goal, and its onboarding history.
// Readers of the plan see any team; a team lead sees only the teams they lead.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "programs:read");
  const found = await getTeamPlace(getDb(), program.id, params.teamId ?? "");
  const readsPlan = can(user.role, "plan:read");
  if (!readsPlan && (!found || found.place.leadUserId === null || found.place.leadUserId !== user.id)) {
    throw new Response("You can see the place in the plan of the teams you lead only.", { status: 403, statusText: "Forbidden" });
  }
  if (!found) throw new Response("This team does not exist (or was archived).", { status: 404 });
  const { leadUserId: _leadUserId, ...place } = found.place;
  const { cycle, checklists } = await currentChecklists(getDb(), program.id, [place.teamId]);
  return {
    program: { id: program.id, name: program.name },
    place,
    history: found.history,
    readsPlan,
    cycle: cycle && checklists[0] ? { ...cycle, checklist: checklists[0] } : null,
    entersProgress: can(user.role, "checkins:write"),
  };
}

type Change = ReturnType<typeof useLoaderData<typeof loader>>["history"][number];

const columns: DataColumn<Change>[] = [
  { accessorKey: "changedOn", header: "Date", cell: (info) => formatDate(info.row.original.changedOn) },
  { id: "from", accessorFn: (c) => ONBOARDING_STATUS_LABELS[c.fromStatus], header: "From" },
  { id: "to", accessorFn: (c) => ONBOARDING_STATUS_LABELS[c.toStatus], header: "To" },
  { id: "by", accessorFn: (c) => c.changedByName ?? "", header: "Recorded by" },
];

export default function TeamPlacePage() {
  const { program, place, history, readsPlan, cycle, entersProgress } = useLoaderData<typeof loader>();
  const cycleBase = cycle ? `/programs/${program.id}/cycles/${cycle.id}/teams/${place.teamId}` : "";
  return (
    <>
      <p>
        {readsPlan ? (
          <Link to={`/programs/${program.id}/teams`}>← Teams in the plan</Link>
        ) : (
          <Link to={`/programs/${program.id}`}>← {program.name}</Link>
        )}
      </p>
      <h1>{place.teamName}</h1>
      <p className="lead">
        {place.unitName}
        {place.leadName ? ` · led by ${place.leadName}` : " · no lead yet"}
      </p>
      <p>
        <Link to={`/programs/${program.id}/cycles?team=${place.teamId}`}>OKRs by cycle →</Link>
      </p>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={place.status} />
            {place.statusChangedOn ? <span className="muted"> since {formatDate(place.statusChangedOn)}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Wave</dt>
          <dd>
            {place.waveId ? (
              readsPlan ? (
                <Link to={`/programs/${program.id}/waves/${place.waveId}`}>{place.waveName}</Link>
              ) : (
                place.waveName
              )
            ) : (
              <span className="muted">Not in a wave yet</span>
            )}
          </dd>
        </div>
        {place.waveId ? (
          <div>
            <dt>Wave dates</dt>
            <dd>
              {formatDate(place.waveStartsOn) ?? "start open"} – {formatDate(place.waveEndsOn) ?? "end open"}
            </dd>
          </div>
        ) : null}
      </dl>
      {cycle ? (
        <section className="card" aria-labelledby="cycle-checklist">
          <h2 id="cycle-checklist">{`Cycle checklist · ${cycle.name}`}</h2>
          <ChecklistMarks checklist={cycle.checklist} label={`Checklist of ${place.teamName} in ${cycle.name}`} />
          <p>
            <strong>Next:</strong> {checklistNextText(cycle.checklist.next)}
          </p>
          <p>
            {entersProgress ? (
              <>
                <Link to={`${cycleBase}/check-in`}>Check in</Link> · <Link to={`${cycleBase}/score`}>Scores</Link> ·{" "}
                <Link to={`${cycleBase}/carry-forward`}>Carry forward</Link> ·{" "}
              </>
            ) : null}
            <Link to={`${cycleBase}/retro`}>Retrospective</Link>
          </p>
        </section>
      ) : null}
      {place.waveGoal ? (
        <section className="card">
          <h2>The wave's goal</h2>
          <p>{place.waveGoal}</p>
        </section>
      ) : null}
      <section>
        <h2>Onboarding history</h2>
        <DataTable
          data={history}
          columns={columns}
          caption={`Onboarding history of ${place.teamName}`}
          csvFileName="onboarding-history"
          getRowId={(c) => String(c.id)}
          emptyMessage="No status change yet: the team has not started onboarding."
          toCsvRow={(c) => ({ date: c.changedOn, from: c.fromStatus, to: c.toStatus, recorded_by: c.changedByName ?? "" })}
        />
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.place.teamName ?? "Team"} · Rollout Desk` }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
