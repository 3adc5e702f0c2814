import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { InputField, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { SECTION_LABELS, type ReportSection } from "~/validation/reports";
import type { action, loader } from "./route";

// The report page's own pieces: what each section shows beside the frozen report (questions,
// decisions to take), the form asking for a decision, and the draft's editor.

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
export type Failed = ReturnType<typeof useActionData<typeof action>>;

export function SectionExtras({ section, data, failed }: { section: ReportSection; data: LoaderData; failed: Failed }) {
  const { report, canWrite, mayRespond, questions, openDecisionIds, snapshot } = data;
  const isDraft = report.state === "draft";
  const mine = questions.filter((q) => q.section === section);
  const askErrors = failed?.intent === "ask" && failed.values?.section === section ? failed.errors : {};
  const decidable =
    section === "decisions" && mayRespond && !isDraft ? snapshot.decisions.filter((d) => openDecisionIds.includes(d.id)) : [];
  return (
    <div className="no-print section-extras">
      {decidable.map((d) => (
        <Form method="post" key={d.id} className="stack decide-form">
          <input type="hidden" name="intent" value="decide" />
          <input type="hidden" name="decisionId" value={d.id} />
          <TextAreaField
            label={`Your decision on “${d.question}”`}
            name="decision"
            rows={2}
            maxLength={2000}
            required
            error={failed?.intent === "decide" && failed.values?.decisionId === d.id ? failed.errors.decision : undefined}
          />
          <SubmitButton>Record the decision</SubmitButton>
        </Form>
      ))}
      {section === "decisions" && canWrite && isDraft ? <DecisionRequestForm failed={failed} /> : null}
      {mine.length > 0 ? (
        <ul className="question-list" aria-label={`Questions on ${SECTION_LABELS[section]}`}>
          {mine.map((q) => (
            <li key={q.id} data-question={q.id}>
              <p>
                <strong>{q.askedByLabel}</strong> asked ({q.askedAt}): {q.question}
              </p>
              {q.answer ? (
                <p>
                  {q.unseen ? <span className="badge-new">New answer</span> : null} <strong>{q.answeredByLabel ?? "PLO"}</strong> answered (
                  {q.answeredAt}): {q.answer}
                </p>
              ) : (
                <p className="muted">Not answered yet.</p>
              )}
              {q.unseen ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="mark-read" />
                  <input type="hidden" name="questionId" value={q.id} />
                  <SubmitButton className="button button--secondary">Mark the answer read</SubmitButton>
                </Form>
              ) : null}
              {canWrite ? (
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="answer" />
                  <input type="hidden" name="questionId" value={q.id} />
                  <TextAreaField
                    label={q.answer ? "Change the answer" : "Answer"}
                    name="answer"
                    rows={2}
                    maxLength={4000}
                    required
                    error={failed?.intent === "answer" && failed.values?.questionId === q.id ? failed.errors.answer : undefined}
                  />
                  <SubmitButton>Send the answer</SubmitButton>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {mayRespond && !isDraft ? (
        <details open={Object.keys(askErrors).length > 0}>
          <summary>Ask about “{SECTION_LABELS[section]}”</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="ask" />
            <input type="hidden" name="section" value={section} />
            <TextAreaField label="Your question" name="question" rows={2} maxLength={2000} required error={askErrors.question} />
            <SubmitButton>Ask the Program Lead Office</SubmitButton>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

export function DecisionRequestForm({ failed }: { failed: Failed }) {
  const errors = failed?.intent === "request-decision" ? failed.errors : {};
  const values = failed?.intent === "request-decision" ? failed.values : {};
  return (
    <details open={Object.keys(errors).length > 0}>
      <summary>Request a decision</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="request-decision" />
        <InputField label="Question" name="question" maxLength={500} required defaultValue={values.question} error={errors.question} />
        <TextAreaField label="Options (one per line)" name="options" rows={3} defaultValue={values.options} error={errors.options} />
        <TextAreaField
          label="Recommendation"
          name="recommendation"
          rows={2}
          defaultValue={values.recommendation}
          error={errors.recommendation}
        />
        <InputField label="Due date" name="dueOn" type="date" required defaultValue={values.dueOn} error={errors.dueOn} />
        <TextAreaField label="Impact if late" name="impactIfLate" rows={2} defaultValue={values.impactIfLate} error={errors.impactIfLate} />
        <SubmitButton>Request the decision</SubmitButton>
      </Form>
    </details>
  );
}

export function DraftEditor({
  data,
  errors,
  values,
}: {
  data: LoaderData;
  errors: Record<string, string>;
  values?: Record<string, string>;
}) {
  const { report, risks } = data;
  const v = values ?? {
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    audience: report.audience,
    summary: report.summary,
    achievements: report.achievements,
    nextSteps: report.nextSteps,
  };
  return (
    <section className="card">
      <h2>Write the report</h2>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="save" />
        <div className="grid-2">
          <InputField label="Period from" name="periodStart" type="date" required defaultValue={v.periodStart} error={errors.periodStart} />
          <InputField label="Period to" name="periodEnd" type="date" required defaultValue={v.periodEnd} error={errors.periodEnd} />
        </div>
        <SelectField
          label="Readers"
          name="audience"
          defaultValue={v.audience}
          error={errors.audience}
          options={[
            { value: "sponsors", label: "Sponsors and the PLO" },
            { value: "everyone", label: "Shared with coaches too" },
          ]}
        />
        <TextAreaField label="Summary" name="summary" rows={4} maxLength={4000} defaultValue={v.summary} error={errors.summary} />
        <TextAreaField
          label="Achievements"
          name="achievements"
          rows={3}
          maxLength={4000}
          defaultValue={v.achievements}
          error={errors.achievements}
        />
        <TextAreaField label="Next steps" name="nextSteps" rows={3} maxLength={4000} defaultValue={v.nextSteps} error={errors.nextSteps} />
        <fieldset>
          <legend>Risks and issues from the register</legend>
          {risks.length === 0 ? <p className="muted">The register has no active risk.</p> : null}
          {risks.map((r) => (
            <label key={r.id} className="checkbox">
              <input type="checkbox" name="riskIds" value={r.id} defaultChecked={report.riskIds.includes(r.id)} /> {r.title} (score{" "}
              {r.score})
            </label>
          ))}
          {errors.riskIds ? (
            <p className="field__error" role="alert">
              {errors.riskIds}
            </p>
          ) : null}
        </fieldset>
        <SubmitButton>Save the draft</SubmitButton>
      </Form>
      <div className="inline-form">
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <SubmitButton pendingText="Publishing…">Publish (freezes the figures)</SubmitButton>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="discard" />
          <SubmitButton className="button button--secondary">Discard the draft</SubmitButton>
        </Form>
      </div>
    </section>
  );
}
