import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EventTable, MonthGrid, ViewToggle } from "~/components/cycles/calendar";
import { calendarEvents, calendarFilterOptions } from "~/models/cycles/cycles.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { addDays, isDay, monthOf, today as todayOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";

// The program's OKR calendar across cycles: every event, or those for one team, or one coach's
// (their teams' events and those they facilitate); as a list (the coming months) or a month grid.
// Links to iCal subscription on the account's calendar page.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params);
  const db = getDb();
  const url = new URL(request.url);
  const today = todayOf();
  const view: "list" | "month" = url.searchParams.get("view") === "month" ? "month" : "list";
  const requested = url.searchParams.get("month") ?? "";
  const month = /^\d{4}-\d{2}$/.test(requested) && isDay(`${requested}-01`) ? requested : monthOf(today);
  const teamId = url.searchParams.get("team") || null;
  const coachId = url.searchParams.get("coach") || null;
  const [from, to] = view === "month" ? [`${month}-01`, addDays(`${month}-01`, 40)] : [addDays(today, -14), addDays(today, 183)];
  const [events, options] = await Promise.all([
    calendarEvents(db, program.id, from, to, { teamId, coachId }),
    calendarFilterOptions(db, viewer, program.id, today),
  ]);
  return {
    programId: program.id,
    events: view === "month" ? events.filter((e) => monthOf(e.occursOn) === month) : events,
    options,
    teamId,
    coachId,
    view,
    month,
    today,
    canManage: viewer.manage,
  };
}

export default function ProgramCalendar() {
  const { programId, events, options, teamId, coachId, view, month, today, canManage } = useLoaderData<typeof loader>();
  const base = `/programs/${programId}/calendar`;
  const filter = `${teamId ? `&team=${teamId}` : ""}${coachId ? `&coach=${coachId}` : ""}`;
  const eventHref = canManage
    ? (e: { id: string; cycleId: string }) => `/programs/${programId}/cycles/${e.cycleId}/events/${e.id}`
    : undefined;
  return (
    <>
      <div className="page-header">
        <h1>OKR calendar</h1>
        <Link to="/account/calendar">Subscribe in your calendar app →</Link>
      </div>
      <Form method="get" className="filter-bar">
        <input type="hidden" name="view" value={view} />
        {view === "month" ? <input type="hidden" name="month" value={month} /> : null}
        <label>
          Team{" "}
          <select name="team" defaultValue={teamId ?? ""}>
            <option value="">All teams</option>
            {options.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Coach{" "}
          <select name="coach" defaultValue={coachId ?? ""}>
            <option value="">Any coach</option>
            {options.coaches.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" className="button button--secondary">
          Show
        </button>
      </Form>
      <ViewToggle view={view} listHref={`${base}?view=list${filter}`} monthHref={`${base}?view=month&month=${month}${filter}`} />
      {view === "month" ? (
        <MonthGrid
          month={month}
          events={events}
          today={today}
          eventHref={eventHref}
          hrefFor={(m) => `${base}?view=month&month=${m}${filter}`}
        />
      ) : (
        <EventTable events={events} eventHref={eventHref} showCycle caption="Events of the coming months" />
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "OKR calendar · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
