import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/utils/auth.server";
import { can } from "~/utils/permissions";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/org.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  return { canWrite: can(user.role, "org:write") };
}

/** Units is the tab of the tree and of every unit page. */
type Tab = "units" | "teams" | "people" | "import";

function isCurrent(pathname: string, tab: Tab) {
  if (tab === "units") return pathname === "/org" || pathname === "/org/" || pathname.startsWith("/org/units");
  return pathname.startsWith(`/org/${tab}`);
}

export default function OrgLayout() {
  const { canWrite } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const tabs: Array<{ tab: Tab; to: string; label: string }> = [
    { tab: "units", to: "/org", label: "Units" },
    { tab: "teams", to: "/org/teams", label: "Teams" },
    { tab: "people", to: "/org/people", label: "People" },
    ...(canWrite ? [{ tab: "import" as const, to: "/org/import", label: "Import" }] : []),
  ];
  return (
    <>
      <div className="program-header">
        <p className="eyebrow">Organization</p>
        <nav aria-label="Organization" className="sub-nav">
          <ul>
            {tabs.map((t) => (
              <li key={t.tab}>
                <Link to={t.to} aria-current={isCurrent(pathname, t.tab) ? "page" : undefined}>
                  {t.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <Outlet />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Organization · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
