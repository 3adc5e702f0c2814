import { InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { KEY_RESULT_DIRECTION_LABELS, KEY_RESULT_KIND_LABELS, OBJECTIVE_TYPE_LABELS } from "~/validation/cycles";

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export interface ParentOption {
  id: string;
  title: string;
  level: string;
}

/** Title, description, type, owner and alignment of an objective. */
export function ObjectiveFields({
  values,
  errors,
  parents,
  selectedParents,
  peopleListId,
  idPrefix,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  parents: ParentOption[] | null;
  selectedParents: string[];
  peopleListId?: string;
  idPrefix: string;
}) {
  return (
    <>
      <InputField label="Objective" name="title" required maxLength={200} defaultValue={values.title ?? ""} error={errors.title} />
      <TextAreaField label="Description" name="description" rows={2} defaultValue={values.description ?? ""} error={errors.description} />
      <div className="form-grid">
        <SelectField
          label="Type"
          name="type"
          defaultValue={values.type ?? "committed"}
          options={options(OBJECTIVE_TYPE_LABELS)}
          error={errors.type}
        />
        <InputField
          label="Owner (email)"
          name="ownerEmail"
          type="email"
          list={peopleListId}
          defaultValue={values.ownerEmail ?? ""}
          error={errors.ownerEmail}
        />
      </div>
      {parents ? (
        <fieldset className="alignment-picker">
          <legend>Aligned to</legend>
          {parents.length === 0 ? <p className="muted">No unit or company objective in this cycle yet.</p> : null}
          {parents.map((p) => (
            <div key={p.id} className="field field--checkbox">
              <input
                type="checkbox"
                id={`${idPrefix}-parent-${p.id}`}
                name="parentIds"
                value={p.id}
                defaultChecked={selectedParents.includes(p.id)}
              />
              <label htmlFor={`${idPrefix}-parent-${p.id}`}>
                {p.title} <span className="muted">({p.level})</span>
              </label>
            </div>
          ))}
          {errors.parentIds ? (
            <p className="field__error" role="alert">
              {errors.parentIds}
            </p>
          ) : null}
          <InputField
            label="Or: why it stands alone"
            name="standaloneReason"
            maxLength={500}
            defaultValue={values.standaloneReason ?? ""}
            error={errors.standaloneReason}
            hint="Only when it aligns to nothing (e.g. team health, a local improvement)."
          />
        </fieldset>
      ) : null}
    </>
  );
}

/** The definition of a key result (never its progress: that is a check-in). */
export function KeyResultFields({
  values,
  errors,
  peopleListId,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  peopleListId?: string;
}) {
  return (
    <>
      <InputField label="Key result" name="title" required maxLength={200} defaultValue={values.title ?? ""} error={errors.title} />
      <div className="form-grid">
        <SelectField
          label="Kind"
          name="kind"
          defaultValue={values.kind ?? "metric"}
          options={options(KEY_RESULT_KIND_LABELS)}
          error={errors.kind}
        />
        <InputField label="Start" name="startValue" inputMode="decimal" defaultValue={values.startValue ?? ""} error={errors.startValue} />
        <InputField
          label="Target"
          name="targetValue"
          inputMode="decimal"
          defaultValue={values.targetValue ?? ""}
          error={errors.targetValue}
        />
        <InputField label="Unit" name="unit" maxLength={30} defaultValue={values.unit ?? ""} error={errors.unit} hint="%, tickets, days…" />
        <SelectField
          label="Direction"
          name="direction"
          defaultValue={values.direction ?? "increase"}
          options={options(KEY_RESULT_DIRECTION_LABELS)}
          error={errors.direction}
        />
        <InputField label="Weight" name="weight" inputMode="decimal" defaultValue={values.weight ?? "1"} error={errors.weight} />
        <InputField
          label="Owner (email)"
          name="ownerEmail"
          type="email"
          list={peopleListId}
          defaultValue={values.ownerEmail ?? ""}
          error={errors.ownerEmail}
        />
      </div>
    </>
  );
}
