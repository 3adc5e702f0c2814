import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgramTable } from "~/components/program-table";
import { listProgramsPage, PROGRAM_LIST_SPEC } from "~/models/programs/programs.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "programs:read");
  const params = parseListParams(new URL(request.url).searchParams, PROGRAM_LIST_SPEC);
  const page = await listProgramsPage(getDb(), params);
  return {
    rows: page.rows,
    total: page.total,
    params,
    canWrite: can(user.role, "programs:write"),
    canImport: can(user.role, "programs:import"),
  };
}

export default function Programs() {
  const { rows, total, params, canWrite, canImport } = useLoaderData<typeof loader>();
  // The empty state is for an installation without programs, not for a search that finds none.
  const none = total === 0 && !params.q && Object.keys(params.filters).length === 0;
  return (
    <>
      <div className="page-header">
        <h1>Programs</h1>
        <div className="page-header__actions">
          {canImport ? (
            <Link className="button button--secondary" to="/programs/import">
              Import a program
            </Link>
          ) : null}
          {canWrite ? (
            <Link className="button" to="/programs/new">
              New program
            </Link>
          ) : null}
        </div>
      </div>
      <p className="lead">
        A program is one OKR rollout: a pilot, a company-wide rollout, a new division joining. Each has its own plan, coaches, RACI matrix
        and reports.
      </p>
      {none ? (
        <div className="empty-state">
          <p>No programs yet.</p>
          {canWrite ? (
            <p>
              <Link to="/programs/new">Create the first program</Link> to start planning your rollout.
            </p>
          ) : (
            <p>The Program Lead Office has not created one yet.</p>
          )}
        </div>
      ) : (
        <ProgramTable rows={rows} total={total} params={params} canWrite={canWrite} />
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Programs · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
