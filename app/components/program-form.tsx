import { Form } from "@remix-run/react";
import type { FieldErrors } from "~/utils/forms";
import { PROGRAM_STATUSES } from "../../db/schema";
import { FormError, InputField, SelectField, TextAreaField } from "./ui/field";
import { SubmitButton } from "./ui/submit-button";

export const STATUS_LABELS: Record<(typeof PROGRAM_STATUSES)[number], string> = {
  planned: "Planned",
  active: "Active",
  paused: "Paused",
  completed: "Completed",
  archived: "Archived",
};

export function ProgramForm({ values, errors, submitLabel }: { values: Record<string, string>; errors: FieldErrors; submitLabel: string }) {
  return (
    <Form method="post" noValidate className="form-grid">
      <input type="hidden" name="intent" value="save" />
      <FormError error={errors._form} />
      <InputField
        label="Name"
        name="name"
        required
        maxLength={120}
        defaultValue={values.name}
        error={errors.name}
        hint="For example “Company-wide OKR rollout 2027”."
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={4}
        defaultValue={values.description}
        error={errors.description}
        hint="Scope, goals and anything a newcomer to the program should know."
      />
      <div className="field-row">
        <InputField label="Start date" name="startsOn" type="date" defaultValue={values.startsOn} error={errors.startsOn} />
        <InputField label="End date" name="endsOn" type="date" defaultValue={values.endsOn} error={errors.endsOn} />
      </div>
      <SelectField
        label="Status"
        name="status"
        defaultValue={values.status ?? "planned"}
        error={errors.status}
        options={PROGRAM_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
      />
      <SubmitButton name="intent" value="save">
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
