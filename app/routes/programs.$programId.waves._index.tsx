import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { Readiness } from "~/components/plan/readiness";
import { WaveFields } from "~/components/plan/wave-fields";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { createWave, moveWave, wavesWithReadiness } from "~/models/plan/waves.server";
import { formatDate, today as todayDay } from "~/utils/dates";
import { WaveStateBadge } from "~/components/plan/wave-lifecycle";
import { dateHint } from "~/models/plan/wave-lifecycle";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { moveWaveSchema, READINESS_LABELS, waveSchema } from "~/validation/plan";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const db = getDb();
  const today = todayDay();
  const { waves, readiness } = await wavesWithReadiness(db, program.id, today);
  return {
    program: { id: program.id, name: program.name },
    waves: waves.map((w) => ({
      ...w,
      lifecycle: w.state,
      hint: dateHint(w, today),
      state: readiness[w.id].state,
      reasons: readiness[w.id].reasons,
    })),
    canWrite: can(user.role, "plan:write"),
  };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const here = `/programs/${program.id}/waves`;
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}, status = 400) =>
    data<ActionResult>({ intent, errors, values }, { status });
  try {
    switch (intent) {
      case "create": {
        const parsed = parseForm(waveSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const id = await createWave(db, user, program.id, parsed.data);
        return redirectWithToast(request, `${here}/${id}`, `Created wave “${parsed.data.name}” with the default entry criteria.`);
      }
      case "move": {
        const parsed = parseForm(moveWaveSchema, formData);
        const waveId = String(formData.get("waveId") ?? "");
        if (!parsed.ok) return fail(parsed.errors);
        const moved = await moveWave(db, user, program.id, waveId, parsed.data.direction);
        return redirectWithToast(
          request,
          here,
          moved ? `Moved the wave ${parsed.data.direction}.` : "The wave is already at that end of the order.",
        );
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, formValues(formData), { intent });
  }
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["waves"][number];

function datesOf(w: { startsOn: string | null; endsOn: string | null }) {
  if (!w.startsOn && !w.endsOn) return "Dates not set";
  return `${formatDate(w.startsOn) ?? "open"} – ${formatDate(w.endsOn) ?? "open"}`;
}

export default function Waves() {
  const { program, waves, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.intent === "create" ? result.errors : {};
  const moveError = result && result.intent !== "create" ? (result.errors._form ?? Object.values(result.errors)[0]) : undefined;

  const columns: DataColumn<Row>[] = [
    { accessorKey: "position", header: "#", cell: (info) => info.row.index + 1 },
    {
      accessorKey: "name",
      header: "Wave",
      cell: (info) => <Link to={`/programs/${program.id}/waves/${info.row.original.id}`}>{info.row.original.name}</Link>,
    },
    { id: "dates", accessorFn: (w) => w.startsOn ?? "", header: "Dates", cell: (info) => datesOf(info.row.original) },
    { accessorKey: "goal", header: "Goal", cell: (info) => info.row.original.goal || <span className="muted">No goal yet</span> },
    {
      accessorKey: "teamCount",
      header: "Teams",
      cell: (info) => (
        <Link to={`/programs/${program.id}/teams?wave=${info.row.original.id}`}>{info.row.original.teamCount.toLocaleString("en")}</Link>
      ),
    },
    {
      id: "lifecycle",
      accessorFn: (w) => w.lifecycle,
      header: "State",
      cell: (info) => <WaveStateBadge state={info.row.original.lifecycle} hint={info.row.original.hint} />,
    },
    {
      id: "readiness",
      accessorFn: (w) => READINESS_LABELS[w.state],
      header: "Readiness",
      // Entry criteria matter until the start; a started wave shows them as recorded, on its page.
      cell: (info) =>
        info.row.original.lifecycle === "planned" || info.row.original.lifecycle === "starting" ? (
          <Readiness state={info.row.original.state} reasons={info.row.original.reasons} />
        ) : (
          <span className="muted">Recorded at the start</span>
        ),
    },
  ];
  if (canWrite) {
    columns.push({
      id: "order",
      header: "Order",
      enableSorting: false,
      cell: (info) => (
        <Form method="post" className="row-tools" aria-label={`Move ${info.row.original.name}`}>
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="waveId" value={info.row.original.id} />
          <button
            type="submit"
            name="direction"
            value="up"
            className="button button--secondary button--small"
            disabled={info.row.index === 0}
          >
            <span aria-hidden="true">↑</span>
            <span className="visually-hidden">Move {info.row.original.name} up</span>
          </button>
          <button
            type="submit"
            name="direction"
            value="down"
            className="button button--secondary button--small"
            disabled={info.row.index === waves.length - 1}
          >
            <span aria-hidden="true">↓</span>
            <span className="visually-hidden">Move {info.row.original.name} down</span>
          </button>
        </Form>
      ),
    });
  }

  return (
    <>
      <div className="page-header">
        <h1>Waves</h1>
        <Link to={`/programs/${program.id}/teams`}>Teams in the plan →</Link>
      </div>
      <p className="lead">
        The rollout in order: each wave brings a set of teams into OKRs between its dates. A wave is ready when its entry criteria are met;
        it is blocked when a computed check fails or a criterion is still open within 14 days of its start.
      </p>
      <FormError error={moveError} />
      <DataTable
        data={waves}
        columns={columns}
        caption="Waves"
        csvFileName="waves"
        getRowId={(w) => w.id}
        emptyMessage={canWrite ? "No waves yet: create the first one below." : "The Program Lead Office has not planned any waves yet."}
        toCsvRow={(w) => ({
          position: w.position,
          wave: w.name,
          starts_on: w.startsOn ?? "",
          ends_on: w.endsOn ?? "",
          goal: w.goal,
          teams: w.teamCount,
          readiness: READINESS_LABELS[w.state],
          reasons: w.reasons.join(" "),
        })}
      />
      {canWrite ? (
        <section className="card narrow">
          <h2>New wave</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="create" />
            <FormError error={errors._form} />
            <WaveFields values={result?.intent === "create" ? result.values : {}} errors={errors} />
            <SubmitButton>Create wave</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Waves · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
