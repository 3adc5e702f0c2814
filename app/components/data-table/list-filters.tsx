// Filter selects that several server-paged lists share (they go inside ServerTable's `filters`,
// its GET form): the same names, choices and labels wherever a list filters by wave or unit.

export interface UnitOption {
  id: string;
  name: string;
  /** 0 for a top unit; options are listed depth-first. */
  depth: number;
}

/** A unit's name indented by its depth, for flat <select> options that show the tree. */
export function indentedUnitName(unit: UnitOption): string {
  return `${"\u00a0\u00a0".repeat(unit.depth)}${unit.name}`;
}

/** "unit": a unit and everything below it. */
export function UnitFilter({ units, value }: { units: readonly UnitOption[]; value: string | undefined }) {
  return (
    <label className="filter">
      <span className="visually-hidden">Unit (with sub-units)</span>
      <select name="unit" defaultValue={value ?? ""}>
        <option value="">All units</option>
        {units.map((u) => (
          <option key={u.id} value={u.id}>
            {indentedUnitName(u)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "wave": one of the program's waves, or "none" for teams in no wave. */
export function WaveFilter({ waves, value }: { waves: ReadonlyArray<{ id: string; name: string }>; value: string | undefined }) {
  return (
    <label className="filter">
      <span className="visually-hidden">Wave</span>
      <select name="wave" defaultValue={value ?? ""}>
        <option value="">All waves</option>
        {waves.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        <option value="none">No wave</option>
      </select>
    </label>
  );
}

/** A filter over a fixed set of choices (a role, a status…): `name` in the URL, empty = every row. */
export function ChoiceFilter({
  name,
  label,
  allLabel,
  options,
  value,
}: {
  name: string;
  /** Names the select for screen readers ("Role"). */
  label: string;
  /** The first option, which filters nothing ("All roles"). */
  allLabel: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  value: string | undefined;
}) {
  return (
    <label className="filter">
      <span className="visually-hidden">{label}</span>
      <select name={name} defaultValue={options.some((o) => o.value === value) ? value : ""}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
