import type { LoaderFunctionArgs } from "@remix-run/node";
import { matrixCsvTable } from "~/models/raci/csv";
import { contentOf, getMatrix } from "~/models/raci/matrix.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// The matrix as the RACI importer reads it back (hostile names included: formula-like cells are
// neutralised on the way out and read back on the way in).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "raci:read");
  const matrix = await getMatrix(getDb(), program.id);
  if (!matrix) throw new Response("This program has no RACI matrix yet.", { status: 404 });
  const { columns, rows } = matrixCsvTable(contentOf(matrix));
  return csvResponse(`raci-${program.name}`, columns, rows);
}
