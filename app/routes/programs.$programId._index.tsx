import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAuditEvents } from "~/models/audit.server";
import { getMatrix, matrixIssues } from "~/models/raci.server";
import { summarizeIssues } from "~/utils/raci-rules";
import { getDb } from "~/utils/db.server";
import { formatDate, formatDateTime, programTimeline } from "~/utils/dates";
import { requireProgram } from "~/utils/program-access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params);
  const isPlo = user.role === "plo" || user.role === "admin";
  const db = getDb();
  const [recent, matrix] = isPlo
    ? await Promise.all([
        listAuditEvents(db, { programId: program.id, page: 1, pageSize: 8, withTotal: false }).then((r) => r.events),
        getMatrix(db, program.id),
      ])
    : [[], null];
  const raci = matrix ? summarizeIssues(matrixIssues(matrix)) : null;
  return { role: user.role, program, recent, raci, timeline: programTimeline(program.starts_on, program.ends_on, new Date()) };
}

export default function ProgramHome() {
  const { role, program, recent, raci, timeline } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{program.name}</h1>
      {program.description ? <p className="lead">{program.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Starts</dt>
          <dd>{formatDate(program.starts_on) ?? "Not set"}</dd>
        </div>
        <div>
          <dt>Ends</dt>
          <dd>{formatDate(program.ends_on) ?? "Not set"}</dd>
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

      {role === "plo" || role === "admin" ? (
        <div className="grid-2">
          <div>
            <section className="card">
              <h2>RACI matrix</h2>
              {raci === null ? (
                <p>
                  Not set up yet. <Link to="raci">Start it from the template</Link> to document who is Responsible and
                  Accountable for each rollout activity.
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
              <h2>Rollout plan</h2>
              <p className="muted">
                Waves, milestones, stakeholders and risks will appear here once the organization is imported and the
                rollout plan is built.
              </p>
            </section>
          </div>
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
                      — {e.actorLabel ?? "system"}, {formatDateTime(e.at)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      ) : null}

      {role === "coach" ? (
        <section className="card">
          <h2>My teams</h2>
          <p className="muted">
            No teams are assigned to you in this program yet. When the Program Lead Office assigns you to teams, they
            appear here with what each team needs next.
          </p>
        </section>
      ) : null}

      {role === "sponsor" ? (
        <section className="card">
          <h2>Latest status report</h2>
          <p className="muted">
            The Program Lead Office has not published a status report for this program yet. Published reports appear
            here, newest first, with the trends since the previous one.
          </p>
        </section>
      ) : null}

      {role === "team_lead" ? (
        <section className="card">
          <h2>Your team</h2>
          <p className="muted">
            Your team's coach, upcoming OKR events and OKR set will appear here once your team joins a rollout wave.
          </p>
        </section>
      ) : null}
      <p className="muted">
        <Link to="/programs">All programs</Link>
      </p>
    </>
  );
}
