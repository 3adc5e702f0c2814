import { Form } from "@remix-run/react";
import { indentedUnitName } from "~/components/data-table/list-filters";
import { FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { FieldErrors } from "~/utils/forms";
import { IMPACT_LABELS, LIKELIHOOD_LABELS, RISK_STATUS_LABELS } from "~/validation/plan-details";
import { RISK_STATUSES } from "../../../db/schema";
import { waveOptions, type WaveChoice } from "./milestone-form";
import { PersonField } from "./person-field";

/** Log or edit a risk (plain form: works without JavaScript). */
export function RiskForm({
  values,
  errors,
  waves,
  units,
  submitLabel,
  intent,
}: {
  values: Record<string, string>;
  errors: FieldErrors;
  waves: readonly WaveChoice[];
  units: ReadonlyArray<{ id: string; name: string; depth: number }>;
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
        hint="For example “Division heads skip the alignment workshop”."
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={3}
        maxLength={4000}
        defaultValue={values.description}
        error={errors.description}
      />
      <div className="field-row">
        <SelectField
          label="Likelihood"
          name="likelihood"
          defaultValue={values.likelihood || "3"}
          error={errors.likelihood}
          options={LIKELIHOOD_LABELS.map((label, i) => ({ value: String(i + 1), label: `${i + 1} · ${label}` }))}
        />
        <SelectField
          label="Impact"
          name="impact"
          defaultValue={values.impact || "3"}
          error={errors.impact}
          options={IMPACT_LABELS.map((label, i) => ({ value: String(i + 1), label: `${i + 1} · ${label}` }))}
        />
        <SelectField
          label="Status"
          name="status"
          defaultValue={values.status || "open"}
          error={errors.status}
          options={RISK_STATUSES.map((s) => ({ value: s, label: RISK_STATUS_LABELS[s] }))}
        />
      </div>
      <PersonField name="ownerEmail" label="Owner" defaultValue={values.ownerEmail} error={errors.ownerEmail} />
      <TextAreaField
        label="Mitigation"
        name="mitigation"
        rows={3}
        maxLength={4000}
        defaultValue={values.mitigation}
        error={errors.mitigation}
        hint="What is done to make it less likely or less harmful."
      />
      <div className="field-row">
        <SelectField
          label="Wave"
          name="waveId"
          defaultValue={values.waveId ?? ""}
          error={errors.waveId}
          options={waveOptions(waves, "Any / no wave")}
        />
        <SelectField
          label="Unit"
          name="unitId"
          defaultValue={values.unitId ?? ""}
          error={errors.unitId}
          options={[{ value: "", label: "Any / no unit" }, ...units.map((u) => ({ value: u.id, label: indentedUnitName(u) }))]}
        />
      </div>
      <SubmitButton name="intent" value={intent}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
