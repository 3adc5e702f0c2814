import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReportDocument } from "~/components/reports/report-document";
import { StatusBadge } from "~/components/reports/status-badge";
import { TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { listRisks } from "~/models/plan/risks.server";
import { nextReportDue, reportingSchedule } from "~/models/reports/cadence.server";
import { decide, openDecisionIds, requestDecision } from "~/models/reports/decisions.server";
import { answerQuestion, askQuestion, listQuestions, markAnswerRead } from "~/models/reports/questions.server";
import {
  acknowledgeReport,
  buildSnapshot,
  discardDraft,
  getReport,
  getReportWithSnapshot,
  publishReport,
  reportTitle,
  startCorrection,
  updateDraft,
} from "~/models/reports/reports.server";
import { attempt, failure, orErrorResponse, unknownIntent } from "~/utils/action.server";
import { formatDate, formatDateTime, today as todayDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can, type Permission } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { DraftEditor, SectionExtras } from "./sections";
import {
  answerSchema,
  correctionSchema,
  decideSchema,
  decisionRequestSchema,
  draftSchema,
  questionIdSchema,
  questionSchema,
} from "~/validation/reports";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/reports.css" }];

const STATE_LABELS = { draft: "Draft (not published)", published: "Published", acknowledged: "Published and acknowledged" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:read");
  const db = getDb();
  const today = todayDay();
  const { snapshot: frozen, ...report } = await orErrorResponse(() => getReportWithSnapshot(db, user, program.id, params.reportId ?? ""));
  const canWrite = can(user.role, "reports:write");
  const mayRespond = can(user.role, "reports:respond");
  const isDraft = report.state === "draft";
  const [snapshot, questions, openDecisions, risks, schedule] = await Promise.all([
    isDraft ? buildSnapshot(db, program, { id: report.id, unit_id: report.unitId, risk_ids: report.riskIds }, today) : frozen,
    listQuestions(db, program.id, report.id),
    // Only a sponsor decides, on a published report.
    mayRespond && !isDraft ? openDecisionIds(db, program.id) : ([] as string[]),
    canWrite && isDraft ? listRisks(db, program.id, { status: "active" }) : [],
    reportingSchedule(db, program.id),
  ]);
  if (!snapshot) throw new Response("This report has no snapshot.", { status: 500 });
  return {
    programId: program.id,
    report: {
      ...report,
      title: reportTitle(report),
      publishedAt: report.publishedAt ? formatDateTime(report.publishedAt) : null,
      acknowledgedAt: report.acknowledgedAt ? formatDateTime(report.acknowledgedAt) : null,
      createdAt: formatDateTime(report.createdAt),
    },
    programName: program.name,
    snapshot,
    questions: questions.map((q) => ({
      ...q,
      askedAt: formatDateTime(q.askedAt),
      answeredAt: q.answeredAt ? formatDateTime(q.answeredAt) : null,
      mine: q.askedBy === user.id,
      unseen: q.askedBy === user.id && q.answer !== null && q.answerSeenAt === null,
    })),
    openDecisionIds: openDecisions,
    risks: risks.map((r) => ({ id: r.id, title: r.title, score: r.score })),
    next: nextReportDue(schedule.cadence, schedule.lastPublishedOn, program.starts_on, today),
    userId: user.id,
    canWrite,
    mayRespond,
  };
}

/** What each form of the page needs: writing is the PLO's, responding the sponsor's. */
const INTENT_PERMISSIONS: Record<string, Permission> = {
  save: "reports:write",
  publish: "reports:write",
  discard: "reports:write",
  correct: "reports:write",
  "request-decision": "reports:write",
  answer: "reports:write",
  acknowledge: "reports:respond",
  ask: "reports:respond",
  decide: "reports:respond",
  "mark-read": "reports:respond",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "reports:read");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  // Own keys only: an intent named "toString" must not find Object.prototype's.
  const permission = Object.hasOwn(INTENT_PERMISSIONS, intent) ? INTENT_PERMISSIONS[intent] : undefined;
  if (!permission) return unknownIntent(intent);
  if (!can(user.role, permission)) throw new Response("Your role does not allow this.", { status: 403 });
  const db = getDb();
  const id = params.reportId ?? "";
  const here = `/programs/${program.id}/reports/${id}`;
  // The report must be one the user may read (a draft is not revealed to a sponsor).
  await orErrorResponse(() => getReport(db, user, program.id, id));
  const extra = { intent };
  switch (intent) {
    case "save": {
      const parsed = parseForm(draftSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await updateDraft(db, user, program.id, id, parsed.data);
          return redirectWithToast(request, here, "Draft saved.");
        },
        extra,
      );
    }
    case "publish":
      return attempt(
        {},
        async () => {
          await publishReport(db, user, program, id, todayDay());
          return redirectWithToast(request, here, "Report published: its figures are frozen.");
        },
        extra,
      );
    case "discard":
      return attempt(
        {},
        async () => {
          await discardDraft(db, user, program.id, id);
          return redirectWithToast(request, `/programs/${program.id}/reports`, "Draft discarded.");
        },
        extra,
      );
    case "correct": {
      const parsed = parseForm(correctionSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          const correction = await startCorrection(db, user, program.id, id, parsed.data.reason);
          return redirectWithToast(
            request,
            `/programs/${program.id}/reports/${correction.id}`,
            "Correction started: edit it, then publish it.",
          );
        },
        extra,
      );
    }
    case "request-decision": {
      const parsed = parseForm(decisionRequestSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await requestDecision(db, user, program.id, id, parsed.data);
          return redirectWithToast(request, `${here}#section-decisions`, "Decision requested.");
        },
        extra,
      );
    }
    case "answer": {
      const parsed = parseForm(answerSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await answerQuestion(db, user, program.id, id, parsed.data.questionId, parsed.data.answer);
          return redirectWithToast(request, here, "Answer sent.");
        },
        extra,
      );
    }
    case "acknowledge":
      return attempt(
        {},
        async () => {
          await acknowledgeReport(db, user, program.id, id);
          return redirectWithToast(request, here, "Report acknowledged.");
        },
        extra,
      );
    case "ask": {
      const parsed = parseForm(questionSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await askQuestion(db, user, program.id, id, parsed.data);
          return redirectWithToast(request, `${here}#section-${parsed.data.section}`, "Question sent to the Program Lead Office.");
        },
        extra,
      );
    }
    case "decide": {
      const parsed = parseForm(decideSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await decide(db, { id: user.id, name: user.name, mayDecide: true }, program.id, parsed.data.decisionId, parsed.data.decision);
          return redirectWithToast(request, `${here}#section-decisions`, "Decision recorded in the decision log.");
        },
        extra,
      );
    }
    case "mark-read": {
      const parsed = parseForm(questionIdSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await markAnswerRead(db, user, program.id, parsed.data.questionId);
          return redirectWithToast(request, here, "Marked as read.");
        },
        extra,
      );
    }
    default:
      return unknownIntent(intent);
  }
}

export default function ReportPage() {
  const data = useLoaderData<typeof loader>();
  const { report, snapshot, canWrite, mayRespond, next, programId } = data;
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : undefined);
  const isDraft = report.state === "draft";
  const latest = !report.supersededBy;
  return (
    <div className="report">
      <nav className="no-print report-toolbar" aria-label="Report">
        <p>
          <Link to={`/programs/${programId}/reports`}>All reports</Link> · <Link to={`/programs/${programId}/decisions`}>Decision log</Link>{" "}
          · <Link to={`/programs/${programId}/status`}>Live status</Link>
          {!isDraft ? (
            <>
              {" "}
              · <a href={`/programs/${programId}/reports/${report.id}.pdf`}>PDF</a> ·{" "}
              <a href={`/programs/${programId}/reports/${report.id}.csv`}>CSV of the figures</a> ·{" "}
              <a href={`/programs/${programId}/reports/${report.id}.json`}>JSON</a> · Permalink:{" "}
              <a href={`/programs/${programId}/reports/${report.id}`}>this address</a>
            </>
          ) : null}
        </p>
      </nav>
      {failed?.errors?._form ? (
        <p className="form-error" role="alert">
          {failed.errors._form}
        </p>
      ) : null}
      {mayRespond && next.overdue ? (
        <p className="banner-warning" role="status">
          Report overdue: the next report was due on {formatDate(next.dueOn)} ({next.label}).
        </p>
      ) : null}
      {report.supersededBy ? (
        <p className="banner-warning">
          This revision was corrected. <Link to={`/programs/${programId}/reports/${report.supersededBy}`}>Read the latest revision</Link>.
        </p>
      ) : null}
      {isDraft ? <p className="banner-warning no-print">Draft: the figures below are live and will be frozen when you publish.</p> : null}
      <div className="report-actions no-print">
        {report.acknowledgedAt ? (
          <p>
            <StatusBadge colour="green" label="Acknowledged" /> by {report.acknowledgedByLabel} on {report.acknowledgedAt}
          </p>
        ) : null}
        {mayRespond && !isDraft && latest && report.state === "published" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="acknowledge" />
            <SubmitButton>Acknowledge this report</SubmitButton>
          </Form>
        ) : null}
        {canWrite && isDraft ? <DraftEditor data={data} errors={errorsFor("save")} values={valuesFor("save")} /> : null}
        {canWrite && !isDraft && latest ? (
          <details open={failed?.intent === "correct"}>
            <summary>Publish a correction</summary>
            <p className="muted">A published report is never edited: a correction is a new revision that says why.</p>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="correct" />
              <TextAreaField
                label="Reason for the correction"
                name="reason"
                rows={2}
                maxLength={1000}
                required
                error={errorsFor("correct").reason}
              />
              <SubmitButton>Start the correction</SubmitButton>
            </Form>
          </details>
        ) : null}
      </div>
      <ReportDocument
        narrative={{
          title: report.title,
          programName: data.programName,
          scopeLabel: snapshot.scopeLabel,
          periodStart: report.periodStart,
          periodEnd: report.periodEnd,
          summary: report.summary,
          achievements: report.achievements,
          nextSteps: report.nextSteps,
          revision: report.revision,
          correctionReason: report.correctionReason,
          stateLabel: STATE_LABELS[report.state],
          publishedAt: report.publishedAt,
          publishedBy: report.publishedByLabel,
        }}
        snapshot={snapshot}
        sectionExtras={(section) => <SectionExtras section={section} data={data} failed={failed} />}
      />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.report.title} · Rollout Desk` : "Status report · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
