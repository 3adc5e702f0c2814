import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { STATUS_LABELS } from "~/components/program-form";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { rememberProgram } from "~/utils/program-cookie.server";

// The plan's styles serve every program page (the overview shows readiness and status badges).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/plan.css" },
  { rel: "stylesheet", href: "/styles/plan-details.css" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params);
  return data(
    { program, canWrite: can(user.role, "programs:write"), canReadPlan: can(user.role, "plan:read") },
    { headers: { "Set-Cookie": await rememberProgram(program.id) } },
  );
}

export default function ProgramLayout() {
  const { program, canWrite, canReadPlan } = useLoaderData<typeof loader>();
  const planLinks = [
    ["teams", "Teams"],
    ["waves", "Waves"],
    ["milestones", "Milestones"],
    ["timeline", "Timeline"],
    ["stakeholders", "Stakeholders"],
    ["risks", "Risks"],
  ] as const;
  return (
    <>
      <div className="program-header">
        <p className="eyebrow">
          Program · <span className={`status status--${program.status}`}>{STATUS_LABELS[program.status]}</span>
        </p>
        <nav aria-label="Program" className="sub-nav">
          <ul>
            <li>
              <NavLink to={`/programs/${program.id}`} end>
                Overview
              </NavLink>
            </li>
            {canReadPlan
              ? planLinks.map(([path, label]) => (
                  <li key={path}>
                    <NavLink to={`/programs/${program.id}/${path}`}>{label}</NavLink>
                  </li>
                ))
              : null}
            <li>
              <NavLink to={`/programs/${program.id}/raci`}>RACI</NavLink>
            </li>
            {canWrite ? (
              <li>
                <NavLink to={`/programs/${program.id}/settings`}>Settings</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
      </div>
      <Outlet />
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.program.name} · Rollout Desk` : "Program · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
