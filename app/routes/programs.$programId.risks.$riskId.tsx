import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RiskForm } from "~/components/plan-details/risk-form";
import { RiskScore } from "~/components/plan-details/risk-table";
import { DangerZone } from "~/components/ui/danger-zone";
import { SubmitButton } from "~/components/ui/submit-button";
import { listWaveOptions } from "~/models/plan/refs.server";
import { listUnitOptions } from "~/models/org/org.server";
import { closeRisk, deleteRisk, getRisk, updateRisk } from "~/models/plan/risks.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure, unconfirmed } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { IMPACT_LABELS, LIKELIHOOD_LABELS, RISK_STATUS_LABELS, riskSchema } from "~/validation/plan-details";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

const NOT_FOUND = "This risk does not exist in this program (or was deleted).";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const canWrite = can(user.role, "plan:write");
  const db = getDb();
  const [risk, waves, units] = await Promise.all([
    getRisk(db, program.id, params.riskId ?? ""),
    canWrite ? listWaveOptions(db, program.id) : Promise.resolve([]),
    canWrite ? listUnitOptions(db) : Promise.resolve([]),
  ]);
  if (!risk) throw new Response(NOT_FOUND, { status: 404 });
  return { programId: program.id, risk, waves: waves.map((w) => ({ id: w.id, name: w.name })), units, canWrite };
}

type Failure = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const id = params.riskId ?? "";
  const db = getDb();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const list = `/programs/${program.id}/risks`;
  switch (intent) {
    case "save": {
      const parsed = parseForm(riskSchema, formData);
      if (!parsed.ok) return data<Failure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      try {
        const saved = await updateRisk(db, user, program.id, id, parsed.data);
        if (!saved) throw new Response(NOT_FOUND, { status: 404 });
      } catch (error) {
        return domainFailure(error, parsed.values, { intent });
      }
      return redirectWithToast(request, list, `Risk “${parsed.data.title}” saved.`);
    }
    case "close": {
      const title = await closeRisk(db, user, program.id, id);
      if (title === null) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, list, `Risk “${title}” closed.`);
    }
    case "delete": {
      const unticked = unconfirmed(formData);
      if (unticked) return data<Failure>({ intent, errors: unticked, values: {} }, { status: 400 });
      const title = await deleteRisk(db, user, program.id, id);
      if (title === null) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, list, `Risk “${title}” deleted.`);
    }
    default:
      return data<Failure>({ intent, errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  }
}

export default function RiskDetail() {
  const { programId, risk, waves, units, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure.errors : {});
  const values =
    failure?.intent === "save"
      ? failure.values
      : {
          title: risk.title,
          description: risk.description,
          likelihood: String(risk.likelihood),
          impact: String(risk.impact),
          status: risk.status,
          ownerEmail: risk.ownerEmail ?? "",
          mitigation: risk.mitigation,
          waveId: risk.waveId ?? "",
          unitId: risk.unitId ?? "",
        };
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/risks`}>← All risks</Link>
      </p>
      <h1>{risk.title}</h1>
      <dl className="facts">
        <div>
          <dt>Score</dt>
          <dd>
            <RiskScore score={risk.score} />
          </dd>
        </div>
        <div>
          <dt>Likelihood</dt>
          <dd>
            {risk.likelihood} · {LIKELIHOOD_LABELS[risk.likelihood - 1]}
          </dd>
        </div>
        <div>
          <dt>Impact</dt>
          <dd>
            {risk.impact} · {IMPACT_LABELS[risk.impact - 1]}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{RISK_STATUS_LABELS[risk.status]}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{risk.ownerName ? `${risk.ownerName} (${risk.ownerEmail})` : "Nobody yet"}</dd>
        </div>
        {risk.waveName || risk.unitName ? (
          <div>
            <dt>Concerns</dt>
            <dd>{[risk.waveName, risk.unitName].filter(Boolean).join(", ")}</dd>
          </div>
        ) : null}
      </dl>
      {!canWrite ? (
        <>
          {risk.description ? <p className="plan-notes">{risk.description}</p> : null}
          <h2>Mitigation</h2>
          <p className="plan-notes">{risk.mitigation || "None recorded."}</p>
        </>
      ) : (
        <>
          {risk.status !== "closed" ? (
            <Form method="post" className="button-row">
              <SubmitButton name="intent" value="close" className="button button--secondary">
                Close risk
              </SubmitButton>
            </Form>
          ) : null}
          <section className="card" aria-labelledby="edit-risk">
            <h2 id="edit-risk">Edit</h2>
            <RiskForm values={values} errors={errorsFor("save")} waves={waves} units={units} submitLabel="Save risk" intent="save" />
          </section>
          <DangerZone
            title="Delete risk"
            confirmLabel={`Yes, delete “${risk.title}”`}
            intent="delete"
            submitLabel="Delete risk"
            errors={errorsFor("delete")}
          >
            <p className="muted">Closing keeps the risk in the register; deleting removes it (the audit log keeps a record).</p>
          </DangerZone>
        </>
      )}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.risk.title} · Risks · Rollout Desk` : "Risk · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
