import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { listStates } from "~/models/enablement/resolve.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { AUDIENCE_LABELS } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// The PLO's list of overdue required training, oldest first, and its CSV export.

const PAGE = 500;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const rows = await listStates(getDb(), program.id, today(), { states: ["overdue"], necessity: "required", limit: PAGE + 1 });
  return { program: { id: program.id, name: program.name }, rows: rows.slice(0, PAGE), more: rows.length > PAGE };
}

export default function Overdue() {
  const { program, rows, more } = useLoaderData<typeof loader>();
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <div className="page-header">
        <h1>Overdue training</h1>
        <a className="button button--secondary button--small" href={`/programs/${program.id}/enablement/overdue.csv`} download>
          Download CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="muted">Nothing is overdue.</p>
      ) : (
        <table className="simple-table">
          <caption>{more ? `The first ${rows.length} overdue items (the CSV has all)` : `${rows.length} overdue`}</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">As</th>
              <th scope="col">Module</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.personId}:${r.requirementId}`}>
                <td>
                  {r.personName} <span className="muted">{r.personEmail}</span>
                </td>
                <td>{AUDIENCE_LABELS[r.audience]}</td>
                <td>{r.moduleTitle}</td>
                <td>{formatDate(r.dueOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Overdue training · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
