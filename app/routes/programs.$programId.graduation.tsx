import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { ONBOARDING_STATUSES } from "../../db/schema";
import { CheckboxField, FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { describeRules } from "~/models/health/graduation";
import { decideProposals, freedCapacity, graduationProposals, recentDecisions, saveRules } from "~/models/health/graduation.server";
import { cachedHealthData } from "~/models/health/health.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import * as dates from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { useHydrated } from "~/utils/hydrated";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { graduationDecisionSchema, graduationRulesSchema } from "~/validation/health";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";

// Graduation (issue 16): the status moves the app proposes from the data (onboarding → first
// cycle → running → self-sufficient, or back), each with its evidence; the PLO confirms or
// rejects the ones ticked, or every one shown, in one go (one transaction: status history,
// decisions, audit). The program's rules are edited here too. PLO only.

/** Proposals shown at most on one page (narrow by wave or move for the rest). */
const SHOWN = 300;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, dataVersion } = await requireProgram(request, params, "graduation:manage");
  const search = new URL(request.url).searchParams;
  const to = search.get("to");
  const wave = (search.get("wave") ?? "").slice(0, 64) || null;
  const today = dates.today();
  const db = getDb();
  const data = await cachedHealthData(db, program.id, dataVersion, today);
  const [{ rules, proposals, rejectedHidden }, decisions, freed] = await Promise.all([
    graduationProposals(db, program.id, data),
    recentDecisions(db, program.id, 15),
    freedCapacity(db, program.id, today),
  ]);
  const moves = new Map<string, number>();
  for (const p of proposals) moves.set(p.to, (moves.get(p.to) ?? 0) + 1);
  const filtered = proposals.filter((p) => (!to || p.to === to) && (!wave || (wave === "none" ? p.waveId === null : p.waveId === wave)));
  return {
    program: { id: program.id, name: program.name },
    rules,
    ruleText: describeRules(rules),
    total: proposals.length,
    moves: ONBOARDING_STATUSES.filter((s) => moves.has(s)).map((s) => ({ to: s, count: moves.get(s)! })),
    filter: { to, wave },
    waves: data.waves.map((w) => ({ id: w.id, name: w.name })),
    matching: filtered.length,
    proposals: filtered.slice(0, SHOWN),
    rejectedHidden,
    decisions,
    freed,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "graduation:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const here = `/programs/${program.id}/graduation${new URL(request.url).search}`;
  switch (intent) {
    case "decide": {
      const parsed = parseForm(graduationDecisionSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const result = await decideProposals(db, user, program.id, parsed.data, dates.today());
          const verb = parsed.data.decision === "confirm" ? "Confirmed" : "Rejected";
          const stale = result.stale.length ? ` ${result.stale.length} no longer stood and were left alone.` : "";
          return redirectWithToast(request, here, `${verb} ${result.decided} proposal${result.decided === 1 ? "" : "s"}.${stale}`);
        },
        { intent },
      );
    }
    case "rules": {
      const parsed = parseForm(graduationRulesSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          const changed = await saveRules(db, user, program.id, parsed.data);
          return redirectWithToast(request, here, changed ? "Graduation rules saved." : "Nothing changed.");
        },
        { intent },
      );
    }
    default:
      return unknownIntent(intent);
  }
}

function filterLink(filter: { to?: string | null; wave?: string | null }) {
  const search = new URLSearchParams();
  if (filter.to) search.set("to", filter.to);
  if (filter.wave) search.set("wave", filter.wave);
  const text = search.toString();
  return text ? `?${text}` : "?";
}

export default function Graduation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const decideErrors = result && "errors" in result && result.intent === "decide" ? result.errors : {};
  const rulesErrors = result && "errors" in result && result.intent === "rules" ? result.errors : {};
  const rulesValues = result && "values" in result && result.intent === "rules" ? result.values : null;
  const { program, rules } = data;
  const hydrated = useHydrated();
  return (
    <>
      <div className="page-header">
        <h1>Graduation</h1>
        <Link to={`/programs/${program.id}/health`}>Process health →</Link>
      </div>
      <p className="lead">
        The onboarding status moves the data supports — onboarding → first cycle → running → self-sufficient, or back — each with its
        evidence. Confirm or reject them in bulk: confirmed moves go into each team&apos;s status history and the audit log; a rejected
        proposal comes back only when a newer cycle brings new evidence.
      </p>

      <section className="card" aria-labelledby="proposals-title">
        <div className="card__header">
          <h2 id="proposals-title">Proposals ({data.total.toLocaleString("en")})</h2>
          {data.rejectedHidden > 0 ? (
            <span className="muted">
              {data.rejectedHidden} rejected earlier on the same evidence {data.rejectedHidden === 1 ? "is" : "are"} not shown
            </span>
          ) : null}
        </div>
        <nav aria-label="Filter the proposals" className="filter-bar">
          <Link to={filterLink({ wave: data.filter.wave })} aria-current={data.filter.to ? undefined : "page"} className="pill">
            Every move
          </Link>
          {data.moves.map((m) => (
            <Link
              key={m.to}
              to={filterLink({ to: m.to, wave: data.filter.wave })}
              aria-current={data.filter.to === m.to ? "page" : undefined}
              className="pill"
            >
              To {ONBOARDING_STATUS_LABELS[m.to].toLowerCase()} ({m.count})
            </Link>
          ))}
          <Form method="get" className="inline-form">
            {data.filter.to ? <input type="hidden" name="to" value={data.filter.to} /> : null}
            <label>
              Wave{" "}
              <select name="wave" defaultValue={data.filter.wave ?? ""}>
                <option value="">Every wave</option>
                {data.waves.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
                <option value="none">No wave</option>
              </select>
            </label>
            <button type="submit" className="button button--secondary button--small">
              Show
            </button>
          </Form>
        </nav>
        {data.proposals.length === 0 ? (
          <p className="muted">
            No status move is proposed{data.filter.to || data.filter.wave ? " here" : ""}: every team&apos;s status matches its data.
          </p>
        ) : (
          <ProposalsForm
            proposals={data.proposals}
            programId={program.id}
            matching={data.matching}
            error={decideErrors._form ?? decideErrors.proposal ?? decideErrors.decision}
            reason={result && "values" in result && result.intent === "decide" ? (result.values.reason ?? "") : ""}
          />
        )}
        {/* Without JavaScript there is no "select all": one button confirms every proposal shown. */}
        {data.proposals.length > 1 && !hydrated ? (
          <Form method="post" className="inline-form" aria-label="Confirm every proposal shown">
            <input type="hidden" name="intent" value="decide" />
            <input type="hidden" name="decision" value="confirm" />
            {data.proposals.map((p) => (
              <input key={p.key} type="hidden" name="proposal" value={p.key} />
            ))}
            <SubmitButton className="button button--secondary" pendingText="Confirming…">
              Confirm all {data.proposals.length} shown
            </SubmitButton>
          </Form>
        ) : null}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="rules-title">
          <h2 id="rules-title">Rules for self-sufficiency{rules.custom ? "" : " (the defaults)"}</h2>
          <p>A running team is proposed as self-sufficient with:</p>
          <ul>
            {data.ruleText.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <details open={Object.keys(rulesErrors).length > 0}>
            <summary>Change the rules</summary>
            <Form method="post" aria-label="Graduation rules">
              <input type="hidden" name="intent" value="rules" />
              <FormError error={rulesErrors._form} />
              <InputField
                label="Consecutive ended cycles"
                name="consecutiveCycles"
                type="number"
                min={1}
                max={8}
                defaultValue={rulesValues?.consecutiveCycles ?? String(rules.consecutiveCycles)}
                error={rulesErrors.consecutiveCycles}
              />
              <InputField
                label="Check-in windows kept in each (%)"
                name="minWindowsPercent"
                type="number"
                min={0}
                max={100}
                defaultValue={rulesValues?.minWindowsPercent ?? String(rules.minWindowsPercent)}
                error={rulesErrors.minWindowsPercent}
              />
              <CheckboxField label="Every key result scored in each" name="requireScored" defaultChecked={rules.requireScored} />
              <CheckboxField
                label="The latest retrospective run by the team itself"
                name="requireTeamRetro"
                defaultChecked={rules.requireTeamRetro}
              />
              <InputField
                label="Coach's latest maturity rating at least (1–5; empty: not asked)"
                name="minMaturity"
                type="number"
                min={1}
                max={5}
                defaultValue={rulesValues?.minMaturity ?? (rules.minMaturity === null ? "" : String(rules.minMaturity))}
                error={rulesErrors.minMaturity}
              />
              <CheckboxField label="Required training met" name="requireTraining" defaultChecked={rules.requireTraining} />
              <SubmitButton>Save the rules</SubmitButton>
            </Form>
          </details>
        </section>
        <section className="card" aria-labelledby="freed-title">
          <h2 id="freed-title">Coach capacity freed</h2>
          {data.freed.places === 0 ? (
            <p className="muted">No self-sufficient team holds a coach&apos;s place.</p>
          ) : (
            <>
              <p>
                {data.freed.teams} self-sufficient team{data.freed.teams === 1 ? "" : "s"} still hold{data.freed.teams === 1 ? "s" : ""}{" "}
                {data.freed.places} coach place{data.freed.places === 1 ? "" : "s"}: end those assignments to free them (
                <Link to={`/programs/${program.id}/coverage`}>coverage board</Link>).
              </p>
              <ul>
                {data.freed.byCoach.map((c) => (
                  <li key={c.coachId}>
                    <Link to={`/programs/${program.id}/coaches/${c.coachId}`}>{c.coachName}</Link>: {c.teams.join(", ")}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="decisions-title">
        <h2 id="decisions-title">Recent decisions</h2>
        {data.decisions.length === 0 ? (
          <p className="muted">No proposal has been decided yet.</p>
        ) : (
          <ul className="activity">
            {data.decisions.map((d) => (
              <li key={d.id}>
                <Link to={`/programs/${program.id}/teams/${d.teamId}`}>{d.teamName}</Link>: {ONBOARDING_STATUS_LABELS[d.from]} →{" "}
                {ONBOARDING_STATUS_LABELS[d.to]} <strong>{d.decision}</strong>
                {d.reason ? ` (“${d.reason}”)` : ""}{" "}
                <span className="muted">
                  — {d.by || "someone"}, {dates.formatDateTime(d.at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

const movesWord = (n: number) => `${n.toLocaleString("en")} move${n === 1 ? "" : "s"}`;

/**
 * The proposals with a checkbox each: the PLO ticks some (or all, with the header's checkbox once
 * JavaScript runs) and confirms or rejects only those; the buttons say how many ("Confirm 3
 * moves"). Without JavaScript the boxes still tick and the buttons send the ticked ones.
 */
function ProposalsForm({
  proposals,
  programId,
  matching,
  error,
  reason,
}: {
  proposals: LoaderData["proposals"];
  programId: string;
  matching: number;
  error: string | undefined;
  reason: string;
}) {
  const hydrated = useHydrated();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // A new list (after a decision, another filter) starts with nothing ticked that it does not show.
  const [shown, setShown] = useState(proposals);
  if (shown !== proposals) {
    setShown(proposals);
    const keys = new Set(proposals.map((p) => p.key));
    setSelected((old) => new Set([...old].filter((k) => keys.has(k))));
  }
  const count = selected.size;
  const all = count > 0 && count === proposals.length;
  const toggle = (key: string, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const counted = hydrated && count > 0;
  return (
    <Form method="post" aria-label="Decide on the proposals">
      <input type="hidden" name="intent" value="decide" />
      {matching > proposals.length ? (
        <p className="muted">
          The first {proposals.length} of {matching.toLocaleString("en")}; narrow by wave or move for the others.
        </p>
      ) : null}
      <div className="data-table__scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col" className="data-table__select">
                {hydrated ? (
                  <input
                    type="checkbox"
                    aria-label={`Select all ${proposals.length} proposals shown`}
                    checked={all}
                    ref={(el) => {
                      if (el) el.indeterminate = count > 0 && !all;
                    }}
                    onChange={(e) => setSelected(e.target.checked ? new Set(proposals.map((p) => p.key)) : new Set())}
                  />
                ) : (
                  <span className="visually-hidden">Select</span>
                )}
              </th>
              <th scope="col">Team</th>
              <th scope="col">Wave</th>
              <th scope="col">Move</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {proposals.map((p) => (
              <tr key={p.key} className={selected.has(p.key) ? "is-selected" : undefined}>
                <td className="data-table__select">
                  <input
                    type="checkbox"
                    name="proposal"
                    value={p.key}
                    id={`proposal-${p.key}`}
                    aria-label={`Select ${p.teamName}: ${ONBOARDING_STATUS_LABELS[p.from]} to ${ONBOARDING_STATUS_LABELS[p.to]}`}
                    aria-describedby={error ? "proposal-error" : undefined}
                    checked={selected.has(p.key)}
                    onChange={(e) => toggle(p.key, e.target.checked)}
                  />
                </td>
                <th scope="row">
                  <label htmlFor={`proposal-${p.key}`}>{p.teamName}</label>{" "}
                  <Link to={`/programs/${programId}/teams/${p.teamId}`} className="muted">
                    (team)
                  </Link>
                </th>
                <td>{p.waveName ?? <span className="muted">No wave</span>}</td>
                <td>
                  {ONBOARDING_STATUS_LABELS[p.from]} {p.direction === "back" ? "↩" : "→"} <strong>{ONBOARDING_STATUS_LABELS[p.to]}</strong>
                </td>
                <td>
                  <ul className="evidence">
                    {p.evidence.map((e) => (
                      <li key={e.text} className={`evidence__item--${e.ok ? "ok" : "no"}`}>
                        {e.text}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="inline-form">
        {hydrated ? (
          <span aria-live="polite" className="muted">
            {count === 0 ? "None selected" : `${count.toLocaleString("en")} of ${proposals.length.toLocaleString("en")} selected`}
          </span>
        ) : null}
        <label>
          Reason (optional) <input type="text" name="reason" maxLength={500} defaultValue={reason} />
        </label>
        <SubmitButton name="decision" value="confirm" pendingText="Confirming…">
          {counted ? `Confirm ${movesWord(count)}` : "Confirm the selected"}
        </SubmitButton>
        <SubmitButton name="decision" value="reject" className="button button--secondary" pendingText="Rejecting…">
          {counted ? `Reject ${movesWord(count)}` : "Reject the selected"}
        </SubmitButton>
        {error ? (
          <p className="field-error" id="proposal-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Graduation · ${data.program.name} · Rollout Desk` : "Graduation · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
