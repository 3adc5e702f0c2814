import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EventTable, MonthGrid, ViewToggle } from "~/components/cycles/calendar";
import { CycleFields } from "~/components/cycles/cycle-fields";
import { EventFields } from "~/components/cycles/event-fields";
import { DangerZone } from "~/components/ui/danger-zone";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import {
  changeCycleState,
  createEvent,
  createNextCycle,
  deleteCycle,
  eventFormOptions,
  getCycle,
  listCycleEvents,
  nextCycleStates,
  sessionsPerEvent,
  suggestNextName,
  updateCycle,
} from "~/models/cycles/cycles.server";
import { viewerTeams } from "~/models/cycles/okrs.server";
import { attempt, failure, orErrorResponse, unknownIntent } from "~/utils/action.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { formatDay, isDay, monthOf, today as todayOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm, unconfirmed } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { redirectWithToast } from "~/utils/toast.server";
import { cycleEditSchema, cycleStateSchema, CYCLE_STATE_LABELS, eventSchema, nextCycleSchema } from "~/validation/cycles";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params);
  const db = getDb();
  const url = new URL(request.url);
  const today = todayOf();
  const cycle = await orErrorResponse(() => getCycle(db, program.id, params.cycleId ?? ""));
  const [events, sessions, options, teams] = await Promise.all([
    listCycleEvents(db, cycle.id),
    sessionsPerEvent(db, cycle.id),
    viewer.manage ? eventFormOptions(db, program.id) : Promise.resolve({ waves: [], units: [] }),
    viewerTeams(db, viewer, program.id, today),
  ]);
  const view: "list" | "month" = url.searchParams.get("view") === "month" ? "month" : "list";
  const requested = url.searchParams.get("month") ?? "";
  const month =
    /^\d{4}-\d{2}$/.test(requested) && isDay(`${requested}-01`)
      ? requested
      : today >= cycle.startsOn && today <= cycle.endsOn
        ? monthOf(today)
        : monthOf(cycle.startsOn);
  return {
    programId: program.id,
    cycle,
    events,
    sessions: Object.fromEntries(sessions),
    options,
    teams,
    view,
    month,
    today,
    canManage: viewer.manage,
    canImport: can(viewer.role, "okrs:import"),
    nextStates: nextCycleStates(cycle.state),
    nextName: suggestNextName(cycle.name),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params, "cycles:manage");
  const db = getDb();
  const cycleId = params.cycleId ?? "";
  const here = `/programs/${program.id}/cycles/${cycleId}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  switch (intent) {
    case "save": {
      const parsed = parseForm(cycleEditSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          await updateCycle(db, viewer, program.id, cycleId, parsed.data);
          return redirectWithToast(request, here, "Cycle saved.");
        },
        { intent },
      );
    }
    case "state": {
      const parsed = parseForm(cycleStateSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const { name } = await changeCycleState(db, viewer, program.id, cycleId, parsed.data.state, parsed.data.version);
          return redirectWithToast(request, here, `${name} is now ${CYCLE_STATE_LABELS[parsed.data.state].toLowerCase()}.`);
        },
        { intent },
      );
    }
    case "add-event": {
      const parsed = parseForm(eventSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          await createEvent(db, viewer, program.id, cycleId, parsed.data);
          return redirectWithToast(request, here, "Event added.");
        },
        { intent },
      );
    }
    case "next": {
      const parsed = parseForm(nextCycleSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const { id, shiftDays } = await createNextCycle(db, viewer, program.id, cycleId, parsed.data.name);
          return redirectWithToast(
            request,
            `/programs/${program.id}/cycles/${id}`,
            `Cycle “${parsed.data.name}” created, its events shifted by ${shiftDays} days.`,
          );
        },
        { intent },
      );
    }
    case "delete": {
      const unticked = unconfirmed(formData);
      if (unticked) return failure(unticked, {}, 400, { intent });
      return attempt(
        {},
        async () => {
          const { name } = await deleteCycle(db, viewer, program.id, cycleId);
          return redirectWithToast(request, `/programs/${program.id}/cycles`, `Cycle “${name}” deleted.`);
        },
        { intent },
      );
    }
    default:
      return unknownIntent(intent);
  }
}

export default function CycleDetail() {
  const { programId, cycle, events, sessions, options, teams, view, month, today, canManage, canImport, nextStates, nextName } =
    useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : null);
  const here = `/programs/${programId}/cycles/${cycle.id}`;
  const eventHref = canManage ? (e: { id: string }) => `${here}/events/${e.id}` : undefined;
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/cycles`}>← All cycles</Link>
      </p>
      <div className="page-header">
        <h1>{cycle.name}</h1>
        <span>
          <Link to={`${here}/objectives`}>Company and unit objectives →</Link>
          {canImport && cycle.state !== "closed" ? (
            <>
              {" · "}
              <Link to={`${here}/import`}>Import OKRs or check-ins</Link>
            </>
          ) : null}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Dates</dt>
          <dd>
            {formatDay(cycle.startsOn)} – {formatDay(cycle.endsOn)}
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <span className="pill" data-testid="cycle-state">
              {CYCLE_STATE_LABELS[cycle.state]}
            </span>
          </dd>
        </div>
        <div>
          <dt>Check-ins</dt>
          <dd>every {cycle.checkinCadenceDays} days</dd>
        </div>
        <div>
          <dt>Objectives per team</dt>
          <dd>at most {cycle.maxObjectives}</dd>
        </div>
      </dl>
      {canManage && nextStates.length > 0 ? (
        <Form method="post" className="inline-form" aria-label="Cycle state">
          <FormError error={errorsFor("state")._form ?? errorsFor("state").state} />
          <input type="hidden" name="intent" value="state" />
          <input type="hidden" name="version" value={cycle.version} />
          {nextStates.map((s) => (
            <SubmitButton key={s} name="state" value={s} className="button button--secondary">
              Move to {CYCLE_STATE_LABELS[s].toLowerCase()}
            </SubmitButton>
          ))}
        </Form>
      ) : null}
      {teams.length > 0 ? (
        <section className="card" aria-labelledby="your-teams">
          <h2 id="your-teams">Your teams&apos; OKRs</h2>
          <ul>
            {teams.map((t) => (
              <li key={t.id}>
                <Link to={`${here}/teams/${t.id}`}>{t.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="calendar-title">
        <div className="page-header">
          <h2 id="calendar-title">Calendar</h2>
          <ViewToggle view={view} listHref={`${here}?view=list`} monthHref={`${here}?view=month&month=${month}`} />
        </div>
        {view === "month" ? (
          <MonthGrid month={month} events={events} today={today} eventHref={eventHref} hrefFor={(m) => `${here}?view=month&month=${m}`} />
        ) : (
          <EventTable events={events} eventHref={eventHref} sessions={sessions} caption={`Events of ${cycle.name}`} />
        )}
      </section>

      {canManage ? (
        <>
          <section className="card" aria-labelledby="add-event">
            <h2 id="add-event">Add an event</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="add-event" />
              <FormError error={errorsFor("add-event")._form} />
              <EventFields
                values={valuesFor("add-event") ?? {}}
                errors={errorsFor("add-event")}
                waves={options.waves}
                units={options.units}
              />
              <SubmitButton>Add event</SubmitButton>
            </Form>
          </section>
          <section className="card" aria-labelledby="next-cycle">
            <h2 id="next-cycle">Create the next cycle</h2>
            <p className="muted">
              Starts the day after this one ends, lasts as long, keeps its settings and copies its events (planned again), shifted by the
              cycle&apos;s length.
            </p>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="next" />
              <FormError error={errorsFor("next")._form} />
              <InputField
                label="Name"
                name="name"
                required
                maxLength={80}
                defaultValue={valuesFor("next")?.name ?? nextName}
                error={errorsFor("next").name}
              />
              <SubmitButton>Create next cycle</SubmitButton>
            </Form>
          </section>
          <details className="card">
            <summary>Edit the cycle&apos;s name, dates and settings</summary>
            <Form method="post">
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="version" value={cycle.version} />
              <FormError error={errorsFor("save")._form} />
              <CycleFields
                values={
                  valuesFor("save") ?? {
                    name: cycle.name,
                    startsOn: cycle.startsOn,
                    endsOn: cycle.endsOn,
                    checkinCadenceDays: String(cycle.checkinCadenceDays),
                    maxObjectives: String(cycle.maxObjectives),
                  }
                }
                errors={errorsFor("save")}
              />
              <SubmitButton>Save cycle</SubmitButton>
            </Form>
          </details>
          <DangerZone
            title="Delete cycle"
            confirmLabel={`Yes, delete “${cycle.name}”`}
            intent="delete"
            submitLabel="Delete cycle"
            errors={errorsFor("delete")}
          >
            <p className="muted">Only a cycle without objectives can be deleted (with its events); one with OKRs is closed instead.</p>
          </DangerZone>
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.cycle.name} · OKR cycles · Rollout Desk` : "Cycle · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
