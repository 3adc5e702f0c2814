import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { ReportDocument } from "~/components/reports/report-document";
import { getReportWithSnapshot, reportTitle } from "~/models/reports/reports.server";
import { orErrorResponse } from "~/utils/action.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { inlineStyles, renderPdf } from "~/utils/pdf.server";
import { requireProgram } from "~/utils/program-access.server";

// A published report as PDF, rendered by headless Chromium from the same component as the page
// (print stylesheet: the summary on page one, charts never cut, numbered pages).

const STATE_LABELS = { draft: "Draft", published: "Published", acknowledged: "Published and acknowledged" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:read");
  const db = getDb();
  const report = await orErrorResponse(() => getReportWithSnapshot(db, user, program.id, params.reportId ?? ""));
  const snapshot = report.state === "draft" ? null : report.snapshot;
  if (!snapshot) throw new Response("A draft has no frozen figures yet: publish it first.", { status: 404 });
  const title = reportTitle(report);
  const body = renderToStaticMarkup(
    <ReportDocument
      narrative={{
        title,
        programName: program.name,
        scopeLabel: snapshot.scopeLabel,
        periodStart: report.periodStart,
        periodEnd: report.periodEnd,
        summary: report.summary,
        achievements: report.achievements,
        nextSteps: report.nextSteps,
        revision: report.revision,
        correctionReason: report.correctionReason,
        stateLabel: STATE_LABELS[report.state],
        publishedAt: report.publishedAt ? formatDateTime(report.publishedAt) : null,
        publishedBy: report.publishedByLabel,
      }}
      snapshot={snapshot}
    />,
  );
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title.replace(/[<>&]/g, "")}</title><style>${inlineStyles()}</style></head><body class="pdf"><main class="report">${body}</main></body></html>`;
  const pdf = await renderPdf(html, `${program.name} · ${title}`);
  if (!pdf) {
    return new Response(
      "PDF rendering is not available on this server. Use your browser's Print → Save as PDF: the page prints in the same layout.",
      {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
  }
  return new Response(new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="status-report-${report.periodEnd}-r${report.revision}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
