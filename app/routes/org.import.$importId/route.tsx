import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { commitImport } from "~/models/org/import-commit.server";
import { recordImportDuration } from "~/utils/metrics.server";
import { EDITABLE_FIELDS, type ImportField } from "~/models/org/import-fields";
import { describeMapping, previousImport } from "~/models/org/import-history.server";
import {
  getLineToFix,
  isReviewList,
  ITEM_LIST_SPEC,
  listCounts,
  listItems,
  listProposals,
  REVIEW_LISTS,
  type ReviewList,
} from "~/models/org/import-review.server";
import {
  confirmEmailMatches,
  confirmRenames,
  editLine,
  getImport,
  mappingFromForm,
  resumeStalePlanning,
  saveMapping,
  skipLine,
} from "~/models/org/import-stage.server";
import { attempt, failure, orErrorResponse, unknownIntent, type ActionFailure } from "~/utils/action.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { parseListParams } from "~/utils/list-params";
import { redirectWithToast } from "~/utils/toast.server";
import { commitSchema, confirmEmailsSchema, confirmRenamesSchema, lineSchema } from "~/validation/org-import";
import { ColumnsForm, FixLine, ImportHeader, Planning, Proposals, Record } from "./parts";
import { CommitForm, ReviewLists } from "./review";

// Import the organization, step 2: the preview of a staged upload (columns, every change and
// problem, proposals to confirm, lines to correct or skip, the commit), and once committed the
// import's record. While a large file is being planned the page shows its progress.

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const db = getDb();
  const upload = await orErrorResponse(() => getImport(db, params.importId));
  if (await resumeStalePlanning(db, upload)) upload.status = "planning";
  const header = {
    id: upload.id,
    fileName: upload.fileName,
    createdAt: upload.createdAt.toISOString(),
    rowCount: upload.rowCount,
    key: upload.key,
    keyColumn: upload.headers[upload.mapping.indexOf("externalId")] ?? null,
    emailColumn: upload.headers[upload.mapping.indexOf("email")] ?? null,
    number: upload.number,
    committedAt: upload.committedAt?.toISOString() ?? null,
    committedBy: upload.committedBy,
    status: upload.status,
    planError: upload.planError,
  };
  const columns = upload.headers.map((header, i) => ({
    header,
    example: (upload.sample[i] ?? "").slice(0, 60),
    field: upload.mapping[i] ?? "",
    detected: upload.detectedMapping[i] ?? "",
  }));
  const base = { header, columns, mappingSource: upload.mappingSource, mappingProblems: upload.mappingProblems };
  if (upload.status === "planning" || !upload.counts) {
    return { ...base, ready: false as const, progress: upload.progress };
  }
  const search = new URL(request.url).searchParams;
  const listParams = parseListParams(search, ITEM_LIST_SPEC);
  const sizes = await listCounts(db, upload.id);
  const requested = listParams.filters.show;
  const show: ReviewList = isReviewList(requested)
    ? requested
    : ((Object.keys(REVIEW_LISTS) as ReviewList[]).find((list) => sizes[list] > 0) ?? "problems");
  const fixParam = search.get("fix");
  const [page, proposals, fix, previous] = await Promise.all([
    listItems(db, upload.id, show, listParams),
    upload.committedAt ? null : listProposals(db, upload.id),
    fixParam && !upload.committedAt ? getLineToFix(db, upload, Number(fixParam)).catch(() => null) : null,
    upload.committedAt ? previousImport(db, upload) : null,
  ]);
  return {
    ...base,
    ready: true as const,
    counts: upload.counts,
    fingerprint: upload.fingerprint,
    sizes,
    show,
    params: { ...listParams, filters: { ...listParams.filters, show } },
    page,
    proposals,
    confirmedRenames: Object.values(upload.decisions.renames),
    confirmedEmails: Object.keys(upload.decisions.emailMatches).map(Number),
    skippedLines: upload.decisions.skip,
    fix,
    leavers: upload.decisions.leavers ?? null,
    mapping: describeMapping(upload.headers, upload.mapping),
    timings: upload.timings,
    previous: previous ? { id: previous.id, number: previous.number, counts: previous.counts } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const db = getDb();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const upload = await getImport(db, params.importId).catch(() => null);
  if (!upload)
    return failure(
      { _form: "This upload does not exist or has expired (uploaded files are kept for a day). Upload the file again." },
      {},
      404,
      { intent },
    );
  const here = `/org/import/${upload.id}`;
  const extra = { intent };
  switch (intent) {
    case "remap":
      return attempt(
        {},
        async () => {
          await saveMapping(
            db,
            user,
            upload,
            mappingFromForm(upload, (name) => form.get(name)),
          );
          return redirectWithToast(request, here, "Columns applied; the preview uses them, and the next file with these columns will too.");
        },
        extra,
      );
    case "skip-line":
    case "unskip-line": {
      const parsed = parseForm(lineSchema, form);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await skipLine(db, upload, parsed.data.line, intent === "skip-line");
          const done = intent === "skip-line" ? `Line ${parsed.data.line} is skipped.` : `Line ${parsed.data.line} is imported again.`;
          return redirectWithToast(request, `${here}?show=problems`, `${done} The preview is checked again.`);
        },
        extra,
      );
    }
    case "fix-line": {
      const parsed = parseForm(lineSchema, form);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      const cells: Partial<Record<ImportField, string>> = {};
      for (const field of EDITABLE_FIELDS) {
        const value = form.get(`cell-${field}`);
        if (typeof value === "string") cells[field] = value;
      }
      return attempt(
        parsed.values,
        async () => {
          await editLine(db, upload, parsed.data.line, cells);
          return redirectWithToast(
            request,
            `${here}?show=problems&fix=${parsed.data.line}`,
            `Line ${parsed.data.line} corrected and checked again.`,
          );
        },
        extra,
      );
    }
    case "confirm-renames": {
      const parsed = parseForm(confirmRenamesSchema, form);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        {},
        async () => {
          await confirmRenames(db, upload, parsed.data.rename, parsed.data.shown);
          return redirectWithToast(request, `${here}?show=renames`, "Renames saved; the preview is checked again.");
        },
        extra,
      );
    }
    case "confirm-emails": {
      const parsed = parseForm(confirmEmailsSchema, form);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        {},
        async () => {
          await confirmEmailMatches(db, upload, parsed.data.match, parsed.data.shown);
          return redirectWithToast(request, `${here}?show=emails`, "Matches saved; the preview is checked again.");
        },
        extra,
      );
    }
    case "commit": {
      const parsed = parseForm(commitSchema, form);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          const started = performance.now();
          const result = await commitImport(db, user, upload.id, {
            fingerprint: parsed.data.fingerprint ?? null,
            leavers: parsed.data.leavers ?? null,
          });
          recordImportDuration("org", (performance.now() - started) / 1000);
          return redirectWithToast(request, here, `Import #${result.number} done: ${result.summary}.`);
        },
        extra,
      );
    }
    default:
      return unknownIntent(intent);
  }
}

export default function OrgImportPreview() {
  const data = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as ActionFailure | undefined;
  const formError = failed?.errors._form ?? failed?.errors.line ?? null;
  return (
    <>
      <ImportHeader header={data.header} />
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      {data.header.committedAt ? null : (
        <ColumnsForm
          importId={data.header.id}
          columns={data.columns}
          mappingSource={data.mappingSource}
          problems={data.mappingProblems}
          open={!data.ready || data.mappingProblems.length > 0 || failed?.intent === "remap"}
          errors={failed?.intent === "remap" ? failed.errors : {}}
        />
      )}
      {!data.ready ? (
        <Planning header={data.header} progress={data.progress} blocked={data.mappingProblems.length > 0} />
      ) : (
        <>
          {data.header.committedAt ? (
            <Record header={data.header} counts={data.counts} previous={data.previous} mapping={data.mapping} leavers={data.leavers} />
          ) : null}
          {data.fix ? (
            <FixLine importId={data.header.id} fix={data.fix} errors={failed?.intent === "fix-line" ? failed.errors : {}} />
          ) : null}
          {data.proposals ? (
            <Proposals importId={data.header.id} proposals={data.proposals} confirmedEmails={data.confirmedEmails} />
          ) : null}
          <ReviewLists data={data} />
          <p className="muted" data-timings={JSON.stringify(data.timings)}>
            Preview prepared in {((Number(data.timings.planMs ?? 0) + Number(data.timings.itemsMs ?? 0)) / 1000).toFixed(1)} s.
          </p>
          {data.header.committedAt ? null : (
            <CommitForm
              importId={data.header.id}
              counts={data.counts}
              fingerprint={data.fingerprint}
              rowCount={data.header.rowCount}
              errors={failed?.intent === "commit" ? failed.errors : {}}
            />
          )}
        </>
      )}
      <p>
        <Link to="/org/import">Upload another file</Link> · <Link to="/org/import/history">Import history</Link>
      </p>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "HR import preview · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
