import { Link } from "@remix-run/react";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import type { MilestoneRow } from "~/models/plan/milestones.server";
import { formatDate } from "~/utils/dates";
import { MILESTONE_STATE_LABELS, type MilestoneState } from "~/validation/plan-details";

/** The same columns in the page's CSV export and the server's CSV route. */
export const MILESTONE_CSV_COLUMNS = ["title", "due_on", "status", "done_on", "owner", "owner_email", "wave", "notes"] as const;

export function milestoneCsvRecord(m: MilestoneRow): Record<(typeof MILESTONE_CSV_COLUMNS)[number], string> {
  return {
    title: m.title,
    due_on: m.dueOn,
    status: MILESTONE_STATE_LABELS[m.state],
    done_on: m.doneOn ?? "",
    owner: m.ownerName ?? "",
    owner_email: m.ownerEmail ?? "",
    wave: m.waveName ?? "",
    notes: m.notes,
  };
}

/** A status as words (and a symbol), never colour alone. */
export function MilestoneStatePill({ state }: { state: MilestoneState }) {
  const symbol = { planned: "◇", in_progress: "◆", done: "✓", late: "!" }[state];
  return (
    <span className={`pill plan-state plan-state--${state}`}>
      <span aria-hidden="true">{symbol} </span>
      {MILESTONE_STATE_LABELS[state]}
    </span>
  );
}

export function MilestoneTable({
  programId,
  milestones,
  caption,
  csvHref,
}: {
  programId: string;
  milestones: MilestoneRow[];
  caption: string;
  /** The server export of the rows matching the page's filters. */
  csvHref: string;
}) {
  const columns: DataColumn<MilestoneRow>[] = [
    {
      accessorKey: "title",
      header: "Milestone",
      cell: (info) => <Link to={`/programs/${programId}/milestones/${info.row.original.id}`}>{info.row.original.title}</Link>,
    },
    { accessorKey: "dueOn", header: "Due", cell: (info) => formatDate(info.row.original.dueOn) },
    {
      id: "state",
      accessorFn: (m) => MILESTONE_STATE_LABELS[m.state],
      header: "Status",
      cell: (info) => <MilestoneStatePill state={info.row.original.state} />,
    },
    { id: "owner", accessorFn: (m) => m.ownerName ?? "", header: "Owner", cell: (info) => info.row.original.ownerName ?? "—" },
    { id: "wave", accessorFn: (m) => m.waveName ?? "", header: "Wave", cell: (info) => info.row.original.waveName ?? "—" },
    { id: "doneOn", accessorFn: (m) => m.doneOn ?? "", header: "Done on", cell: (info) => formatDate(info.row.original.doneOn) ?? "—" },
  ];
  return (
    <DataTable
      data={milestones}
      columns={columns}
      caption={caption}
      getRowId={(m) => m.id}
      csvHref={csvHref}
      emptyMessage="No milestones match."
    />
  );
}
