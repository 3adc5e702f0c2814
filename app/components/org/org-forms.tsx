import { Form } from "@remix-run/react";
import { useId } from "react";
import { PersonPicker } from "~/components/person-picker";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";

type Values = Record<string, string | undefined>;
type Errors = Record<string, string | undefined>;
type Option = { value: string; label: string };

export interface TeamOption {
  id: string;
  name: string;
  unitId: string;
  unitPath: string;
}

/** Name and parent of a unit. */
export function UnitForm({
  values,
  errors,
  parentOptions,
  submitLabel,
  intent,
}: {
  values: Values;
  errors: Errors;
  parentOptions: readonly Option[];
  submitLabel: string;
  intent?: string;
}) {
  return (
    <Form method="post" noValidate className="form-grid">
      <FormError error={errors._form} />
      <InputField label="Name" name="name" required maxLength={120} defaultValue={values.name} error={errors.name} />
      <SelectField
        label="Parent unit"
        name="parentId"
        defaultValue={values.parentId ?? ""}
        options={[{ value: "", label: "None: a top-level unit" }, ...parentOptions]}
        error={errors.parentId}
        hint="Moving a unit moves its sub-units, teams and people with it."
      />
      <SubmitButton name="intent" value={intent ?? "save"}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}

/** Name, unit, lead and stored size of a team. */
export function TeamForm({
  values,
  errors,
  unitOptions,
  submitLabel,
  intent,
}: {
  values: Values;
  errors: Errors;
  unitOptions: readonly Option[];
  submitLabel: string;
  intent?: string;
}) {
  return (
    <Form method="post" noValidate className="form-grid">
      <FormError error={errors._form} />
      <InputField label="Name" name="name" required maxLength={120} defaultValue={values.name} error={errors.name} />
      <SelectField
        label="Unit"
        name="unitId"
        required
        defaultValue={values.unitId ?? ""}
        options={[{ value: "", label: "Choose a unit…" }, ...unitOptions]}
        error={errors.unitId}
        hint="Moving the team to another unit moves its members with it."
      />
      <PersonPicker name="leadEmail" label="Team lead (optional)" defaultValue={values.leadEmail} error={errors.leadEmail} />
      <InputField
        label="Headcount (optional)"
        name="size"
        inputMode="numeric"
        pattern="[0-9]*"
        maxLength={5}
        defaultValue={values.size}
        error={errors.size}
        hint="Used as the team's size while no people are assigned to it; once people are, the size is their number."
      />
      <SubmitButton name="intent" value={intent ?? "save"}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}

/** A team <select> grouped by unit path. */
function TeamSelect({ value, error, teams }: { value: string | undefined; error?: string; teams: readonly TeamOption[] }) {
  const groups = new Map<string, TeamOption[]>();
  for (const team of teams) groups.set(team.unitPath, [...(groups.get(team.unitPath) ?? []), team]);
  const id = useId();
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>Team (optional)</label>
      <select
        id={id}
        name="teamId"
        defaultValue={value ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      >
        <option value="">No team</option>
        {[...groups].map(([path, list]) => (
          <optgroup key={path} label={path || "Without unit"}>
            {list.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p className="field__hint" id={`${id}-hint`}>
        With a team and no unit chosen, the person goes to the team&apos;s unit.
      </p>
      {error ? (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Name, email, title, unit, team and employee id of a person. */
export function PersonForm({
  values,
  errors,
  unitOptions,
  teams,
  submitLabel,
  intent,
}: {
  values: Values;
  errors: Errors;
  unitOptions: readonly Option[];
  teams: readonly TeamOption[];
  submitLabel: string;
  intent?: string;
}) {
  return (
    <Form method="post" noValidate className="form-grid">
      <FormError error={errors._form} />
      <div className="field-row">
        <InputField label="Name" name="name" required maxLength={200} autoComplete="off" defaultValue={values.name} error={errors.name} />
        <InputField
          label="Email"
          name="email"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          defaultValue={values.email}
          error={errors.email}
        />
      </div>
      <div className="field-row">
        <InputField label="Title (optional)" name="title" maxLength={200} defaultValue={values.title} error={errors.title} />
        <InputField
          label="Employee ID (optional)"
          name="externalId"
          maxLength={100}
          defaultValue={values.externalId}
          error={errors.externalId}
          hint="The HR system's id; imports match people on it."
        />
      </div>
      <SelectField
        label="Unit"
        name="unitId"
        defaultValue={values.unitId ?? ""}
        options={[{ value: "", label: "No unit (or the team's unit)" }, ...unitOptions]}
        error={errors.unitId}
      />
      <TeamSelect value={values.teamId} error={errors.teamId} teams={teams} />
      <SubmitButton name="intent" value={intent ?? "save"}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
