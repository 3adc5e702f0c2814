import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { waveOptions } from "~/components/plan-details/milestone-form";
import { RiskForm } from "~/components/plan-details/risk-form";
import { RiskHeatMap } from "~/components/plan-details/risk-heat-map";
import { RiskTable } from "~/components/plan-details/risk-table";
import { SelectField } from "~/components/ui/field";
import { listWaveOptions } from "~/models/plan/refs.server";
import { listUnitOptions } from "~/models/org/org.server";
import { createRisk, listRisks, riskHeatMap } from "~/models/plan/risks.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { filterSearch, parseRiskFilter, RISK_STATUS_LABELS, riskSchema } from "~/validation/plan-details";
import { RISK_STATUSES } from "../../db/schema";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const filter = parseRiskFilter(new URL(request.url).searchParams);
  const canWrite = can(user.role, "plan:write");
  const db = getDb();
  const [risks, heatMap, waves, units] = await Promise.all([
    listRisks(db, program.id, filter),
    riskHeatMap(db, program.id),
    listWaveOptions(db, program.id),
    canWrite ? listUnitOptions(db) : Promise.resolve([]),
  ]);
  return {
    program: { id: program.id, name: program.name },
    risks,
    heatMap,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units,
    filter,
    canWrite,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const formData = await request.formData();
  if (formData.get("intent") !== "create") return data<FormFailure>({ errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  const parsed = parseForm(riskSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await createRisk(getDb(), user, program.id, parsed.data);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
  return redirectWithToast(request, `/programs/${program.id}/risks`, `Risk “${parsed.data.title}” logged.`);
}

const LEVEL_OPTIONS = (any: string) => [{ value: "", label: any }, ...[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }))];

export default function Risks() {
  const { program, risks, heatMap, waves, units, filter, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const filtered = Boolean(filter.likelihood || filter.impact || filter.status || filter.waveId);
  const search = filterSearch({ likelihood: filter.likelihood, impact: filter.impact, status: filter.status, wave: filter.waveId });
  return (
    <>
      <div className="page-header">
        <h1>Risks</h1>
      </div>
      <RiskHeatMap cells={heatMap} hrefFor={(likelihood, impact) => filterSearch({ likelihood, impact, status: "active" })} />
      <h2>Risk register</h2>
      <Form method="get" className="filter-bar" aria-label="Filter risks">
        <SelectField
          label="Likelihood"
          name="likelihood"
          defaultValue={filter.likelihood ? String(filter.likelihood) : ""}
          options={LEVEL_OPTIONS("Any")}
        />
        <SelectField
          label="Impact"
          name="impact"
          defaultValue={filter.impact ? String(filter.impact) : ""}
          options={LEVEL_OPTIONS("Any")}
        />
        <SelectField
          label="Status"
          name="status"
          defaultValue={filter.status ?? ""}
          options={[
            { value: "", label: "Any status" },
            { value: "active", label: "Active (not closed)" },
            ...RISK_STATUSES.map((s) => ({ value: s, label: RISK_STATUS_LABELS[s] })),
          ]}
        />
        <SelectField
          label="Wave"
          name="wave"
          defaultValue={filter.waveId ?? ""}
          options={[
            { value: "", label: "Any wave" },
            ...waveOptions(waves, "No wave").map((o) => (o.value === "" ? { value: "none", label: o.label } : o)),
          ]}
        />
        <button type="submit" className="button button--secondary">
          Filter
        </button>
        {filtered ? <Link to=".">Clear filters</Link> : null}
      </Form>
      <RiskTable
        programId={program.id}
        csvHref={`/programs/${program.id}/risks.csv${search}`}
        risks={risks}
        caption={`Risks of ${program.name}`}
      />
      {canWrite ? (
        <section className="card plan-create" aria-labelledby="new-risk">
          <h2 id="new-risk">Log a risk</h2>
          <RiskForm
            values={failure?.values ?? {}}
            errors={failure?.errors ?? {}}
            waves={waves}
            units={units}
            submitLabel="Log risk"
            intent="create"
          />
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Risks · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
