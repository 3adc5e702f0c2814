import { Form, useFetcher, useLocation } from "@remix-run/react";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ONBOARDING_STATUSES } from "../../../db/schema";
import { indentedUnitName } from "~/components/data-table/list-filters";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";

export const BULK_FORM_ID = "bulk";

/** What a bulk change would do, as counted by the server (see previewAssign / previewStatus). */
export interface BulkCounts {
  matched: number;
  already: number;
  leaving: number;
  changing: number;
}

const teamsWord = (n: number) => `${n.toLocaleString("en")} team${n === 1 ? "" : "s"}`;

/**
 * "29 teams: 10 already in this wave are skipped, 9 teams under way would leave their current
 * wave. 19 teams will change." — the bar's live preview and the confirmation step say the same.
 */
export function bulkPreviewText(p: BulkCounts, waveName: string | null, kind: "assign" | "status" = "assign"): string {
  const alreadyWhere = kind === "status" ? "with this status" : waveName ? "in this wave" : "without a wave";
  const parts = [
    p.already > 0 ? `${p.already.toLocaleString("en")} already ${alreadyWhere} ${p.already === 1 ? "is" : "are"} skipped` : null,
    p.leaving > 0
      ? `${teamsWord(p.leaving)} under way (onboarding, first cycle or running) would leave ${p.leaving === 1 ? "its" : "their"} current wave`
      : null,
  ].filter(Boolean);
  return `${teamsWord(p.matched)}${parts.length ? `: ${parts.join(", ")}` : ""}. ${teamsWord(p.changing)} will change.`;
}

interface PreviewAnswer {
  assign: string | null;
  status: string | null;
}

interface TeamBulkBarProps {
  selectedCount: number;
  /** Teams matching the current filters (all pages). */
  matchingCount: number;
  waves: Array<{ id: string; name: string }>;
  today: string;
  errors: Record<string, string>;
  values: Record<string, string>;
}

/**
 * The bulk actions of the team list: assign the selected teams (or all teams matching the
 * filters) to a wave, or set their onboarding status as of a date. The row checkboxes belong
 * to this form through their `form` attribute. It posts to the current URL, query string
 * included, so the action can re-read the filters for "all matching".
 */
export function TeamBulkBar({ selectedCount, matchingCount, waves, today, errors, values }: TeamBulkBarProps) {
  const location = useLocation();
  const id = useId();
  const selectionError = errors.teamId;
  // Live counts (with JavaScript): as a wave or status is chosen, the server counts what would
  // change, before anything is submitted. Without JavaScript the confirmation step says it.
  const preview = useFetcher<PreviewAnswer>();
  const load = preview.load;
  const formRef = useRef<HTMLFormElement>(null);
  const [asked, setAsked] = useState(false);
  const { pathname, search } = location;
  const ask = useCallback(() => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    const chosen = data.get("waveId") || data.get("status");
    const named = data.get("allMatching") === "on" || data.getAll("teamId").length > 0;
    setAsked(Boolean(chosen && named));
    if (!chosen || !named) return;
    const query = new URLSearchParams(search);
    query.delete("bulk");
    for (const key of ["waveId", "status", "allMatching"]) {
      const value = data.get(key);
      if (typeof value === "string" && value) query.set(key, value);
    }
    for (const teamId of data.getAll("teamId")) if (typeof teamId === "string") query.append("teamId", teamId);
    load(`${pathname.replace(/\/$/, "")}/bulk-preview?${query}`);
  }, [load, pathname, search]);
  useEffect(() => {
    // The row checkboxes sit in the table and join the form through their `form` attribute, so
    // change events are heard on the document and kept when they belong to this form.
    const onChange = (event: Event) => {
      const target = event.target as HTMLInputElement | HTMLSelectElement | null;
      if (target && formRef.current && target.form === formRef.current) ask();
    };
    document.addEventListener("change", onChange);
    return () => document.removeEventListener("change", onChange);
  }, [ask]);
  // "Select all on this page" changes the selection without a change event on the rows.
  useEffect(() => ask(), [selectedCount, ask]);
  const lines =
    asked && preview.data && preview.state === "idle"
      ? [preview.data.assign, preview.data.status].filter((line): line is string => Boolean(line))
      : [];
  return (
    <Form
      method="post"
      action={location.pathname + location.search}
      id={BULK_FORM_ID}
      ref={formRef}
      className="plan-bulk"
      aria-label="Change the selected teams"
    >
      <p className="plan-bulk__count" aria-live="polite">
        <strong>{selectedCount.toLocaleString("en")}</strong> selected
      </p>
      <div className="field field--checkbox">
        <input type="checkbox" id={`${id}-all`} name="allMatching" defaultChecked={values.allMatching === "on"} />
        <label htmlFor={`${id}-all`}>
          Apply to all {matchingCount.toLocaleString("en")} team{matchingCount === 1 ? "" : "s"} matching the filters
        </label>
      </div>
      {/* The status group comes first: Enter in its date field submits "Apply", not "Assign". */}
      <fieldset className="plan-bulk__group">
        <legend>Set the onboarding status</legend>
        <label htmlFor={`${id}-status`} className="visually-hidden">
          Status
        </label>
        <select id={`${id}-status`} name="status" defaultValue={values.status ?? ""} aria-invalid={errors.status ? true : undefined}>
          <option value="">Choose a status…</option>
          {ONBOARDING_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ONBOARDING_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-date`}>as of</label>
        <input
          id={`${id}-date`}
          type="date"
          name="changedOn"
          max={today}
          defaultValue={values.changedOn ?? today}
          aria-invalid={errors.changedOn ? true : undefined}
        />
        <SubmitButton name="intent" value="status" className="button button--small" pendingText="Applying…">
          Apply
        </SubmitButton>
      </fieldset>
      <fieldset className="plan-bulk__group">
        <legend>Assign to a wave</legend>
        <label htmlFor={`${id}-wave`} className="visually-hidden">
          Wave
        </label>
        <select id={`${id}-wave`} name="waveId" defaultValue={values.waveId ?? ""} aria-invalid={errors.waveId ? true : undefined}>
          <option value="">Choose a wave…</option>
          {waves.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
          <option value="none">No wave (take out of their wave)</option>
        </select>
        <SubmitButton name="intent" value="assign" className="button button--small" pendingText="Assigning…">
          Assign
        </SubmitButton>
      </fieldset>
      <p className="plan-bulk__preview" aria-live="polite" data-testid="bulk-preview">
        {lines.length > 0 ? lines.join(" ") : null}
      </p>
      <div className="plan-bulk__errors">
        <FormError error={errors._form} />
        <FormError error={selectionError} />
        <FormError error={errors.waveId} />
        <FormError error={errors.status} />
        <FormError error={errors.changedOn} />
        <FormError error={errors.allMatching} />
      </div>
    </Form>
  );
}

/** The form adding every team of a unit (and its sub-units) to a wave. */
export function AddUnitForm({
  units,
  waves,
  errors,
  values,
}: {
  units: Array<{ id: string; name: string; depth: number }>;
  waves: Array<{ id: string; name: string }>;
  errors: Record<string, string>;
  values: Record<string, string>;
}) {
  const location = useLocation();
  const id = useId();
  return (
    <Form method="post" action={location.pathname + location.search} className="plan-unit-form">
      <input type="hidden" name="intent" value="assign-unit" />
      <FormError error={errors._form} />
      <div className="field-row">
        <div className={errors.unitId ? "field field--invalid" : "field"}>
          <label htmlFor={`${id}-unit`}>Unit (with its sub-units)</label>
          <select id={`${id}-unit`} name="unitId" defaultValue={values.unitId ?? ""} aria-invalid={errors.unitId ? true : undefined}>
            <option value="">Choose a unit…</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {indentedUnitName(u)}
              </option>
            ))}
          </select>
          {errors.unitId ? (
            <p className="field__error" role="alert">
              {errors.unitId}
            </p>
          ) : null}
        </div>
        <div className={errors.waveId ? "field field--invalid" : "field"}>
          <label htmlFor={`${id}-wave`}>Wave</label>
          <select id={`${id}-wave`} name="waveId" defaultValue={values.waveId ?? ""} aria-invalid={errors.waveId ? true : undefined}>
            <option value="">Choose a wave…</option>
            {waves.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
            <option value="none">No wave (take out of their wave)</option>
          </select>
          {errors.waveId ? (
            <p className="field__error" role="alert">
              {errors.waveId}
            </p>
          ) : null}
        </div>
      </div>
      <SubmitButton className="button button--secondary">Add the unit's teams</SubmitButton>
    </Form>
  );
}
