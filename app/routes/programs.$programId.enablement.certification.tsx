import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { awardLevel, createLevel, createPath, listAwards, listLevels, listPaths } from "~/models/enablement/certification.server";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { awardSchema, certLevelSchema, certPathSchema } from "~/validation/enablement";
import { SESSION_TYPE_LABELS } from "~/validation/sessions";
import { SESSION_TYPES } from "../../db/schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// Coach certification: paths with levels (modules, facilitated sessions from the coaching log,
// validity) and the assessor's sign-off, refused while a coach does not meet the level yet.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const db = getDb();
  const [paths, levels, awards, modules] = await Promise.all([
    listPaths(db, program.id),
    listLevels(db, program.id),
    listAwards(db, program.id),
    moduleOptions(db, program.id),
  ]);
  return { program: { id: program.id, name: program.name }, today: today(), paths, levels, awards, modules };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/enablement/certification`;
  const db = getDb();
  if (intent === "path") {
    const parsed = parseForm(certPathSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(parsed.values, async () => {
      await createPath(db, user, program.id, parsed.data.name);
      return redirectWithToast(request, here, "Path added.");
    });
  }
  if (intent === "level") {
    const parsed = parseForm(certLevelSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await createLevel(db, user, program.id, parsed.data);
        return redirectWithToast(request, here, "Level added.");
      },
      { intent },
    );
  }
  if (intent === "award") {
    const parsed = parseForm(awardSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await awardLevel(db, user, program.id, parsed.data);
        return redirectWithToast(request, here, "Certification recorded.");
      },
      { intent },
    );
  }
  return unknownIntent(intent);
}

export default function Certification() {
  const { program, today: day, paths, levels, awards, modules } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed && "intent" in failed && failed.intent === intent ? failed.errors : {});
  const moduleTitle = new Map(modules.map((m) => [m.id, m.title]));
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Coach certification</h1>
      {levels.length === 0 ? (
        <p className="muted">No certification level yet.</p>
      ) : (
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Level</th>
              <th scope="col">Modules</th>
              <th scope="col">Facilitated sessions</th>
              <th scope="col">Valid for</th>
            </tr>
          </thead>
          <tbody>
            {levels.map((l) => (
              <tr key={l.id}>
                <td>{l.pathName}</td>
                <th scope="row">{l.name}</th>
                <td>{l.moduleIds.map((m) => moduleTitle.get(m)).join(", ") || "–"}</td>
                <td>
                  {l.requiredSessions}
                  {l.sessionTypes.length ? ` (${l.sessionTypes.map((t) => SESSION_TYPE_LABELS[t]).join(", ")})` : ""}
                </td>
                <td>{l.validityMonths ? `${l.validityMonths} months` : "No expiry"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="award-heading">
        <h2 id="award-heading">Record an assessor&apos;s sign-off</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="award" />
          <FormError error={errorsFor("award")._form} />
          <InputField label="Coach's email" name="email" type="email" required error={errorsFor("award").email} />
          <SelectField
            label="Level"
            name="levelId"
            error={errorsFor("award").levelId}
            options={levels.map((l) => ({ value: l.id, label: `${l.pathName} · ${l.name}` }))}
          />
          <InputField label="Signed off on" name="awardedOn" type="date" defaultValue={day} error={errorsFor("award").awardedOn} />
          <InputField label="Assessor's note" name="note" maxLength={1000} error={errorsFor("award").note} />
          <SubmitButton>Record sign-off</SubmitButton>
        </Form>
      </section>
      <section aria-labelledby="awards-heading">
        <h2 id="awards-heading">Certified coaches</h2>
        {awards.length === 0 ? (
          <p className="muted">Nobody yet.</p>
        ) : (
          <ul>
            {awards.map((a) => (
              <li key={a.id}>
                {a.personName} · {a.levelName} ({a.pathName}) since {formatDate(a.awardedOn)}
                {a.expiresOn ? `, ${a.expiresOn <= day ? "expired" : "expires"} ${formatDate(a.expiresOn)}` : ""} · signed off by{" "}
                {a.assessorLabel}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="path-heading">
          <h2 id="path-heading">Add a path</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="path" />
            <InputField label="Name" name="name" required maxLength={160} error={errorsFor("path").name} />
            <SubmitButton className="button button--secondary">Add path</SubmitButton>
          </Form>
        </section>
        <section className="card" aria-labelledby="level-heading">
          <h2 id="level-heading">Add a level</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="level" />
            <FormError error={errorsFor("level")._form} />
            <SelectField
              label="Path"
              name="pathId"
              error={errorsFor("level").pathId}
              options={paths.map((p) => ({ value: p.id, label: p.name }))}
            />
            <InputField label="Level" name="name" required maxLength={160} error={errorsFor("level").name} />
            <InputField label="Rank" name="rank" inputMode="numeric" defaultValue="1" error={errorsFor("level").rank} />
            <SelectField
              label="Modules"
              name="moduleIds"
              multiple
              error={errorsFor("level").moduleIds}
              options={modules.map((m) => ({ value: m.id, label: m.title }))}
            />
            <InputField
              label="Facilitated sessions"
              name="requiredSessions"
              inputMode="numeric"
              defaultValue="0"
              error={errorsFor("level").requiredSessions}
            />
            <SelectField
              label="Of types"
              name="sessionTypes"
              multiple
              error={errorsFor("level").sessionTypes}
              options={SESSION_TYPES.map((t) => ({ value: t, label: SESSION_TYPE_LABELS[t] }))}
            />
            <InputField label="Valid for (months)" name="validityMonths" inputMode="numeric" error={errorsFor("level").validityMonths} />
            <SubmitButton className="button button--secondary">Add level</SubmitButton>
          </Form>
        </section>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Coach certification · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
