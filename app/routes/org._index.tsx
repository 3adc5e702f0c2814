import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { UnitTree } from "~/components/org/unit-tree";
import { listUnitTree } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  const includeArchived = new URL(request.url).searchParams.get("archived") === "1";
  const tree = await listUnitTree(getDb(), { includeArchived });
  return { tree, includeArchived, canWrite: can(user.role, "org:write") };
}

export default function Units() {
  const { tree, includeArchived, canWrite } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>Units</h1>
        <div className="org-actions">
          <a className="button button--secondary button--small" href={`/org/units.csv${includeArchived ? "?archived=1" : ""}`} download>
            Export CSV
          </a>
          {canWrite ? (
            <Link className="button" to="/org/units/new">
              New unit
            </Link>
          ) : null}
        </div>
      </div>
      <p className="lead">
        The organization as a tree: company, divisions, departments. Counts are active teams and people, sub-units included.
      </p>
      <Form method="get" className="filter-bar">
        <label>
          <input
            type="checkbox"
            name="archived"
            value="1"
            defaultChecked={includeArchived}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          />{" "}
          Show archived units
        </label>
        <noscript>
          <button type="submit" className="button button--small button--secondary">
            Apply
          </button>
        </noscript>
      </Form>
      {tree.length === 0 ? (
        <div className="empty-state">
          <p>No units yet.</p>
          {canWrite ? (
            <p>
              <Link to="/org/units/new">Create the top-level unit</Link> (your company), or{" "}
              <Link to="/org/import">import the organization</Link> from an HR export.
            </p>
          ) : (
            <p className="muted">The Program Lead Office has not set up the organization yet.</p>
          )}
        </div>
      ) : (
        <UnitTree nodes={tree} canWrite={canWrite} label="Units" />
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Units · Organization · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
