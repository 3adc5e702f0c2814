import type { LoaderFunctionArgs } from "@remix-run/node";
import Papa from "papaparse";
import { requirePermission } from "~/utils/auth.server";

// A sample HR export with every column the importer recognizes, to fill in or to compare with.

const SAMPLE: string[][] = [
  ["Employee ID", "Full Name", "Work Email", "Job Title", "Org Path", "Team", "Team Lead Email"],
  [
    "E1001",
    "Ada Lovelace",
    "ada.lovelace@example.com",
    "Head of Fleet",
    "Northwind › Operations › Fleet",
    "Engines",
    "ada.lovelace@example.com",
  ],
  [
    "E1002",
    "Grace Hopper",
    "grace.hopper@example.com",
    "Fleet Planner",
    "Northwind › Operations › Fleet",
    "Engines",
    "ada.lovelace@example.com",
  ],
  [
    "E1003",
    "Alan Turing",
    "alan.turing@example.com",
    "Yard Lead, nights",
    "Northwind › Operations › Yard",
    "Cranes",
    "alan.turing@example.com",
  ],
  ["E1004", "Edsger Dijkstra", "edsger.dijkstra@example.com", "Analyst", "Northwind › Finance", "", ""],
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const csv = `\uFEFF${Papa.unparse(SAMPLE, { newline: "\r\n" })}\r\n`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="rollout-desk-organization-template.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
