import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { SubmitButton } from "~/components/ui/submit-button";
import { diffStates, listChanges, matrixStateAt } from "~/models/raci/history.server";
import { restoreRevision } from "~/models/raci/restore.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { domainFailure } from "~/utils/action.server";

const PAGE_SIZE = 50;
const query = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  from: z.coerce.number().int().min(0).optional().catch(undefined),
  to: z.coerce.number().int().min(0).optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "raci:read");
  const db = getDb();
  const q = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { matrix, changes, total } = await listChanges(db, program.id, { page: q.page, pageSize: PAGE_SIZE }).catch(() => {
    throw new Response("This program has no RACI matrix yet.", { status: 404 });
  });
  let diff = null;
  if (q.from !== undefined && q.to !== undefined) {
    const from = Math.min(q.from, matrix.revision);
    const to = Math.min(q.to, matrix.revision);
    const [a, b] = await Promise.all([matrixStateAt(db, matrix.id, from), matrixStateAt(db, matrix.id, to)]);
    diff = { from, to, differences: diffStates(a, b) };
  }
  return { programId: program.id, revision: matrix.revision, changes, total, page: q.page, diff, canEdit: can(user.role, "raci:write") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "raci:write");
  const form = await request.formData();
  const revision = z.coerce.number().int().min(1).max(1_000_000_000).safeParse(form.get("revision"));
  if (form.get("intent") !== "restore" || !revision.success) {
    return data({ intent: "restore", errors: { _form: "Choose a revision to restore." }, values: {} }, { status: 400 });
  }
  try {
    const result = await restoreRevision(getDb(), user, program.id, revision.data);
    return redirectWithToast(
      request,
      `/programs/${program.id}/raci`,
      result.changes
        ? `Restored revision ${revision.data} (${result.changes} changes, recorded as a new revision).`
        : `The matrix already matches revision ${revision.data}.`,
    );
  } catch (error) {
    return domainFailure(error, {}, { intent: "restore" });
  }
}

function describe(change: { kind: string; before: unknown; after: unknown; activityName: string | null; roleName: string | null }) {
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  switch (change.kind) {
    case "cell":
      return `${change.activityName ?? "?"} × ${change.roleName ?? "?"}: ${before.value ?? "empty"} → ${after.value ?? "empty"}`;
    case "activity.add":
      return `Added activity “${after.name}”`;
    case "role.add":
      return `Added role “${after.name}”`;
    case "activity.remove":
      return `Removed activity “${before.name}”`;
    case "role.remove":
      return `Removed role “${before.name}”`;
    case "activity.update":
    case "role.update":
      if (after.name !== undefined && before.name !== undefined && after.name !== before.name)
        return `Renamed “${before.name}” → “${after.name}”`;
      if (after.position !== undefined && before.position !== after.position) return `Moved “${change.activityName ?? change.roleName}”`;
      return `Updated “${change.activityName ?? change.roleName}”`;
    default:
      return change.kind;
  }
}

export default function RaciHistory() {
  const { programId, revision, changes, total, page, diff, canEdit } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const revisions = [...new Set(changes.map((c) => c.revision))];
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/raci`}>← RACI matrix</Link>
      </p>
      <h1>RACI history</h1>
      <p className="lead">Every change, newest first. The matrix is at revision {revision}.</p>
      <section className="card">
        <h2>Compare two revisions</h2>
        <Form method="get" className="filter-bar">
          <label>
            From revision{" "}
            <input type="number" name="from" min={0} max={revision} defaultValue={params.get("from") ?? Math.max(0, revision - 1)} />
          </label>
          <label>
            To revision <input type="number" name="to" min={0} max={revision} defaultValue={params.get("to") ?? revision} />
          </label>
          <button type="submit" className="button button--small">
            Compare
          </button>
        </Form>
        {diff ? (
          diff.differences.length ? (
            <table className="simple-table">
              <caption>
                {diff.differences.length} difference{diff.differences.length === 1 ? "" : "s"} from revision {diff.from} to {diff.to}
              </caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {diff.differences.map((d, i) => (
                  <tr key={i}>
                    <td>{d.kind === "cell" ? d.label : `${d.kind.replace("-", " ")}: ${d.label}`}</td>
                    <td>{d.from ?? "—"}</td>
                    <td>{d.to ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">
              Revisions {diff.from} and {diff.to} are identical.
            </p>
          )
        ) : null}
      </section>
      <table className="simple-table">
        <caption className="visually-hidden">RACI changes</caption>
        <thead>
          <tr>
            <th scope="col">Revision</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Change</th>
            {canEdit ? <th scope="col">Restore</th> : null}
          </tr>
        </thead>
        <tbody>
          {changes.map((c, i) => (
            <tr key={c.id}>
              <td>{c.revision}</td>
              <td>{formatDateTime(c.at)}</td>
              <td>{c.actorLabel ?? "—"}</td>
              <td>{describe(c)}</td>
              {canEdit ? (
                <td>
                  {revisions.includes(c.revision) && changes.findIndex((x) => x.revision === c.revision) === i && c.revision < revision ? (
                    <Form method="post">
                      <input type="hidden" name="revision" value={c.revision} />
                      <SubmitButton name="intent" value="restore" className="button button--small button--secondary">
                        Restore revision {c.revision}
                      </SubmitButton>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Pages" className="pager">
        <span>
          {total} change{total === 1 ? "" : "s"} · page {page} of {pages}
        </span>
        {page > 1 ? <Link to={`?page=${page - 1}`}>← Newer</Link> : null}
        {page < pages ? <Link to={`?page=${page + 1}`}>Older →</Link> : null}
      </nav>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "RACI history · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
