import type { ReactNode } from "react";
import type { ReportSnapshot } from "~/models/reports/snapshot";
import { formatDate, formatDateTime } from "~/utils/dates";
import { SECTION_LABELS, type ReportSection } from "~/validation/reports";
import { BurnUpChart, CoverageChart, HealthByWaveChart } from "./charts";
import { DimensionTable, OverallBanner } from "./status-view";

// A status report as a reader sees it, drawn from its (frozen or, for a draft, preview)
// snapshot and its narrative. The same component renders the page, its print layout and the
// PDF. The first printed page holds the summary: overall status, narrative summary and the
// colour per dimension; charts and details follow on the next pages.

export interface ReportNarrative {
  title: string;
  programName: string;
  scopeLabel: string;
  periodStart: string;
  periodEnd: string;
  summary: string;
  achievements: string;
  nextSteps: string;
  revision: number;
  correctionReason: string | null;
  stateLabel: string;
  publishedAt: string | null;
  publishedBy: string | null;
}

function Text({ text, empty }: { text: string; empty: string }) {
  return text.trim() ? <p className="report-text">{text}</p> : <p className="muted">{empty}</p>;
}

const money = (n: number) => n.toLocaleString("en");

export function ReportDocument({
  narrative,
  snapshot,
  sectionExtras,
}: {
  narrative: ReportNarrative;
  snapshot: ReportSnapshot;
  /** Questions and forms per section (page only; never in print). */
  sectionExtras?: (section: ReportSection) => ReactNode;
}) {
  const extras = (section: ReportSection) => (sectionExtras ? sectionExtras(section) : null);
  const heading = (section: ReportSection) => <h2 id={`section-${section}`}>{SECTION_LABELS[section]}</h2>;
  return (
    <article className="report-document">
      <header className="report-first-page">
        <p className="eyebrow">
          {narrative.programName} · {narrative.scopeLabel}
        </p>
        <h1>{narrative.title}</h1>
        <p className="report-meta">
          <span>
            Period {formatDate(narrative.periodStart)} – {formatDate(narrative.periodEnd)}
          </span>
          <span>{narrative.stateLabel}</span>
          {narrative.publishedAt ? (
            <span>
              Published {narrative.publishedAt}
              {narrative.publishedBy ? ` by ${narrative.publishedBy}` : ""}
            </span>
          ) : null}
          <span>Figures as of {formatDate(snapshot.takenOn)}</span>
        </p>
        {narrative.correctionReason ? (
          <p className="banner-warning">
            {`Revision ${narrative.revision}, correcting revision ${narrative.revision - 1}: ${narrative.correctionReason}`}
          </p>
        ) : null}
        <section className="report-section" aria-labelledby="section-summary">
          <OverallBanner overall={snapshot.overall} />
          {heading("summary")}
          <Text text={narrative.summary} empty="No summary written." />
          {extras("summary")}
        </section>
        <section className="report-section" aria-labelledby="section-status">
          {heading("status")}
          <DimensionTable dimensions={snapshot.dimensions} trends={snapshot.trends} />
          {snapshot.previous ? (
            <p className="muted">Changes are since the report for the period ending {formatDate(snapshot.previous.periodEnd)}.</p>
          ) : (
            <p className="muted">This is the first report of this scope: no trend yet.</p>
          )}
          {extras("status")}
        </section>
      </header>

      <section className="charts report-page-break" aria-label="Charts">
        <BurnUpChart data={snapshot.charts.burnUp} today={snapshot.takenOn} />
        <CoverageChart bars={snapshot.charts.coverage} />
        <HealthByWaveChart rows={snapshot.charts.healthByWave} />
      </section>

      <section className="report-section" aria-labelledby="section-achievements">
        {heading("achievements")}
        <Text text={narrative.achievements} empty="None listed." />
        {extras("achievements")}
      </section>
      <section className="report-section" aria-labelledby="section-next_steps">
        {heading("next_steps")}
        <Text text={narrative.nextSteps} empty="None listed." />
        {extras("next_steps")}
      </section>

      <section className="report-section" aria-labelledby="section-risks">
        {heading("risks")}
        {snapshot.risks.length === 0 ? (
          <p className="muted">No risk was picked for this report.</p>
        ) : (
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">Risk</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Status</th>
                <th scope="col">Mitigation</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.risks.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.title}
                    {r.ownerName ? <span className="muted"> · {r.ownerName}</span> : null}
                  </td>
                  <td className="num">
                    {r.score} ({r.likelihood} × {r.impact})
                  </td>
                  <td>{r.status}</td>
                  <td>{r.mitigation || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {extras("risks")}
      </section>

      <section className="report-section" aria-labelledby="section-decisions">
        {heading("decisions")}
        {snapshot.decisions.length === 0 ? (
          <p className="muted">No decision is requested.</p>
        ) : (
          <ul className="decision-list">
            {snapshot.decisions.map((d) => (
              <li key={d.id} data-decision={d.id}>
                <p>
                  <strong>{d.question}</strong> <span className="muted">due {formatDate(d.dueOn)}</span>
                  {d.carried ? <span className="muted"> · carried from an earlier report</span> : null}
                  {" · "}
                  {d.state === "decided" ? `decided: ${d.decision ?? ""}` : "open"}
                </p>
                {d.options ? <p className="report-text">Options: {d.options}</p> : null}
                {d.recommendation ? <p>Recommendation: {d.recommendation}</p> : null}
                {d.impactIfLate ? <p>Impact if late: {d.impactIfLate}</p> : null}
              </li>
            ))}
          </ul>
        )}
        {extras("decisions")}
      </section>

      <section className="report-section" aria-labelledby="section-commitments">
        {heading("commitments")}
        {snapshot.commitments.length === 0 ? (
          <p className="muted">No sponsor commitment is recorded.</p>
        ) : (
          <ul>
            {snapshot.commitments.map((c) => (
              <li key={c.id}>
                {c.title} — due {formatDate(c.dueOn)}
                {c.doneAt ? ` · done ${formatDateTime(c.doneAt)}` : c.overdue ? " · overdue" : " · open"}
              </li>
            ))}
          </ul>
        )}
        {extras("commitments")}
      </section>

      <section className="report-section" aria-labelledby="section-budget">
        {heading("budget")}
        {snapshot.budget.lines.length === 0 ? (
          <p className="muted">No budget is planned.</p>
        ) : (
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Planned
                </th>
                <th scope="col" className="num">
                  Spent
                </th>
              </tr>
            </thead>
            <tbody>
              {snapshot.budget.lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.category}</td>
                  <td className="num">{money(l.planned)}</td>
                  <td className="num">{money(l.spent)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Total</th>
                <td className="num">{money(snapshot.budget.planned)}</td>
                <td className="num">{money(snapshot.budget.spent)}</td>
              </tr>
            </tbody>
          </table>
        )}
        <p>
          Effort: {snapshot.budget.coachingHours.toLocaleString("en")} hours of coaching
          {snapshot.budget.trainingHours === null ? "" : `, ${snapshot.budget.trainingHours.toLocaleString("en")} hours of training`}.
        </p>
        {extras("budget")}
      </section>
    </article>
  );
}
