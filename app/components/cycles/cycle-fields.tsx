import { InputField } from "~/components/ui/field";

/** Name, dates and settings of a cycle. */
export function CycleFields({ values, errors }: { values: Record<string, string>; errors: Record<string, string> }) {
  return (
    <div className="form-grid">
      <InputField
        label="Name"
        name="name"
        required
        maxLength={80}
        defaultValue={values.name ?? ""}
        error={errors.name}
        hint="e.g. 2027-Q1"
      />
      <InputField label="Start" name="startsOn" type="date" required defaultValue={values.startsOn ?? ""} error={errors.startsOn} />
      <InputField label="End" name="endsOn" type="date" required defaultValue={values.endsOn ?? ""} error={errors.endsOn} />
      <InputField
        label="Check-in every (days)"
        name="checkinCadenceDays"
        inputMode="numeric"
        required
        defaultValue={values.checkinCadenceDays ?? "14"}
        error={errors.checkinCadenceDays}
      />
      <InputField
        label="Objectives per team (at most)"
        name="maxObjectives"
        inputMode="numeric"
        required
        defaultValue={values.maxObjectives ?? "3"}
        error={errors.maxObjectives}
      />
    </div>
  );
}
