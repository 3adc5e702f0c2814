import type { LoaderFunctionArgs } from "@remix-run/node";
import { getReportWithSnapshot } from "~/models/reports/reports.server";
import { FROZEN_FIGURE_COLUMNS, frozenFigureRows } from "~/models/reports/snapshot";
import { orErrorResponse } from "~/utils/action.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// The frozen figures of a published report, one row per figure with its colour, reason and
// change since the previous report. Drafts have no frozen figures: 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:read");
  const db = getDb();
  const report = await orErrorResponse(() => getReportWithSnapshot(db, user, program.id, params.reportId ?? ""));
  const snapshot = report.state === "draft" ? null : report.snapshot;
  if (!snapshot) throw new Response("A draft has no frozen figures yet.", { status: 404 });
  return csvResponse(`status-report-${report.periodEnd}-r${report.revision}`, FROZEN_FIGURE_COLUMNS, frozenFigureRows(snapshot));
}
