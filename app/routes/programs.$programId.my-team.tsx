import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChecklistMarks, checklistNextText } from "~/components/cycles/checklist-view";
import { StatusBadge } from "~/components/plan/readiness";
import { teamHome, type HomeKeyResult } from "~/models/homes/team-home.server";
import * as dates from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { STATE_LABELS } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/checkins.css" }];

// The home of a team lead and of a team member (issue 18): their team, its coach, the cycle
// checklist, what comes next, the key results to check in on (one link to the team's check-in
// screen) and the training still needed. Only their own team(s); bounded queries.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "home:team");
  const today = dates.today();
  const home = await teamHome(getDb(), { id: user.id, role: user.role }, program.id, today);
  return { program: { id: program.id, name: program.name }, role: user.role, today, ...home };
}

function keyResultValue(kr: HomeKeyResult): string {
  if (kr.kind === "milestone") return kr.milestoneDone ? "done" : "not done yet";
  const unit = kr.unit ? ` ${kr.unit}` : "";
  const current = kr.currentValue === null ? "no value yet" : `${kr.currentValue}${unit}`;
  return kr.targetValue === null ? current : `${current} of ${kr.targetValue}${unit}`;
}

export default function MyTeam() {
  const { program, role, teams, cycle, keyResults, events, myTraining, linked } = useLoaderData<typeof loader>();
  const base = `/programs/${program.id}`;
  const lead = role === "team_lead";
  const title = lead ? (teams.length > 1 ? "My teams" : "My team") : "My key results";
  if (!linked || teams.length === 0) {
    return (
      <>
        <h1>{title}</h1>
        <p className="lead">
          {lead ? "No team in the organization lists you as its lead yet." : "Your account is not linked to a team yet."} When the Program
          Lead Office links your account to your team, its coach, OKRs and training appear here.
        </p>
        <p>
          <Link to={`${base}/cycles`}>OKR cycles</Link> · <Link to={`${base}/calendar`}>Calendar</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{title}</h1>
      <div className="team-home">
        {teams.map((team) => {
          const teamKrs = keyResults.filter((kr) => kr.teamId === team.teamId);
          const due = teamKrs.filter((kr) => kr.flags.stale || kr.lastCheckInAt === null).length;
          const checkIn = cycle ? `${base}/cycles/${cycle.id}/teams/${team.teamId}/check-in` : null;
          return (
            <section key={team.teamId} className="card team-home__team" aria-labelledby={`team-${team.teamId}`}>
              <div className="coach-team__head">
                <h2 id={`team-${team.teamId}`} className="coach-team__name">
                  {team.relation === "lead" ? <Link to={`${base}/teams/${team.teamId}`}>{team.teamName}</Link> : team.teamName}
                </h2>
                <StatusBadge status={team.status} />
              </div>
              <p className="coach-team__meta muted">
                {team.unitName} · {team.waveName ?? "Not in a rollout wave yet"}
              </p>
              <dl className="facts team-home__facts">
                <div>
                  <dt>{team.coaches.length > 1 ? "Coaches" : "Coach"}</dt>
                  <dd>
                    {team.coaches.length === 0 ? (
                      <span className="muted">No coach yet</span>
                    ) : (
                      team.coaches.map((c, i) => (
                        <span key={c.email}>
                          {i > 0 ? ", " : ""}
                          <a href={`mailto:${c.email}`}>{c.name}</a>
                          {c.kind === "secondary" ? <span className="muted"> (secondary)</span> : null}
                        </span>
                      ))
                    )}
                  </dd>
                </div>
              </dl>

              {cycle ? (
                <>
                  <h3>{`Key results to check in on · ${cycle.name}`}</h3>
                  {teamKrs.length === 0 ? (
                    <p className="muted">
                      {lead ? "The team has no key results in this cycle yet." : "You own no key result in this cycle."}
                    </p>
                  ) : (
                    <>
                      <ul className="overview-list team-home__krs">
                        {teamKrs.map((kr) => (
                          <li key={kr.id}>
                            <strong>{kr.title}</strong> <span className="muted">· {keyResultValue(kr)}</span>{" "}
                            {kr.flags.atRisk ? <span className="pill pill--error">At risk</span> : null}{" "}
                            {kr.flags.stale ? (
                              <span className="pill pill--warning">{`No check-in for ${kr.flags.daysSinceCheckIn ?? 0} days`}</span>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                      {checkIn ? (
                        <p>
                          <Link className="button" to={checkIn}>
                            {lead ? `Check in for ${team.teamName}` : "Check in on my key results"}
                          </Link>{" "}
                          <span className="muted">
                            {due > 0 ? `${due} of ${teamKrs.length} due` : `${teamKrs.length} key result${teamKrs.length === 1 ? "" : "s"}`}
                          </span>
                        </p>
                      ) : null}
                    </>
                  )}
                  {team.checklist ? (
                    <>
                      <h3>{`Cycle checklist · ${cycle.name}`}</h3>
                      <ChecklistMarks checklist={team.checklist} label={`Checklist of ${team.teamName} in ${cycle.name}`} />
                      <p>
                        <strong>Next:</strong> {checklistNextText(team.checklist.next)} ·{" "}
                        <Link to={`${base}/cycles/${cycle.id}/teams/${team.teamId}`}>The team&apos;s OKRs</Link>
                      </p>
                    </>
                  ) : null}
                </>
              ) : (
                <p className="muted">No OKR cycle is planned in this program yet.</p>
              )}

              {lead ? (
                <>
                  <h3>Training the team still needs</h3>
                  {team.trainingGaps.length === 0 ? (
                    <p className="muted">Nobody in the team lacks a required training.</p>
                  ) : (
                    <ul className="overview-list">
                      {team.trainingGaps.map((text) => (
                        <li key={text}>{text}</li>
                      ))}
                    </ul>
                  )}
                  <p>
                    <Link to={`${base}/enablement/teams/${team.teamId}`}>The team&apos;s training</Link>
                  </p>
                </>
              ) : null}
            </section>
          );
        })}

        <section className="card" aria-labelledby="upcoming-heading">
          <h2 id="upcoming-heading">Coming up</h2>
          {events.length === 0 ? (
            <p className="muted">Nothing planned in the next weeks.</p>
          ) : (
            <ul className="overview-list">
              {events.map((e) => (
                <li key={e.key}>
                  <strong>{dates.formatDate(e.day)}</strong>
                  {e.time ? ` ${e.time}` : ""} · {e.title}{" "}
                  <span className="muted">
                    · {e.note}
                    {e.where ? ` · ${e.where}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to={`${base}/calendar${teams.length === 1 ? `?team=${teams[0].teamId}` : ""}`}>Calendar</Link>
          </p>
        </section>

        {!lead ? (
          <section className="card" aria-labelledby="training-heading">
            <h2 id="training-heading">My training</h2>
            {myTraining.length === 0 ? (
              <p className="muted">You have no required training left to do.</p>
            ) : (
              <ul className="overview-list">
                {myTraining.map((t) => (
                  <li key={t.moduleTitle}>
                    {t.moduleTitle}{" "}
                    <span className="muted">
                      · {STATE_LABELS[t.state as keyof typeof STATE_LABELS] ?? t.state}
                      {t.dueOn ? ` by ${dates.formatDate(t.dueOn)}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "My team · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
