import { Form } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { CheckboxField, FormError } from "./field";
import { SubmitButton } from "./submit-button";

/**
 * A destructive action behind a confirmation box: a card with what it does, the "Yes, …" box
 * (its error next to it when left unticked) and the button, posting `intent`. The action checks
 * the box with `unconfirmed()` from ~/utils/forms.
 */
export function DangerZone({
  title,
  children,
  confirmLabel,
  intent,
  submitLabel,
  errors,
  formClassName,
}: {
  title: string;
  /** What happens, in a sentence or two. */
  children?: ReactNode;
  confirmLabel: string;
  intent: string;
  submitLabel: string;
  errors: Record<string, string | undefined>;
  formClassName?: string;
}) {
  const headingId = useId();
  return (
    <section className="card danger-zone" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
      <Form method="post" className={formClassName}>
        <FormError error={errors._form} />
        <CheckboxField name="confirm" label={confirmLabel} />
        {errors.confirm ? (
          <p className="field__error" role="alert">
            {errors.confirm}
          </p>
        ) : null}
        <SubmitButton name="intent" value={intent} className="button button--danger">
          {submitLabel}
        </SubmitButton>
      </Form>
    </section>
  );
}
