import { Form, Link, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { FIELD_LABELS, IMPORT_FIELDS, type ImportField } from "~/models/org/import-fields";
import type { ImportCounts } from "~/models/org/import-plan";
import { formatDateTime } from "~/utils/dates";
import { plural } from "~/utils/numbers";

// Private parts of the import page: its header (file, key used), the column mapping, the
// progress while planning, the correction of one line, the proposals to confirm, the record.

export const n = (value: number | undefined) => (value ?? 0).toLocaleString("en");

export interface HeaderData {
  id: string;
  fileName: string;
  createdAt: string;
  rowCount: number;
  key: "externalId" | "email";
  keyColumn: string | null;
  emailColumn: string | null;
  number: number | null;
  committedAt: string | null;
  committedBy: string | null;
  status: string;
  planError: string | null;
}

export function ImportHeader({ header }: { header: HeaderData }) {
  return (
    <>
      <div className="page-header">
        <div>
          <p className="eyebrow">{header.number ? `Import #${header.number}` : "Import the organization: preview"}</p>
          <h1>“{header.fileName}”</h1>
        </div>
        <a className="button button--secondary" href={`/org/import/${header.id}/report.csv`} download>
          Download the change report (CSV)
        </a>
      </div>
      <p className="muted">
        {plural(header.rowCount, "person", "people")} in the file, uploaded {formatDateTime(header.createdAt)}
        {header.committedAt ? `, imported ${formatDateTime(header.committedAt)} by ${header.committedBy ?? "a former user"}` : ""}.
      </p>
      <p className="import-key" data-testid="identity-key">
        {header.key === "externalId" ? (
          <>
            <strong>People are matched by employee number</strong> (column “{header.keyColumn}”). An email that belongs to someone with
            another number is an error on its line, never a silent change of person.
          </>
        ) : (
          <>
            <strong>People are matched by email</strong> (column “{header.emailColumn}”; no employee number column is set). A changed email
            makes a new person unless you confirm below that it is the same person. Set an employee number column to match by it.
          </>
        )}
      </p>
      {header.planError ? (
        <p className="form-error" role="alert">
          {header.planError}
        </p>
      ) : null}
    </>
  );
}

const FIELD_OPTIONS: ReadonlyArray<{ value: ImportField | ""; label: string }> = [
  { value: "", label: "Ignore" },
  ...IMPORT_FIELDS.map((field) => ({ value: field, label: FIELD_LABELS[field] })),
];

export function ColumnsForm({
  importId,
  columns,
  mappingSource,
  problems,
  open,
  errors,
}: {
  importId: string;
  columns: Array<{ header: string; example: string; field: string; detected: string }>;
  mappingSource: string;
  problems: string[];
  open: boolean;
  errors: Record<string, string>;
}) {
  return (
    <details className="card" open={open || undefined}>
      <summary>
        <h2 className="inline-heading">Columns</h2>{" "}
        <span className="muted">
          {mappingSource === "remembered"
            ? "as you set them for the last file with these columns"
            : mappingSource === "chosen"
              ? "as you set them"
              : "recognized from the header"}
        </span>
      </summary>
      <p className="muted">Check what each column holds. Columns set to “Ignore” are not imported.</p>
      {problems.length > 0 ? (
        <ul className="form-error issue-list" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <Form method="post" action={`/org/import/${importId}`}>
        <input type="hidden" name="intent" value="remap" />
        <div className="data-table__scroll">
          <table className="simple-table">
            <caption>Columns of the file</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">First value</th>
                <th scope="col">Imported as</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((column, i) => (
                <tr key={i}>
                  <th scope="row">{column.header}</th>
                  <td>{column.example}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`col-${i}`}>
                      Column “{column.header}” imported as
                    </label>
                    <select
                      id={`col-${i}`}
                      name={`col-${i}`}
                      defaultValue={column.field}
                      aria-invalid={errors[`col-${i}`] ? true : undefined}
                    >
                      {FIELD_OPTIONS.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                    {column.detected ? null : <span className="muted"> (not recognized)</span>}
                    {errors[`col-${i}`] ? <span className="field__error">{errors[`col-${i}`]}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <SubmitButton className="button button--secondary" pendingText="Applying…">
          Apply columns
        </SubmitButton>
      </Form>
    </details>
  );
}

/** While the preview is prepared: its progress, refreshed every second (with or without JavaScript). */
export function Planning({
  header,
  progress,
  blocked,
}: {
  header: HeaderData;
  progress: { done: number; total: number };
  blocked: boolean;
}) {
  const revalidator = useRevalidator();
  const planning = header.status === "planning" && !blocked;
  useEffect(() => {
    if (!planning) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [planning, revalidator]);
  if (blocked) return null;
  const share = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <section className="card" aria-labelledby="org-import-planning">
      <h2 id="org-import-planning">Preparing the preview…</h2>
      {planning ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <div role="status" aria-live="polite">
        <progress max={progress.total || 1} value={progress.done} aria-label="Rows checked" /> {n(progress.done)} of {n(progress.total)}{" "}
        rows checked ({share}%). Units, teams, leads and leavers come next; this page updates by itself.
      </div>
    </section>
  );
}

export interface FixData {
  line: number;
  skipped: boolean;
  problems: Array<{ field: string; message: string }>;
  cells: Array<{ field: ImportField; label: string; header: string; value: string; edited: boolean }>;
}

export function FixLine({ importId, fix, errors }: { importId: string; fix: FixData; errors: Record<string, string> }) {
  return (
    <section className="card" id="fix" aria-labelledby="org-import-fix">
      <h2 id="org-import-fix">Line {fix.line}</h2>
      {fix.problems.length > 0 ? (
        <ul className="issue-list">
          {fix.problems.map((p, i) => (
            <li key={i} className="issue issue--warning">
              <strong>{p.field}</strong> {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <p>No problem on this line now.</p>
      )}
      {fix.skipped ? <p>This line is skipped: it is not imported.</p> : null}
      <Form method="post" action={`/org/import/${importId}`}>
        <input type="hidden" name="line" value={fix.line} />
        <div className="form-grid">
          {fix.cells.map((cell) => (
            <InputField
              key={cell.field}
              label={`${cell.label} (column “${cell.header}”)`}
              name={`cell-${cell.field}`}
              defaultValue={cell.value}
              error={errors[cell.field]}
              hint={cell.edited ? "Corrected in the preview" : undefined}
            />
          ))}
        </div>
        <div className="button-row">
          <SubmitButton name="intent" value="fix-line" pendingText="Checking…">
            Save and check again
          </SubmitButton>
          <SubmitButton
            className="button button--secondary"
            name="intent"
            value={fix.skipped ? "unskip-line" : "skip-line"}
            pendingText="Saving…"
          >
            {fix.skipped ? "Import this line again" : "Skip this line"}
          </SubmitButton>
          <Link to={`/org/import/${importId}?show=problems`}>Close</Link>
        </div>
      </Form>
    </section>
  );
}

interface ProposalRow {
  line: number | null;
  refId: string | null;
  name: string;
  email: string;
  before: string;
  after: string;
  message: string;
}

export function Proposals({
  importId,
  proposals,
  confirmedEmails,
}: {
  importId: string;
  proposals: { renames: ProposalRow[]; emails: ProposalRow[] };
  confirmedEmails: number[];
}) {
  if (proposals.renames.length === 0 && proposals.emails.length === 0 && confirmedEmails.length === 0) return null;
  return (
    <section className="card" aria-labelledby="org-import-proposals">
      <h2 id="org-import-proposals">To confirm</h2>
      {proposals.renames.length > 0 ? (
        <Form method="post" action={`/org/import/${importId}`}>
          <input type="hidden" name="intent" value="confirm-renames" />
          <fieldset className="choices">
            <legend>Renamed teams? A team the file no longer names, most of whose members are in a new team of the same unit</legend>
            {proposals.renames.map((r) => (
              <div key={r.refId} className="import-choice">
                <input type="hidden" name="shown" value={r.refId ?? ""} />
                <input type="checkbox" id={`rename-${r.refId}`} name="rename" value={r.refId ?? ""} />
                <label htmlFor={`rename-${r.refId}`}>
                  “{r.before}” is now “{r.after}” <span className="muted">({r.name})</span> — {r.message}
                </label>
              </div>
            ))}
          </fieldset>
          <SubmitButton className="button button--secondary" pendingText="Saving…">
            Confirm the ticked renames
          </SubmitButton>
        </Form>
      ) : null}
      {proposals.emails.length > 0 ? (
        <Form method="post" action={`/org/import/${importId}`}>
          <input type="hidden" name="intent" value="confirm-emails" />
          <fieldset className="choices">
            <legend>Changed emails? A new line with the name of someone who is not in the file</legend>
            {proposals.emails.map((r) => (
              <div key={r.line} className="import-choice">
                <input type="hidden" name="shown" value={r.line ?? ""} />
                <input type="checkbox" id={`match-${r.line}`} name="match" value={r.line ?? ""} />
                <label htmlFor={`match-${r.line}`}>
                  Line {r.line}: {r.name} &lt;{r.after}&gt; is {r.name} &lt;{r.before}&gt;
                </label>
              </div>
            ))}
          </fieldset>
          <SubmitButton className="button button--secondary" pendingText="Saving…">
            Confirm the ticked matches
          </SubmitButton>
        </Form>
      ) : null}
      {confirmedEmails.length > 0 ? (
        <Form method="post" action={`/org/import/${importId}`} className="button-row">
          <input type="hidden" name="intent" value="confirm-emails" />
          {confirmedEmails.map((line) => (
            <input key={line} type="hidden" name="shown" value={line} />
          ))}
          <span>
            Confirmed changed emails on {confirmedEmails.length === 1 ? "line" : "lines"} {confirmedEmails.join(", ")}.
          </span>
          <SubmitButton className="button button--secondary button--small" pendingText="Saving…">
            Undo these matches
          </SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}

const COMPARED: Array<[keyof ImportCounts, string]> = [
  ["rows", "Rows in the file"],
  ["join", "Joiners"],
  ["move", "Moves"],
  ["update", "Other updates"],
  ["restore", "Back from archived"],
  ["leave", "Leavers"],
  ["rename", "Teams renamed"],
  ["team_new", "New teams"],
  ["unit_new", "New units"],
  ["lead", "Team leads set"],
  ["skipped", "Skipped lines"],
  ["warning", "Warnings"],
];

export function Record({
  header,
  counts,
  previous,
  mapping,
  leavers,
}: {
  header: HeaderData;
  counts: ImportCounts;
  previous: { id: string; number: number; counts: ImportCounts | null } | null;
  mapping: Array<{ header: string; field: string }>;
  leavers: string | null;
}) {
  return (
    <section className="card" aria-labelledby="org-import-record">
      <h2 id="org-import-record">Record of import #{header.number}</h2>
      <p>
        Imported by {header.committedBy ?? "a former user"} on {header.committedAt ? formatDateTime(header.committedAt) : ""}; people
        matched by {header.key === "externalId" ? "employee number" : "email"}
        {counts.leave > 0 ? `; leavers ${leavers === "archive" ? "archived" : "kept"}` : ""}.
      </p>
      <div className="data-table__scroll">
        <table className="simple-table">
          <caption>{previous ? `Compared with import #${previous.number}` : "Counts"}</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Import #{header.number}</th>
              {previous ? (
                <th scope="col">
                  <Link to={`/org/import/${previous.id}`}>Import #{previous.number}</Link>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {COMPARED.map(([key, label]) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>{n(counts[key])}</td>
                {previous ? <td>{n(previous.counts?.[key])}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Columns used</summary>
        <ul>
          {mapping.map((m, i) => (
            <li key={i}>
              “{m.header}” → {m.field}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
