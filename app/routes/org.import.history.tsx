import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listImports } from "~/models/org/import-history.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDateTime } from "~/utils/dates";

// Every committed HR import: who imported which file when, how people were matched, what changed.
// Each links to its record (mapping, skipped lines, comparison with the import before) and report.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const imports = await listImports(getDb());
  return {
    imports: imports.map((i) => ({
      id: i.id,
      number: i.number,
      fileName: i.fileName,
      committedAt: i.committedAt.toISOString(),
      committedBy: i.committedBy,
      rows: i.rows,
      key: i.key,
      leavers: i.leavers,
      counts: i.counts,
    })),
  };
}

const n = (value: number | undefined) => (value ?? 0).toLocaleString("en");

export default function ImportHistory() {
  const { imports } = useLoaderData<typeof loader>();
  return (
    <section className="card">
      <div className="page-header">
        <h1>Import history</h1>
        <Link to="/org/import">Import a file</Link>
      </div>
      {imports.length === 0 ? (
        <p>No file has been imported yet.</p>
      ) : (
        <div className="data-table__scroll">
          <table className="simple-table">
            <caption>Imports of HR files, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Import</th>
                <th scope="col">File</th>
                <th scope="col">When, by whom</th>
                <th scope="col">Matched by</th>
                <th scope="col">Rows</th>
                <th scope="col">Joiners</th>
                <th scope="col">Moves</th>
                <th scope="col">Leavers</th>
                <th scope="col">Renamed teams</th>
                <th scope="col">Skipped lines</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/org/import/${i.id}`}>#{i.number}</Link>
                  </td>
                  <td>{i.fileName}</td>
                  <td>
                    {formatDateTime(i.committedAt)}, {i.committedBy ?? "a former user"}
                  </td>
                  <td>{i.key === "externalId" ? "employee number" : "email"}</td>
                  <td>{n(i.rows)}</td>
                  <td>{n(i.counts?.join)}</td>
                  <td>{n((i.counts?.move ?? 0) + (i.counts?.restore ?? 0))}</td>
                  <td>
                    {n(i.counts?.leave)}
                    {i.counts?.leave ? ` (${i.leavers === "archive" ? "archived" : "kept"})` : ""}
                  </td>
                  <td>{n(i.counts?.rename)}</td>
                  <td>{n(i.counts?.skipped)}</td>
                  <td>
                    <a href={`/org/import/${i.id}/report.csv`} download>
                      CSV
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Import history · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
