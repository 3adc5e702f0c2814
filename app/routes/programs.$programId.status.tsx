import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BurnUpChart, CoverageChart, HealthByWaveChart } from "~/components/reports/charts";
import { DimensionTable, OverallBanner } from "~/components/reports/status-view";
import { SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { listUnitOptions } from "~/models/org/org.server";
import { OVERALL_RULE } from "~/models/reports/dimensions";
import { clearOverride, liveStatus, setOverride } from "~/models/reports/status.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate, today as todayDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { cachedRead } from "~/utils/read-cache.server";
import { redirectWithToast } from "~/utils/toast.server";
import { clearOverrideSchema, OVERRIDE_COLOURS, overrideSchema } from "~/validation/reports";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/reports.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params, "status:read");
  const url = new URL(request.url);
  const unitId = url.searchParams.get("unit")?.trim() || null;
  const today = todayDay();
  const db = getDb();
  const [status, units] = await Promise.all([
    cachedRead(`status|${dataVersion}|${today}|${unitId ?? ""}`, () => liveStatus(db, program, { unitId }, today)),
    listUnitOptions(db),
  ]);
  return {
    programId: program.id,
    status,
    unitId,
    units: units.filter((u) => u.depth <= 1),
    canWrite: can(user.role, "reports:write"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:write");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/status`;
  switch (intent) {
    case "override": {
      const parsed = parseForm(overrideSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          await setOverride(getDb(), user, program.id, parsed.data);
          return redirectWithToast(request, here, "Colour overridden; the computed colour stays visible beside it.");
        },
        { intent },
      );
    }
    case "clear": {
      const parsed = parseForm(clearOverrideSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          await clearOverride(getDb(), user, program.id, parsed.data.dimension);
          return redirectWithToast(request, here, "Override cleared: the computed colour counts again.");
        },
        { intent },
      );
    }
    default:
      return unknownIntent(intent);
  }
}

export default function LiveStatusPage() {
  const { programId, status, unitId, units, canWrite } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors = failed?.errors ?? {};
  const failedDimension = failed?.values?.dimension;
  return (
    <div className="report">
      <div className="card__header no-print">
        <p>
          <Link to={`/programs/${programId}/reports`}>Published reports</Link> ·{" "}
          <Link to={`/programs/${programId}/decisions`}>Decision log</Link> · <Link to={`/programs/${programId}/budget`}>Budget</Link>
        </p>
        <Form method="get" className="inline-form">
          <SelectField
            label="Scope"
            name="unit"
            defaultValue={unitId ?? ""}
            options={[
              { value: "", label: "Whole program" },
              ...units.map((u) => ({ value: u.id, label: `${u.depth ? "— " : ""}${u.name}` })),
            ]}
          />
          <button type="submit" className="button button--secondary">
            Show
          </button>
        </Form>
      </div>
      <h1>Live status</h1>
      <p className="muted">
        As of {formatDate(status.today)}, computed from the plan, the coaching log, the risk register, the stakeholder list, the budget and
        the decision log. Published reports freeze these figures.
      </p>
      {errors._form || (errors.dimension && !status.dimensions.some((d) => d.key === failedDimension)) ? (
        <p className="form-error" role="alert">
          {errors._form ?? errors.dimension}
        </p>
      ) : null}
      <OverallBanner overall={status.overall}>
        <p className="muted">{OVERALL_RULE}</p>
      </OverallBanner>
      <DimensionTable
        dimensions={status.dimensions}
        actions={
          canWrite
            ? (d) => (
                <details className="no-print" open={failedDimension === d.key}>
                  <summary>Override this colour</summary>
                  <Form method="post" className="stack">
                    <input type="hidden" name="intent" value="override" />
                    <input type="hidden" name="dimension" value={d.key} />
                    <SelectField
                      label="Colour"
                      name="colour"
                      defaultValue={d.override?.colour ?? d.computed.colour}
                      options={OVERRIDE_COLOURS.map((c) => ({ value: c, label: c[0].toUpperCase() + c.slice(1) }))}
                      error={failedDimension === d.key ? errors.colour : undefined}
                    />
                    <TextAreaField
                      label="Reason (shown to the sponsor)"
                      name="reason"
                      required
                      rows={2}
                      maxLength={500}
                      error={failedDimension === d.key ? errors.reason : undefined}
                    />
                    <SubmitButton>Override</SubmitButton>
                  </Form>
                  {d.override ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="clear" />
                      <input type="hidden" name="dimension" value={d.key} />
                      <SubmitButton className="button button--secondary">Clear the override</SubmitButton>
                    </Form>
                  ) : null}
                </details>
              )
            : undefined
        }
      />
      <section className="charts">
        <BurnUpChart data={status.charts.burnUp} today={status.today} />
        <CoverageChart bars={status.charts.coverage} />
        <HealthByWaveChart rows={status.charts.healthByWave} />
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Live status · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
