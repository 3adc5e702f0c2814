import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IssueList } from "~/components/raci/raci-editor";
import { getMatrix, matrixIssues } from "~/models/raci/matrix.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { cellKey } from "~/models/raci/rules";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "raci:read");
  const matrix = await getMatrix(getDb(), program.id);
  if (!matrix) throw new Response("This program has no RACI matrix yet.", { status: 404 });
  return { program: { id: program.id, name: program.name }, matrix, issues: matrixIssues(matrix), printedAt: new Date() };
}

export default function RaciPrint() {
  const { program, matrix, issues, printedAt } = useLoaderData<typeof loader>();
  const values = new Map(matrix.cells.flatMap((c) => (c.value ? [[cellKey(c.activityId, c.roleId), c.value] as const] : [])));
  const groups = [...new Set(matrix.activities.map((a) => a.groupName))];
  return (
    <div className="print-page">
      <p className="no-print">
        <Link to={`/programs/${program.id}/raci`}>← Back to the editor</Link> · Use your browser's Print (landscape) or “Save as PDF”.
      </p>
      <h1>RACI matrix — {program.name}</h1>
      <p className="muted">
        Revision {matrix.revision} · printed {formatDateTime(printedAt)} · <strong>R</strong> Responsible (does the work) ·{" "}
        <strong>A</strong> Accountable (owns the result; exactly one) · <strong>C</strong> Consulted (asked before) · <strong>I</strong>{" "}
        Informed (told after)
      </p>
      <table className="raci-print">
        <thead>
          <tr>
            <th scope="col">Activity</th>
            {matrix.roles.map((r) => (
              <th key={r.id} scope="col">
                {r.name}
                {r.holders ? <span className="raci__holders">{r.holders.split("\n").join(", ")}</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => [
            <tr key={`g-${g}`} className="raci__group">
              <th colSpan={matrix.roles.length + 1} scope="colgroup">
                {g}
              </th>
            </tr>,
            ...matrix.activities
              .filter((a) => a.groupName === g)
              .map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.name}</th>
                  {matrix.roles.map((r) => {
                    const v = values.get(cellKey(a.id, r.id));
                    return (
                      <td key={r.id} className={v ? `raci__cell raci__cell--${v}` : "raci__cell"}>
                        {v ?? ""}
                      </td>
                    );
                  })}
                </tr>
              )),
          ])}
        </tbody>
      </table>
      <h2>Checks</h2>
      <IssueList issues={issues} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "RACI matrix (print) · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
