import { useFetcher } from "@remix-run/react";
import { tableFeatures, useTable, type ColumnDef } from "@tanstack/react-table";
import { Fragment, useCallback, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from "react";
import { useHydrated } from "~/utils/hydrated";
import { useCellEdits } from "./cell-edits";
import { groupsInOrder, rowEditHref, staticGridBody } from "./static-grid-body";
import { gridKeyAction, nextCycleValue } from "./grid-keys";
import { cellKey, summarizeIssues, validateRaci, type CompactCells, type RaciIssue } from "~/models/raci/rules";

export interface EditorRole {
  id: string;
  name: string;
  holders: string;
  version: number;
}
export interface EditorActivity {
  id: string;
  groupName: string;
  name: string;
  version: number;
}

const features = tableFeatures({});

/**
 * The RACI grid: keyboard first (arrows move, R/A/C/I set, Backspace/Delete clears, Enter renames
 * an activity), click cycles a cell, every edit saves at once and shows saving / saved / failed.
 * A stale edit comes back as a conflict and the cell shows the current value and who set it.
 */
export function RaciEditor({
  programId,
  roles,
  activities,
  cells: initialCells,
  overloadShare,
  canEdit,
}: {
  programId: string;
  roles: EditorRole[];
  activities: EditorActivity[];
  cells: CompactCells;
  overloadShare: number;
  canEdit: boolean;
}) {
  // The server's cells with the user's edits on top, each saved at once (./cell-edits).
  const { valueAt, cellState, save, status, conflicts, activityIndex } = useCellEdits({
    programId,
    activities,
    roles,
    cells: initialCells,
  });
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  // The grid's keyboard handling needs JavaScript: the server (and hydration) render the body as
  // one HTML string without tabindex (see ./static-grid-body; without JavaScript the per-row
  // forms edit), and the first render in the browser after hydration replaces it by live rows.
  const interactive = useHydrated();
  const [editing, setEditing] = useState<string | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const renameFetcher = useFetcher<{ errors?: Record<string, string> }>();

  const issues = useMemo(
    () =>
      validateRaci({
        activities,
        roles,
        cells: valueAt,
        overloadShare,
      }),
    [activities, roles, valueAt, overloadShare],
  );
  const issuesByActivity = useMemo(() => {
    const map = new Map<string, RaciIssue[]>();
    for (const issue of issues) if (issue.activityId) map.set(issue.activityId, [...(map.get(issue.activityId) ?? []), issue]);
    return map;
  }, [issues]);
  const summary = summarizeIssues(issues);

  const visible = useMemo(() => activities.filter((a) => !collapsed.has(a.groupName)), [activities, collapsed]);

  const focusCell = useCallback((row: number, col: number) => {
    setFocus({ row, col });
    // Focus at once when the cell is on screen, so fast typists never type into the old cell;
    // after a rename the cell re-renders, so try again on the next frame.
    const find = () => tableRef.current?.querySelector<HTMLTableRowElement>(`tr[data-row="${row}"]`)?.cells[col];
    const focusOn = (el: HTMLElement | undefined) => {
      if (!el) return false;
      el.tabIndex = 0;
      el.focus();
      return true;
    };
    if (!focusOn(find())) requestAnimationFrame(() => focusOn(find()));
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLTableElement>) {
    const target = event.target as HTMLElement;
    if (target.tagName === "INPUT") return;
    const at = cellAt(target);
    if (!at) return;
    const action = gridKeyAction(event, at, { rows: visible.length, roles: roles.length }, canEdit);
    if (!action) return;
    event.preventDefault();
    if (action.kind === "move") {
      focusCell(action.row, action.col);
      return;
    }
    const activity = visible[at.row];
    if (action.kind === "rename") {
      setEditing(activity.id);
      return;
    }
    const role = roles[at.col - 1];
    if (action.kind === "set") void save(activity.id, role.id, action.value);
    else cycle(activity.id, role.id);
  }

  // One handler on the table instead of two per cell, and a cell's place read from the DOM (its
  // row's data-row, its cellIndex): 1,200 cells stay small and cheap to render.
  function cellAt(target: EventTarget): { row: number; col: number } | null {
    const el = (target as HTMLElement).closest<HTMLTableCellElement>("td, th[scope=row]");
    const tr = el?.parentElement;
    if (!el || !(tr instanceof HTMLTableRowElement) || tr.dataset.row === undefined || !tableRef.current?.contains(el)) return null;
    return { row: Number(tr.dataset.row), col: el.cellIndex };
  }

  function onCellFocus(event: FocusEvent<HTMLTableElement>) {
    const at = cellAt(event.target);
    if (at) setFocus(at);
  }

  function onCellClick(event: MouseEvent<HTMLTableElement>) {
    const at = cellAt(event.target);
    if (!at || at.col === 0 || (event.target as HTMLElement).closest("a, button, input")) return;
    focusCell(at.row, at.col);
    const activity = visible[at.row];
    const role = roles[at.col - 1];
    if (canEdit && activity && role) cycle(activity.id, role.id);
  }

  function cycle(activityId: string, roleId: string) {
    const current = cellState(activityId, roleId).value;
    void save(activityId, roleId, nextCycleValue(current));
  }

  const columns = useMemo<ColumnDef<typeof features, EditorActivity>[]>(
    () => [
      { id: "activity", header: "Activity", accessorKey: "name" },
      ...roles.map((role) => ({ id: role.id, header: role.name, accessorFn: () => "" })),
    ],
    [roles],
  );
  const table = useTable({ features, columns, data: visible, getRowId: (a) => a.id });
  const headerGroup = table.getHeaderGroups()[0];

  const groups = groupsInOrder(activities);
  const staticBody = () => staticGridBody({ programId, roleCount: roles.length, activities, valueAt, issuesByActivity, canEdit });

  return (
    <div className="raci">
      <div className="raci__status" role="status" aria-live="polite">
        <span className={`save-state save-state--${status.kind}`}>
          {status.kind === "saving"
            ? "Saving…"
            : status.kind === "saved"
              ? "All changes saved"
              : status.kind === "failed"
                ? `Not saved: ${status.message}`
                : canEdit
                  ? "Changes save as you go"
                  : "Read only"}
        </span>
        <span className="raci__summary">
          <span className={summary.errors ? "pill pill--error" : "pill pill--ok"}>
            {summary.errors} error{summary.errors === 1 ? "" : "s"}
          </span>
          <span className={summary.warnings ? "pill pill--warning" : "pill"}>
            {summary.warnings} warning{summary.warnings === 1 ? "" : "s"}
          </span>
          <span className="pill">
            {summary.notes} note{summary.notes === 1 ? "" : "s"}
          </span>
        </span>
      </div>
      {canEdit ? (
        <p className="muted raci__help">
          Arrow keys move · <kbd>R</kbd> <kbd>A</kbd> <kbd>C</kbd> <kbd>I</kbd> set a cell · <kbd>Backspace</kbd> clears · <kbd>Enter</kbd>{" "}
          on an activity renames it · a click cycles a cell.
        </p>
      ) : null}
      <div className="raci__scroll">
        <table
          ref={tableRef}
          className="raci__grid"
          role="grid"
          aria-label="RACI matrix"
          onKeyDown={onKeyDown}
          onFocus={onCellFocus}
          onClick={onCellClick}
        >
          <thead>
            <tr>
              {headerGroup.headers.map((header, i) => (
                <th key={header.id} scope="col" className={i === 0 ? "raci__corner" : "raci__role"}>
                  {i === 0 ? (
                    "Activity"
                  ) : (
                    <>
                      <span>{roles[i - 1].name}</span>
                      {roles[i - 1].holders ? <span className="raci__holders">{roles[i - 1].holders.split("\n").join(", ")}</span> : null}
                    </>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          {interactive ? (
            <tbody key="live">
              {groups.map((group) => {
                const isCollapsed = collapsed.has(group);
                const count = activities.filter((a) => a.groupName === group).length;
                return (
                  <Fragment key={group}>
                    <tr className="raci__group">
                      <th colSpan={roles.length + 1} scope="colgroup">
                        <button
                          type="button"
                          aria-expanded={!isCollapsed}
                          onClick={() =>
                            setCollapsed((s) => {
                              const next = new Set(s);
                              if (next.has(group)) next.delete(group);
                              else next.add(group);
                              return next;
                            })
                          }
                        >
                          <span aria-hidden="true">{isCollapsed ? "▸" : "▾"}</span> {group} <span className="muted">({count})</span>
                        </button>
                      </th>
                    </tr>
                    {table
                      .getRowModel()
                      .rows.filter((row) => row.original.groupName === group)
                      .map((row) => {
                        const activity = row.original;
                        const rowIndex = row.index;
                        const activityPosition = activityIndex.get(activity.id) ?? -1;
                        const rowIssues = issuesByActivity.get(activity.id) ?? [];
                        const hasError = rowIssues.some((i) => i.severity === "error");
                        return (
                          <tr key={row.id} className={hasError ? "raci__row--error" : undefined} data-row={rowIndex}>
                            <th scope="row" className="raci__activity" tabIndex={focus.row === rowIndex && focus.col === 0 ? 0 : -1}>
                              {editing === activity.id ? (
                                <span className="raci__rename">
                                  <label className="visually-hidden" htmlFor={`rename-${activity.id}`}>
                                    Activity name
                                  </label>
                                  <input
                                    id={`rename-${activity.id}`}
                                    defaultValue={activity.name}
                                    maxLength={200}
                                    autoFocus
                                    onKeyDown={(e) => {
                                      if (e.key === "Enter") {
                                        e.preventDefault();
                                        renameFetcher.submit(
                                          {
                                            intent: "update-activity",
                                            activityId: activity.id,
                                            version: String(activity.version),
                                            groupName: activity.groupName,
                                            name: e.currentTarget.value,
                                          },
                                          { method: "post" },
                                        );
                                      }
                                      if (e.key === "Enter" || e.key === "Escape") {
                                        setEditing(null);
                                        focusCell(rowIndex, 0);
                                      }
                                    }}
                                    onBlur={() => setEditing(null)}
                                  />
                                </span>
                              ) : (
                                <>
                                  <span>{activity.name}</span>
                                  {rowIssues.length ? (
                                    <ul className="raci__issues">
                                      {rowIssues.map((issue) => (
                                        <li key={issue.code} className={`issue issue--${issue.severity}`}>
                                          {issue.message}
                                        </li>
                                      ))}
                                    </ul>
                                  ) : null}
                                  {canEdit ? (
                                    // A plain link (the no-JavaScript way to edit a row): 80 router links cost more to render.
                                    <a className="raci__row-link" href={rowEditHref(programId, activity.id)} tabIndex={-1}>
                                      Edit row
                                    </a>
                                  ) : null}
                                </>
                              )}
                            </th>
                            {roles.map((role, r) => {
                              const value = valueAt(activityPosition, r);
                              const conflict = conflicts.size > 0 ? conflicts.get(cellKey(activity.id, role.id)) : undefined;
                              const col = r + 1;
                              return (
                                // Deliberately lean: 1,200 of these on a large matrix. The grid's row and
                                // column headers name the cell for screen readers; the value is its text.
                                conflict ? (
                                  <td
                                    key={role.id}
                                    className={`v-${value ?? "0"} is-conflict`}
                                    tabIndex={focus.row === rowIndex && focus.col === col ? 0 : -1}
                                    title={conflict}
                                  >
                                    {value ?? ""}
                                    <span className="visually-hidden">{conflict}</span>
                                  </td>
                                ) : (
                                  <td
                                    key={role.id}
                                    className={value ? `v-${value}` : undefined}
                                    tabIndex={focus.row === rowIndex && focus.col === col ? 0 : -1}
                                  >
                                    {value}
                                  </td>
                                )
                              );
                            })}
                          </tr>
                        );
                      })}
                  </Fragment>
                );
              })}
            </tbody>
          ) : (
            // Before hydration (and without JavaScript): the same rows as one HTML string.
            <tbody key="static" dangerouslySetInnerHTML={{ __html: staticBody() }} />
          )}
        </table>
      </div>
      {renameFetcher.data?.errors ? (
        <p className="form-error" role="alert">
          {Object.values(renameFetcher.data.errors)[0]}
        </p>
      ) : null}
      {activities.length === 0 ? <p className="muted">No activities yet: add the first one below.</p> : null}
      <section className="card">
        <h2>Checks</h2>
        <IssueList issues={issues} />
      </section>
    </div>
  );
}

export function IssueList({ issues }: { issues: RaciIssue[] }) {
  if (issues.length === 0)
    return <p className="muted">No problems: every activity has exactly one Accountable and at least one Responsible.</p>;
  return (
    <ul className="issue-list">
      {issues.map((issue, i) => (
        <li key={i} className={`issue issue--${issue.severity}`}>
          <strong>{issue.severity}</strong> {issue.message}
        </li>
      ))}
    </ul>
  );
}
