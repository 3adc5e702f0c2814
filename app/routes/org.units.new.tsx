import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { UnitForm } from "~/components/org/org-forms";
import { createUnit, loadUnitIndex, unitOptions } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { unitSchema } from "~/validation/org";
import { domainFailure } from "~/utils/action.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const index = await loadUnitIndex(getDb());
  const parent = new URL(request.url).searchParams.get("parent") ?? "";
  return { parentOptions: unitOptions(index), parentId: index.byId.get(parent)?.archivedAt === null ? parent : "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const parsed = parseForm(unitSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const unit = await createUnit(getDb(), user, parsed.data);
    return redirectWithToast(request, `/org/units/${unit.id}`, `Unit “${unit.path}” created.`);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
}

export default function NewUnit() {
  const { parentOptions, parentId } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <h1>New unit</h1>
      <p className="lead">A company, division, department or any level in between. Names are unique among the units of one parent.</p>
      <section className="card">
        <UnitForm
          values={failure?.values ?? { parentId }}
          errors={failure?.errors ?? {}}
          parentOptions={parentOptions}
          submitLabel="Create unit"
          intent="create"
        />
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "New unit · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
