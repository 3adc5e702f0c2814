/** "Active" / "Archived" in words (not colour only). */
export function OrgStatus({ archivedAt }: { archivedAt: Date | string | null }) {
  return archivedAt ? <span className="status status--archived">Archived</span> : <span className="status status--active">Active</span>;
}

export const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "archived", label: "Archived" },
  { value: "all", label: "Active and archived" },
] as const;

/** A status filter <select> for a ServerTable's filter bar (named "status"; empty = active). */
export function StatusFilter({ value }: { value: string | undefined }) {
  return (
    <label className="org-filter">
      <span>Status</span>
      <select name="status" defaultValue={value === "archived" || value === "all" ? value : "active"}>
        {STATUS_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A unit filter <select> (named "unit"): the unit and its sub-units. */
export function UnitFilter({ value, options }: { value: string | undefined; options: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <label className="org-filter">
      <span>Unit (with sub-units)</span>
      <select name="unit" defaultValue={value ?? ""}>
        <option value="">All units</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
