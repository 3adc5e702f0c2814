import { Form, Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useHydrated } from "~/utils/hydrated";
import { SESSION_TYPES } from "../../../db/schema";
import { FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { FieldErrors } from "~/utils/forms";
import { MATURITY_LABELS, SESSION_TYPE_LABELS } from "~/validation/sessions";

// The support-session form, used to log a session (in under a minute) and to edit one.
//
// Logging works without JavaScript: a plain form post, answered by a redirect back to the form
// with a toast and a "logged" confirmation. With JavaScript the form posts through a fetcher
// (with `_stay=1`, so the action answers with data instead of a redirect): the page stays, the
// form resets but keeps the team (and date and coach), "Session logged for Team X — undo / edit"
// is announced in a live region, and focus returns to the first field for the next session.

export interface TeamChoice {
  id: string;
  name: string;
  current: boolean;
}

export interface CoachChoice {
  id: string;
  name: string;
  active: boolean;
}

export interface LoggedConfirmation {
  id: string;
  teamId: string;
  teamName: string;
}

/** What the log action answers a fetcher (`_stay=1`) with. */
export type LogResult =
  | { ok: true; session: LoggedConfirmation & { heldOn: string; coachId?: string | null } }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** What the session route answers an undo through a fetcher. */
export type UndoResult = { ok: true; deleted: { teamName: string } } | { ok: false; errors: FieldErrors; values: Record<string, string> };

function teamOptions(teams: readonly TeamChoice[], selected: string) {
  const options = [{ value: "", label: "Choose a team…" }];
  const current = teams.filter((t) => t.current);
  const other = teams.filter((t) => !t.current);
  for (const t of current) options.push({ value: t.id, label: t.name });
  for (const t of other) options.push({ value: t.id, label: `${t.name} (not coached today)` });
  if (selected && !teams.some((t) => t.id === selected)) options.push({ value: selected, label: "Unknown team" });
  return options;
}

/** A cycle event of the program a session may have delivered (events near the date). */
export interface EventChoice {
  id: string;
  label: string;
}

interface FieldsProps {
  teams: readonly TeamChoice[];
  coaches: readonly CoachChoice[] | null;
  values: Record<string, string>;
  errors: FieldErrors;
  maxDate: string;
  /** The events to link the session to; no field when null. */
  events?: readonly EventChoice[] | null;
}

/** The session's fields: the coach (for the PLO) or the team first. */
function SessionFields({ teams, coaches, values, errors, maxDate, events = null }: FieldsProps) {
  return (
    <>
      <FormError error={errors._form} />
      {coaches ? (
        <SelectField
          label="Coach"
          name="coachId"
          defaultValue={values.coachId ?? ""}
          error={errors.coachId}
          options={[
            { value: "", label: "Choose the coach…" },
            ...coaches.map((c) => ({ value: c.id, label: c.active ? c.name : `${c.name} (inactive)` })),
          ]}
        />
      ) : null}
      <div className="field-row">
        <SelectField
          label="Team"
          name="teamId"
          required
          defaultValue={values.teamId ?? ""}
          error={errors.teamId}
          options={teamOptions(teams, values.teamId ?? "")}
        />
        <InputField label="Date" name="heldOn" type="date" required max={maxDate} defaultValue={values.heldOn} error={errors.heldOn} />
        <SelectField
          label="Type"
          name="type"
          required
          defaultValue={values.type ?? ""}
          error={errors.type}
          options={[{ value: "", label: "Choose…" }, ...SESSION_TYPES.map((t) => ({ value: t, label: SESSION_TYPE_LABELS[t] }))]}
        />
      </div>
      <div className="field-row">
        <InputField
          label="Duration (minutes)"
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={600}
          step={5}
          required
          defaultValue={values.durationMinutes}
          error={errors.durationMinutes}
        />
        <InputField
          label="Attendees"
          name="attendees"
          type="number"
          inputMode="numeric"
          min={1}
          max={500}
          required
          defaultValue={values.attendees}
          error={errors.attendees}
          hint="Required: how many people took part (starts at the team's size)."
        />
        <SelectField
          label="Team maturity (your observation)"
          name="maturity"
          defaultValue={values.maturity ?? ""}
          error={errors.maturity}
          options={[{ value: "", label: "Not rated" }, ...[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: MATURITY_LABELS[n] }))]}
        />
      </div>
      <TextAreaField
        label="Notes"
        name="notes"
        rows={3}
        maxLength={4000}
        defaultValue={values.notes}
        error={errors.notes}
        hint="Only you and the Program Lead Office see the notes; sponsors never do."
      />
      <TextAreaField
        label="Follow-ups"
        name="followUps"
        rows={2}
        maxLength={2000}
        defaultValue={values.followUps}
        error={errors.followUps}
      />
      {events ? (
        <SelectField
          label="Cycle event it delivered"
          name="cycleEventId"
          defaultValue={values.cycleEventId ?? ""}
          error={errors.cycleEventId}
          hint="The program's OKR events near the session's date (a drafting workshop, a check-in…)."
          options={[{ value: "", label: "None" }, ...events.map((e) => ({ value: e.id, label: e.label }))]}
        />
      ) : null}
    </>
  );
}

interface LogSessionFormProps {
  programId: string;
  teams: readonly TeamChoice[];
  /** The PLO picks the coach; null for a coach (who always logs as themself). */
  coaches: readonly CoachChoice[] | null;
  /** Starting values: the team from `?team=`, today's date, a usual duration. */
  defaults: Record<string, string>;
  /** A failed plain (no-JavaScript) post: its errors and the values typed. */
  failure?: { errors: FieldErrors; values: Record<string, string> } | null;
  /** The session just logged by a plain post (from the redirect's `?logged=`). */
  logged?: LoggedConfirmation | null;
  maxDate: string;
  events?: readonly EventChoice[] | null;
}

/** Logs a support session; see the top of this file for the two ways it works. */
export function LogSessionForm({ programId, teams, coaches, defaults, failure, logged, maxDate, events = null }: LogSessionFormProps) {
  const hydrated = useHydrated();
  const fetcher = useFetcher<LogResult>();
  const undo = useFetcher<UndoResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const [kept, setKept] = useState(defaults);
  const [formKey, setFormKey] = useState(0);
  const [confirmation, setConfirmation] = useState<LoggedConfirmation | null>(logged ?? null);
  const [handled, setHandled] = useState<LogResult | undefined>(undefined);
  const [handledUndo, setHandledUndo] = useState<UndoResult | undefined>(undefined);
  const [removed, setRemoved] = useState<string | null>(null);

  // A new answer from the fetcher: on success reset the form (new key) keeping team, date and
  // coach, and confirm. Adjusted while rendering, as React recommends for derived state.
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  if (result && result !== handled) {
    setHandled(result);
    if (result.ok) {
      setKept({
        ...defaults,
        teamId: result.session.teamId,
        heldOn: result.session.heldOn,
        coachId: result.session.coachId ?? defaults.coachId ?? "",
      });
      setConfirmation(result.session);
      setRemoved(null);
      setFormKey((k) => k + 1);
    }
  }
  const undoResult = undo.state === "idle" ? undo.data : undefined;
  if (undoResult && undoResult !== handledUndo) {
    setHandledUndo(undoResult);
    if (undoResult.ok) {
      setConfirmation(null);
      setRemoved(undoResult.deleted.teamName);
    }
  }
  // After a logged session the fresh form takes the focus, ready for the next one.
  useEffect(() => {
    if (formKey > 0) formRef.current?.querySelector<HTMLElement>("select, input:not([type=hidden]), textarea")?.focus();
  }, [formKey]);

  const errors = result && !result.ok ? result.errors : (failure?.errors ?? {});
  const values = result && !result.ok ? result.values : failure ? failure.values : kept;
  const action = `/programs/${programId}/sessions/new`;

  return (
    <div className="log-session">
      <div className="log-session__status" role="status" aria-live="polite">
        {confirmation ? (
          <p className="log-session__confirmation">
            <span aria-hidden="true">✓ </span>Session logged for {confirmation.teamName} —{" "}
            <undo.Form method="post" action={`/programs/${programId}/sessions/${confirmation.id}`} className="inline-undo">
              <input type="hidden" name="intent" value="undo" />
              {hydrated ? <input type="hidden" name="_stay" value="1" /> : null}
              <button type="submit" className="link-button">
                undo
              </button>
            </undo.Form>{" "}
            / <Link to={`/programs/${programId}/sessions/${confirmation.id}`}>edit</Link>
          </p>
        ) : removed ? (
          <p className="log-session__confirmation">Session with {removed} removed.</p>
        ) : null}
      </div>
      <fetcher.Form
        key={formKey}
        ref={formRef}
        method="post"
        action={action}
        noValidate
        className="form-grid"
        aria-label="Log a support session"
      >
        {hydrated ? <input type="hidden" name="_stay" value="1" /> : null}
        <SessionFields teams={teams} coaches={coaches} values={values} errors={errors} maxDate={maxDate} events={events} />
        <div className="button-row">
          <button type="submit" className="button" aria-disabled={fetcher.state !== "idle" || undefined}>
            {fetcher.state === "submitting" ? "Logging…" : "Log session"}
          </button>
        </div>
      </fetcher.Form>
    </div>
  );
}

/** Edits a logged session (plain form; works without JavaScript). */
export function EditSessionForm({
  teams,
  coaches,
  values,
  errors,
  maxDate,
  events = null,
}: {
  teams: readonly TeamChoice[];
  coaches: readonly CoachChoice[] | null;
  values: Record<string, string>;
  errors: FieldErrors;
  maxDate: string;
  events?: readonly EventChoice[] | null;
}) {
  return (
    <Form method="post" noValidate className="form-grid" aria-label="Edit the session">
      <SessionFields teams={teams} coaches={coaches} values={values} errors={errors} maxDate={maxDate} events={events} />
      <div className="button-row">
        <SubmitButton name="intent" value="save">
          Save session
        </SubmitButton>
      </div>
    </Form>
  );
}
