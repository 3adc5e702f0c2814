import { Form } from "@remix-run/react";
import { FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { FieldErrors } from "~/utils/forms";
import { ATTITUDE_LABELS } from "~/validation/plan-details";
import { ATTITUDES } from "../../../db/schema";
import { PersonField } from "./person-field";

const LEVEL_OPTIONS = [
  { value: "high", label: "High" },
  { value: "low", label: "Low" },
];

/** Add or edit a stakeholder (plain form: works without JavaScript). */
export function StakeholderForm({
  values,
  errors,
  submitLabel,
  intent,
}: {
  values: Record<string, string>;
  errors: FieldErrors;
  submitLabel: string;
  intent: "create" | "save";
}) {
  return (
    <Form method="post" noValidate className="form-grid">
      <FormError error={errors._form} />
      <PersonField name="personEmail" label="Person" required defaultValue={values.personEmail} error={errors.personEmail} />
      <div className="field-row">
        <SelectField
          label="Influence"
          name="influence"
          defaultValue={values.influence || "high"}
          error={errors.influence}
          options={LEVEL_OPTIONS}
          hint="Power over the rollout's success."
        />
        <SelectField
          label="Interest"
          name="interest"
          defaultValue={values.interest || "high"}
          error={errors.interest}
          options={LEVEL_OPTIONS}
          hint="How much the rollout affects or concerns them."
        />
        <SelectField
          label="Attitude"
          name="attitude"
          defaultValue={values.attitude || "neutral"}
          error={errors.attitude}
          options={ATTITUDES.map((a) => ({ value: a, label: ATTITUDE_LABELS[a] }))}
        />
      </div>
      <TextAreaField
        label="Communication plan"
        name="communicationPlan"
        rows={3}
        maxLength={4000}
        defaultValue={values.communicationPlan}
        error={errors.communicationPlan}
        hint="What they need to hear, through which channel, from whom."
      />
      <div className="field-row">
        <InputField
          label="Contact every (days)"
          name="contactEveryDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          required
          defaultValue={values.contactEveryDays || "30"}
          error={errors.contactEveryDays}
        />
        <InputField
          label="Last contact"
          name="lastContactOn"
          type="date"
          defaultValue={values.lastContactOn}
          error={errors.lastContactOn}
          hint="Empty: not contacted yet."
        />
      </div>
      <SubmitButton name="intent" value={intent}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
