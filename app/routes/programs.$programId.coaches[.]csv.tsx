import type { LoaderFunctionArgs } from "@remix-run/node";
import { allCoaches, coachesCsv } from "~/models/coaching/coaches.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { requireProgram } from "~/utils/program-access.server";
import { COACH_LIST_SPEC } from "~/validation/coaching";

// Every coach matching the coach list's URL filters (all pages), in the list's order.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "coaching:read");
  const list = parseListParams(new URL(request.url).searchParams, COACH_LIST_SPEC);
  const rows = await allCoaches(getDb(), program.id, list);
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${coachesCsv(rows)}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="coaches-${name}.csv"`,
    },
  });
}
