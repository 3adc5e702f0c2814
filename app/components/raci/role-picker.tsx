import { Form } from "@remix-run/react";

/** A GET form that opens the per-role view ("everything one role does"); works without JavaScript. */
export function RolePicker({
  roles,
  selected,
  label,
  action,
}: {
  roles: ReadonlyArray<{ id: string; name: string }>;
  selected?: string;
  label: string;
  action?: string;
}) {
  return (
    <Form method="get" action={action} className="filter-bar">
      <label>
        {label}{" "}
        <select name="role" defaultValue={selected ?? ""}>
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button--small button--secondary">
        Show
      </button>
    </Form>
  );
}
