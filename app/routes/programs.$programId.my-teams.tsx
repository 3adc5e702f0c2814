import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CoachTeamCard, LoggedToast } from "~/components/homes/coach-team-card";
import { checklistNextText } from "~/components/cycles/checklist-view";
import { CoachingNav, MaturityText, NotACoach } from "~/components/sessions/coaching-bits";
import { coachQuestionCounts, questionTopic, unseenAnswers } from "~/models/coaching/escalations.server";
import { teamEnablementGaps } from "~/models/enablement/coverage.server";
import { currentChecklists } from "~/models/cycles/checklist.server";
import { deleteSession, logSession, sessionUndoWindowMs } from "~/models/coaching/sessions.server";
import { getCoachRef, type CoachRef } from "~/models/coaching/viewer.server";
import { getSupportSession, recentSessions } from "~/models/coaching/session-history.server";
import { listSessionCoachOptions } from "~/models/coaching/session-options.server";
import { listMyTeams } from "~/models/coaching/my-teams.server";
import { defaultAttendees, DEFAULT_SESSION_MINUTES, suggestedSessionType } from "~/models/homes/coach-home";
import { teamSizes } from "~/models/homes/team-sizes.server";
import { ForbiddenError } from "~/models/errors";
import * as dates from "~/utils/dates";
import { formatDate } from "~/utils/dates";
import { domainFailure } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { SESSION_TYPE_LABELS, sessionSchema } from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/plan.css" },
  { rel: "stylesheet", href: "/styles/sessions.css" },
];

// A coach's home in a program: their teams today and what each needs next, answers from the PLO
// they have not read yet, and their latest sessions. The PLO can look at any coach's home
// (?coach=<id>) without marking anything as read. A bounded number of queries whatever the size.
//
// It is the coach's home after sign-in: each team carries a one-step "Log session" form (type
// from what the team needs next, a usual duration, the team's size as attendees); the action
// logs it and comes back with `?logged=<id>`, where "Undo" takes it back within the undo window.

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
  const loggedId = (new URL(request.url).searchParams.get("logged") ?? "").slice(0, 64);
  const [teams, unseen, counts, recent, logged] = await Promise.all([
    listMyTeams(db, coach.id, program.id, today),
    own ? unseenAnswers(db, coach.id, program.id) : Promise.resolve([]),
    coachQuestionCounts(db, coach.id, program.id),
    recentSessions(db, coach.id, program.id),
    loggedId
      ? getSupportSession(db, viewer, program.id, loggedId).catch((error: unknown) => {
          if (error instanceof ForbiddenError) return null;
          throw error;
        })
      : Promise.resolve(null),
  ]);
  const teamIds = teams.map((t) => t.teamId);
  // The current cycle's checklist (issue 14) and the training the teams still lack (issue 15).
  const [{ cycle, checklists }, gaps, sizes] = await Promise.all([
    currentChecklists(db, program.id, teamIds, today),
    teamEnablementGaps(db, program.id, teamIds, today),
    teamSizes(db, teamIds),
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
    today,
    defaultMinutes: DEFAULT_SESSION_MINUTES,
    teams: teams.map((t) => ({ ...t, suggestedType: suggestedSessionType(t.steps), attendees: defaultAttendees(sizes.get(t.teamId)) })),
    logged: logged ? { id: logged.id, teamName: logged.teamName, typeLabel: SESSION_TYPE_LABELS[logged.type] } : null,
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

type QuickLogFailure = { ok: false; teamId: string; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:write");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const url = new URL(request.url);
  const home = (extra: Record<string, string> = {}) => {
    const query = new URLSearchParams(extra);
    const coach = url.searchParams.get("coach");
    if (coach && viewer.manage) query.set("coach", coach.slice(0, 64));
    const search = query.toString();
    return `/programs/${program.id}/my-teams${search ? `?${search}` : ""}`;
  };
  const db = getDb();
  if (intent === "log") {
    const teamId = String(formData.get("teamId") ?? "").slice(0, 64);
    const parsed = parseForm(sessionSchema(), formData);
    if (!parsed.ok) return data<QuickLogFailure>({ ok: false, teamId, errors: parsed.errors, values: parsed.values }, { status: 400 });
    let logged;
    try {
      logged = await logSession(db, viewer, program.id, parsed.data);
    } catch (error) {
      return domainFailure(error, parsed.values, { ok: false as const, teamId });
    }
    // The page's own confirmation (with Undo) says it; no second toast.
    return redirect(home({ logged: logged.id }));
  }
  if (intent === "undo") {
    const id = String(formData.get("sessionId") ?? "").slice(0, 64);
    let removed;
    try {
      removed = await deleteSession(db, viewer, program.id, id, { undoWithinMs: sessionUndoWindowMs() });
    } catch (error) {
      return domainFailure(error, {}, { ok: false as const, teamId: "" });
    }
    if (!removed) throw new Response("This session does not exist in this program (or was already removed).", { status: 404 });
    return redirectWithToast(request, home(), `Session with ${removed.teamName} on ${formatDate(removed.heldOn)} removed.`);
  }
  return data<QuickLogFailure>({ ok: false, teamId: "", errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
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
  const failure = useActionData<typeof action>();
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
  const { coach, own, teams, unseen, counts, recent, coaches, today, defaultMinutes, logged, cycle, checklistNext, training } = loaded;
  const base = `/programs/${program.id}`;
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <div className="page-header">
        <h1>{own ? "My teams" : `${coach.name}'s teams`}</h1>
      </div>
      <LoggedToast logged={logged} base={base} />
      {failure && !failure.ok && !teams.some((t) => t.teamId === failure.teamId) ? (
        <p className="field__error" role="alert">
          {String(Object.values(failure.errors)[0] ?? "")}
        </p>
      ) : null}
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
          <ul className="coach-teams">
            {teams.map((team) => (
              <CoachTeamCard
                key={team.teamId}
                team={team}
                base={base}
                canLog={own || manage}
                defaultMinutes={defaultMinutes}
                today={today}
                coachId={own ? undefined : coach.id}
                failure={failure && !failure.ok && failure.teamId === team.teamId ? failure : null}
                extraSteps={[
                  ...(cycle && team.teamId in checklistNext
                    ? [
                        {
                          text: `${cycle.name}: ${checklistNextText(checklistNext[team.teamId])}`,
                          to: `${base}/teams/${team.teamId}`,
                          attention: Boolean(checklistNext[team.teamId]),
                        },
                      ]
                    : []),
                  ...(training[team.teamId] ?? []).map((text) => ({
                    text,
                    to: `${base}/enablement/teams/${team.teamId}`,
                    attention: true,
                  })),
                ]}
              />
            ))}
          </ul>
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
