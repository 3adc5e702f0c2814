import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { addBudgetLine, budgetSummary, listActuals, recordActual, updateBudgetLine } from "~/models/reports/budget.server";
import { DIMENSIONS } from "~/models/reports/dimensions";
import { gatherFigures } from "~/models/reports/figures.server";
import { StatusBadge } from "~/components/reports/status-badge";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { today as todayDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { actualSchema, budgetLineSchema } from "~/validation/reports";
import { z } from "zod";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/reports.css" }];

const lineIdSchema = z.object({ lineId: z.string().trim().min(1, "Choose a budget line.").max(100) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "status:read");
  const db = getDb();
  const today = todayDay();
  const figures = await gatherFigures(db, program, { unitId: null }, today);
  const [summary, actuals] = await Promise.all([budgetSummary(db, program.id, today, figures), listActuals(db, program.id)]);
  return {
    programId: program.id,
    summary,
    actuals,
    status: DIMENSIONS.budget.judge(figures.budget),
    canWrite: can(user.role, "reports:write"),
    thisMonth: today.slice(0, 7),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:write");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const here = `/programs/${program.id}/budget`;
  const extra = { intent };
  switch (intent) {
    case "add-line": {
      const parsed = parseForm(budgetLineSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await addBudgetLine(db, user, program.id, parsed.data);
          return redirectWithToast(request, here, `Budget line “${parsed.data.category}” added.`);
        },
        extra,
      );
    }
    case "update-line": {
      const parsed = parseForm(budgetLineSchema.and(lineIdSchema), formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await updateBudgetLine(db, user, program.id, parsed.data.lineId, parsed.data);
          return redirectWithToast(request, here, `Budget line “${parsed.data.category}” saved.`);
        },
        extra,
      );
    }
    case "actual": {
      const parsed = parseForm(actualSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await recordActual(db, user, program.id, parsed.data);
          return redirectWithToast(request, here, "Actual recorded.");
        },
        extra,
      );
    }
    default:
      return unknownIntent(intent);
  }
}

const money = (n: number) => n.toLocaleString("en");

export default function BudgetPage() {
  const { programId, summary, actuals, status, canWrite, thisMonth } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : {});
  const months = [...new Set(actuals.map((a) => a.month))].sort();
  const cell = (lineId: string, month: string) => actuals.find((a) => a.lineId === lineId && a.month === month)?.amount;
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/status`}>Live status</Link> · <Link to={`/programs/${programId}/reports`}>Status reports</Link>
      </p>
      <h1>Budget</h1>
      <p>
        <StatusBadge colour={status.colour} /> {status.reason}
      </p>
      <p className="muted">{DIMENSIONS.budget.rule}</p>
      {failed?.errors?._form ? (
        <p className="form-error" role="alert">
          {failed.errors._form}
        </p>
      ) : null}
      <div className="data-table__scroll">
        <table className="report-table">
          <caption className="visually-hidden">Planned budget per category and actuals per month</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" className="num">
                Planned
              </th>
              <th scope="col" className="num">
                Spent to date
              </th>
              {months.map((m) => (
                <th key={m} scope="col" className="num">
                  {m.slice(0, 7)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {summary.lines.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.category}</th>
                <td className="num">{money(l.planned)}</td>
                <td className="num">{money(l.spent)}</td>
                {months.map((m) => (
                  <td key={m} className="num">
                    {cell(l.id, m) === undefined ? <span className="muted">—</span> : money(cell(l.id, m)!)}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">Total</th>
              <td className="num">{money(summary.planned)}</td>
              <td className="num">{money(summary.spent)}</td>
              {months.map((m) => (
                <td key={m} className="num">
                  {money(summary.months.find((x) => x.month === m)?.amount ?? 0)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <p>
        Effort: {summary.coachingHours.toLocaleString("en")} hours of coaching (from the coaching log)
        {summary.trainingHours === null ? "; training hours come with enablement." : `, ${summary.trainingHours} hours of training.`}
      </p>
      {canWrite ? (
        <div className="grid-2">
          <section className="card">
            <h2>Add a budget line</h2>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="add-line" />
              <InputField
                label="Category"
                name="category"
                required
                maxLength={100}
                defaultValue={valuesFor("add-line").category}
                error={errorsFor("add-line").category}
              />
              <InputField
                label="Planned amount"
                name="plannedAmount"
                inputMode="numeric"
                required
                defaultValue={valuesFor("add-line").plannedAmount}
                error={errorsFor("add-line").plannedAmount}
              />
              <SubmitButton>Add the line</SubmitButton>
            </Form>
          </section>
          {summary.lines.length > 0 ? (
            <section className="card">
              <h2>Record an actual</h2>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="actual" />
                <SelectField
                  label="Category"
                  name="lineId"
                  defaultValue={valuesFor("actual").lineId}
                  error={errorsFor("actual").lineId}
                  options={summary.lines.map((l) => ({ value: l.id, label: l.category }))}
                />
                <InputField
                  label="Month"
                  name="month"
                  type="month"
                  required
                  defaultValue={valuesFor("actual").month ?? thisMonth}
                  error={errorsFor("actual").month}
                />
                <InputField
                  label="Amount spent"
                  name="amount"
                  inputMode="numeric"
                  required
                  defaultValue={valuesFor("actual").amount}
                  error={errorsFor("actual").amount}
                />
                <SubmitButton>Record</SubmitButton>
              </Form>
            </section>
          ) : null}
          {summary.lines.map((l) => (
            <details key={l.id}>
              <summary>Change “{l.category}”</summary>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="update-line" />
                <input type="hidden" name="lineId" value={l.id} />
                <InputField label="Category" name="category" required maxLength={100} defaultValue={l.category} />
                <InputField label="Planned amount" name="plannedAmount" inputMode="numeric" required defaultValue={String(l.planned)} />
                <SubmitButton>Save</SubmitButton>
              </Form>
            </details>
          ))}
        </div>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Budget · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
