import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { InputField } from "~/components/ui/field";

/** One suggestion of GET /org/people/search. */
export interface PersonSuggestion {
  id: string;
  name: string;
  email: string;
  /** The person's unit path ("Northwind › Operations"), or "". */
  unit: string;
}

export interface PersonPickerProps {
  /** The form field: it carries the person's email; the server resolves it to a person. */
  name: string;
  label: string;
  /** The chosen person's email. */
  defaultValue?: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
}

const SEARCH_DELAY_MS = 250;

/**
 * Picks a person of the organization by email. Without JavaScript it is a plain email field (the
 * action resolves the email; an unknown one gets “No person with this email in the
 * organization.”, see `resolvePersonEmail` in ~/models/org.server). With JavaScript, typing two
 * or more characters fills a <datalist> with matching people (name or email) from
 * /org/people/search, so the browser offers them as suggestions.
 */
export function PersonPicker({ name, label, defaultValue, error, hint, required }: PersonPickerProps) {
  const fetcher = useFetcher<{ people: PersonSuggestion[] }>();
  const listId = `${useId()}-people`;
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastQuery = useRef("");
  useEffect(() => () => clearTimeout(timer.current), []);

  function search(value: string) {
    clearTimeout(timer.current);
    const q = value.trim();
    // A suggestion was picked (or the same text again): nothing new to ask.
    if (q.length < 2 || q === lastQuery.current || fetcher.data?.people.some((p) => p.email === q)) return;
    timer.current = setTimeout(() => {
      lastQuery.current = q;
      fetcher.load(`/org/people/search?q=${encodeURIComponent(q)}`);
    }, SEARCH_DELAY_MS);
  }

  const people = fetcher.data?.people ?? [];
  return (
    <>
      <InputField
        label={label}
        name={name}
        type="email"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        maxLength={254}
        list={listId}
        required={required}
        defaultValue={defaultValue}
        error={error}
        hint={hint ?? "Their email address; matching people are suggested as you type a name or email."}
        onChange={(event) => search(event.currentTarget.value)}
      />
      <datalist id={listId}>
        {people.map((person) => (
          <option key={person.id} value={person.email}>
            {person.unit ? `${person.name} · ${person.unit}` : person.name}
          </option>
        ))}
      </datalist>
    </>
  );
}
