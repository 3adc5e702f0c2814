import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BandBadge, ChangeText, percentOrDash } from "~/components/health/health-bits";
import { HealthTrendChart } from "~/components/reports/charts";
import { FormError } from "~/components/ui/field";
import { Openable } from "~/components/ui/openable";
import { SubmitButton } from "~/components/ui/submit-button";
import { assignTeams, describeAssignment } from "~/models/coaching/assignments.server";
import { listCoachOptions } from "~/models/coaching/coach-list.server";
import { loadOkrViewer } from "~/models/cycles/access.server";
import { createEvent } from "~/models/cycles/cycles.server";
import { healthBasics, healthPage } from "~/models/health/health-page.server";
import { recommendations, teamsWithPrimaryCoach, type GroupHealth, type Recommendation } from "~/models/health/health.server";
import { BAND_LABELS, BANDS, HEALTHY_SCORE, WATCH_SCORE, type BandOrNone } from "~/models/health/metrics";
import { FieldError, NotFoundError } from "~/models/errors";
import { attempt, unknownIntent, failure } from "~/utils/action.server";
import * as dates from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { OPEN_FORM_PARAM } from "~/utils/open-form";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { cachedRead } from "~/utils/read-cache.server";
import { redirectWithToast } from "~/utils/toast.server";
import { assignSchema } from "~/validation/coaching";
import { clinicSchema } from "~/validation/health";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/reports.css" }];

// Process health (issue 16): the program's, each wave's and each unit's score for a cycle, its
// band with the reasons behind it, the change since the previous cycle and the trend over every
// cycle. The PLO drills down to the teams behind any figure and acts on them from here (a
// check-in clinic for a unit's stale teams, a coach for at-risk teams without one); a sponsor
// sees the aggregates only. Read from the stored facts with the roll-ups counted in SQL (ADR 0021),
// cached by the program's data version (ADR 0011).

/** Teams listed on one page of the drill-down, lowest scores first (the next ones on the next page). */
const TEAM_ROWS = 50;
/** The `?form=` value that opens the coach form of the "assign a coach" recommendation. */
const ASSIGN_FORM = "assign-coach";
/** Team names a recommendation lists before "and N more". */
const NAMED_TEAMS = 6;

/**
 * A recommendation as the page needs it: a few team names, the clinic's notes (every stale team,
 * within the notes' limit) and, for the coach, the teams the form assigns.
 */
interface RecommendationView {
  kind: Recommendation["kind"];
  unitId: string | null;
  unitName: string | null;
  text: string;
  teamCount: number;
  named: string[];
  notes: string;
  teamIds: string[];
}

function recommendationView(r: Recommendation): RecommendationView {
  return {
    kind: r.kind,
    unitId: r.unitId,
    unitName: r.unitName,
    text: r.text,
    teamCount: r.teamIds.length,
    named: r.teamNames.slice(0, NAMED_TEAMS),
    notes: r.kind === "clinic" ? `Stale teams: ${r.teamNames.join(", ")}`.slice(0, 2000) : "",
    teamIds: r.kind === "coach" ? r.teamIds : [],
  };
}

const param = (search: URLSearchParams, name: string) => (search.get(name) ?? "").trim().slice(0, 64) || null;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params, "health:read");
  const search = new URL(request.url).searchParams;
  const cycleId = param(search, "cycle");
  const waveId = param(search, "wave");
  const unitId = param(search, "unit");
  // Only the teams sitting in the unit itself, not in the units below it.
  const direct = unitId !== null && search.get("direct") === "1";
  const bandParam = param(search, "band");
  const band = bandParam && ([...BANDS, "not_measured"] as string[]).includes(bandParam) ? (bandParam as BandOrNone) : null;
  const pageParam = Number(param(search, "page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  const today = dates.today();
  const db = getDb();
  const seeTeams = can(user.role, "health:teams");
  // Read in SQL (ADR 0021) and cached by data version (ADR 0011): the roll-ups, the rows shown
  // and, on the latest cycle, the teams to act on. Per role: sponsors never read team rows.
  const { units, view, latest } = await cachedRead(
    `health-page|${dataVersion}|${today}|${cycleId}|${waveId}|${unitId}|${direct}|${band}|${seeTeams}|${page}`,
    async () => {
      const basics = await healthBasics(db, program.id, today);
      if (cycleId && !basics.cycles.some((c) => c.id === cycleId))
        throw new Response("This cycle is not a started cycle of the program.", { status: 404 });
      if (waveId && waveId !== "none" && !basics.waves.some((w) => w.id === waveId))
        throw new Response("This wave is not in the program.", { status: 404 });
      if (unitId && !basics.units.some((u) => u.id === unitId)) throw new Response("This unit does not exist.", { status: 404 });
      const latest = basics.cycles.length > 0 && (!cycleId || cycleId === basics.cycles.at(-1)?.id);
      const view = await healthPage(db, program.id, basics, {
        cycleId,
        focus: { waveId, unitId, direct },
        band,
        teamRows: seeTeams ? TEAM_ROWS : 0,
        teamOffset: (page - 1) * TEAM_ROWS,
        flagged: seeTeams && latest,
      });
      return { units: basics.units, view, latest };
    },
  );

  let actions: {
    recommendations: RecommendationView[];
    /** Only when the coach form is open (`?form=assign-coach`): three hundred coaches are not sent to every visit. */
    coaches: Awaited<ReturnType<typeof listCoachOptions>> | null;
  } | null = null;
  if (seeTeams && latest) {
    const atRisk = view.flagged.filter((t) => t.band === "at_risk").map((t) => t.teamId);
    const [coached, coaches] = await Promise.all([
      teamsWithPrimaryCoach(db, program.id, atRisk, today),
      search.get(OPEN_FORM_PARAM) === ASSIGN_FORM ? listCoachOptions(db, program.id, today) : null,
    ]);
    const all = recommendations({ units: view.units, teams: view.flagged }, coached, new Map(units.map((u) => [u.id, u.name])));
    actions = { recommendations: all.map(recommendationView), coaches };
  }
  // What the table shows of each team, not every figure behind its score.
  const teams = view.teams.map((t) => ({
    teamId: t.teamId,
    teamName: t.teamName,
    status: t.status,
    score: t.score,
    band: t.band,
    change: t.change,
    delta: t.delta,
    reasons: t.reasons.slice(0, 2),
    metrics: {
      drafted: t.metrics.drafted,
      qualityScore: t.metrics.qualityScore,
      alignedShare: t.metrics.alignedShare,
      windowsDue: t.metrics.windowsDue,
      windowsKept: t.metrics.windowsKept,
      updatedShare: t.metrics.updatedShare,
      scoredShare: t.metrics.scoredShare,
      retroHeld: t.metrics.retroHeld,
      retroByTeam: t.metrics.retroByTeam,
      supportMinutes: t.metrics.supportMinutes,
      trainedShare: t.metrics.trainedShare,
    },
  }));
  const matching = seeTeams ? view.matching : 0;

  return {
    program: { id: program.id, name: program.name },
    seeTeams,
    today,
    cycles: view.cycles.map((c) => ({ id: c.id, name: c.name })),
    cycle: view.cycle,
    previousCycle: view.previousCycle ? { id: view.previousCycle.id, name: view.previousCycle.name } : null,
    focus: {
      waveId,
      unitId,
      direct,
      name: view.focusName,
      parentUnitId: unitId ? (units.find((u) => u.id === unitId)?.parentId ?? null) : null,
    },
    band,
    overall: view.overall,
    waves: view.waves,
    units: view.units,
    trend: view.trend.map((p) => ({ name: p.name, score: p.score })),
    teams,
    matching,
    teamPage: { page, size: TEAM_ROWS },
    actions,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "health:teams");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const back = `/programs/${program.id}/health${new URL(request.url).search}`;
  switch (intent) {
    case "clinic": {
      const parsed = parseForm(clinicSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const viewer = await loadOkrViewer(db, user);
          await createEvent(db, viewer, program.id, parsed.data.cycleId, {
            kind: "other",
            title: "Check-in clinic",
            occursOn: parsed.data.occursOn,
            startsAt: "14:00",
            durationMinutes: 60,
            scope: "unit",
            waveId: null,
            unitId: parsed.data.unitId,
            facilitatorEmail: null,
            location: "",
            state: "planned",
            notes: parsed.data.notes,
          }).catch((error: unknown) => {
            // The cycle named is not the program's: the form is stale.
            if (error instanceof NotFoundError) throw FieldError.on("cycleId", "This cycle is not a cycle of the program.");
            throw error;
          });
          return redirectWithToast(
            request,
            back,
            `Check-in clinic scheduled on ${dates.formatDate(parsed.data.occursOn)}; it is in the cycle's calendar.`,
          );
        },
        { intent },
      );
    }
    case "assign": {
      const parsed = parseForm(assignSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const result = await assignTeams(db, user, program.id, parsed.data);
          return redirectWithToast(request, back, describeAssignment(result));
        },
        { intent },
      );
    }
    default:
      return unknownIntent(intent);
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function link(current: {
  cycle?: string | null;
  wave?: string | null;
  unit?: string | null;
  direct?: boolean;
  band?: string | null;
  page?: string | null;
}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(current)) if (value) search.set(key, value === true ? "1" : String(value));
  const text = search.toString();
  return text ? `?${text}` : "?";
}

export default function Health() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { program, cycle, previousCycle, overall, focus } = data;
  const here = { cycle: cycle?.id ?? null, wave: focus.waveId, unit: focus.unitId, direct: focus.direct };
  return (
    <>
      <div className="page-header">
        <h1>Process health{focus.name ? ` · ${focus.name}` : ""}</h1>
        {data.seeTeams ? <Link to={`/programs/${program.id}/graduation`}>Graduation proposals →</Link> : null}
      </div>
      <p className="lead">
        Are teams running OKRs well? A score from 0 to 100 per team and cycle — drafting on time and well, alignment, check-ins kept, key
        results updated, confidence, scoring and the retrospective — averaged per wave, unit and program.{" "}
        {data.seeTeams ? "Every figure leads to the teams behind it." : "Sponsors see aggregates; the PLO sees the teams behind them."}
      </p>
      {data.cycles.length === 0 ? (
        <p className="muted">No cycle of this program has started yet: health is measured from the first cycle on.</p>
      ) : (
        <>
          <nav aria-label="Cycles" className="filter-bar">
            <span>Cycle:</span>
            {data.cycles.map((c) => (
              <Link key={c.id} to={link({ ...here, cycle: c.id })} aria-current={c.id === cycle?.id ? "page" : undefined} className="pill">
                {c.name}
              </Link>
            ))}
            {focus.waveId || focus.unitId ? (
              <Link to={link({ cycle: cycle?.id })} className="button button--secondary button--small">
                Whole program
              </Link>
            ) : null}
            {focus.unitId ? (
              <Link
                to={link({ ...here, unit: focus.direct ? focus.unitId : focus.parentUnitId, direct: false })}
                className="button button--secondary button--small"
              >
                Up one unit
              </Link>
            ) : null}
          </nav>

          <section className={`overall overall--${bandColour(overall.band)}`} aria-labelledby="health-overall">
            <h2 id="health-overall">
              {cycle?.name}: <BandBadge band={overall.band} score={overall.score} />
            </h2>
            <p>
              {previousCycle ? (
                <>
                  Since {previousCycle.name}: <ChangeText change={overall.change} delta={overall.delta} />
                  {overall.previousScore !== null ? <span className="muted"> (was {overall.previousScore})</span> : null}
                </>
              ) : (
                <span className="muted">The first cycle: nothing to compare with yet.</span>
              )}
            </p>
            <ul>
              {overall.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            {data.seeTeams && overall.teams > 0 ? (
              <p>
                {(["at_risk", "watch", "healthy", "not_measured"] as const)
                  .filter((b) => overall.bands[b] > 0)
                  .map((b, i) => (
                    <span key={b}>
                      {i > 0 ? " · " : ""}
                      <Link to={`${link({ ...here, band: b })}#teams`}>
                        {overall.bands[b]} {BAND_LABELS[b].toLowerCase()}
                      </Link>
                    </span>
                  ))}
              </p>
            ) : null}
          </section>

          <HealthTrendChart
            points={data.trend}
            title={`Health by cycle${focus.name ? ` · ${focus.name}` : ""}`}
            limits={[
              { score: HEALTHY_SCORE, label: "healthy" },
              { score: WATCH_SCORE, label: "attention" },
            ]}
          />

          {data.actions && data.actions.recommendations.length > 0 ? <Recommendations data={data} result={result} /> : null}

          <GroupTable
            title="By wave"
            groups={data.waves}
            hrefOf={(g) => link({ cycle: cycle?.id, wave: g.id, unit: focus.unitId, direct: focus.direct })}
            previous={previousCycle?.name ?? null}
          />
          <GroupTable
            title={focus.unitId ? "By unit below" : "By unit"}
            groups={data.units}
            hrefOf={(g) => link({ cycle: cycle?.id, wave: focus.waveId, unit: g.id, direct: g.direct })}
            previous={previousCycle?.name ?? null}
          />

          {data.seeTeams ? <TeamTable data={data} /> : null}
        </>
      )}
    </>
  );
}

function bandColour(band: BandOrNone) {
  return band === "healthy" ? "green" : band === "watch" ? "amber" : band === "at_risk" ? "red" : "not_measured";
}

function GroupTable({
  title,
  groups,
  hrefOf,
  previous,
}: {
  title: string;
  groups: Data["waves"];
  hrefOf: (g: GroupHealth) => string;
  previous: string | null;
}) {
  if (groups.length === 0) return null;
  return (
    <section className="card">
      <h2>{title}</h2>
      <div className="data-table__scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                Teams
              </th>
              <th scope="col">Health</th>
              <th scope="col">{previous ? `Since ${previous}` : "Change"}</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.direct ? `${g.id}:direct` : g.id}>
                <th scope="row">
                  <Link to={hrefOf(g)}>{g.name}</Link>
                </th>
                <td className="num">{g.teams}</td>
                <td>
                  <BandBadge band={g.band} score={g.score} />
                </td>
                <td>
                  <ChangeText change={g.change} delta={g.delta} />
                </td>
                <td>{g.reasons.slice(1, 3).join(" ") || <span className="muted">{g.reasons[0]}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TeamTable({ data }: { data: Data }) {
  const { program, cycle, focus, band } = data;
  return (
    <section className="card" id="teams">
      <div className="card__header">
        <h2>
          Teams{band ? ` · ${BAND_LABELS[band].toLowerCase()}` : ""} ({data.matching.toLocaleString("en")})
        </h2>
        {band ? <Link to={link({ cycle: cycle?.id, wave: focus.waveId, unit: focus.unitId, direct: focus.direct })}>All bands</Link> : null}
      </div>
      {data.matching > data.teams.length ? <TeamPager data={data} /> : null}
      {data.teams.length === 0 ? (
        <p className="muted">No team here.</p>
      ) : (
        <div className="data-table__scroll">
          <table className="data-table health-teams">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col">Health</th>
                <th scope="col">Change</th>
                <th scope="col" className="num">
                  Quality
                </th>
                <th scope="col" className="num">
                  Aligned
                </th>
                <th scope="col" className="num">
                  Windows kept
                </th>
                <th scope="col" className="num">
                  Updated
                </th>
                <th scope="col" className="num">
                  Scored
                </th>
                <th scope="col">Retro</th>
                <th scope="col" className="num">
                  Coaching
                </th>
                <th scope="col" className="num">
                  Trained
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {data.teams.map((t) => (
                <tr key={t.teamId}>
                  <th scope="row">
                    <Link to={`/programs/${program.id}/teams/${t.teamId}`}>{t.teamName}</Link>
                  </th>
                  <td>{t.status ? ONBOARDING_STATUS_LABELS[t.status as keyof typeof ONBOARDING_STATUS_LABELS] : "Not started"}</td>
                  <td>
                    <BandBadge band={t.band} score={t.score} />
                  </td>
                  <td>
                    <ChangeText change={t.change} delta={t.delta} />
                  </td>
                  <td className="num">{t.metrics.drafted ? t.metrics.qualityScore : "—"}</td>
                  <td className="num">{percentOrDash(t.metrics.alignedShare)}</td>
                  <td className="num">{t.metrics.windowsDue > 0 ? `${t.metrics.windowsKept} of ${t.metrics.windowsDue}` : "—"}</td>
                  <td className="num">{percentOrDash(t.metrics.updatedShare)}</td>
                  <td className="num">{percentOrDash(t.metrics.scoredShare)}</td>
                  <td>{t.metrics.retroHeld ? (t.metrics.retroByTeam ? "By the team" : "Held") : "—"}</td>
                  <td className="num">{t.metrics.supportMinutes > 0 ? `${t.metrics.supportMinutes} min` : "—"}</td>
                  <td className="num">{percentOrDash(t.metrics.trainedShare)}</td>
                  <td>{t.reasons.slice(0, 2).join("; ") || <span className="muted">Nothing to improve</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Which teams of the list this page shows, lowest scores first, with links to the pages before and after. */
function TeamPager({ data }: { data: Data }) {
  const { cycle, focus, band, teamPage, matching } = data;
  const first = (teamPage.page - 1) * teamPage.size + 1;
  const last = first + data.teams.length - 1;
  const here = { cycle: cycle?.id, wave: focus.waveId, unit: focus.unitId, direct: focus.direct, band };
  const pageLink = (page: number) => `${link({ ...here, page: page > 1 ? String(page) : null })}#teams`;
  return (
    <nav className="pager" aria-label="Pages of the teams">
      <span className="muted">
        {data.teams.length === 0 ? "No team on this page" : `Teams ${first}–${last}`} of {matching.toLocaleString("en")}, lowest scores
        first
      </span>
      {teamPage.page > 1 ? (
        <Link to={pageLink(teamPage.page - 1)} rel="prev">
          ← Previous {teamPage.size}
        </Link>
      ) : null}
      {last < matching ? (
        <Link to={pageLink(teamPage.page + 1)} rel="next">
          Next {Math.min(teamPage.size, matching - last)} →
        </Link>
      ) : null}
    </nav>
  );
}

function Recommendations({ data, result }: { data: Data; result: ReturnType<typeof useActionData<typeof action>> }) {
  const actions = data.actions!;
  const errors = result && "errors" in result ? result.errors : {};
  const inWeek = dates.addDays(data.today, 7);
  return (
    <section className="card">
      <h2>What to do next</h2>
      <FormError error={errors._form} />
      <ul className="recommendations">
        {actions.recommendations.map((r) => (
          <li key={`${r.kind}-${r.unitId ?? "all"}`}>
            <p>
              <strong>{r.text}</strong>{" "}
              <span className="muted">
                {r.named.join(", ")}
                {r.teamCount > r.named.length ? ` and ${r.teamCount - r.named.length} more` : ""}
              </span>
            </p>
            {r.kind === "clinic" && data.cycle ? (
              <Form method="post" className="inline-form" aria-label={`Schedule a check-in clinic for ${r.unitName}`}>
                <input type="hidden" name="intent" value="clinic" />
                <input type="hidden" name="cycleId" value={data.cycle.id} />
                <input type="hidden" name="unitId" value={r.unitId ?? ""} />
                <input type="hidden" name="notes" value={r.notes} />
                <label>
                  On <input type="date" name="occursOn" defaultValue={inWeek} required />
                </label>
                <SubmitButton className="button button--small" pendingText="Scheduling…">
                  Schedule the clinic
                </SubmitButton>
                {errors.occursOn || errors.unitId || errors.cycleId ? (
                  <span className="field-error">{errors.occursOn ?? errors.unitId ?? errors.cycleId}</span>
                ) : null}
              </Form>
            ) : null}
            {r.kind === "coach" ? (
              <Openable
                formKey={ASSIGN_FORM}
                label={`Choose a coach for these ${r.teamCount} teams`}
                accessibleLabel={`Choose a coach for these ${r.teamCount} teams`}
                open={Boolean(errors.coachId || errors.teamId)}
              >
                {actions.coaches === null || actions.coaches.length === 0 ? (
                  <p className="muted">
                    No active coach yet: <Link to={`/programs/${data.program.id}/coaches`}>add coaches</Link>.
                  </p>
                ) : (
                  <Form method="post" className="inline-form" aria-label="Assign a coach to the at-risk teams">
                    <input type="hidden" name="intent" value="assign" />
                    <input type="hidden" name="kind" value="primary" />
                    <input type="hidden" name="startsOn" value={data.today} />
                    {r.teamIds.map((id) => (
                      <input key={id} type="hidden" name="teamId" value={id} />
                    ))}
                    <label>
                      Coach{" "}
                      <select name="coachId" required defaultValue="">
                        <option value="" disabled>
                          Choose a coach
                        </option>
                        {actions.coaches.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.name} ({c.load} of {c.capacity})
                          </option>
                        ))}
                      </select>
                    </label>
                    <SubmitButton className="button button--small" pendingText="Assigning…">
                      Assign as primary coach
                    </SubmitButton>
                    {errors.coachId || errors.teamId ? <span className="field-error">{errors.coachId ?? errors.teamId}</span> : null}
                  </Form>
                )}
              </Openable>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Process health · ${data.program.name} · Rollout Desk` : "Process health · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
