import escapeHtml from "escape-html";
import type { RaciIssue, RaciValue } from "~/models/raci/rules";

/**
 * The RACI grid's body as one HTML string: what the server sends and hydration keeps, until the
 * editor turns interactive and renders the same rows as React elements (with tabindex and
 * handlers). On a large matrix the body is 1,200 cells; written as 80 elements' worth of text
 * instead of 1,200 React elements, the page renders in a fraction of the time, and without
 * JavaScript it is the same read-only grid (rows edit through their plain forms).
 *
 * The markup must stay the same as the editor's live rows, tabindex aside: a browser test
 * compares the two (tests/e2e/raci.test.ts).
 */
export function staticGridBody({
  programId,
  roleCount,
  activities,
  valueAt,
  issuesByActivity,
  canEdit,
}: {
  programId: string;
  roleCount: number;
  activities: readonly { id: string; groupName: string; name: string }[];
  valueAt: (activityIndex: number, roleIndex: number) => RaciValue | null;
  issuesByActivity: ReadonlyMap<string, RaciIssue[]>;
  canEdit: boolean;
}): string {
  const parts: string[] = [];
  for (const group of groupsInOrder(activities)) {
    const members = activities.flatMap((a, index) => (a.groupName === group ? [index] : []));
    parts.push(
      `<tr class="raci__group"><th colspan="${roleCount + 1}" scope="colgroup"><button type="button" aria-expanded="true">` +
        `<span aria-hidden="true">▾</span> ${escapeHtml(group)} <span class="muted">(${members.length})</span></button></th></tr>`,
    );
    for (const index of members) {
      const activity = activities[index];
      const issues = issuesByActivity.get(activity.id) ?? [];
      const rowClass = issues.some((i) => i.severity === "error") ? ` class="raci__row--error"` : "";
      let row = `<tr${rowClass} data-row="${index}"><th scope="row" class="raci__activity"><span>${escapeHtml(activity.name)}</span>`;
      if (issues.length) {
        row += `<ul class="raci__issues">${issues.map((i) => `<li class="issue issue--${i.severity}">${escapeHtml(i.message)}</li>`).join("")}</ul>`;
      }
      // Focusable here (the live grid takes it out of the tab order and offers Enter instead):
      // without JavaScript, it is how a keyboard user edits a row.
      if (canEdit) row += `<a class="raci__row-link" href="${escapeHtml(rowEditHref(programId, activity.id))}">Edit row</a>`;
      row += "</th>";
      for (let r = 0; r < roleCount; r++) {
        const value = valueAt(index, r);
        row += value ? `<td class="v-${value}">${value}</td>` : "<td></td>";
      }
      parts.push(`${row}</tr>`);
    }
  }
  return parts.join("");
}

/** The groups of a matrix's activities, in the order their first activity comes. */
export function groupsInOrder(activities: readonly { groupName: string }[]): string[] {
  return [...new Set(activities.map((a) => a.groupName))];
}

/** The plain page that edits one activity's row (the no-JavaScript way to edit). */
export function rowEditHref(programId: string, activityId: string): string {
  return `/programs/${programId}/raci/activities/${activityId}`;
}
