import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { feedbackSummary, type FeedbackSummaryRow } from "~/models/enablement/feedback.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// Feedback after training sessions, summarised per module and per trainer (anonymous answers
// count the same and name nobody).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  return { program: { id: program.id, name: program.name }, summary: await feedbackSummary(getDb(), program.id) };
}

function Summary({ title, rows }: { title: string; rows: FeedbackSummaryRow[] }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">No feedback yet.</p>
      ) : (
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">{title.replace("Per ", "")}</th>
              <th scope="col">Average</th>
              <th scope="col">Answers</th>
              <th scope="col">Latest comments</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td>{r.average.toFixed(1)} of 5</td>
                <td>{r.answers}</td>
                <td>{r.comments.join(" · ") || "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default function Feedback() {
  const { program, summary } = useLoaderData<typeof loader>();
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Training feedback</h1>
      <Summary title="Per module" rows={summary.modules} />
      <Summary title="Per trainer" rows={summary.trainers} />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Training feedback · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
