import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ChoiceFilter, UnitFilter, WaveFilter } from "~/components/data-table/list-filters";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import { OVERDUE_LIST_SPEC, pageOverdue, type OverdueRow } from "~/models/enablement/overdue.server";
import { listUnitOptions } from "~/models/org/org.server";
import { listWaveOptions } from "~/models/plan/refs.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { cachedRead } from "~/utils/read-cache.server";
import { requireProgram } from "~/utils/program-access.server";
import { AUDIENCE_LABELS } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// The PLO's list of overdue required training, most overdue first, one page at a time (the
// stored overdue rows, ADR 0014), and its CSV export. Names: the PLO only.

export async function loader({ request, params: routeParams }: LoaderFunctionArgs) {
  const { program, dataVersion } = await requireProgram(request, routeParams, "enablement:manage");
  const params = parseListParams(new URL(request.url).searchParams, OVERDUE_LIST_SPEC);
  const db = getDb();
  const day = today();
  // Every change that can move a state, rename someone or change the filters' choices is audited
  // and bumps the data version (ADR 0011): the page is reused until then, or until tomorrow.
  const [page, waves, units, modules] = await cachedRead(`overdue|${dataVersion}|${day}|${JSON.stringify(params)}`, () =>
    Promise.all([
      pageOverdue(db, program.id, day, params),
      listWaveOptions(db, program.id),
      listUnitOptions(db),
      moduleOptions(db, program.id),
    ]),
  );
  return {
    program: { id: program.id, name: program.name },
    rows: page.rows,
    total: page.total,
    params,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units,
    modules: modules.map((m) => ({ value: m.id, label: m.title })),
  };
}

const columns: ServerColumn<OverdueRow>[] = [
  {
    id: "person",
    accessorKey: "personName",
    header: "Person",
    cell: (info) => (
      <>
        {info.row.original.personName} <span className="muted">{info.row.original.personEmail}</span>
      </>
    ),
  },
  {
    id: "audience",
    accessorKey: "audience",
    header: "As",
    enableSorting: false,
    cell: (info) => AUDIENCE_LABELS[info.row.original.audience],
  },
  { id: "team", accessorKey: "teamName", header: "Team", enableSorting: false, cell: (info) => info.row.original.teamName ?? "–" },
  { id: "module", accessorKey: "moduleTitle", header: "Module" },
  { id: "due", accessorKey: "dueOn", header: "Due", cell: (info) => formatDate(info.row.original.dueOn) },
];

export default function Overdue() {
  const { program, rows, total, params, waves, units, modules } = useLoaderData<typeof loader>();
  const f = params.filters;
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Overdue training</h1>
      <ServerTable
        caption="Overdue training"
        rows={rows}
        total={total}
        params={params}
        columns={columns}
        getRowId={(r) => `${r.personId}:${r.requirementId}`}
        csvHref={`/programs/${program.id}/enablement/overdue.csv${listSearch(params, { page: 1 })}`}
        searchLabel="Search people and modules"
        emptyMessage="Nothing is overdue."
        filters={
          <>
            <WaveFilter waves={waves} value={f.wave} />
            <UnitFilter units={units} value={f.unit} />
            <ChoiceFilter name="module" label="Module" allLabel="All modules" options={modules} value={f.module} />
          </>
        }
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Overdue training · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
