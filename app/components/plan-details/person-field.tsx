import { PersonPicker } from "~/components/person-picker";

// A person of the organization, entered by email (suggestions as you type with JavaScript).
// The models resolve the email and answer "No person with this email in the organization."

export function PersonField({
  name,
  label,
  defaultValue,
  error,
  required,
  hint,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  required?: boolean;
  hint?: string;
}) {
  return <PersonPicker name={name} label={label} defaultValue={defaultValue} error={error} required={required} hint={hint} />;
}
