import { Form } from "@remix-run/react";
import { useId } from "react";
import { ASSIGNMENT_KINDS } from "../../../db/schema";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { ASSIGNMENT_KIND_LABELS } from "~/validation/coaching";

// The coach page's own forms: ending one assignment, and assigning a team without a primary coach.

export function EndForm({
  assignmentId,
  teamName,
  defaultValue,
  error,
}: {
  assignmentId: string;
  teamName: string;
  defaultValue: string;
  error?: string;
}) {
  const id = useId();
  return (
    <Form method="post" className="assignment-end" aria-label={`End the assignment to ${teamName}`}>
      <input type="hidden" name="intent" value="end" />
      <input type="hidden" name="assignmentId" value={assignmentId} />
      <label htmlFor={`${id}-date`}>Last day</label>
      <input
        id={`${id}-date`}
        type="date"
        name="endsOn"
        required
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <SubmitButton className="button button--secondary button--small" pendingText="Ending…">
        End
      </SubmitButton>
      {error ? (
        <span className="field__error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </Form>
  );
}

export function AssignTeamForm({
  gapTeams,
  gapWaves,
  today,
  errors,
  values,
}: {
  gapTeams: Array<{ id: string; name: string; waveName: string }>;
  gapWaves: string[];
  today: string;
  errors: Record<string, string>;
  values: Record<string, string>;
}) {
  if (gapTeams.length === 0) {
    return (
      <p className="muted">
        {gapWaves.length
          ? `Every team of ${gapWaves.join(" and ")} has a primary coach.`
          : "The program has no current or next wave with teams."}
      </p>
    );
  }
  return (
    <Form method="post" className="form-grid" aria-label="Assign a team">
      <input type="hidden" name="intent" value="assign" />
      <FormError error={errors._form ?? errors.coachId} />
      <SelectField
        label={`Team without a primary coach (${gapWaves.join(", ")})`}
        name="teamId"
        defaultValue={values.teamId ?? ""}
        error={errors.teamId}
        options={[{ value: "", label: "Choose a team…" }, ...gapTeams.map((t) => ({ value: t.id, label: `${t.name} · ${t.waveName}` }))]}
      />
      <SelectField
        label="As"
        name="kind"
        defaultValue={values.kind ?? "primary"}
        error={errors.kind}
        options={ASSIGNMENT_KINDS.map((k) => ({ value: k, label: `${ASSIGNMENT_KIND_LABELS[k]} coach` }))}
      />
      <div className="field-row">
        <InputField label="From" name="startsOn" type="date" required defaultValue={values.startsOn ?? today} error={errors.startsOn} />
        <InputField label="Until (optional)" name="endsOn" type="date" defaultValue={values.endsOn ?? ""} error={errors.endsOn} />
      </div>
      <div>
        <SubmitButton pendingText="Assigning…">Assign team</SubmitButton>
      </div>
    </Form>
  );
}
