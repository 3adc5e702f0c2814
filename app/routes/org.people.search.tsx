import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchPeople } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";

// GET /org/people/search?q=ana → { people: [{ id, name, email, unit }] }: up to 20 active people
// whose name or email contains the text, for the PersonPicker's suggestions.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:read");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const people = await searchPeople(getDb(), q, 20);
  return new Response(JSON.stringify({ people }), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
