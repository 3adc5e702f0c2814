import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { SubmitButton } from "~/components/ui/submit-button";
import { createFeedToken, feedTokenState, revokeFeedTokens } from "~/models/cycles/calendar-feed.server";
import { failure, unknownIntent } from "~/utils/action.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

// The user's iCal feed: a secret address a calendar app subscribes to (OKR cycle events of the
// teams and programs they are involved in). Shown once when made; revoke it when it leaked.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cycles:read");
  return { state: await feedTokenState(getDb(), user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "cycles:read");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  switch (intent) {
    case "create": {
      const { secret } = await createFeedToken(db, user);
      const origin = new URL(request.url).origin;
      return { intent, url: `${origin}/calendar/${secret}.ics`, errors: {} as Record<string, string> };
    }
    case "revoke": {
      const revoked = await revokeFeedTokens(db, user);
      if (!revoked) return failure({ _form: "There is no active calendar address to revoke." }, {}, 400, { intent });
      return redirectWithToast(request, "/account/calendar", "Calendar address revoked: calendar apps using it get nothing from now on.");
    }
    default:
      return unknownIntent(intent);
  }
}

export default function AccountCalendar() {
  const { state } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const url = result && "url" in result ? result.url : null;
  const error = result && "errors" in result ? result.errors._form : undefined;
  return (
    <>
      <h1>Calendar feed</h1>
      <p className="lead">
        Subscribe to your OKR events (drafting workshops, alignment, check-ins, reviews, scoring, retrospectives of your teams and programs)
        in Outlook, Google Calendar or Apple Calendar with a secret address.
      </p>
      {url ? (
        <section className="card" aria-labelledby="new-address">
          <h2 id="new-address">Your new calendar address</h2>
          <p>Copy it now: it is shown only once. Anyone with it can read your OKR calendar.</p>
          <p>
            <input type="text" readOnly value={url} aria-label="Calendar address" size={80} data-testid="feed-url" />
          </p>
        </section>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}
      <section className="card">
        {state.active ? (
          <p>An address is active since {formatDateTime(state.active.createdAt)}.</p>
        ) : (
          <p className="muted">You have no active calendar address.</p>
        )}
        <Form method="post" className="inline-form">
          <SubmitButton name="intent" value="create">
            {state.active ? "Make a new address (the old one stops working)" : "Make a calendar address"}
          </SubmitButton>
          {state.active ? (
            <SubmitButton name="intent" value="revoke" className="button button--secondary">
              Revoke the address
            </SubmitButton>
          ) : null}
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Calendar feed · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
