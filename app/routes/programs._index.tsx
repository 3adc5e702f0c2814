import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgramTable } from "~/components/program-table";
import { listPrograms } from "~/models/programs/programs.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "programs:read");
  const programs = await listPrograms(getDb(), { includeArchived: true });
  return { programs, canWrite: can(user.role, "programs:write"), canImport: can(user.role, "programs:import") };
}

export default function Programs() {
  const { programs, canWrite, canImport } = useLoaderData<typeof loader>();
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
      {programs.length === 0 ? (
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
        <ProgramTable programs={programs} canWrite={canWrite} />
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Programs · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
