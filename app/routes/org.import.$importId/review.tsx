import { Form, Link } from "@remix-run/react";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { SubmitButton } from "~/components/ui/submit-button";
import type { ImportCounts } from "~/models/org/import-plan";
import type { ItemRow, ReviewList } from "~/models/org/import-review.server";
import type { ListParams } from "~/utils/list-params";
import { n } from "./parts";
import { plural } from "~/utils/numbers";

// The preview's lists (one at a time, server-paged, searchable) and the commit form.

const LISTS: Array<{ list: ReviewList; label: string }> = [
  { list: "problems", label: "Errors and warnings" },
  { list: "joiners", label: "Joiners" },
  { list: "moves", label: "Moves" },
  { list: "updates", label: "Other updates" },
  { list: "leavers", label: "Leavers" },
  { list: "renames", label: "Renamed teams" },
  { list: "emails", label: "Changed emails?" },
  { list: "teams", label: "Teams" },
  { list: "units", label: "New units" },
  { list: "skipped", label: "Skipped lines" },
];

const FIELD_NAMES: Record<string, string> = {
  name: "Name",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  title: "Title",
  unitPath: "Unit path",
  unit: "Unit",
  parentUnit: "Parent unit",
  team: "Team",
  teamExternalId: "Team ID",
  teamLeadEmail: "Team lead email",
  externalId: "Employee number",
  file: "Whole line",
};

const KIND_NAMES: Record<string, string> = {
  error: "Error",
  warning: "Warning",
  restore: "Back from archived",
  move: "Move",
  rename: "Renamed",
  rename_candidate: "Renamed? To confirm above",
  team_new: "New team",
  lead: "New lead",
  team_alert: "Look at this team",
};

type Row = ItemRow;
const line: ServerColumn<Row> = { id: "line", accessorKey: "line", header: "Line" };
const name: ServerColumn<Row> = { id: "name", accessorKey: "name", header: "Name" };
const email: ServerColumn<Row> = { id: "email", accessorKey: "email", header: "Email", enableSorting: false };
const number: ServerColumn<Row> = { id: "number", accessorKey: "field", header: "Employee no.", enableSorting: false };
const text = (id: string, key: keyof Row, header: string): ServerColumn<Row> => ({ id, accessorKey: key, header, enableSorting: false });
const kind: ServerColumn<Row> = {
  id: "kind",
  header: "Kind",
  enableSorting: false,
  cell: (info) => KIND_NAMES[info.row.original.kind] ?? info.row.original.kind,
};

function problemColumns(importId: string, committed: boolean, skipped: number[]): ServerColumn<Row>[] {
  return [
    line,
    kind,
    {
      id: "field",
      header: "Column",
      enableSorting: false,
      cell: (info) => FIELD_NAMES[info.row.original.field] ?? info.row.original.field,
    },
    text("message", "message", "Problem"),
    ...(committed
      ? []
      : [
          {
            id: "actions",
            header: "Fix",
            enableSorting: false,
            cell: (info: { row: { original: Row } }) => {
              const l = info.row.original.line;
              if (!l || info.row.original.field === "file") return null;
              return (
                <span className="button-row">
                  <Link to={`/org/import/${importId}?show=problems&fix=${l}#fix`} aria-label={`Correct line ${l}`}>
                    Correct
                  </Link>
                  {skipped.includes(l) ? null : (
                    <Form method="post" action={`/org/import/${importId}`} className="inline-form">
                      <input type="hidden" name="line" value={l} />
                      <button
                        type="submit"
                        name="intent"
                        value="skip-line"
                        className="button button--secondary button--small"
                        aria-label={`Skip line ${l}`}
                      >
                        Skip
                      </button>
                    </Form>
                  )}
                </span>
              );
            },
          } satisfies ServerColumn<Row>,
        ]),
  ];
}

function columnsFor(
  list: ReviewList,
  importId: string,
  committed: boolean,
  skipped: number[],
  confirmedRenames: string[],
): ServerColumn<Row>[] {
  switch (list) {
    case "problems":
      return problemColumns(importId, committed, skipped);
    case "joiners":
      return [line, name, email, number, text("after", "after", "Team or unit"), text("message", "message", "Title")];
    case "moves":
      return [line, name, email, text("before", "before", "From"), text("after", "after", "To"), text("message", "message", "All changes")];
    case "updates":
      return [line, name, email, text("message", "message", "Changes")];
    case "leavers":
      return [
        name,
        email,
        number,
        text("before", "before", "Team or unit"),
        text("message", "message", "Roles"),
        ...(committed ? [text("after", "after", "Done")] : []),
      ];
    case "renames":
      return [
        kind,
        text("before", "before", "Team"),
        text("after", "after", "Now"),
        text("message", "message", "Why"),
        ...(committed
          ? []
          : [
              {
                id: "undo",
                header: "",
                enableSorting: false,
                cell: (info: { row: { original: Row } }) =>
                  info.row.original.kind === "rename" && confirmedRenames.includes(info.row.original.refId ?? "") ? (
                    <Form method="post" action={`/org/import/${importId}`} className="inline-form">
                      <input type="hidden" name="intent" value="confirm-renames" />
                      <input type="hidden" name="shown" value={info.row.original.refId ?? ""} />
                      <button type="submit" className="button button--secondary button--small">
                        Undo
                      </button>
                    </Form>
                  ) : null,
              } satisfies ServerColumn<Row>,
            ]),
      ];
    case "emails":
      return [line, name, text("after", "after", "New email"), text("before", "before", "Email in Rollout Desk")];
    case "teams":
      return [
        kind,
        text("name", "name", "Team"),
        text("before", "before", "Before"),
        text("after", "after", "After"),
        text("message", "message", "Note"),
      ];
    case "units":
      return [text("after", "after", "Unit path")];
    case "skipped":
      return [
        line,
        name,
        email,
        ...(committed
          ? []
          : [
              {
                id: "take",
                header: "",
                enableSorting: false,
                cell: (info: { row: { original: Row } }) => (
                  <Form method="post" action={`/org/import/${importId}`} className="inline-form">
                    <input type="hidden" name="line" value={info.row.original.line ?? ""} />
                    <button type="submit" name="intent" value="unskip-line" className="button button--secondary button--small">
                      Import again
                    </button>
                  </Form>
                ),
              } satisfies ServerColumn<Row>,
            ]),
      ];
  }
}

export interface ReviewData {
  header: { id: string; committedAt: string | null };
  counts: ImportCounts;
  sizes: Record<ReviewList, number>;
  show: ReviewList;
  params: ListParams;
  page: { rows: Row[]; total: number };
  skippedLines: number[];
  confirmedRenames: string[];
}

export function ReviewLists({ data }: { data: ReviewData }) {
  const { counts, sizes, show, header } = data;
  const committed = header.committedAt !== null;
  const label = LISTS.find((l) => l.list === show)?.label ?? "";
  return (
    <section className="card" aria-labelledby="org-import-preview">
      <h2 id="org-import-preview">{committed ? "Changes made" : "Preview"}</h2>
      <dl className="facts">
        <div>
          <dt>Joiners</dt>
          <dd>{n(counts.join)}</dd>
        </div>
        <div>
          <dt>Moves</dt>
          <dd>{n(counts.move + counts.restore)}</dd>
        </div>
        <div>
          <dt>Other updates</dt>
          <dd>{n(counts.update)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{n(counts.unchanged)}</dd>
        </div>
        <div>
          <dt>Leavers</dt>
          <dd>{n(counts.leave)}</dd>
        </div>
        <div>
          <dt>Teams renamed</dt>
          <dd>{n(counts.rename)}</dd>
        </div>
        <div>
          <dt>New teams</dt>
          <dd>{n(counts.team_new)}</dd>
        </div>
        <div>
          <dt>New units</dt>
          <dd>{n(counts.unit_new)}</dd>
        </div>
        <div>
          <dt>Team leads to set</dt>
          <dd>{n(counts.lead)}</dd>
        </div>
        <div>
          <dt>Lines with errors</dt>
          <dd>{n(counts.errorLines)}</dd>
        </div>
        <div>
          <dt>Warnings</dt>
          <dd>{n(counts.warning)}</dd>
        </div>
        <div>
          <dt>Skipped lines</dt>
          <dd>{n(counts.skipped)}</dd>
        </div>
      </dl>
      {!committed && counts.error > 0 ? (
        <p className="form-error" role="alert">
          {plural(counts.errorLines, "line has", "lines have")} errors. Nothing is imported while a line has an error: correct or skip{" "}
          {counts.errorLines === 1 ? "it" : "them"} below, or fix the file and upload it again.{" "}
          <a href={`/org/import/${header.id}/report.csv?only=problems`} download>
            Download the errors and warnings (CSV)
          </a>
        </p>
      ) : null}
      <nav aria-label="Lists of changes" className="sub-nav">
        <ul>
          {LISTS.filter((l) => sizes[l.list] > 0 || l.list === "problems" || l.list === show).map((l) => (
            <li key={l.list}>
              <Link to={`?show=${l.list}`} aria-current={l.list === show ? "page" : undefined} preventScrollReset>
                {l.label} ({n(sizes[l.list])})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ServerTable
        caption={label}
        rows={data.page.rows}
        total={data.page.total}
        params={data.params}
        columns={columnsFor(show, header.id, committed, data.skippedLines, data.confirmedRenames)}
        getRowId={(row) => String(row.seq)}
        filters={<input type="hidden" name="show" value={show} />}
        searchLabel={`Search ${label.toLowerCase()}`}
        emptyMessage={show === "problems" ? "No errors and no warnings." : "Nothing in this list."}
      />
    </section>
  );
}

export function CommitForm({
  importId,
  counts,
  fingerprint,
  rowCount,
  errors,
}: {
  importId: string;
  counts: ImportCounts;
  fingerprint: string | null;
  rowCount: number;
  errors: Record<string, string>;
}) {
  const blocked = counts.error > 0;
  const changes =
    counts.join + counts.move + counts.update + counts.restore + counts.rename + counts.lead + counts.team_new + counts.unit_new;
  return (
    <section className="card" aria-labelledby="org-import-commit">
      <h2 id="org-import-commit">Import</h2>
      <Form method="post" action={`/org/import/${importId}`}>
        <input type="hidden" name="intent" value="commit" />
        <input type="hidden" name="fingerprint" value={fingerprint ?? ""} />
        {counts.leave > 0 ? (
          <fieldset
            className={errors.leavers ? "choices field--invalid" : "choices"}
            aria-describedby={errors.leavers ? "leavers-error" : undefined}
          >
            <legend>
              {plural(counts.leave, "person in Rollout Desk is", "people in Rollout Desk are")} not in this file (see “Leavers”)
            </legend>
            <div className="import-choice">
              <input type="radio" id="leavers-archive" name="leavers" value="archive" />
              <label htmlFor="leavers-archive">
                Archive them: their history is kept, they leave the pickers, and their team lead and coach roles are flagged for replacement
              </label>
            </div>
            <div className="import-choice">
              <input type="radio" id="leavers-keep" name="leavers" value="keep" />
              <label htmlFor="leavers-keep">Keep them active (for example when this file is only a part of the company)</label>
            </div>
            {errors.leavers ? (
              <p className="field__error" id="leavers-error" role="alert">
                {errors.leavers}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <p className="muted">
          Nothing is deleted. The import is all or nothing, and {plural(rowCount, "row is", "rows are")} checked again against the
          organization as it is then.
        </p>
        <div className="button-row">
          <SubmitButton pendingText="Importing…" aria-disabled={blocked || undefined}>
            {blocked ? "Import (fix the errors first)" : `Import ${plural(changes, "change", "changes")}`}
          </SubmitButton>
          <Link to="/org/import" className="button button--secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
