import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import {
  grantWaiver,
  listCompletions,
  listRequirements,
  listWaivers,
  recordCompletion,
  requirementLabel,
} from "~/models/enablement/requirements.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate, formatDateTime, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { AUDIENCE_LABELS, completionSchema, waiverSchema } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// Completions recorded by hand (with evidence) and waivers (with a reason and who granted them).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const db = getDb();
  const [modules, requirements, completions, waivers] = await Promise.all([
    moduleOptions(db, program.id),
    listRequirements(db, program.id),
    listCompletions(db, program.id),
    listWaivers(db, program.id),
  ]);
  return {
    program: { id: program.id, name: program.name },
    today: today(),
    modules,
    requirements: requirements.map((r) => ({ id: r.id, label: requirementLabel(r, AUDIENCE_LABELS[r.audience]) })),
    completions,
    waivers: waivers.map((w) => ({ ...w, grantedAt: w.grantedAt.toISOString() })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/enablement/records`;
  if (intent === "completion") {
    const parsed = parseForm(completionSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await recordCompletion(getDb(), user, program.id, parsed.data);
        return redirectWithToast(request, here, "Completion recorded.");
      },
      { intent },
    );
  }
  if (intent === "waiver") {
    const parsed = parseForm(waiverSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await grantWaiver(getDb(), user, program.id, parsed.data);
        return redirectWithToast(request, here, "Waiver granted.");
      },
      { intent },
    );
  }
  return unknownIntent(intent);
}

export default function Records() {
  const { program, today: day, modules, requirements, completions, waivers } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed && "intent" in failed && failed.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed && "intent" in failed && failed.intent === intent ? failed.values : {});
  const ce = errorsFor("completion");
  const cv = valuesFor("completion");
  const we = errorsFor("waiver");
  const wv = valuesFor("waiver");
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Completions and waivers</h1>
      <div className="grid-2">
        <section className="card" aria-labelledby="completion-heading">
          <h2 id="completion-heading">Record a completion</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="completion" />
            <FormError error={ce._form} />
            <InputField label="Person's email" name="email" type="email" required defaultValue={cv.email ?? ""} error={ce.email} />
            <SelectField
              label="Module"
              name="moduleId"
              defaultValue={cv.moduleId ?? ""}
              error={ce.moduleId}
              options={modules.map((m) => ({ value: m.id, label: m.title }))}
            />
            <InputField
              label="Completed on"
              name="completedOn"
              type="date"
              required
              defaultValue={cv.completedOn ?? day}
              error={ce.completedOn}
            />
            <TextAreaField
              label="Evidence"
              name="evidence"
              required
              maxLength={1000}
              defaultValue={cv.evidence ?? ""}
              error={ce.evidence}
              hint="A certificate number, who confirmed it, a link."
            />
            <SubmitButton>Record completion</SubmitButton>
          </Form>
        </section>
        <section className="card" aria-labelledby="waiver-heading">
          <h2 id="waiver-heading">Grant a waiver</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="waiver" />
            <FormError error={we._form} />
            <InputField label="Person's email" name="email" type="email" required defaultValue={wv.email ?? ""} error={we.email} />
            <SelectField
              label="Requirement"
              name="requirementId"
              defaultValue={wv.requirementId ?? ""}
              error={we.requirementId}
              options={requirements.map((r) => ({ value: r.id, label: r.label }))}
            />
            <TextAreaField label="Reason" name="reason" required maxLength={1000} defaultValue={wv.reason ?? ""} error={we.reason} />
            <SubmitButton>Grant waiver</SubmitButton>
          </Form>
        </section>
      </div>
      <section aria-labelledby="latest-completions">
        <h2 id="latest-completions">Latest completions</h2>
        {completions.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <table className="simple-table">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Module</th>
                <th scope="col">Completed</th>
                <th scope="col">Source</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {completions.map((c) => (
                <tr key={c.id}>
                  <td>{c.personName}</td>
                  <td>
                    {c.moduleTitle} v{c.moduleVersion}
                  </td>
                  <td>{formatDate(c.completedOn)}</td>
                  <td>{c.source}</td>
                  <td>{c.evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="waivers-heading">
        <h2 id="waivers-heading">Waivers</h2>
        {waivers.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul>
            {waivers.map((w) => (
              <li key={w.id}>
                {w.personName} · {w.moduleTitle} ({AUDIENCE_LABELS[w.audience]}): {w.reason} — granted by {w.grantedByLabel},{" "}
                {formatDateTime(w.grantedAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Completions and waivers · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
