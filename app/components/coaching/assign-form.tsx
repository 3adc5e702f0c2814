import { Form, useFetcher, useLocation } from "@remix-run/react";
import { useId, useState } from "react";
import { useHydrated } from "~/utils/hydrated";
import { ASSIGNMENT_KINDS } from "../../../db/schema";
import { coachOptionLabel } from "~/components/coaching/load";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { ASSIGNMENT_KIND_LABELS } from "~/validation/coaching";

export interface CoachChoice {
  id: string;
  name: string;
  load: number;
  capacity: number;
}

export const ASSIGN_FORM_ID = "assign";

interface BulkAssignFormProps {
  /** Rows selected on the page (0 without JavaScript: the count is unknown then). */
  selectedCount: number;
  coaches: CoachChoice[];
  today: string;
  errors: Record<string, string>;
  values: Record<string, string>;
  /** The kind is fixed (the coverage board assigns primaries); otherwise the form offers both. */
  fixedKind?: "primary";
  /** The coach chosen in advance (e.g. from the coach's page). */
  defaultCoachId?: string;
}

/**
 * "Assign N selected teams to coach [select] as [primary|secondary] from [date] until [date]":
 * the row checkboxes of the list belong to this form through their `form` attribute. It posts to
 * the current URL, so the page comes back with its filters after the change.
 */
export function BulkAssignForm({ selectedCount, coaches, today, errors, values, fixedKind, defaultCoachId }: BulkAssignFormProps) {
  const location = useLocation();
  const id = useId();
  const teams =
    selectedCount > 0 ? `${selectedCount.toLocaleString("en")} selected team${selectedCount === 1 ? "" : "s"}` : "the selected teams";
  return (
    <Form
      method="post"
      action={location.pathname + location.search}
      id={ASSIGN_FORM_ID}
      className="coaching-bulk"
      aria-label="Assign the selected teams to a coach"
    >
      <input type="hidden" name="intent" value="assign" />
      <span className="coaching-bulk__count" aria-live="polite">
        Assign <strong>{teams}</strong>
      </span>
      <label htmlFor={`${id}-coach`}>to coach</label>
      <select
        id={`${id}-coach`}
        name="coachId"
        defaultValue={values.coachId ?? defaultCoachId ?? ""}
        aria-invalid={errors.coachId ? true : undefined}
      >
        <option value="">Choose a coach…</option>
        {coaches.map((c) => (
          <option key={c.id} value={c.id}>
            {coachOptionLabel(c)}
          </option>
        ))}
      </select>
      {fixedKind ? (
        <>
          <input type="hidden" name="kind" value={fixedKind} />
          <span>as primary coach</span>
        </>
      ) : (
        <>
          <label htmlFor={`${id}-kind`}>as</label>
          <select id={`${id}-kind`} name="kind" defaultValue={values.kind ?? "primary"} aria-invalid={errors.kind ? true : undefined}>
            {ASSIGNMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {ASSIGNMENT_KIND_LABELS[k].toLowerCase()}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-from`}>from</label>
      <input
        id={`${id}-from`}
        type="date"
        name="startsOn"
        required
        defaultValue={values.startsOn ?? today}
        aria-invalid={errors.startsOn ? true : undefined}
      />
      <label htmlFor={`${id}-until`}>until (optional)</label>
      <input
        id={`${id}-until`}
        type="date"
        name="endsOn"
        defaultValue={values.endsOn ?? ""}
        aria-invalid={errors.endsOn ? true : undefined}
      />
      <SubmitButton className="button button--small" pendingText="Assigning…">
        Assign
      </SubmitButton>
      <p className="coaching-bulk__hint muted">A new primary coach ends the team's previous primary assignment the day before.</p>
      <div className="coaching-bulk__errors">
        <FormError error={errors._form} />
        <FormError error={errors.teamId} />
        <FormError error={errors.coachId} />
        <FormError error={errors.kind} />
        <FormError error={errors.startsOn} />
        <FormError error={errors.endsOn} />
      </div>
    </Form>
  );
}

/**
 * Picks a primary coach for one team without leaving the page (needs JavaScript; the page's bulk
 * form does the same without it). Posts `intent=assign` with this team to the current URL.
 */
export function InlineAssign({
  teamId,
  teamName,
  coaches,
  today,
}: {
  teamId: string;
  teamName: string;
  coaches: CoachChoice[];
  today: string;
}) {
  const fetcher = useFetcher<{ errors?: Record<string, string> }>();
  const location = useLocation();
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!hydrated) return null;
  if (!open) {
    return (
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => setOpen(true)}
        aria-label={`Pick coach for ${teamName}`}
      >
        Pick coach
      </button>
    );
  }
  const errors = fetcher.data?.errors ?? {};
  const error = errors.coachId ?? errors.teamId ?? errors.startsOn ?? errors._form;
  return (
    <fetcher.Form method="post" action={location.pathname + location.search} className="inline-assign">
      <input type="hidden" name="intent" value="assign" />
      <input type="hidden" name="teamId" value={teamId} />
      <input type="hidden" name="kind" value="primary" />
      <input type="hidden" name="startsOn" value={today} />
      <label htmlFor={`${id}-coach`} className="visually-hidden">
        Primary coach for {teamName}
      </label>
      <select id={`${id}-coach`} name="coachId" defaultValue="" autoFocus aria-invalid={error ? true : undefined}>
        <option value="">Choose a coach…</option>
        {coaches.map((c) => (
          <option key={c.id} value={c.id}>
            {coachOptionLabel(c)}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small" aria-disabled={fetcher.state !== "idle" || undefined}>
        {fetcher.state !== "idle" ? "Assigning…" : "Assign"}
      </button>
      <button type="button" className="link-button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error ? (
        <span className="field__error" role="alert">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
