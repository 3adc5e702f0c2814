import { Form } from "@remix-run/react";
import { PersonPicker } from "~/components/person-picker";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { MAX_CAPACITY } from "~/validation/coaching";

interface FormState {
  errors: Record<string, string>;
  values: Record<string, string>;
}

function CapacityAndFocus({ errors, values }: FormState) {
  return (
    <>
      <InputField
        label="Capacity (teams at once)"
        name="capacity"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_CAPACITY}
        step={1}
        required
        defaultValue={values.capacity ?? ""}
        error={errors.capacity}
        hint={`How many teams they can support at the same time: 1 to ${MAX_CAPACITY}.`}
      />
      <InputField
        label="Focus (optional)"
        name="focus"
        maxLength={300}
        defaultValue={values.focus ?? ""}
        error={errors.focus}
        hint="Units, languages, seniority… e.g. “Fleet and Operations, German, senior teams”."
      />
    </>
  );
}

/** Makes a person of the organization a coach of the program. */
export function AddCoachForm({ errors, values }: FormState) {
  return (
    <Form method="post" className="form-grid" aria-label="Add a coach">
      <input type="hidden" name="intent" value="create" />
      <FormError error={errors._form} />
      <PersonPicker
        name="personEmail"
        label="Person"
        required
        defaultValue={values.personEmail ?? ""}
        error={errors.personEmail}
        hint="Their email in the organization (suggestions as you type). To sign in and log sessions they need a coach account linked to their person."
      />
      <CapacityAndFocus errors={errors} values={values.capacity === undefined ? { ...values, capacity: "5" } : values} />
      <div>
        <SubmitButton pendingText="Adding…">Add coach</SubmitButton>
      </div>
    </Form>
  );
}

/** Edits a coach's capacity and focus. */
export function EditCoachForm({ errors, values }: FormState) {
  return (
    <Form method="post" className="form-grid" aria-label="Edit capacity and focus">
      <input type="hidden" name="intent" value="update" />
      <FormError error={errors._form} />
      <CapacityAndFocus errors={errors} values={values} />
      <div>
        <SubmitButton pendingText="Saving…">Save</SubmitButton>
      </div>
    </Form>
  );
}
