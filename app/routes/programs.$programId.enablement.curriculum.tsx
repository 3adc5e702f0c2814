import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { CheckboxField, FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import {
  createMaterial,
  createModule,
  listMaterials,
  listModules,
  listVersions,
  publishMaterialVersion,
  publishModuleVersion,
} from "~/models/enablement/curriculum.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { DELIVERY_LABELS, materialSchema, MODULE_KIND_LABELS, moduleSchema, versionSchema } from "~/validation/enablement";
import { MODULE_DELIVERIES, MODULE_KINDS } from "../../db/schema";
import { z } from "zod";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// The curriculum: modules (kind, delivery, duration, validity, prerequisites) and materials, and
// their versions. A new version "requiring a refresh" makes earlier completions refresh due.

const ownerSchema = z.object({ ownerId: z.string().trim().min(1, "Choose a module or material.").max(64, "Choose a module or material.") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const db = getDb();
  const [modules, materials, versions] = await Promise.all([
    listModules(db, program.id),
    listMaterials(db, program.id),
    listVersions(db, program.id),
  ]);
  return { program: { id: program.id, name: program.name }, modules, materials, versions };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/enablement/curriculum`;
  const db = getDb();
  if (intent === "create-module") {
    const parsed = parseForm(moduleSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await createModule(db, user, program.id, parsed.data);
        return redirectWithToast(request, here, `Module “${parsed.data.title}” added.`);
      },
      { intent },
    );
  }
  if (intent === "create-material") {
    const parsed = parseForm(materialSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await createMaterial(db, user, program.id, parsed.data);
        return redirectWithToast(request, here, `Material “${parsed.data.title}” added.`);
      },
      { intent },
    );
  }
  if (intent === "publish-module" || intent === "publish-material") {
    const owner = parseForm(ownerSchema, formData);
    const parsed = parseForm(versionSchema, formData);
    if (!owner.ok) return failure(owner.errors, owner.values, 400, { intent });
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        const version =
          intent === "publish-module"
            ? await publishModuleVersion(db, user, program.id, owner.data.ownerId, parsed.data)
            : await publishMaterialVersion(db, user, program.id, owner.data.ownerId, parsed.data);
        return redirectWithToast(request, here, `Version ${version} published.`);
      },
      { intent },
    );
  }
  return unknownIntent(intent);
}

export default function Curriculum() {
  const { program, modules, materials, versions } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed && "intent" in failed && failed.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed && "intent" in failed && failed.intent === intent ? failed.values : {});
  const titleOf = new Map([...modules.map((m) => [m.id, m.title] as const), ...materials.map((m) => [m.id, m.title] as const)]);
  const moduleOptions = modules.map((m) => ({ value: m.id, label: m.title }));
  const e = errorsFor("create-module");
  const v = valuesFor("create-module");
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Curriculum</h1>
      <section aria-labelledby="modules-heading">
        <h2 id="modules-heading">Modules</h2>
        {modules.length === 0 ? (
          <p className="muted">No module yet.</p>
        ) : (
          <table className="simple-table">
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Kind</th>
                <th scope="col">Delivery</th>
                <th scope="col">Duration</th>
                <th scope="col">Version</th>
                <th scope="col">Valid for</th>
                <th scope="col">Prerequisites</th>
                <th scope="col">Materials</th>
              </tr>
            </thead>
            <tbody>
              {modules.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.title}</th>
                  <td>{MODULE_KIND_LABELS[m.kind]}</td>
                  <td>{DELIVERY_LABELS[m.delivery]}</td>
                  <td>{m.durationMinutes} min</td>
                  <td>v{m.version}</td>
                  <td>{m.validityMonths ? `${m.validityMonths} months` : "No expiry"}</td>
                  <td>{m.prerequisiteIds.map((p) => titleOf.get(p)).join(", ") || "–"}</td>
                  <td>{m.materialIds.map((p) => titleOf.get(p)).join(", ") || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="new-module">
          <h2 id="new-module">Add a module</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="create-module" />
            <FormError error={e._form} />
            <InputField label="Title" name="title" maxLength={160} required defaultValue={v.title ?? ""} error={e.title} />
            <SelectField
              label="Kind"
              name="kind"
              defaultValue={v.kind ?? "fundamentals"}
              error={e.kind}
              options={MODULE_KINDS.map((k) => ({ value: k, label: MODULE_KIND_LABELS[k] }))}
            />
            <SelectField
              label="Delivery"
              name="delivery"
              defaultValue={v.delivery ?? "live"}
              error={e.delivery}
              options={MODULE_DELIVERIES.map((k) => ({ value: k, label: DELIVERY_LABELS[k] }))}
            />
            <InputField
              label="Duration (minutes)"
              name="durationMinutes"
              inputMode="numeric"
              defaultValue={v.durationMinutes ?? "90"}
              error={e.durationMinutes}
            />
            <InputField
              label="Valid for (months)"
              name="validityMonths"
              inputMode="numeric"
              defaultValue={v.validityMonths ?? ""}
              error={e.validityMonths}
              hint="Empty: a completion never needs a refresh."
            />
            <SelectField label="Prerequisites" name="prerequisiteIds" multiple error={e.prerequisiteIds} options={moduleOptions} />
            <TextAreaField
              label="Description"
              name="description"
              maxLength={2000}
              defaultValue={v.description ?? ""}
              error={e.description}
            />
            <SubmitButton>Add module</SubmitButton>
          </Form>
        </section>
        <section className="card" aria-labelledby="new-material">
          <h2 id="new-material">Add a material</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="create-material" />
            <FormError error={errorsFor("create-material")._form} />
            <InputField
              label="Title"
              name="title"
              maxLength={160}
              required
              defaultValue={valuesFor("create-material").title ?? ""}
              error={errorsFor("create-material").title}
            />
            <InputField
              label="Link"
              name="url"
              type="url"
              maxLength={2000}
              defaultValue={valuesFor("create-material").url ?? ""}
              error={errorsFor("create-material").url}
            />
            <SelectField
              label="Used by modules"
              name="moduleIds"
              multiple
              error={errorsFor("create-material").moduleIds}
              options={moduleOptions}
            />
            <SubmitButton>Add material</SubmitButton>
          </Form>
          {materials.length > 0 ? (
            <ul>
              {materials.map((m) => (
                <li key={m.id}>
                  {m.url ? <a href={m.url}>{m.title}</a> : m.title} v{m.version}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>
      <section className="card" aria-labelledby="publish-heading">
        <h2 id="publish-heading">Publish a new version</h2>
        <div className="grid-2">
          {(["publish-module", "publish-material"] as const).map((intent) => (
            <Form method="post" key={intent}>
              <input type="hidden" name="intent" value={intent} />
              <FormError error={errorsFor(intent)._form} />
              <SelectField
                label={intent === "publish-module" ? "Module" : "Material"}
                name="ownerId"
                error={errorsFor(intent).ownerId}
                options={intent === "publish-module" ? moduleOptions : materials.map((m) => ({ value: m.id, label: m.title }))}
              />
              <InputField label="What changed" name="note" maxLength={500} error={errorsFor(intent).note} />
              {intent === "publish-material" ? <InputField label="New link" name="url" type="url" error={errorsFor(intent).url} /> : null}
              <CheckboxField label="Earlier completions need a refresh" name="requiresRefresh" />
              <SubmitButton className="button button--secondary">Publish version</SubmitButton>
            </Form>
          ))}
        </div>
        <h3>History</h3>
        <ul>
          {[...versions.modules, ...versions.materials].map((r) => (
            <li key={`${r.ownerId}:${r.version}`}>
              {formatDate(r.publishedOn)} · {titleOf.get(r.ownerId)} v{r.version}
              {r.requiresRefresh ? " · refresh required" : ""}
              {r.note ? ` · ${r.note}` : ""}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Curriculum · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
