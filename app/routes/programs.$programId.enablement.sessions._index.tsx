import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TRAINING_SESSION_STATES } from "../../db/schema";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import { createSession, pageSessions, SESSION_LIST_SPEC, type SessionRow } from "~/models/enablement/sessions.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { SESSION_STATE_LABELS, sessionSchema } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// The schedule of training sessions. The PLO sees and schedules every session; a trainer (a
// coach, a team lead) sees the sessions they train, to mark attendance.

export async function loader({ request, params: routeParams }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, routeParams, "enablement:read");
  const manage = can(user.role, "enablement:manage");
  const params = parseListParams(new URL(request.url).searchParams, SESSION_LIST_SPEC);
  const db = getDb();
  const [page, modules] = await Promise.all([
    pageSessions(db, program.id, params, manage ? {} : { trainerUserId: user.id }),
    manage ? moduleOptions(db, program.id) : Promise.resolve([]),
  ]);
  return {
    program: { id: program.id, name: program.name },
    manage,
    rows: page.rows.map((s) => ({ ...s, startsAt: s.startsAt.toISOString() })),
    total: page.total,
    params,
    modules,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent !== "schedule") return unknownIntent(intent);
  const parsed = parseForm(sessionSchema, formData);
  if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
  return attempt(
    parsed.values,
    async () => {
      const id = await createSession(getDb(), user, program.id, parsed.data);
      return redirectWithToast(request, `/programs/${program.id}/enablement/sessions/${id}`, "Session scheduled.");
    },
    { intent },
  );
}

type SessionListRow = Omit<SessionRow, "startsAt"> & { startsAt: string };

const columns: ServerColumn<SessionListRow>[] = [
  {
    id: "module",
    accessorKey: "moduleTitle",
    header: "Session",
    cell: (info) => <Link to={info.row.original.id}>{info.row.original.moduleTitle}</Link>,
  },
  {
    id: "when",
    accessorKey: "startsAt",
    header: "When",
    cell: (info) => {
      const s = info.row.original;
      return (
        <>
          {formatDate(s.localDay)} {s.localTime} <span className="muted">{s.timeZone}</span>
        </>
      );
    },
  },
  {
    id: "where",
    accessorKey: "location",
    header: "Where",
    enableSorting: false,
    cell: (info) => {
      const s = info.row.original;
      return s.url ? <a href={s.url}>{s.location || "Online"}</a> : s.location || "–";
    },
  },
  { id: "trainer", accessorKey: "trainerName", header: "Trainer", cell: (info) => info.row.original.trainerName ?? "–" },
  {
    id: "seats",
    accessorKey: "seatsTaken",
    header: "Seats",
    enableSorting: false,
    cell: (info) => {
      const s = info.row.original;
      return `${s.seatsTaken} / ${s.capacity}${s.waitlisted > 0 ? ` (+${s.waitlisted} waiting)` : ""}`;
    },
  },
  { id: "state", accessorKey: "state", header: "State", cell: (info) => SESSION_STATE_LABELS[info.row.original.state] },
];

export default function TrainingSessions() {
  const { program, manage, rows, total, params, modules } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const e = failed?.errors ?? {};
  const v = failed?.values ?? {};
  const f = params.filters;
  return (
    <>
      <EnablementNav programId={program.id} manage={manage} />
      <h1>{manage ? "Training sessions" : "Sessions I train"}</h1>
      <ServerTable
        caption={manage ? "Training sessions" : "Sessions I train"}
        rows={rows}
        total={total}
        params={params}
        columns={columns}
        getRowId={(s) => s.id}
        searchLabel="Search modules, places and trainers"
        emptyMessage={manage ? "No session scheduled yet." : "You train no session in this program."}
        filters={
          <>
            <label>
              <span className="visually-hidden">When</span>
              <select name="period" defaultValue={f.period ?? ""}>
                <option value="">Past and upcoming</option>
                <option value="upcoming">Upcoming</option>
                <option value="past">Past</option>
              </select>
            </label>
            <label>
              <span className="visually-hidden">State</span>
              <select name="state" defaultValue={f.state ?? ""}>
                <option value="">Any state</option>
                {TRAINING_SESSION_STATES.map((state) => (
                  <option key={state} value={state}>
                    {SESSION_STATE_LABELS[state]}
                  </option>
                ))}
              </select>
            </label>
          </>
        }
      />
      {manage ? (
        <section className="card" aria-labelledby="schedule-heading">
          <h2 id="schedule-heading">Schedule a session</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="schedule" />
            <FormError error={e._form} />
            <SelectField
              label="Module"
              name="moduleId"
              defaultValue={v.moduleId ?? ""}
              error={e.moduleId}
              options={modules.map((m) => ({ value: m.id, label: m.title }))}
            />
            <InputField label="Date" name="date" type="date" required defaultValue={v.date ?? ""} error={e.date} />
            <InputField label="Time" name="time" type="time" required defaultValue={v.time ?? "09:00"} error={e.time} />
            <InputField
              label="Time zone"
              name="timeZone"
              defaultValue={v.timeZone ?? "Europe/Berlin"}
              error={e.timeZone}
              hint="For example Europe/Berlin or America/New_York."
            />
            <InputField
              label="Duration (minutes)"
              name="durationMinutes"
              inputMode="numeric"
              defaultValue={v.durationMinutes ?? "120"}
              error={e.durationMinutes}
            />
            <InputField label="Place" name="location" maxLength={300} defaultValue={v.location ?? ""} error={e.location} />
            <InputField label="Link" name="url" type="url" defaultValue={v.url ?? ""} error={e.url} />
            <InputField
              label="Trainer's email"
              name="trainerEmail"
              type="email"
              defaultValue={v.trainerEmail ?? ""}
              error={e.trainerEmail}
              hint="The trainer marks the attendance of this session."
            />
            <InputField label="Capacity" name="capacity" inputMode="numeric" defaultValue={v.capacity ?? "20"} error={e.capacity} />
            <SelectField
              label="State"
              name="state"
              defaultValue={v.state ?? "open"}
              error={e.state}
              options={[
                { value: "open", label: SESSION_STATE_LABELS.open },
                { value: "planned", label: SESSION_STATE_LABELS.planned },
              ]}
            />
            <SubmitButton>Schedule session</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Training sessions · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
