import { Link } from "@remix-run/react";
import type { Program } from "../../db/schema";
import { formatDate } from "~/utils/dates";
import { DataTable, type DataColumn } from "./data-table/data-table";
import { STATUS_LABELS } from "./program-form";

type Row = Pick<Program, "id" | "name" | "status" | "starts_on" | "ends_on">;

export function ProgramTable({ programs, canWrite }: { programs: Row[]; canWrite: boolean }) {
  const columns: DataColumn<Row>[] = [
    {
      accessorKey: "name",
      header: "Name",
      cell: (info) => <Link to={`/programs/${info.row.original.id}`}>{info.row.original.name}</Link>,
    },
    { accessorKey: "status", header: "Status", cell: (info) => STATUS_LABELS[info.row.original.status] },
    { accessorKey: "starts_on", header: "Starts", cell: (info) => formatDate(info.row.original.starts_on) ?? "—" },
    { accessorKey: "ends_on", header: "Ends", cell: (info) => formatDate(info.row.original.ends_on) ?? "—" },
  ];
  if (canWrite) {
    columns.push({
      id: "actions",
      header: "",
      enableSorting: false,
      enableGlobalFilter: false,
      cell: (info) => <Link to={`/programs/${info.row.original.id}/settings`}>Settings</Link>,
    });
  }
  return (
    <DataTable
      data={programs}
      columns={columns}
      caption="Programs"
      getRowId={(p) => p.id}
      toCsvRow={(p) => ({ name: p.name, status: p.status, starts_on: p.starts_on ?? "", ends_on: p.ends_on ?? "" })}
    />
  );
}
