import { Link } from "@remix-run/react";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import type { RiskRow } from "~/models/plan/risks.server";
import { RISK_STATUS_LABELS } from "~/validation/plan-details";
import { scoreBand } from "./risk-heat-map";

/** The same columns in the page's CSV export and the server's CSV route. */
export const RISK_CSV_COLUMNS = [
  "title",
  "score",
  "likelihood",
  "impact",
  "status",
  "owner",
  "owner_email",
  "wave",
  "unit",
  "description",
  "mitigation",
] as const;

export function riskCsvRecord(r: RiskRow): Record<(typeof RISK_CSV_COLUMNS)[number], string | number> {
  return {
    title: r.title,
    score: r.score,
    likelihood: r.likelihood,
    impact: r.impact,
    status: RISK_STATUS_LABELS[r.status],
    owner: r.ownerName ?? "",
    owner_email: r.ownerEmail ?? "",
    wave: r.waveName ?? "",
    unit: r.unitName ?? "",
    description: r.description,
    mitigation: r.mitigation,
  };
}

export function RiskScore({ score }: { score: number }) {
  const band = scoreBand(score);
  return (
    <span className={`pill risk-score risk-score--${band}`}>
      {score} <span className="plan-sub-inline">{band}</span>
    </span>
  );
}

export function RiskTable({
  programId,
  risks,
  caption,
  csvHref,
}: {
  programId: string;
  risks: RiskRow[];
  caption: string;
  /** The server export of the rows matching the page's filters. */
  csvHref: string;
}) {
  const columns: DataColumn<RiskRow>[] = [
    {
      accessorKey: "title",
      header: "Risk",
      cell: (info) => <Link to={`/programs/${programId}/risks/${info.row.original.id}`}>{info.row.original.title}</Link>,
    },
    { accessorKey: "score", header: "Score", sortFn: "basic", cell: (info) => <RiskScore score={info.row.original.score} /> },
    { accessorKey: "likelihood", header: "Likelihood", sortFn: "basic" },
    { accessorKey: "impact", header: "Impact", sortFn: "basic" },
    { id: "status", accessorFn: (r) => RISK_STATUS_LABELS[r.status], header: "Status" },
    { id: "owner", accessorFn: (r) => r.ownerName ?? "", header: "Owner", cell: (info) => info.row.original.ownerName ?? "—" },
    {
      id: "scope",
      accessorFn: (r) => [r.waveName, r.unitName].filter(Boolean).join(", "),
      header: "Wave / unit",
      cell: (info) => [info.row.original.waveName, info.row.original.unitName].filter(Boolean).join(", ") || "—",
    },
    { accessorKey: "mitigation", header: "Mitigation", cell: (info) => info.row.original.mitigation || "—" },
  ];
  return (
    <DataTable data={risks} columns={columns} caption={caption} getRowId={(r) => r.id} csvHref={csvHref} emptyMessage="No risks match." />
  );
}
