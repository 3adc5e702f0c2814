import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { ASSIGN_FORM_ID, BulkAssignForm, InlineAssign, type CoachChoice } from "~/components/coaching/assign-form";
import { AccountBadge, LoadMeter } from "~/components/coaching/load";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { UnitFilter } from "~/components/data-table/list-filters";
import { FormError } from "~/components/ui/field";
import { loadCoverageBoard, type GapTeamRow } from "~/models/coaching/coaches.server";
import { coachLevels } from "~/models/enablement/certification.server";
import { freedCapacity } from "~/models/health/graduation.server";
import { listUnitOptions } from "~/models/org/org.server";
import { getDb } from "~/utils/db.server";
import { cachedRead } from "~/utils/read-cache.server";
import { useDelegatedNavigation } from "~/utils/delegated-navigation";
import { listSearch, parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import { assignTeamsAction } from "~/utils/coaching-http.server";
import { requireProgram } from "~/utils/program-access.server";
import { COACH_LOAD_PAGE_SIZE, GAP_LIST_SPEC, LOAD_FILTERS } from "~/validation/coaching";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/coaching.css" }];

// The coverage board: every active coach's load against capacity, and the teams of the current
// and next wave without a current primary coach, so the PLO can close gaps from one screen
// (inline with JavaScript, or the bulk form without it). Coaches and sponsors read it.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params, "coaching:read");
  const db = getDb();
  const list = parseListParams(new URL(request.url).searchParams, GAP_LIST_SPEC);
  const coachFilter = (LOAD_FILTERS as readonly string[]).includes(list.filters.load ?? "") ? list.filters.load : undefined;
  const coachPage = Math.min(Math.max(Number.parseInt(list.filters.cpage ?? "1", 10) || 1, 1), 10_000);
  const today = dates.today();
  const canManage = can(user.role, "coaching:manage");
  // With each listed coach's current certification level (enablement, issue 15), all read through
  // the cache between two changes (an award is a change of the program's data).
  // With the places self-sufficient teams still hold (graduation, issue 16): capacity to free.
  const [board, units, levels, freed] = await cachedRead(
    `coverage|${dataVersion}|${today}|${JSON.stringify([list, coachFilter, coachPage])}`,
    async () => {
      const [board, units, freed] = await Promise.all([
        loadCoverageBoard(db, program.id, { gaps: list, coachFilter, coachPage }, today),
        listUnitOptions(db),
        freedCapacity(db, program.id, today),
      ]);
      const levels = await coachLevels(
        db,
        program.id,
        board.coaches.rows.map((c) => c.id),
        today,
      );
      return [board, units, levels, freed] as const;
    },
  );
  return {
    program: { id: program.id, name: program.name },
    levels,
    freed: { teams: freed.teams, places: freed.places },
    params: list,
    board: { ...board, coachOptions: canManage ? board.coachOptions : [] },
    coachFilter: coachFilter ?? "",
    units,
    canManage,
  };
}

// The bulk assign form (shared with the assignment list).
export const action = assignTeamsAction;

export default function CoverageBoard() {
  const { program, params, board, coachFilter, units, canManage, levels, freed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const onCoachRowClick = useDelegatedNavigation();
  const base = `/programs/${program.id}`;
  const { summary, coaches, gaps, coverage } = board;
  const coachPages = Math.max(1, Math.ceil(coaches.total / COACH_LOAD_PAGE_SIZE));
  const coachLink = (changes: { load?: string; cpage?: number }) =>
    listSearch(params, {
      page: params.page,
      filters: { load: changes.load ?? coachFilter, cpage: changes.cpage && changes.cpage > 1 ? String(changes.cpage) : "" },
    });
  const bulkErrors = result?.intent === "assign" ? result.errors : {};
  const otherError = result && result.intent !== "assign" ? result.errors._form : undefined;

  // Memoized: TanStack renders each cell function as a component, so a new function on every
  // render would remount the row's inline picker (and its fetcher) each time.
  const coachOptions = board.coachOptions;
  const today = board.today;
  const columns = useMemo(() => gapColumns(base, canManage, coachOptions, today), [base, canManage, coachOptions, today]);

  const filters = (
    <>
      <label className="filter">
        <span className="visually-hidden">Wave</span>
        <select name="wave" defaultValue={params.filters.wave ?? ""}>
          <option value="">Current and next wave</option>
          {board.current ? <option value="current">Current wave: {board.current.name}</option> : null}
          {board.next ? <option value="next">Next wave: {board.next.name}</option> : null}
        </select>
      </label>
      <UnitFilter units={units} value={params.filters.unit} />
      {params.filters.load ? <input type="hidden" name="load" value={params.filters.load} /> : null}
      {params.filters.cpage ? <input type="hidden" name="cpage" value={params.filters.cpage} /> : null}
    </>
  );

  return (
    <>
      <div className="page-header">
        <h1>Coverage board</h1>
        <p className="button-row">
          {canManage ? (
            <>
              <Link to={`${base}/coaches`}>Coaches →</Link>
              <Link to={`${base}/assignments`}>Assign teams →</Link>
            </>
          ) : null}
          <Link to={`${base}/coaching-activity`}>Coaching activity →</Link>
        </p>
      </div>
      <p className="lead">
        Who coaches how many teams against their capacity, and which teams of the current and next wave still have no primary coach (as of{" "}
        {dates.formatDate(board.today)}).
      </p>
      <FormError error={otherError} />

      <section aria-labelledby="wave-coverage">
        <h2 id="wave-coverage">Waves</h2>
        {coverage.length === 0 ? (
          <p className="muted">
            The program has no waves yet. <Link to={`${base}/waves`}>Plan waves</Link> to see their coverage here.
          </p>
        ) : (
          <ul className="coverage-waves">
            {coverage.map((w) => (
              <li key={w.id}>
                <p className="eyebrow">{w.role === "current" ? "Current wave" : "Next wave"}</p>
                <p>
                  <Link to={`${base}/waves/${w.id}`}>{w.name}</Link>{" "}
                  <span className="muted">
                    {dates.formatDate(w.startsOn) ?? "no start date"} – {dates.formatDate(w.endsOn) ?? "open"}
                  </span>
                </p>
                {w.teams === 0 ? (
                  <p className="muted">No teams in this wave yet.</p>
                ) : w.withoutPrimary === 0 ? (
                  <p className="covered">
                    ✓ {w.teams === 1 ? "Its team has a primary coach." : `All ${w.teams} teams have a primary coach.`}
                  </p>
                ) : (
                  <p>
                    <span className="gap-count">{w.withoutPrimary}</span>{" "}
                    <span className="uncovered">⚠ of {w.teams} teams without a primary coach</span>
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="coach-load">
        <h2 id="coach-load">Coaches' load</h2>
        <ul className="figures">
          <li>
            <span className="muted">Active coaches</span>
            <strong>{summary.coaches}</strong>
          </li>
          <li className={summary.overloaded ? "figures--alert" : undefined}>
            <span className="muted">Overloaded</span>
            <strong>{summary.overloaded}</strong>
          </li>
          <li>
            <span className="muted">Full</span>
            <strong>{summary.full}</strong>
          </li>
          <li>
            <span className="muted">Free places</span>
            <strong>{summary.freePlaces}</strong>
          </li>
          <li>
            <span className="muted">Teams coached / capacity</span>
            <strong>
              {summary.load} / {summary.capacity}
            </strong>
          </li>
          <li className={summary.withoutAccount ? "figures--alert" : undefined}>
            <span className="muted">Without coach account</span>
            <strong>{summary.withoutAccount}</strong>
          </li>
          <li>
            <span className="muted">Freed by graduation</span>
            <strong>{freed.places}</strong>
          </li>
          {summary.left ? (
            <li className="figures--alert">
              <span className="muted">Left the organization</span>
              <strong>{summary.left}</strong>
            </li>
          ) : null}
        </ul>
        {summary.left ? (
          <p className="issue issue--warning" role="status">
            {summary.left === 1 ? "One coach has" : `${summary.left} coaches have`} left the organization (archived by an HR import). Their
            teams count as without a coach below until you assign a replacement.
          </p>
        ) : null}
        {freed.places > 0 ? (
          <p>
            {freed.teams} self-sufficient team{freed.teams === 1 ? "" : "s"} still hold{freed.teams === 1 ? "s" : ""} {freed.places} coach
            place{freed.places === 1 ? "" : "s"}: end{" "}
            {canManage ? <Link to={`/programs/${program.id}/graduation#freed-title`}>those assignments</Link> : "those assignments"} to free
            the capacity for the next wave.
          </p>
        ) : null}
        <nav aria-label="Filter coaches by load">
          <ul className="filter-links">
            {[
              ["", "All coaches"],
              ["overloaded", "Overloaded"],
              ["full", "Full"],
              ["free", "With free capacity"],
              ...(summary.left ? [["left", "Left the organization"]] : []),
            ].map(([value, label]) => (
              <li key={value}>
                <Link
                  to={coachLink({ load: value, cpage: 1 })}
                  aria-current={coachFilter === value ? "true" : undefined}
                  preventScrollReset
                >
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {coaches.rows.length === 0 ? (
          <p className="muted">{summary.coaches === 0 ? "No active coaches yet." : "No coach matches this filter."}</p>
        ) : (
          <table className="simple-table coach-loads">
            <caption className="visually-hidden">Coaches by load, most loaded first</caption>
            <thead>
              <tr>
                <th scope="col">Coach</th>
                <th scope="col">Focus</th>
                <th scope="col">Certification</th>
                <th scope="col">Load</th>
              </tr>
            </thead>
            <tbody onClick={onCoachRowClick}>
              {coaches.rows.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={`${base}/coaches/${c.id}`}>{c.name}</a>
                    {c.leftOn ? (
                      <>
                        <br />
                        <span className="pill pill--warning">Left {dates.formatDate(c.leftOn)} — replace</span>
                      </>
                    ) : c.account !== "coach" ? (
                      <>
                        <br />
                        <AccountBadge state={c.account} />
                      </>
                    ) : null}
                  </th>
                  <td>{c.focus || <span className="muted">—</span>}</td>
                  <td>
                    {levels[c.id] ? (
                      `${levels[c.id].levelName}${levels[c.id].expiresOn ? ` (until ${dates.formatDate(levels[c.id].expiresOn)})` : ""}`
                    ) : (
                      <span className="muted">Not certified</span>
                    )}
                  </td>
                  <td>
                    <LoadMeter load={c.load} capacity={c.capacity} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {coachPages > 1 ? (
          <nav className="coaching-pager" aria-label="Pages of coaches">
            <span className="muted">
              Coaches page {coaches.page} of {coachPages}
            </span>
            {coaches.page > 1 ? (
              <Link to={coachLink({ cpage: coaches.page - 1 })} preventScrollReset>
                ← Previous coaches
              </Link>
            ) : null}
            {coaches.page < coachPages ? (
              <Link to={coachLink({ cpage: coaches.page + 1 })} preventScrollReset>
                Next coaches →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      <section aria-labelledby="gaps">
        <h2 id="gaps">Teams without a primary coach</h2>
        <p className="muted">
          {canManage
            ? "Pick a coach for a team in its row, or select teams and assign them together below. Only coaches with free places are offered here; the assignment list offers every coach."
            : "Teams of the current and next wave that nobody coaches as primary today."}
        </p>
        <ServerTable
          caption="Teams without a primary coach"
          rows={gaps.rows}
          total={gaps.total}
          params={params}
          columns={columns}
          getRowId={(row) => row.id}
          filters={filters}
          searchLabel="Search teams, units and leads"
          emptyMessage={coverage.length === 0 ? "No current or next wave." : "Every team of the current and next wave has a primary coach."}
          selection={canManage ? { name: "teamId", formId: ASSIGN_FORM_ID, label: (row) => row.name } : undefined}
          bulkActions={
            canManage
              ? (selected) => (
                  <BulkAssignForm
                    selectedCount={selected}
                    coaches={board.coachOptions}
                    today={board.today}
                    errors={bulkErrors}
                    values={result?.intent === "assign" ? result.values : {}}
                    fixedKind="primary"
                  />
                )
              : undefined
          }
        />
      </section>
    </>
  );
}

function gapColumns(base: string, canManage: boolean, coachOptions: CoachChoice[], today: string): ServerColumn<GapTeamRow>[] {
  const columns: ServerColumn<GapTeamRow>[] = [
    {
      id: "team",
      accessorKey: "name",
      header: "Team",
      cell: (info) => <a href={`${base}/teams/${info.row.original.id}`}>{info.row.original.name}</a>,
    },
    { id: "unit", accessorKey: "unitName", header: "Unit" },
    { id: "wave", accessorKey: "waveName", header: "Wave" },
    {
      id: "lead",
      accessorKey: "leadName",
      header: "Lead",
      enableSorting: false,
      cell: (info) => info.row.original.leadName ?? <span className="muted">No lead</span>,
    },
    {
      id: "secondary",
      accessorKey: "secondaries",
      header: "Secondary coaches",
      enableSorting: false,
      cell: (info) => (info.row.original.secondaries.length ? info.row.original.secondaries.join(", ") : <span className="muted">—</span>),
    },
  ];
  if (canManage) {
    columns.push({
      id: "assign",
      header: "Primary coach",
      enableSorting: false,
      cell: (info) => (
        <>
          <span className="uncovered">None</span>{" "}
          <InlineAssign teamId={info.row.original.id} teamName={info.row.original.name} coaches={coachOptions} today={today} />
        </>
      ),
    });
  }
  return columns;
}

export const meta: MetaFunction = () => [{ title: "Coverage board · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
