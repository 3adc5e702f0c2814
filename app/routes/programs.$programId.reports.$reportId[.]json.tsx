import type { LoaderFunctionArgs } from "@remix-run/node";
import { getReportWithSnapshot } from "~/models/reports/reports.server";
import { orErrorResponse } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// A published report as JSON: its narrative and the snapshot frozen at publication.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:read");
  const db = getDb();
  const report = await orErrorResponse(() => getReportWithSnapshot(db, user, program.id, params.reportId ?? ""));
  const snapshot = report.state === "draft" ? null : report.snapshot;
  if (!snapshot) throw new Response("A draft has no frozen figures yet.", { status: 404 });
  const body = {
    id: report.id,
    programId: program.id,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    state: report.state,
    revision: report.revision,
    correctsId: report.correctsId,
    correctionReason: report.correctionReason,
    supersededBy: report.supersededBy,
    publishedAt: report.publishedAt,
    publishedBy: report.publishedByLabel,
    acknowledgedAt: report.acknowledgedAt,
    acknowledgedBy: report.acknowledgedByLabel,
    summary: report.summary,
    achievements: report.achievements,
    nextSteps: report.nextSteps,
    snapshot,
  };
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="status-report-${report.periodEnd}-r${report.revision}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
