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
  { rel: "stylesheet", href: "/styles/health.css" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params);
  const role = user.role;
  // The program's sections, grouped: each role sees the links it uses (a coach: their teams,
  // sessions and questions, not the PLO's staffing pages), and each page has one name.
  const manage = can(role, "coaching:manage");
  const links = (...entries: Array<[string, string] | false>) => entries.filter((e): e is [string, string] => e !== false);
  const groups: Array<{ label: string; links: Array<[string, string]> }> = [
    {
      label: "Team",
      links: can(role, "home:team") ? [["my-team", role === "member" ? "My key results" : "My team"]] : [],
    },
    {
      label: "Plan",
      links: can(role, "plan:read")
        ? role === "coach"
          ? links(["teams", "Teams"], ["timeline", "Timeline"])
          : links(
              ["teams", "Teams"],
              ["waves", "Waves"],
              ["milestones", "Milestones"],
              ["timeline", "Timeline"],
              ["stakeholders", "Stakeholders"],
              ["risks", "Risks"],
              can(role, "graduation:manage") && ["graduation", "Graduation"],
            )
        : [],
    },
    {
      label: "Coaching",
      links: links(
        role === "coach" && ["my-teams", "My teams"],
        can(role, "coaching:read") && role !== "coach" && ["coverage", "Coverage"],
        manage && ["coaches", "Coaches"],
        manage && ["assignments", "Assignments"],
        can(role, "coaching:read") && role !== "coach" && ["coaching-activity", "Activity"],
        manage && ["my-teams", "Coach homes"],
        can(role, "sessions:read") && ["sessions", manage ? "Sessions" : "My sessions"],
        can(role, "sessions:read") && ["escalations", manage ? "Escalation queue" : "My questions"],
      ),
    },
    {
      label: "OKRs",
      links: can(role, "cycles:read")
        ? [
            ["cycles", "Cycles"],
            ["calendar", "Calendar"],
          ]
        : [],
    },
    {
      label: "Enablement",
      links: can(role, "enablement:manage")
        ? [
            ["enablement", "Coverage"],
            ["enablement/sessions", "Training sessions"],
            ["enablement/curriculum", "Curriculum"],
          ]
        : can(role, "enablement:read")
          ? [
              ["enablement", "Coverage"],
              ["enablement/mine", "What I still need"],
            ]
          : can(role, "enablement:aggregates")
            ? [["enablement", "Coverage"]]
            : [],
    },
    {
      label: "Reporting",
      links: [
        ...(can(role, "status:read") ? ([["status", "Live status"]] as Array<[string, string]>) : []),
        ...(can(role, "health:read") ? ([["health", "Health"]] as Array<[string, string]>) : []),
        ...(can(role, "reports:read") ? ([["reports", "Reports"]] as Array<[string, string]>) : []),
        ...(can(role, "status:read")
          ? ([
              ["decisions", "Decisions"],
              ["budget", "Budget"],
            ] as Array<[string, string]>)
          : []),
      ],
    },
    {
      label: "Roles",
      links: links(["raci", "RACI"], can(role, "programs:write") && ["settings", "Settings"]),
    },
  ];
  return data(
    { program, groups: groups.filter((g) => g.links.length > 0) },
    { headers: { "Set-Cookie": await rememberProgram(program.id) } },
  );
}

export default function ProgramLayout() {
  const { program, groups } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="program-header">
        <p className="eyebrow">
          Program · <span className={`status status--${program.status}`}>{STATUS_LABELS[program.status]}</span>
        </p>
        <nav aria-label="Program" className="sub-nav sub-nav--grouped">
          <ul>
            <li>
              <NavLink to={`/programs/${program.id}`} end>
                Overview
              </NavLink>
            </li>
          </ul>
          {groups.map((group) => (
            <div key={group.label} className="sub-nav__group" role="group" aria-label={group.label}>
              <span className="sub-nav__label" aria-hidden="true">
                {group.label}
              </span>
              <ul>
                {group.links.map(([path, label]) => (
                  <li key={path}>
                    <NavLink to={`/programs/${program.id}/${path}`}>{label}</NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      </div>
      {/* "Skip to content" lands here, after the sub-navigation (root.tsx). */}
      <div id="content" tabIndex={-1} className="program-content">
        <Outlet />
      </div>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.program.name} · Rollout Desk` : "Program · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
