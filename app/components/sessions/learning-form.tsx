import { Form } from "@remix-run/react";
import { FormError, InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { FieldErrors } from "~/utils/forms";
import { LEARNING_KIND_LABELS, WRITABLE_LEARNING_KINDS } from "~/validation/sessions";

/** Where a learning came from, shown above the form (and sent back as hidden fields). */
export interface LearningSourceView {
  sessionId: string | null;
  teamId: string | null;
  programId: string | null;
  /** "the check-in session with Falcons on 12 Jan 2027" */
  label: string | null;
}

/** Share or edit a learning (plain form; works without JavaScript). */
export function LearningForm({
  values,
  errors,
  source,
  faq,
  submitLabel,
  intent,
}: {
  values: Record<string, string>;
  errors: FieldErrors;
  source: LearningSourceView;
  /** An FAQ entry keeps its kind: no kind choice. */
  faq?: boolean;
  submitLabel: string;
  intent?: string;
}) {
  return (
    <Form method="post" noValidate className="form-grid">
      <FormError error={errors._form ?? errors.sessionId ?? errors.teamId} />
      {source.label ? <p>Comes from {source.label}.</p> : null}
      <input type="hidden" name="sessionId" value={source.sessionId ?? ""} />
      <input type="hidden" name="teamId" value={source.teamId ?? ""} />
      <input type="hidden" name="programId" value={source.programId ?? ""} />
      <InputField
        label="Title"
        name="title"
        required
        maxLength={200}
        defaultValue={values.title}
        error={errors.title}
        hint="What another coach would search for, e.g. “Drafting with a sceptical lead”."
      />
      {faq ? (
        <input type="hidden" name="kind" value="practice" />
      ) : (
        <SelectField
          label="Kind"
          name="kind"
          defaultValue={values.kind || "practice"}
          error={errors.kind}
          options={WRITABLE_LEARNING_KINDS.map((k) => ({ value: k, label: LEARNING_KIND_LABELS[k] }))}
        />
      )}
      <TextAreaField label="Text" name="body" rows={8} required maxLength={10_000} defaultValue={values.body} error={errors.body} />
      <InputField
        label="Tags"
        name="tags"
        defaultValue={values.tags}
        error={errors.tags}
        hint="Separated by commas, e.g. “drafting, key results, leadership”."
      />
      <div className="button-row">
        <SubmitButton name={intent ? "intent" : undefined} value={intent}>
          {submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}
