import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { checklistNextText } from "~/components/cycles/checklist-view";
import { StatusBadge } from "~/components/plan/readiness";
import { CoachingNav, MaturityText, NotACoach } from "~/components/sessions/coaching-bits";
import { currentChecklists } from "~/models/cycles/checklist.server";
import { coachQuestionCounts, questionTopic, unseenAnswers } from "~/models/coaching/escalations.server";
import { teamEnablementGaps } from "~/models/enablement/coverage.server";
import { getCoachRef, listSessionCoachOptions, listMyTeams, recentSessions, type CoachRef } from "~/models/coaching/sessions.server";
import { getDb } from "~/utils/db.server";
import { SESSION_TYPE_LABELS } from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/plan.css" },
  { rel: "stylesheet", href: "/styles/sessions.css" },
];

// A coach's home in a program: their teams today and what each needs next, answers from the PLO
// they have not read yet, and their latest sessions. The PLO can look at any coach's home
// (?coach=<id>) without marking anything as read. A bounded number of queries whatever the size.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:read");
  const db = getDb();
  const base = { program: { id: program.id, name: program.name }, manage: viewer.manage };
  let coach: CoachRef | null = viewer.coach;
  let coaches: Array<{ id: string; name: string; active: boolean }> | null = null;
  if (viewer.manage) {
    const chosen = (new URL(request.url).searchParams.get("coach") ?? "").slice(0, 64);
    [coaches, coach] = await Promise.all([
      listSessionCoachOptions(db, program.id),
      chosen ? getCoachRef(db, program.id, chosen) : Promise.resolve(viewer.coach),
    ]);
  }
  if (!coach && viewer.manage) return { ...base, state: "pick" as const, coaches };
  if (!coach) return { ...base, state: "not-a-coach" as const };
  const today = dates.today();
  const own = coach.id === viewer.coach?.id;
  const [teams, unseen, counts, recent] = await Promise.all([
    listMyTeams(db, coach.id, program.id, today),
    own ? unseenAnswers(db, coach.id, program.id) : Promise.resolve([]),
    coachQuestionCounts(db, coach.id, program.id),
    recentSessions(db, coach.id, program.id),
  ]);
  const teamIds = teams.map((t) => t.teamId);
  // The current cycle's checklist (issue 14) and the training the teams still lack (issue 15).
  const [{ cycle, checklists }, gaps] = await Promise.all([
    currentChecklists(db, program.id, teamIds, today),
    teamEnablementGaps(db, program.id, teamIds, today),
  ]);
  return {
    cycle: cycle ? { id: cycle.id, name: cycle.name } : null,
    checklistNext: Object.fromEntries(checklists.map((c) => [c.teamId, c.next])),
    ...base,
    state: "home" as const,
    training: Object.fromEntries(teams.map((t) => [t.teamId, (gaps.get(t.teamId) ?? []).map((g) => g.text)])),
    coaches,
    coach: { id: coach.id, name: coach.name, active: coach.active },
    own,
    teams,
    unseen: unseen.map((u) => ({
      id: u.id,
      topic: questionTopic(u.category, u.question),
      answeredAt: u.answeredAt,
      answeredByName: u.answeredByName,
    })),
    counts,
    recent,
  };
}

function CoachPicker({ coaches, selected }: { coaches: ReadonlyArray<{ id: string; name: string; active: boolean }>; selected?: string }) {
  return (
    <Form method="get" className="filter-bar" aria-label="Look at a coach's home">
      <label>
        Coach{" "}
        <select name="coach" defaultValue={selected ?? ""}>
          <option value="">Choose a coach…</option>
          {coaches.map((c) => (
            <option key={c.id} value={c.id}>
              {c.active ? c.name : `${c.name} (inactive)`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button--secondary button--small">
        Show
      </button>
    </Form>
  );
}

export default function MyTeams() {
  const loaded = useLoaderData<typeof loader>();
  const { program, manage } = loaded;
  if (loaded.state === "not-a-coach") return <NotACoach programName={program.name} title="My teams" />;
  if (loaded.state === "pick") {
    return (
      <>
        <CoachingNav programId={program.id} manage={manage} />
        <h1>A coach&apos;s teams</h1>
        <p className="lead">
          You are not a coach in this program. Choose a coach to see their teams and what each needs next, as they see it.
        </p>
        {loaded.coaches && loaded.coaches.length > 0 ? (
          <CoachPicker coaches={loaded.coaches} />
        ) : (
          <p className="muted">This program has no coaches yet.</p>
        )}
      </>
    );
  }
  const { coach, own, teams, unseen, counts, recent, coaches, cycle, checklistNext, training } = loaded;
  const base = `/programs/${program.id}`;
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <div className="page-header">
        <h1>{own ? "My teams" : `${coach.name}'s teams`}</h1>
        <Link className="button" to={`${base}/sessions/new`}>
          Log a session
        </Link>
      </div>
      {manage && coaches ? <CoachPicker coaches={coaches} selected={coach.id} /> : null}
      {!coach.active ? <p className="muted">{own ? "Your" : "This"} coach role in this program is inactive.</p> : null}

      {unseen.length > 0 ? (
        <section className="card notifications" aria-labelledby="notifications">
          <h2 id="notifications">New answers</h2>
          <ul>
            {unseen.map((n) => (
              <li key={n.id}>
                <Link to={`${base}/escalations/${n.id}`}>The PLO answered your question about {n.topic}</Link>
                {n.answeredByName ? <span className="muted"> · {n.answeredByName}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams {own ? "you coach" : "coached"} today</h2>
        {teams.length === 0 ? (
          <p className="muted">
            {own ? "You have no team assigned today." : "No team assigned today."} The Program Lead Office assigns coaches to teams.
          </p>
        ) : (
          <div className="data-table__scroll">
            <table className="simple-table my-teams-table">
              <caption className="visually-hidden">Teams and what each needs next</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Wave</th>
                  <th scope="col">Onboarding</th>
                  <th scope="col">Last session</th>
                  <th scope="col">Needs next</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {teams.map((team) => (
                  <tr key={team.teamId}>
                    <th scope="row">
                      <Link to={`${base}/sessions?team=${team.teamId}`}>{team.teamName}</Link>
                      <span className="coaching-sub muted">
                        {team.unitName ? `${team.unitName} · ` : ""}
                        {team.kind === "secondary" ? "secondary coach" : "primary coach"}
                      </span>
                    </th>
                    <td>{team.waveName ?? <span className="muted">No wave</span>}</td>
                    <td>
                      <StatusBadge status={team.status} />
                    </td>
                    <td>
                      {team.lastSessionOn ? dates.formatDate(team.lastSessionOn) : <span className="muted">None yet</span>}
                      {team.sessionCount > 0 ? (
                        <span className="coaching-sub muted">
                          {team.sessionCount} session{team.sessionCount === 1 ? "" : "s"}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <ul className="next-steps">
                        {cycle && team.teamId in checklistNext ? (
                          <li className={checklistNext[team.teamId] ? "next-step next-step--attention" : "next-step"}>
                            <span aria-hidden="true">{checklistNext[team.teamId] ? "→ " : "✓ "}</span>
                            <Link to={`${base}/teams/${team.teamId}`}>
                              {`${cycle.name}: ${checklistNextText(checklistNext[team.teamId])}`}
                            </Link>
                          </li>
                        ) : null}
                        {team.steps.map((step) => (
                          <li key={step.code} className={step.attention ? "next-step next-step--attention" : "next-step"}>
                            {step.attention ? <span aria-hidden="true">→ </span> : <span aria-hidden="true">✓ </span>}
                            {step.text}
                          </li>
                        ))}
                        {(training[team.teamId] ?? []).map((text) => (
                          <li key={text} className="next-step next-step--attention">
                            <span aria-hidden="true">→ </span>
                            <Link to={`${base}/enablement/teams/${team.teamId}`}>{text}</Link>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="row-actions">
                      <Link to={`${base}/sessions/new?team=${team.teamId}`}>
                        Log session<span className="visually-hidden"> with {team.teamName}</span>
                      </Link>
                      <Link to={`${base}/escalations/new?team=${team.teamId}`}>
                        Ask the PLO<span className="visually-hidden"> about {team.teamName}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="questions-heading">
          <h2 id="questions-heading">Questions to the PLO</h2>
          <p>
            {counts.open} open · {counts.answered} answered
            {counts.unseen > 0 ? ` · ${counts.unseen} unread` : ""}
          </p>
          <p>
            <Link to={`${base}/escalations`}>{own ? "My questions" : "Their questions"}</Link>
            {own ? (
              <>
                {" · "}
                <Link to={`${base}/escalations/new`}>Ask a question</Link>
              </>
            ) : null}
          </p>
        </section>
        <section className="card" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Latest sessions</h2>
          {recent.length === 0 ? (
            <p className="muted">No session logged yet.</p>
          ) : (
            <ul className="overview-list">
              {recent.map((s) => (
                <li key={s.id}>
                  <Link to={`${base}/sessions/${s.id}`}>
                    {dates.formatDate(s.heldOn)} · {SESSION_TYPE_LABELS[s.type]} with {s.teamName}
                  </Link>{" "}
                  <MaturityText value={s.maturity} />
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to={`${base}/sessions${own ? "" : `?coach=${coach.id}`}`}>All sessions</Link> ·{" "}
            <Link to="/learnings">Community learnings</Link>
          </p>
        </section>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "My teams · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
