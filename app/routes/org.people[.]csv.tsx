import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAllPeople, loadUnitIndex, PEOPLE_CSV_COLUMNS, PEOPLE_LIST_SPEC, personCsvRow } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";

// Every person matching the list's URL filters, with the columns the HR importer reads (Employee
// ID, Name, Email, Title, Unit path, Team, Team lead email), so an export can be imported again.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:read");
  const params = parseListParams(new URL(request.url).searchParams, PEOPLE_LIST_SPEC);
  const db = getDb();
  const index = await loadUnitIndex(db);
  const people = await listAllPeople(db, params, index);
  return csvResponse("people", PEOPLE_CSV_COLUMNS, people.map(personCsvRow));
}
