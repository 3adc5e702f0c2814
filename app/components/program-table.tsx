import { Link } from "@remix-run/react";
import { PROGRAM_STATUSES } from "../../db/schema";
import type { ProgramListRow } from "~/models/programs/programs.server";
import { formatDate } from "~/utils/dates";
import type { ListParams } from "~/utils/list-params";
import { ChoiceFilter } from "./data-table/list-filters";
import { ServerTable, type ServerColumn } from "./data-table/server-table";
import { STATUS_LABELS } from "./program-form";

type Row = ProgramListRow;

const STATUS_OPTIONS = PROGRAM_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

const baseColumns: ServerColumn<Row>[] = [
  {
    id: "name",
    accessorKey: "name",
    header: "Name",
    cell: (info) => <Link to={`/programs/${info.row.original.id}`}>{info.row.original.name}</Link>,
  },
  { id: "status", accessorFn: (p) => STATUS_LABELS[p.status], header: "Status" },
  { id: "starts", accessorFn: (p) => formatDate(p.starts_on) ?? "—", header: "Starts" },
  { id: "ends", accessorFn: (p) => formatDate(p.ends_on) ?? "—", header: "Ends" },
];

const settingsColumn: ServerColumn<Row> = {
  id: "actions",
  header: "",
  enableSorting: false,
  cell: (info) => <Link to={`/programs/${info.row.original.id}/settings`}>Settings</Link>,
};

/** The programs list, one server page at a time (search by name, filter by status). */
export function ProgramTable({ rows, total, params, canWrite }: { rows: Row[]; total: number; params: ListParams; canWrite: boolean }) {
  return (
    <ServerTable
      caption="Programs"
      rows={rows}
      total={total}
      params={params}
      columns={canWrite ? [...baseColumns, settingsColumn] : baseColumns}
      getRowId={(p) => p.id}
      searchLabel="Search programs by name"
      filters={<ChoiceFilter name="status" label="Status" allLabel="Every status" options={STATUS_OPTIONS} value={params.filters.status} />}
      emptyMessage="No programs yet."
    />
  );
}
