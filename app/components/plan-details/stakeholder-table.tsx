import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import type { StakeholderRow } from "~/models/plan/stakeholders.server";
import { formatDate } from "~/utils/dates";
import { useDelegatedSubmit } from "~/utils/delegated-navigation";
import { ATTITUDE_LABELS, LEVEL_LABELS, QUADRANT_LABELS, QUADRANTS } from "~/validation/plan-details";

/** The same columns in the page's CSV export and the server's CSV route. */
export const STAKEHOLDER_CSV_COLUMNS = [
  "name",
  "email",
  "title",
  "unit",
  "influence",
  "interest",
  "quadrant",
  "attitude",
  "communication_plan",
  "contact_every_days",
  "last_contact_on",
  "next_contact_on",
  "contact_overdue",
] as const;

export function stakeholderCsvRecord(s: StakeholderRow): Record<(typeof STAKEHOLDER_CSV_COLUMNS)[number], string | number> {
  return {
    name: s.name,
    email: s.email,
    title: s.title,
    unit: s.unitName ?? "",
    influence: LEVEL_LABELS[s.influence],
    interest: LEVEL_LABELS[s.interest],
    quadrant: QUADRANT_LABELS[s.quadrant],
    // Hidden attitudes (anyone but the PLO) are left empty; their export leaves the column out.
    attitude: s.attitude ? ATTITUDE_LABELS[s.attitude] : "",
    communication_plan: s.communicationPlan,
    contact_every_days: s.contactEveryDays,
    last_contact_on: s.lastContactOn ?? "",
    next_contact_on: s.nextContactOn ?? "",
    contact_overdue: s.overdue ? "yes" : "no",
  };
}

export function ContactState({ stakeholder }: { stakeholder: Pick<StakeholderRow, "overdue" | "lastContactOn" | "nextContactOn"> }) {
  if (stakeholder.overdue) {
    return (
      <span className="pill plan-state plan-state--late">
        <span aria-hidden="true">! </span>
        {stakeholder.lastContactOn ? "Contact overdue" : "Never contacted"}
      </span>
    );
  }
  return <span>Next by {formatDate(stakeholder.nextContactOn)}</span>;
}

/**
 * "Contacted today" as a one-click form; comes back to the list. A plain form (one a row): the
 * table submits it through the router (`useDelegatedSubmit`).
 */
export function ContactedTodayButton({ programId, stakeholderId, name }: { programId: string; stakeholderId: string; name: string }) {
  return (
    <form method="post" action={`/programs/${programId}/stakeholders/${stakeholderId}`} className="inline-form">
      <input type="hidden" name="returnTo" value="list" />
      <button
        type="submit"
        name="intent"
        value="contacted"
        className="button button--secondary button--small"
        aria-label={`Contacted ${name} today`}
      >
        Contacted today
      </button>
    </form>
  );
}

export function StakeholderTable({
  programId,
  stakeholders,
  caption,
  canWrite,
  csvHref,
}: {
  programId: string;
  stakeholders: StakeholderRow[];
  caption: string;
  canWrite: boolean;
  /** The server export of the rows matching the page's filters. */
  csvHref: string;
}) {
  const onSubmit = useDelegatedSubmit();
  const order = new Map(QUADRANTS.map((q, i) => [q.id, i]));
  const columns: DataColumn<StakeholderRow>[] = [
    {
      accessorKey: "name",
      header: "Person",
      cell: (info) => (
        <>
          <a href={`/programs/${programId}/stakeholders/${info.row.original.id}`}>{info.row.original.name}</a>
          {info.row.original.title ? <span className="plan-sub">{info.row.original.title}</span> : null}
        </>
      ),
    },
    { id: "unit", accessorFn: (s) => s.unitName ?? "", header: "Unit", cell: (info) => info.row.original.unitName ?? "—" },
    {
      id: "quadrant",
      accessorFn: (s) => QUADRANT_LABELS[s.quadrant],
      header: "Grid",
      sortFn: (a, b) => (order.get(a.original.quadrant) ?? 0) - (order.get(b.original.quadrant) ?? 0),
      cell: (info) => (
        <>
          {QUADRANT_LABELS[info.row.original.quadrant]}
          <span className="plan-sub">
            Influence {info.row.original.influence}, interest {info.row.original.interest}
          </span>
        </>
      ),
    },
    // Attitudes reach only the PLO (rows for anyone else carry none).
    ...(stakeholders.some((s) => s.attitude !== null)
      ? [{ id: "attitude", accessorFn: (s: StakeholderRow) => (s.attitude ? ATTITUDE_LABELS[s.attitude] : ""), header: "Attitude" }]
      : []),
    {
      id: "lastContactOn",
      accessorFn: (s) => s.lastContactOn ?? "",
      header: "Last contact",
      cell: (info) => formatDate(info.row.original.lastContactOn) ?? "Never",
    },
    {
      id: "contact",
      accessorFn: (s) => (s.overdue ? "Contact overdue" : `every ${s.contactEveryDays} days`),
      header: "Contact",
      cell: (info) => (
        <>
          <ContactState stakeholder={info.row.original} />
          <span className="plan-sub">Every {info.row.original.contactEveryDays} days</span>
        </>
      ),
    },
  ];
  if (canWrite) {
    columns.push({
      id: "actions",
      header: "",
      enableSorting: false,
      enableGlobalFilter: false,
      cell: (info) => <ContactedTodayButton programId={programId} stakeholderId={info.row.original.id} name={info.row.original.name} />,
    });
  }
  return (
    // The rows' "Contacted today" forms are submitted from here (a submit event bubbles).
    <div onSubmit={onSubmit}>
      <DataTable
        data={stakeholders}
        columns={columns}
        caption={caption}
        getRowId={(s) => s.id}
        csvHref={csvHref}
        emptyMessage="No stakeholders match."
      />
    </div>
  );
}
