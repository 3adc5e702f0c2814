import { Form } from "@remix-run/react";
import { CheckboxField, FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";

/**
 * Archive or restore one unit, team or person. Archiving hides it from plans and pickers;
 * nothing is deleted. `option` adds the checkbox that archives (or releases) what is inside too.
 */
export function ArchiveCard({
  noun,
  name,
  archived,
  explanation,
  option,
  error,
}: {
  noun: string;
  name: string;
  archived: boolean;
  explanation: string;
  option?: { name: string; label: string; hint?: string };
  error?: string;
}) {
  const verb = archived ? "Restore" : "Archive";
  return (
    <section className="card danger-zone" aria-labelledby="archive-heading">
      <h2 id="archive-heading">
        {verb} {noun}
      </h2>
      <p className="muted">{explanation}</p>
      <Form method="post">
        <FormError error={error} />
        {option ? <CheckboxField label={option.label} name={option.name} hint={option.hint} /> : null}
        <SubmitButton
          name="intent"
          value={archived ? "restore" : "archive"}
          className="button button--secondary"
          aria-label={`${verb} ${noun} ${name}`}
        >
          {verb} {noun}
        </SubmitButton>
      </Form>
    </section>
  );
}
