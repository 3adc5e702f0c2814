import type { LoaderFunctionArgs } from "@remix-run/node";
import { cycleDocument } from "~/models/cycles/okr-export.server";
import { orErrorResponse } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// A whole cycle as JSON (PLO): events, objectives with alignments, key results with check-ins, retrospectives.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "programs:write");
  const doc = await orErrorResponse(() => cycleDocument(getDb(), program.id, params.cycleId ?? ""));
  const name =
    doc.cycle.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "cycle";
  return new Response(JSON.stringify(doc, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="cycle-${name}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
