import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CoachingNav, NotACoach } from "~/components/sessions/coaching-bits";
import { LogSessionForm, type LogResult } from "~/components/sessions/log-session-form";
import { getSupportSession } from "~/models/coaching/session-history.server";
import { listSessionCoachOptions, listSessionTeamOptions } from "~/models/coaching/session-options.server";
import { logSession } from "~/models/coaching/sessions.server";
import { eventChoicesNear } from "~/models/cycles/cycles.server";
import { defaultAttendees } from "~/models/homes/coach-home";
import { teamSizes } from "~/models/homes/team-sizes.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { sessionSchema } from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";
import { domainFailure } from "~/utils/action.server";
import { ForbiddenError } from "~/models/errors";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

const param = (url: URL, name: string) => (url.searchParams.get(name) ?? "").replaceAll("\u0000", "").trim().slice(0, 64);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:write");
  const base = { program: { id: program.id, name: program.name }, manage: viewer.manage };
  if (!viewer.manage && !viewer.coach) return { ...base, notACoach: true as const };
  const url = new URL(request.url);
  const today = dates.today();
  const teamId = param(url, "team");
  const loggedId = param(url, "logged");
  const db = getDb();
  // The PLO logs for a coach they pick (?coach=, else their own coach row): the form then offers
  // that coach's teams (a large program has thousands) and the team of the URL.
  const coachParam = param(url, "coach");
  const chosenCoach = viewer.manage ? coachParam || viewer.coach?.id || "" : "";
  const [teams, coaches, logged, events] = await Promise.all([
    listSessionTeamOptions(db, viewer, program.id, today, { include: teamId || null, coachId: chosenCoach || null }),
    viewer.manage ? listSessionCoachOptions(db, program.id) : Promise.resolve(null),
    loggedId
      ? getSupportSession(db, viewer, program.id, loggedId).catch((error: unknown) => {
          if (error instanceof ForbiddenError) return null;
          throw error;
        })
      : Promise.resolve(null),
    eventChoicesNear(db, program.id, today),
  ]);
  const current = teams.filter((t) => t.current);
  // The team from the page the coach came from; else their only current team.
  const defaultTeam = teams.some((t) => t.id === teamId) ? teamId : current.length === 1 ? current[0].id : "";
  // Attendees start at the team's size (a required field with no default failed the first submit).
  const sizes = await teamSizes(
    db,
    teams.map((t) => t.id),
  );
  const defaultCoach = coaches?.some((c) => c.id === chosenCoach) ? chosenCoach : "";
  return {
    ...base,
    notACoach: false as const,
    teams: teams.map((t) => ({ id: t.id, name: t.name, current: t.current })),
    coaches,
    defaults: {
      teamId: defaultTeam,
      heldOn: today,
      durationMinutes: "60",
      attendees: defaultAttendees(sizes.get(defaultTeam)),
      type: "",
      maturity: "",
      notes: "",
      followUps: "",
      coachId: defaultCoach,
      cycleEventId: "",
    },
    logged: logged ? { id: logged.id, teamId: logged.teamId, teamName: logged.teamName } : null,
    teamId: teamId || null,
    maxDate: dates.addDays(today, 1),
    events,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:write");
  const formData = await request.formData();
  // A fetcher (JavaScript) asks to stay on the page; a plain form post gets a redirect.
  const stay = formData.get("_stay") === "1";
  const parsed = parseForm(sessionSchema(), formData);
  if (!parsed.ok) return data<LogResult>({ ok: false, errors: parsed.errors, values: parsed.values }, { status: 400 });
  let logged;
  try {
    logged = await logSession(getDb(), viewer, program.id, parsed.data);
  } catch (error) {
    return domainFailure(error, parsed.values, { ok: false as const });
  }
  if (stay) {
    return data<LogResult>({
      ok: true,
      session: { id: logged.id, teamId: logged.teamId, teamName: logged.teamName, heldOn: logged.heldOn, coachId: parsed.data.coachId },
    });
  }
  const back = new URLSearchParams({ team: logged.teamId, logged: logged.id });
  if (viewer.manage && parsed.data.coachId) back.set("coach", parsed.data.coachId);
  return redirectWithToast(request, `/programs/${program.id}/sessions/new?${back.toString()}`, `Session logged for ${logged.teamName}.`);
}

export default function LogSession() {
  const loaded = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  if (loaded.notACoach) return <NotACoach programName={loaded.program.name} title="Log a support session" />;
  const { program, manage, teams, coaches, defaults, logged, maxDate, teamId, events } = loaded;
  const coachName = coaches?.find((c) => c.id === defaults.coachId)?.name;
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <h1>Log a support session</h1>
      {coaches ? (
        <Form method="get" className="filter-bar" aria-label="Choose the coach">
          <label>
            For coach{" "}
            <select name="coach" defaultValue={defaults.coachId}>
              <option value="">Choose the coach…</option>
              {coaches.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.active ? c.name : `${c.name} (inactive)`}
                </option>
              ))}
            </select>
          </label>
          {teamId ? <input type="hidden" name="team" value={teamId} /> : null}
          <button type="submit" className="button button--secondary button--small">
            Show their teams
          </button>
          {coachName ? <span className="muted">The team list below holds {coachName}&apos;s teams.</span> : null}
        </Form>
      ) : null}
      {teams.length === 0 && !(manage && !defaults.coachId) ? (
        <p className="muted">
          {manage ? "This coach has no team assigned in this program yet." : "You have no teams assigned in this program yet."}
        </p>
      ) : null}
      <section className="card">
        <LogSessionForm
          programId={program.id}
          teams={teams}
          coaches={coaches}
          defaults={defaults}
          failure={failure && !failure.ok ? failure : null}
          logged={logged}
          maxDate={maxDate}
          events={events}
        />
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Log a support session · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
