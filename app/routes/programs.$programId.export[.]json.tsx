import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportProgram } from "~/models/programs/transfer.server";
import { orErrorResponse } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// The whole program as one JSON document, to import into another installation (ADR 0018).
// The PLO and admins only: it holds session notes and stakeholder attitudes.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "programs:write");
  const doc = await orErrorResponse(() => exportProgram(getDb(), program.id));
  const slug =
    program.name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "program";
  return new Response(JSON.stringify(doc, null, 1), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="program-${slug}-${doc.exportedAt.slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
