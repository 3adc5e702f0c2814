import { Form } from "@remix-run/react";
import { FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { FieldErrors } from "~/utils/forms";
import { MILESTONE_STATUS_LABELS } from "~/validation/plan-details";
import { MILESTONE_STATUSES } from "../../../db/schema";
import { PersonField } from "./person-field";

export interface WaveChoice {
  id: string;
  name: string;
}

export function waveOptions(waves: readonly WaveChoice[], none = "No wave") {
  return [{ value: "", label: none }, ...waves.map((w) => ({ value: w.id, label: w.name }))];
}

/** Create or edit a milestone (plain form: works without JavaScript). */
export function MilestoneForm({
  values,
  errors,
  waves,
  submitLabel,
  intent,
}: {
  values: Record<string, string>;
  errors: FieldErrors;
  waves: readonly WaveChoice[];
  submitLabel: string;
  intent: "create" | "save";
}) {
  return (
    <Form method="post" noValidate className="form-grid">
      <FormError error={errors._form} />
      <InputField
        label="Title"
        name="title"
        required
        maxLength={200}
        defaultValue={values.title}
        error={errors.title}
        hint="For example “All wave 1 teams drafted their first OKRs”."
      />
      <div className="field-row">
        <InputField label="Due date" name="dueOn" type="date" required defaultValue={values.dueOn} error={errors.dueOn} />
        <SelectField
          label="Status"
          name="status"
          defaultValue={values.status || "planned"}
          error={errors.status}
          options={MILESTONE_STATUSES.map((s) => ({ value: s, label: MILESTONE_STATUS_LABELS[s] }))}
          hint="“Late” is shown by itself when a milestone is not done by its due date."
        />
        <InputField
          label="Done on"
          name="doneOn"
          type="date"
          defaultValue={values.doneOn}
          error={errors.doneOn}
          hint="Only for done milestones; empty means today."
        />
      </div>
      <div className="field-row">
        <PersonField name="ownerEmail" label="Owner" defaultValue={values.ownerEmail} error={errors.ownerEmail} />
        <SelectField label="Wave" name="waveId" defaultValue={values.waveId ?? ""} error={errors.waveId} options={waveOptions(waves)} />
      </div>
      <TextAreaField label="Notes" name="notes" rows={3} maxLength={4000} defaultValue={values.notes} error={errors.notes} />
      <SubmitButton name="intent" value={intent}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
