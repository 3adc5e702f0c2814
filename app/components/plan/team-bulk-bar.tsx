import { Form, useLocation } from "@remix-run/react";
import { useId } from "react";
import { ONBOARDING_STATUSES } from "../../../db/schema";
import { indentedUnitName } from "~/components/data-table/list-filters";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";

export const BULK_FORM_ID = "bulk";

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
  return (
    <Form
      method="post"
      action={location.pathname + location.search}
      id={BULK_FORM_ID}
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
