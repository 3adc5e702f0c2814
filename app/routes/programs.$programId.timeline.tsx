import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MilestoneStatePill } from "~/components/plan-details/milestone-table";
import { TimelineChart } from "~/components/plan-details/timeline-chart";
import { formatMonth } from "~/models/plan/timeline";
import { loadTimeline } from "~/models/plan/timeline.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "plan:read");
  const today = dates.today();
  const timeline = await loadTimeline(getDb(), program, today);
  return { program: { id: program.id, name: program.name }, today, ...timeline };
}

function PrintButton() {
  return (
    <button type="button" className="button button--secondary button--small" onClick={() => window.print()}>
      Print
    </button>
  );
}

export default function Timeline() {
  const { program, today, layout, description, waves, milestones } = useLoaderData<typeof loader>();
  const outside = new Set(layout.outside.map((o) => o.id));
  const barOf = new Map(layout.waves.map((w) => [w.id, w]));
  const range = layout.months.length ? `${formatMonth(layout.months[0].key)} – ${formatMonth(layout.months.at(-1)!.key)}` : null;
  return (
    <div className="timeline-page">
      <div className="page-header">
        <h1>Timeline — {program.name}</h1>
        <p className="button-row no-print">
          <PrintButton />
          <Link className="button button--secondary button--small" to={`/programs/${program.id}/milestones`}>
            Milestones
          </Link>
        </p>
      </div>
      <p className="muted">
        {range ? `${range} · ` : ""}as of {dates.formatDay(today)}
        {layout.range && layout.range.source !== "program"
          ? " · months taken from the waves' and milestones' dates (the program has no start or end date)"
          : ""}
        {layout.truncated ? " · only the first ten years are drawn" : ""}
        <span className="no-print"> · Print uses landscape; “Save as PDF” works too.</span>
      </p>
      <figure className="timeline">
        <TimelineChart layout={layout} title={`Timeline of ${program.name}`} description={description} />
        <figcaption className="visually-hidden">{description}</figcaption>
      </figure>
      <table className="simple-table timeline-table">
        <caption>Waves and milestones on the timeline</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Kind</th>
            <th scope="col">Dates</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {waves.map((w) => {
            const bar = barOf.get(w.id);
            return (
              <tr key={w.id}>
                <th scope="row">{w.name}</th>
                <td>Wave</td>
                <td>{bar?.dateLabel || "—"}</td>
                <td>
                  {outside.has(w.id)
                    ? "Outside the months shown"
                    : bar?.clipped.start || bar?.clipped.end
                      ? "Runs beyond the months shown"
                      : ""}
                </td>
              </tr>
            );
          })}
          {milestones.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <Link to={`/programs/${program.id}/milestones/${m.id}`}>{m.title}</Link>
              </th>
              <td>Milestone{m.waveName ? ` (${m.waveName})` : ""}</td>
              <td>Due {dates.formatDay(m.dueOn)}</td>
              <td>
                <MilestoneStatePill state={m.state} />
                {outside.has(m.id) ? " · outside the months shown" : ""}
              </td>
            </tr>
          ))}
          {waves.length === 0 && milestones.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                No waves or milestones yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Timeline · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
