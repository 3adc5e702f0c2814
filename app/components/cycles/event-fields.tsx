import { InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { CYCLE_EVENT_KIND_LABELS, CYCLE_EVENT_SCOPE_LABELS, CYCLE_EVENT_STATE_LABELS } from "~/validation/cycles";

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The fields of a cycle event (add and edit forms). */
export function EventFields({
  values,
  errors,
  waves,
  units,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  waves: Array<{ id: string; name: string }>;
  units: Array<{ id: string; name: string }>;
}) {
  return (
    <>
      <div className="form-grid">
        <SelectField
          label="Kind"
          name="kind"
          defaultValue={values.kind ?? "drafting_workshop"}
          options={options(CYCLE_EVENT_KIND_LABELS)}
          error={errors.kind}
        />
        <InputField
          label="Title"
          name="title"
          defaultValue={values.title ?? ""}
          maxLength={120}
          error={errors.title}
          hint="Empty: the kind's name."
        />
        <InputField label="Date" name="occursOn" type="date" required defaultValue={values.occursOn ?? ""} error={errors.occursOn} />
        <InputField
          label="Starts at"
          name="startsAt"
          type="time"
          defaultValue={values.startsAt ?? ""}
          error={errors.startsAt}
          hint="Empty: all day."
        />
        <InputField
          label="Duration (minutes)"
          name="durationMinutes"
          inputMode="numeric"
          defaultValue={values.durationMinutes ?? ""}
          error={errors.durationMinutes}
        />
        <SelectField
          label="For"
          name="scope"
          defaultValue={values.scope ?? "all"}
          options={options(CYCLE_EVENT_SCOPE_LABELS)}
          error={errors.scope}
        />
        <SelectField
          label="Wave (when for one wave)"
          name="waveId"
          defaultValue={values.waveId ?? ""}
          options={[{ value: "", label: "—" }, ...waves.map((w) => ({ value: w.id, label: w.name }))]}
          error={errors.waveId}
        />
        <SelectField
          label="Unit (when for one unit)"
          name="unitId"
          defaultValue={values.unitId ?? ""}
          options={[{ value: "", label: "—" }, ...units.map((u) => ({ value: u.id, label: u.name }))]}
          error={errors.unitId}
        />
        <InputField
          label="Facilitator (account email)"
          name="facilitatorEmail"
          type="email"
          defaultValue={values.facilitatorEmail ?? ""}
          error={errors.facilitatorEmail}
        />
        <InputField label="Place or link" name="location" defaultValue={values.location ?? ""} maxLength={500} error={errors.location} />
        <SelectField
          label="State"
          name="state"
          defaultValue={values.state ?? "planned"}
          options={options(CYCLE_EVENT_STATE_LABELS)}
          error={errors.state}
        />
      </div>
      <TextAreaField label="Notes" name="notes" rows={2} defaultValue={values.notes ?? ""} error={errors.notes} />
    </>
  );
}
