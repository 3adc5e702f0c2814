import { InputField, TextAreaField } from "~/components/ui/field";

export interface WaveFieldValues {
  name?: string;
  goal?: string;
  startsOn?: string | null;
  endsOn?: string | null;
}

/** The fields of the create and edit wave forms. */
export function WaveFields({ values, errors }: { values: WaveFieldValues; errors: Record<string, string> }) {
  return (
    <>
      <InputField label="Name" name="name" required maxLength={120} defaultValue={values.name ?? ""} error={errors.name} />
      <div className="field-row">
        <InputField label="Starts" name="startsOn" type="date" defaultValue={values.startsOn ?? ""} error={errors.startsOn} />
        <InputField label="Ends" name="endsOn" type="date" defaultValue={values.endsOn ?? ""} error={errors.endsOn} />
      </div>
      <TextAreaField
        label="Goal"
        name="goal"
        rows={3}
        maxLength={2000}
        defaultValue={values.goal ?? ""}
        error={errors.goal}
        hint="What the wave's teams should have achieved when it ends."
      />
    </>
  );
}
