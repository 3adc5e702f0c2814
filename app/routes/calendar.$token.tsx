import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderFeed, userForFeedSecret } from "~/models/cycles/calendar-feed.server";
// Registers enablement's training sessions as a source of the feed (ADR 0016).
import "~/models/enablement/calendar.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";

// The iCal feed (RFC 5545) at /calendar/<secret>.ics: no session, the secret is the key. An
// unknown or revoked secret is a 404 (never a hint whether it existed).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const secret = (params.token ?? "").replace(/\.ics$/, "");
  const db = getDb();
  const user = await userForFeedSecret(db, secret);
  if (!user) throw new Response("No calendar at this address.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const body = await renderFeed(db, user, today(), new URL(request.url).origin);
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="rollout-desk.ics"',
      "Cache-Control": "private, max-age=300",
      "Referrer-Policy": "no-referrer",
    },
  });
}
