import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { ONBOARDING_STATUSES } from "../../db/schema";
import { WaveChecklistTable } from "~/components/cycles/checklist-view";
import { AdminPanels } from "~/components/homes/admin-panels";
import { MyTeamCard } from "~/components/plan/my-team-card";
import { ReadinessBadge } from "~/components/plan/readiness";
import { BandBadge, ChangeText } from "~/components/health/health-bits";
import { ExitProgressText, WaveStateBadge } from "~/components/plan/wave-lifecycle";
import { WaveStatusChart } from "~/components/plan/wave-status-chart";
import { cachedHealthSummary } from "~/models/health/health-page.server";
import { wavesLifecycle } from "~/models/plan/wave-lifecycle.server";
import { cachedProposalCount } from "~/models/health/graduation.server";
import { listAuditEvents } from "~/models/audit/audit.server";
import { cycleOverview } from "~/models/cycles/checklist.server";
import { lateMilestones, milestoneCounts } from "~/models/plan/milestones.server";
import { getTeamLeadView, pivotCounts, teamCountsByWaveAndStatus } from "~/models/plan/program-teams.server";
import { raciStatus } from "~/models/raci/matrix.server";
import { nextReportDue, reportingSchedule } from "~/models/reports/cadence.server";
import { unseenAnswerCount } from "~/models/reports/questions.server";
import { latestPublishedReport, reportTitle } from "~/models/reports/reports.server";
import { topRisks } from "~/models/plan/risks.server";
import { hideAttitude, stakeholdersToContact } from "~/models/plan/stakeholders.server";
import { wavesWithReadiness } from "~/models/plan/waves.server";
import { accountCounts, recentSecurityEvents } from "~/models/homes/admin-home.server";
import { getDb } from "~/utils/db.server";
import { installationHealth } from "~/utils/installation-health.server";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { cachedRead } from "~/utils/read-cache.server";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";
import * as dates from "~/utils/dates";

/** The plan at a glance: everything on it links to the detail behind it. Bounded queries, whatever the size. */
async function planOverview(programId: string, today: string, dataVersion: string) {
  const db = getDb();
  const [counts, health] = await Promise.all([
    teamCountsByWaveAndStatus(db, programId),
    cachedHealthSummary(db, programId, dataVersion, today),
  ]);
  const [{ waves, readiness }, late, milestones, risks, contacts, cycle, lifecycle] = await Promise.all([
    wavesWithReadiness(db, programId, today, counts),
    lateMilestones(db, programId, today, 5),
    milestoneCounts(db, programId, today),
    topRisks(db, programId, 5),
    stakeholdersToContact(db, programId, today, 5),
    cycleOverview(db, programId, today),
    wavesLifecycle(db, programId, health, counts, today),
  ]);
  const summary = health;
  // The overview shows no attitude, and its data must not carry one either (the PLO's alone).
  return {
    teams: pivotCounts(counts),
    waves,
    readiness,
    late,
    milestones,
    risks,
    contacts: contacts.map(hideAttitude),
    cycle,
    lifecycle,
    health: summary.cycle
      ? {
          cycle: summary.cycle.name,
          previous: summary.previousCycle?.name ?? null,
          score: summary.overall.score,
          band: summary.overall.band,
          change: summary.overall.change,
          delta: summary.overall.delta,
          reasons: summary.overall.reasons,
        }
      : null,
  };
}

/** The sponsor's card: the latest published report, whether the next one is overdue, unseen answers. */
async function sponsorCard(
  user: { id: string; name: string; role: "sponsor" },
  program: { id: string; starts_on: string | null },
  today: string,
) {
  const db = getDb();
  const [latest, { cadence, lastPublishedOn }, unseen] = await Promise.all([
    latestPublishedReport(db, user, program.id),
    reportingSchedule(db, program.id),
    unseenAnswerCount(db, user.id, program.id),
  ]);
  return {
    latest: latest ? { id: latest.id, title: reportTitle(latest), acknowledged: latest.acknowledgedAt !== null } : null,
    next: nextReportDue(cadence, lastPublishedOn, program.starts_on, today),
    unseen,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params);
  const isPlo = can(user.role, "plan:write");
  const db = getDb();
  const today = dates.today();
  const isAdmin = can(user.role, "users:manage");
  const seeHealth = can(user.role, "health:read");
  const [plan, recent, raci, myTeams, sponsor, admin, proposals] = await Promise.all([
    can(user.role, "plan:read") ? cachedRead(`overview|${dataVersion}|${today}`, () => planOverview(program.id, today, dataVersion)) : null,
    isPlo ? listAuditEvents(db, { programId: program.id, page: 1, pageSize: 8, withTotal: false }).then((r) => r.events) : [],
    isPlo ? raciStatus(db, program.id) : null,
    user.role === "team_lead" ? getTeamLeadView(db, user.id, program.id) : [],
    user.role === "sponsor" ? sponsorCard({ id: user.id, name: user.name, role: "sponsor" }, program, today) : null,
    // The administrator's home is this overview plus accounts, security events and health.
    isAdmin
      ? Promise.all([accountCounts(db), recentSecurityEvents(db), installationHealth()]).then(([accounts, security, health]) => ({
          accounts,
          security,
          health,
        }))
      : null,
    can(user.role, "graduation:manage") ? cachedProposalCount(db, program.id, dataVersion, today) : null,
  ]);
  return {
    role: user.role,
    isPlo,
    seeHealth,
    proposals,
    program,
    // Health figures are for those who read process health (PLO, sponsors): the cached plan is shared, so strip them here.
    plan:
      plan && !seeHealth
        ? {
            ...plan,
            health: null,
            lifecycle: Object.fromEntries(Object.entries(plan.lifecycle).map(([id, life]) => [id, { ...life, health: null }])),
          }
        : plan,
    recent,
    raci,
    myTeams,
    sponsor,
    admin,
    timeline: dates.programTimeline(program.starts_on, program.ends_on, new Date()),
  };
}

type Plan = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["plan"]>;

export default function ProgramHome() {
  const { role, isPlo, seeHealth, proposals, program, plan, recent, raci, myTeams, sponsor, admin, timeline } =
    useLoaderData<typeof loader>();
  return (
    <>
      <h1>{program.name}</h1>
      {admin ? <AdminPanels data={admin} /> : null}
      {program.description ? <p className="lead">{program.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Starts</dt>
          <dd>{dates.formatDate(program.starts_on) ?? "Not set"}</dd>
        </div>
        <div>
          <dt>Ends</dt>
          <dd>{dates.formatDate(program.ends_on) ?? "Not set"}</dd>
        </div>
        <div>
          <dt>Time elapsed</dt>
          <dd>
            {timeline ? (
              <>
                <meter min={0} max={100} value={timeline.percent} aria-label="Share of the program's time elapsed">
                  {timeline.percent}%
                </meter>{" "}
                {timeline.label}
              </>
            ) : (
              "Set start and end dates to see progress"
            )}
          </dd>
        </div>
      </dl>

      {role === "team_lead" ? <MyTeamCard programId={program.id} teams={myTeams} /> : null}

      {role === "coach" ? (
        <section className="card">
          <h2>My teams</h2>
          <p>
            <Link to="my-teams">Your teams and what each needs next</Link> · <Link to="sessions/new">Log a support session</Link>
          </p>
        </section>
      ) : null}

      {plan?.health && seeHealth ? <HealthCard health={plan.health} proposals={proposals} /> : null}

      {plan ? <PlanOverview plan={plan} isPlo={isPlo} seeHealth={seeHealth} /> : null}

      {isPlo ? (
        <div className="grid-2">
          <section className="card">
            <h2>RACI matrix</h2>
            {raci === null ? (
              <p>
                Not set up yet. <Link to="raci">Start it from the template</Link> to document who is Responsible and Accountable for each
                rollout activity.
              </p>
            ) : raci.errors > 0 ? (
              <p>
                <span className="pill pill--error">
                  {raci.errors} error{raci.errors === 1 ? "" : "s"}
                </span>{" "}
                Some activities lack exactly one Accountable or any Responsible. <Link to="raci">Fix the matrix</Link>
              </p>
            ) : (
              <p>
                <span className="pill pill--ok">No errors</span> {raci.warnings} warning{raci.warnings === 1 ? "" : "s"}.{" "}
                <Link to="raci">Open the matrix</Link>
              </p>
            )}
          </section>
          <section className="card">
            <h2>Recent changes</h2>
            {recent.length === 0 ? (
              <p className="muted">Nothing has changed in this program yet.</p>
            ) : (
              <ul className="activity">
                {recent.map((e) => (
                  <li key={e.id}>
                    <span>{e.summary}</span>{" "}
                    <span className="muted">
                      — {e.actorLabel ?? "system"}, {dates.formatDateTime(e.at)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      ) : null}

      {sponsor ? (
        <section className="card">
          <h2>Latest status report</h2>
          {sponsor.next.overdue ? (
            <p role="status">
              <strong>Report overdue:</strong> the next report was due on {dates.formatDate(sponsor.next.dueOn)} ({sponsor.next.label}).
            </p>
          ) : null}
          {sponsor.latest ? (
            <p>
              <Link to={`reports/${sponsor.latest.id}`}>{sponsor.latest.title}</Link>
              {sponsor.latest.acknowledged ? " · acknowledged" : " · to acknowledge"}
              {sponsor.unseen > 0 ? (
                <>
                  {" "}
                  ·{" "}
                  <strong>
                    {sponsor.unseen} new answer{sponsor.unseen === 1 ? "" : "s"}
                  </strong>
                </>
              ) : null}{" "}
              · <Link to="reports">Older reports</Link> · <Link to="decisions">Decision log</Link>
            </p>
          ) : (
            <p className="muted">
              The Program Lead Office has not published a status report for this program yet. Meanwhile, the{" "}
              <Link to="status">live status</Link> shows where the rollout stands.
            </p>
          )}
        </section>
      ) : null}
      <p className="muted">
        <Link to="/programs">All programs</Link>
      </p>
    </>
  );
}

function teamsLink(wave: string, status?: string) {
  const search = new URLSearchParams({ wave });
  if (status) search.set("status", status);
  return `teams?${search.toString()}`;
}

/** The PLO's (and sponsor's) health card: the latest cycle's band, its change, why; the proposals waiting. */
function HealthCard({ health, proposals }: { health: NonNullable<Plan["health"]>; proposals: number | null }) {
  return (
    <section className="card">
      <div className="card__header">
        <h2>Process health · {health.cycle}</h2>
        <Link to="health">Health by wave and unit</Link>
      </div>
      <p>
        <BandBadge band={health.band} score={health.score} />{" "}
        {health.previous ? (
          <>
            since {health.previous}: <ChangeText change={health.change} delta={health.delta} />
          </>
        ) : null}
      </p>
      <ul>
        {health.reasons.slice(0, 3).map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {proposals !== null ? (
        <p>
          {proposals > 0 ? (
            <Link to="graduation">
              {proposals} graduation proposal{proposals === 1 ? "" : "s"} to confirm or reject
            </Link>
          ) : (
            <span className="muted">No graduation proposal waiting.</span>
          )}
        </p>
      ) : null}
    </section>
  );
}

function PlanOverview({ plan, isPlo, seeHealth }: { plan: Plan; isPlo: boolean; seeHealth: boolean }) {
  const rows = [
    ...plan.waves.map((w) => ({ key: w.id, label: w.name, href: `waves/${w.id}` })),
    { key: "none", label: "No wave yet", href: null },
  ];
  const totals = ONBOARDING_STATUSES.map((s) => rows.reduce((sum, r) => sum + (plan.teams[r.key]?.[s] ?? 0), 0));
  const allTeams = totals.reduce((a, b) => a + b, 0);
  // Wave, the statuses, total, state (and health): the span of a wave's detail line.
  const columnCount = ONBOARDING_STATUSES.length + 2 + (seeHealth ? 1 : 0);
  return (
    <>
      <section className="card">
        <div className="card__header">
          <h2>Teams by wave and onboarding status</h2>
          <Link to="teams">All {allTeams.toLocaleString("en")} teams</Link>
        </div>
        {allTeams === 0 ? (
          <p className="muted">
            No teams yet.{" "}
            {isPlo ? (
              <Link to="/org/import">Import the organization from an HR export</Link>
            ) : (
              "The Program Lead Office imports the organization first."
            )}
          </p>
        ) : null}
        {allTeams === 0 && plan.waves.length === 0 ? null : (
          <div className="overview-pivot">
            <div className="data-table__scroll">
              <table className="pivot">
                <caption className="visually-hidden">
                  Number of teams per wave and onboarding status; each number links to those teams
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Wave</th>
                    {ONBOARDING_STATUSES.map((s) => (
                      <th key={s} scope="col" className="num">
                        {ONBOARDING_STATUS_LABELS[s]}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col">State</th>
                    {seeHealth ? <th scope="col">Health</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const counts = plan.teams[row.key];
                    const life = row.key === "none" ? null : plan.lifecycle[row.key];
                    // Entry criteria matter until the start; then the wave's lifecycle speaks.
                    const readiness =
                      row.key === "none" || (life && life.state !== "planned" && life.state !== "starting")
                        ? null
                        : plan.readiness[row.key];
                    const next = readiness ? (
                      <>
                        <ReadinessBadge state={readiness.state} />
                        {readiness.reasons[0] ? <span className="muted"> {readiness.reasons[0]}</span> : null}
                        {readiness.reasons.length > 1 ? <span className="muted"> (+{readiness.reasons.length - 1} more)</span> : null}
                      </>
                    ) : life && life.state !== "planned" ? (
                      <ExitProgressText exit={life.exit} />
                    ) : null;
                    return (
                      <Fragment key={row.key}>
                        <tr className={next ? "pivot__has-detail" : undefined}>
                          <th scope="row" rowSpan={next ? 2 : undefined}>
                            {row.href ? <Link to={row.href}>{row.label}</Link> : row.label}
                          </th>
                          {ONBOARDING_STATUSES.map((s) => (
                            <td key={s} className="num">
                              {counts?.[s] ? (
                                <Link to={teamsLink(row.key, s)}>{counts[s].toLocaleString("en")}</Link>
                              ) : (
                                <span className="muted">0</span>
                              )}
                            </td>
                          ))}
                          <td className="num">
                            {counts?.total ? (
                              <Link to={teamsLink(row.key)}>{counts.total.toLocaleString("en")}</Link>
                            ) : (
                              <span className="muted">0</span>
                            )}
                          </td>
                          <td>{life ? <WaveStateBadge state={life.state} hint={life.hint} /> : null}</td>
                          {seeHealth ? (
                            <td>{life?.health ? <BandBadge band={life.health.band} score={life.health.score} /> : null}</td>
                          ) : null}
                        </tr>
                        {next ? (
                          <tr className="pivot__detail">
                            {/* Until the start the entry criteria speak (readiness); from then on the exit criteria. */}
                            <td colSpan={columnCount}>{next}</td>
                          </tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <WaveStatusChart rows={rows.map((row) => ({ key: row.key, label: row.label, counts: plan.teams[row.key] ?? {} }))} />
          </div>
        )}
        {plan.waves.length === 0 && isPlo ? (
          <p>
            <Link to="waves">Plan the first wave</Link> to give the rollout its phases.
          </p>
        ) : null}
      </section>

      {plan.cycle ? (
        <section className="card">
          <h2>{`Cycle checklist · ${plan.cycle.cycle.name}`}</h2>
          <WaveChecklistTable cycleName={plan.cycle.cycle.name} waves={plan.cycle.waves} />
        </section>
      ) : null}

      <div className="grid-3">
        <section className="card">
          <div className="card__header">
            <h2>Late milestones</h2>
            <Link to="milestones">All {plan.milestones.total}</Link>
          </div>
          {plan.late.length === 0 ? (
            <p className="muted">No milestone is late.</p>
          ) : (
            <ul className="overview-list">
              {plan.late.map((m) => (
                <li key={m.id}>
                  <Link to={`milestones/${m.id}`}>{m.title}</Link>{" "}
                  <span className="muted">
                    due {dates.formatDate(m.dueOn)}
                    {m.ownerName ? ` · ${m.ownerName}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {plan.milestones.late > plan.late.length ? (
            <p>
              <Link to="milestones?status=late">{plan.milestones.late} late in all</Link>
            </p>
          ) : null}
        </section>
        <section className="card">
          <div className="card__header">
            <h2>Top risks</h2>
            <Link to="risks">Heat map</Link>
          </div>
          {plan.risks.length === 0 ? (
            <p className="muted">No open risks.</p>
          ) : (
            <ul className="overview-list">
              {plan.risks.map((r) => (
                <li key={r.id}>
                  <Link to={`risks/${r.id}`}>{r.title}</Link>{" "}
                  <span className="muted">
                    score {r.score} ({r.likelihood} × {r.impact}){r.ownerName ? ` · ${r.ownerName}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card">
          <div className="card__header">
            <h2>Stakeholders to contact</h2>
            <Link to="stakeholders">All</Link>
          </div>
          {plan.contacts.length === 0 ? (
            <p className="muted">Nobody is due for contact.</p>
          ) : (
            <ul className="overview-list">
              {plan.contacts.map((s) => (
                <li key={s.id}>
                  <Link to={`stakeholders/${s.id}`}>{s.name}</Link>{" "}
                  <span className="muted">
                    {s.overdue ? <strong>overdue</strong> : "due"} ·{" "}
                    {s.lastContactOn ? `last contact ${dates.formatDate(s.lastContactOn)}` : "never contacted"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
