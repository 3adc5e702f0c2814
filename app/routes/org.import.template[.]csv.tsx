import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";

// A sample HR export with every column the importer recognizes, to fill in or to compare with.

const COLUMNS = ["Employee No", "Full Name", "Work Email", "Job Title", "Org Path", "Team ID", "Team", "Team Lead Email"] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

const row = (...cells: string[]): Row => Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i] ?? ""])) as Row;

const SAMPLE: Row[] = [
  row(
    "E1001",
    "Ada Lovelace",
    "ada.lovelace@example.com",
    "Head of Fleet",
    "Northwind › Operations › Fleet",
    "T-10",
    "Engines",
    "ada.lovelace@example.com",
  ),
  row(
    "E1002",
    "Grace Hopper",
    "grace.hopper@example.com",
    "Fleet Planner",
    "Northwind › Operations › Fleet",
    "T-10",
    "Engines",
    "ada.lovelace@example.com",
  ),
  row(
    "E1003",
    "Alan Turing",
    "alan.turing@example.com",
    "Yard Lead, nights",
    "Northwind › Operations › Yard",
    "T-11",
    "Cranes",
    "alan.turing@example.com",
  ),
  row("E1004", "Edsger Dijkstra", "edsger.dijkstra@example.com", "Analyst", "Northwind › Finance"),
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  return csvResponse("rollout-desk-organization-template", COLUMNS, SAMPLE);
}
