import type { LoaderFunctionArgs } from "@remix-run/node";
import { matrixToCsv } from "~/models/raci/csv";
import { contentOf, getMatrix } from "~/models/raci/matrix.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "raci:read");
  const matrix = await getMatrix(getDb(), program.id);
  if (!matrix) throw new Response("This program has no RACI matrix yet.", { status: 404 });
  const name =
    program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "program";
  return new Response(`\uFEFF${matrixToCsv(contentOf(matrix))}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="raci-${name}.csv"`,
    },
  });
}
