import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CycleFields } from "~/components/cycles/cycle-fields";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { createCycle } from "~/models/cycles/cycles.server";
import { attempt, failure } from "~/utils/action.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { newCycleSchema } from "~/validation/cycles";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireCycles(request, params, "cycles:manage");
  return { programId: program.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params, "cycles:manage");
  const parsed = parseForm(newCycleSchema, await request.formData());
  if (!parsed.ok) return failure(parsed.errors, parsed.values);
  return attempt(parsed.values, async () => {
    const { id } = await createCycle(getDb(), viewer, program.id, parsed.data);
    return redirectWithToast(request, `/programs/${program.id}/cycles/${id}`, `Cycle “${parsed.data.name}” created.`);
  });
}

export default function NewCycle() {
  const { programId } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const values = failed?.values ?? { checkinCadenceDays: "14", maxObjectives: "3", template: "on" };
  const errors = failed?.errors ?? {};
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/cycles`}>← All cycles</Link>
      </p>
      <h1>New cycle</h1>
      <section className="card narrow">
        <Form method="post">
          <FormError error={errors._form} />
          <CycleFields values={values} errors={errors} />
          <div className="field field--checkbox">
            <input type="checkbox" id="template" name="template" defaultChecked={values.template === "on"} />
            <label htmlFor="template">
              Add the standard events (priorities, drafting workshop, alignment, check-ins, mid-cycle review, scoring, retrospective)
            </label>
          </div>
          <SubmitButton>Create cycle</SubmitButton>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "New cycle · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
