import { Form, useActionData } from "@remix-run/react";
import { KeyResultFields, ObjectiveFields } from "~/components/cycles/okr-fields";
import { FormError, TextAreaField } from "~/components/ui/field";
import { Openable } from "~/components/ui/openable";
import { SubmitButton } from "~/components/ui/submit-button";
import type { CommentView, KeyResultView, ObjectiveView } from "~/models/cycles/okrs.server";
import { mayEditObjective, OBJECTIVE_TRANSITIONS, type TeamRights } from "~/models/cycles/rules";
import type { ActionFailure } from "~/utils/action.server";
import { formatDateTime } from "~/utils/dates";
import { KEY_RESULT_KIND_LABELS, OBJECTIVE_STATE_LABELS, OBJECTIVE_TYPE_LABELS } from "~/validation/cycles";

// One objective of an OKR set with its key results, comments and the forms the viewer may use
// (edit, state, key results, comment, resolve, delete). The page's action answers every form;
// a failure comes back with its intent and the id of the thing, so it opens beside its form.
// The longer forms (edit, add a key result, comment, delete) are drawn only when asked for: a link
// opens one by its address (`?form=edit-kr:<id>`), so a set of eight objectives is not sent as
// forty hidden forms, and it works the same without JavaScript.

type Failure = ActionFailure | undefined;
type Rights = TeamRights;

/** The failure of the form for `intent` on the thing `id` (or on no thing), else null. */
export function failureOf(failed: Failure, intent: string, id?: string): ActionFailure | null {
  if (!failed || failed.intent !== intent) return null;
  if (id !== undefined && (failed.values.id ?? failed.values.objectiveId ?? failed.values.keyResultId) !== id) return null;
  return failed;
}

function ConflictNote({ failed }: { failed: ActionFailure | null }) {
  const current = failed?.current as Record<string, unknown> | null | undefined;
  if (!current) return null;
  return (
    <div className="issue issue--warning" role="status">
      <strong>Saved meanwhile by someone else:</strong>{" "}
      {["title", "startValue", "targetValue", "unit", "ownerEmail", "state"]
        .filter((k) => current[k] !== undefined && current[k] !== null && current[k] !== "")
        .map((k) => `${k}: ${String(current[k])}`)
        .join(" · ")}
    </div>
  );
}

function Comments({
  comments,
  rights,
  target,
  subject,
}: {
  comments: CommentView[];
  rights: Rights;
  target: { objectiveId?: string; keyResultId?: string };
  /** The title of what is commented on (names the link for screen readers). */
  subject: string;
}) {
  const failed = useActionData<ActionFailure>();
  const id = target.objectiveId ?? target.keyResultId ?? "";
  const mine = failureOf(failed, "comment", id);
  return (
    <div className="comments">
      {comments.length > 0 ? (
        <ul className="comment-list">
          {comments.map((c) => (
            <li key={c.id} className={c.resolvedAt ? "comment comment--resolved" : "comment"}>
              <p>
                <strong>{c.authorLabel}</strong> <span className="muted">{formatDateTime(c.createdAt)}</span>
              </p>
              <p className="comment__body">{c.body}</p>
              {c.resolvedAt ? (
                <p className="muted">
                  Resolved by {c.resolvedByLabel} on {formatDateTime(c.resolvedAt)}
                </p>
              ) : rights.resolve ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="resolve" />
                  <input type="hidden" name="id" value={c.id} />
                  <SubmitButton
                    className="button button--secondary button--small"
                    aria-label={`Resolve the comment “${c.body.slice(0, 40)}”`}
                  >
                    Resolve
                  </SubmitButton>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {rights.comment ? (
        <Openable formKey={`comment:${id}`} label="Comment" accessibleLabel={`Comment on “${subject}”`} open={Boolean(mine)}>
          <Form method="post">
            <input type="hidden" name="intent" value="comment" />
            {target.objectiveId ? <input type="hidden" name="objectiveId" value={target.objectiveId} /> : null}
            {target.keyResultId ? <input type="hidden" name="keyResultId" value={target.keyResultId} /> : null}
            <FormError error={mine?.errors._form} />
            <TextAreaField
              label="Comment"
              name="body"
              rows={2}
              required
              maxLength={2000}
              defaultValue={mine?.values.body ?? ""}
              error={mine?.errors.body}
            />
            <SubmitButton className="button button--secondary">Add comment</SubmitButton>
          </Form>
        </Openable>
      ) : null}
    </div>
  );
}

function krValues(kr: KeyResultView): Record<string, string> {
  const n = (v: number | null) => (v === null ? "" : String(v));
  return {
    title: kr.title,
    kind: kr.kind,
    startValue: n(kr.startValue),
    targetValue: n(kr.targetValue),
    unit: kr.unit,
    direction: kr.direction,
    weight: String(kr.weight),
    ownerEmail: kr.ownerEmail ?? "",
  };
}

function describeKr(kr: KeyResultView): string {
  if (kr.kind === "milestone") return kr.milestoneDone ? "Milestone: done" : "Milestone";
  const unit = kr.unit ? ` ${kr.unit}` : "";
  const fmt = (v: number | null) => (v === null ? "?" : v.toLocaleString("en"));
  return `${fmt(kr.startValue)} → ${fmt(kr.targetValue)}${unit} (now ${fmt(kr.currentValue)}${unit})`;
}

function KeyResultItem({ kr, editable, rights }: { kr: KeyResultView & { comments: CommentView[] }; editable: boolean; rights: Rights }) {
  const failed = useActionData<ActionFailure>();
  const saveFailed = failureOf(failed, "save-kr", kr.id);
  const current = saveFailed?.current as { version?: number } | null | undefined;
  return (
    <li className="key-result" id={`key-result-${kr.id}`}>
      <div className="key-result__head">
        <strong>{kr.title}</strong>{" "}
        <span className="muted">
          {KEY_RESULT_KIND_LABELS[kr.kind]} · {describeKr(kr)} · owner {kr.ownerName ?? <em>nobody yet</em>}
          {kr.weight !== 1 ? ` · weight ${kr.weight}` : ""}
        </span>
      </div>
      {editable ? (
        <Openable
          formKey={`edit-kr:${kr.id}`}
          label="Edit key result"
          accessibleLabel={`Edit key result “${kr.title}”`}
          open={Boolean(saveFailed)}
        >
          <Form method="post">
            <input type="hidden" name="intent" value="save-kr" />
            <input type="hidden" name="id" value={kr.id} />
            <input type="hidden" name="version" value={current?.version ?? kr.version} />
            <ConflictNote failed={saveFailed} />
            <FormError error={saveFailed?.errors._form} />
            <KeyResultFields values={saveFailed?.values ?? krValues(kr)} errors={saveFailed?.errors ?? {}} peopleListId="team-people" />
            <SubmitButton>Save key result</SubmitButton>
          </Form>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="delete-kr" />
            <input type="hidden" name="id" value={kr.id} />
            <SubmitButton className="button button--secondary button--small">Delete key result</SubmitButton>
          </Form>
        </Openable>
      ) : null}
      <Comments comments={kr.comments} rights={rights} target={{ keyResultId: kr.id }} subject={kr.title} />
    </li>
  );
}

export function ObjectiveCard({
  objective: o,
  rights,
  parents,
}: {
  objective: Omit<ObjectiveView, "keyResults"> & { keyResults: Array<KeyResultView & { comments: CommentView[] }> };
  rights: Rights;
  parents: Array<{ id: string; title: string; level: string }> | null;
}) {
  const failed = useActionData<ActionFailure>();
  const editable = mayEditObjective(rights, o.state);
  const saveFailed = failureOf(failed, "save-objective", o.id);
  const stateFailed = failureOf(failed, "objective-state", o.id);
  const krFailed = failureOf(failed, "add-kr", o.id);
  const deleteFailed = failureOf(failed, "delete-objective", o.id);
  const current = (saveFailed?.current ?? stateFailed?.current) as { version?: number } | null | undefined;
  const version = current?.version ?? o.version;
  return (
    <article className="card objective" aria-labelledby={`objective-${o.id}`} data-state={o.state}>
      <header className="objective__head">
        <h3 id={`objective-${o.id}`}>{o.title}</h3>
        <span className={`pill objective-state objective-state--${o.state}`}>{OBJECTIVE_STATE_LABELS[o.state]}</span>
        <span className="muted"> {OBJECTIVE_TYPE_LABELS[o.type]}</span>
      </header>
      {o.description ? <p>{o.description}</p> : null}
      <p className="muted">
        Owner: {o.ownerName ?? "nobody yet"} ·{" "}
        {o.parents.length > 0
          ? `Aligned to ${o.parents.map((p) => p.title).join("; ")}`
          : o.standaloneReason
            ? `Stands alone: ${o.standaloneReason}`
            : "Not aligned yet"}
        {o.carriedFromId ? " · carried forward from the previous cycle" : ""}
      </p>
      <h4>Key results</h4>
      {o.keyResults.length === 0 ? <p className="muted">No key result yet.</p> : null}
      <ul className="key-results">
        {o.keyResults.map((kr) => (
          <KeyResultItem key={kr.id} kr={kr} editable={editable} rights={rights} />
        ))}
      </ul>
      {editable ? (
        <Openable
          formKey={`add-kr:${o.id}`}
          label="Add a key result"
          accessibleLabel={`Add a key result to “${o.title}”`}
          open={Boolean(krFailed)}
        >
          <Form method="post">
            <input type="hidden" name="intent" value="add-kr" />
            <input type="hidden" name="objectiveId" value={o.id} />
            <FormError error={krFailed?.errors._form} />
            <KeyResultFields values={krFailed?.values ?? {}} errors={krFailed?.errors ?? {}} peopleListId="team-people" />
            <SubmitButton>Add key result</SubmitButton>
          </Form>
        </Openable>
      ) : null}
      {editable ? (
        <Openable
          formKey={`edit-objective:${o.id}`}
          label="Edit objective"
          accessibleLabel={`Edit objective “${o.title}”`}
          open={Boolean(saveFailed)}
        >
          <Form method="post">
            <input type="hidden" name="intent" value="save-objective" />
            <input type="hidden" name="id" value={o.id} />
            <input type="hidden" name="version" value={version} />
            <ConflictNote failed={saveFailed} />
            <FormError error={saveFailed?.errors._form} />
            <ObjectiveFields
              idPrefix={o.id}
              values={
                saveFailed?.values ?? {
                  title: o.title,
                  description: o.description,
                  type: o.type,
                  ownerEmail: o.ownerEmail ?? "",
                  standaloneReason: o.standaloneReason ?? "",
                }
              }
              errors={saveFailed?.errors ?? {}}
              parents={parents}
              selectedParents={o.parents.map((p) => p.id)}
              peopleListId="team-people"
            />
            <SubmitButton>Save objective</SubmitButton>
          </Form>
        </Openable>
      ) : null}
      {rights.editSet ? (
        <Form method="post" className="inline-form objective__states" aria-label={`State of ${o.title}`}>
          <input type="hidden" name="intent" value="objective-state" />
          <input type="hidden" name="id" value={o.id} />
          <input type="hidden" name="version" value={version} />
          <ConflictNote failed={stateFailed} />
          <FormError error={stateFailed?.errors._form ?? stateFailed?.errors.state} />
          {OBJECTIVE_TRANSITIONS[o.state].map((s) => (
            <SubmitButton key={s} name="state" value={s} className="button button--secondary button--small">
              {s === "draft"
                ? "Back to draft"
                : s === "in_review"
                  ? "Submit for review"
                  : `Mark ${OBJECTIVE_STATE_LABELS[s].toLowerCase()}`}
            </SubmitButton>
          ))}
        </Form>
      ) : null}
      <Comments
        comments={o.comments.filter((c) => c.objectiveId === o.id)}
        rights={rights}
        target={{ objectiveId: o.id }}
        subject={o.title}
      />
      {rights.editSet ? (
        <Openable
          formKey={`delete-objective:${o.id}`}
          label="Delete objective"
          accessibleLabel={`Delete objective “${o.title}”`}
          open={Boolean(deleteFailed)}
        >
          <Form method="post">
            <input type="hidden" name="intent" value="delete-objective" />
            <input type="hidden" name="id" value={o.id} />
            <FormError error={deleteFailed?.errors._form} />
            <div className="field field--checkbox">
              <input type="checkbox" id={`confirm-${o.id}`} name="confirm" />
              <label htmlFor={`confirm-${o.id}`}>Yes, delete “{o.title}” and its key results</label>
            </div>
            {deleteFailed?.errors.confirm ? (
              <p className="field__error" role="alert">
                {deleteFailed.errors.confirm}
              </p>
            ) : null}
            <SubmitButton className="button button--danger">Delete objective</SubmitButton>
          </Form>
        </Openable>
      ) : null}
    </article>
  );
}
