import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { listUnitOptions } from "~/models/org/org.server";
import { nextReportDue, reportingSchedule, setCadence } from "~/models/reports/cadence.server";
import { createDraft, listReports, reportTitle, suggestedPeriod } from "~/models/reports/reports.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate, formatDateTime, today as todayDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { cadenceSchema, createReportSchema } from "~/validation/reports";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/reports.css" }];

const STATE_LABELS = { draft: "Draft", published: "Published", acknowledged: "Acknowledged" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:read");
  const db = getDb();
  const today = todayDay();
  const canWrite = can(user.role, "reports:write");
  const [reports, { cadence, lastPublishedOn }, period, units] = await Promise.all([
    listReports(db, user, program.id),
    reportingSchedule(db, program.id),
    canWrite ? suggestedPeriod(db, program, today) : null,
    canWrite ? listUnitOptions(db) : [],
  ]);
  return {
    programId: program.id,
    reports: reports.map((r) => ({
      id: r.id,
      title: reportTitle(r),
      scope: r.unitName ? `Division: ${r.unitName}` : "Whole program",
      state: r.state,
      superseded: r.supersededBy !== null,
      audience: r.audience,
      publishedAt: r.publishedAt ? formatDateTime(r.publishedAt) : null,
      unseenAnswers: r.unseenAnswers,
      openQuestions: r.openQuestions,
    })),
    cadence,
    next: nextReportDue(cadence, lastPublishedOn, program.starts_on, today),
    period,
    units: units.filter((u) => u.depth <= 1),
    canWrite,
    showStatus: can(user.role, "status:read"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:write");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  switch (intent) {
    case "create": {
      const parsed = parseForm(createReportSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const { id } = await createDraft(db, user, program.id, parsed.data);
          return redirectWithToast(request, `/programs/${program.id}/reports/${id}`, "Draft started: write it, then publish it.");
        },
        { intent },
      );
    }
    case "cadence": {
      const parsed = parseForm(cadenceSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          await setCadence(db, user, program.id, parsed.data);
          return redirectWithToast(request, `/programs/${program.id}/reports`, "Reporting cadence saved.");
        },
        { intent },
      );
    }
    default:
      return unknownIntent(intent);
  }
}

export default function ReportsPage() {
  const { programId, reports, cadence, next, period, units, canWrite, showStatus } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : {});
  return (
    <>
      <h1>Status reports</h1>
      <p>
        {showStatus ? <Link to={`/programs/${programId}/status`}>Live status</Link> : null}
        {showStatus ? (
          <>
            {" "}
            · <Link to={`/programs/${programId}/decisions`}>Decision log</Link>
          </>
        ) : null}
      </p>
      <p className={next.overdue ? "banner-warning" : "muted"} role="status">
        Reporting cadence: {next.label}.{" "}
        {next.dueOn
          ? next.overdue
            ? `Report overdue: the next report was due on ${formatDate(next.dueOn)}.`
            : `Next report due ${formatDate(next.dueOn)}.`
          : ""}
      </p>
      {failed?.errors?._form ? (
        <p className="form-error" role="alert">
          {failed.errors._form}
        </p>
      ) : null}
      {reports.length === 0 ? (
        <p className="muted">
          No report yet.{canWrite ? " Start the first one below." : " The Program Lead Office has not published a report yet."}
        </p>
      ) : (
        <table className="report-table">
          <caption className="visually-hidden">Reports, newest period first</caption>
          <thead>
            <tr>
              <th scope="col">Report</th>
              <th scope="col">Scope</th>
              <th scope="col">State</th>
              <th scope="col">Published</th>
              <th scope="col">Questions</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={r.id}>{r.title}</Link>
                  {r.superseded ? <span className="muted"> (corrected)</span> : null}
                </td>
                <td>{r.scope}</td>
                <td>
                  {STATE_LABELS[r.state]}
                  {r.audience === "everyone" ? <span className="muted"> · shared with coaches</span> : null}
                </td>
                <td>{r.publishedAt ?? "—"}</td>
                <td>
                  {r.unseenAnswers > 0 ? (
                    <span className="badge-new">
                      {r.unseenAnswers} new answer{r.unseenAnswers === 1 ? "" : "s"}
                    </span>
                  ) : null}
                  {canWrite && r.openQuestions > 0 ? <span>{` ${r.openQuestions} to answer`}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && period ? (
        <div className="grid-2">
          <section className="card">
            <h2>Start a report</h2>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="create" />
              <InputField
                label="Period from"
                name="periodStart"
                type="date"
                required
                defaultValue={valuesFor("create").periodStart ?? period.periodStart}
                error={errorsFor("create").periodStart}
              />
              <InputField
                label="Period to"
                name="periodEnd"
                type="date"
                required
                defaultValue={valuesFor("create").periodEnd ?? period.periodEnd}
                error={errorsFor("create").periodEnd}
              />
              <SelectField
                label="Scope"
                name="unitId"
                defaultValue={valuesFor("create").unitId ?? ""}
                error={errorsFor("create").unitId}
                options={[
                  { value: "", label: "Whole program" },
                  ...units.map((u) => ({ value: u.id, label: `${u.depth ? "— " : ""}${u.name}` })),
                ]}
              />
              <SubmitButton>Start the draft</SubmitButton>
            </Form>
          </section>
          <section className="card">
            <h2>Reporting cadence</h2>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="cadence" />
              <SelectField
                label="Report"
                name="kind"
                defaultValue={valuesFor("cadence").kind ?? cadence.kind}
                error={errorsFor("cadence").kind}
                options={[
                  { value: "weeks", label: "Every N weeks" },
                  { value: "cycle", label: "Once per OKR cycle" },
                ]}
              />
              <InputField
                label="N (weeks)"
                name="everyWeeks"
                inputMode="numeric"
                defaultValue={valuesFor("cadence").everyWeeks ?? String(cadence.everyWeeks)}
                error={errorsFor("cadence").everyWeeks}
              />
              <SubmitButton>Save the cadence</SubmitButton>
            </Form>
          </section>
        </div>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Status reports · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
