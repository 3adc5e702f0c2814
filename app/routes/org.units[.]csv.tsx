import type { LoaderFunctionArgs } from "@remix-run/node";
import { listUnitTree, UNIT_CSV_COLUMNS, unitCsvRows } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";

// The unit tree in tree order, with counts; `?archived=1` includes archived units (as the page).

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:read");
  const includeArchived = new URL(request.url).searchParams.get("archived") === "1";
  const tree = await listUnitTree(getDb(), { includeArchived });
  return csvResponse("units", UNIT_CSV_COLUMNS, unitCsvRows(tree));
}
