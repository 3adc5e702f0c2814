import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EnablementNav, percent, StateBadge } from "~/components/enablement/enablement-bits";
import { heatMap, type HeatCell } from "~/models/enablement/coverage.server";
import { listStates } from "~/models/enablement/resolve.server";
import { getDb } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { cachedRead } from "~/utils/read-cache.server";
import { requireProgram } from "~/utils/program-access.server";
import { formatDate, today } from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// The coverage heat map: (wave or unit) × required module, the share met on time, overdue and
// due for a refresh within 30 days. Aggregates for everyone allowed (sponsors too); the names
// behind a cell (?module=…&group=…) only for the PLO.

const id = (value: string | null) => (value ?? "").slice(0, 64) || null;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params, "enablement:aggregates");
  const search = new URL(request.url).searchParams;
  const by = search.get("by") === "unit" ? "unit" : "wave";
  const under = id(search.get("under"));
  const moduleId = id(search.get("module"));
  const group = id(search.get("group"));
  const manage = can(user.role, "enablement:manage");
  if ((moduleId || group) && !manage) throw new Response("Only the Program Lead Office sees names behind the figures.", { status: 403 });
  const day = today();
  const db = getDb();
  // Every person's state is computed by query (ADR 0014): the map is read through the cache
  // between two changes of the program's or the organization's data (ADR 0011).
  const map = await cachedRead(`enablement-heat|${dataVersion}|${day}|${by}|${by === "unit" ? (under ?? "") : ""}`, () =>
    heatMap(db, program.id, day, by, by === "unit" ? under : null),
  );
  const names =
    manage && moduleId && group
      ? await listStates(db, program.id, day, {
          moduleIds: [moduleId],
          necessity: "required",
          ...(by === "wave" ? { waveId: group } : { unitId: group }),
          limit: 1000,
        })
      : null;
  return { program: { id: program.id, name: program.name }, manage, map, names };
}

function cellClass(cell: HeatCell | undefined) {
  if (!cell || cell.total === 0) return "heat heat--none";
  const done = (cell.met + cell.waived) / cell.total;
  if (cell.overdue === 0 && done >= 0.9) return "heat heat--good";
  return cell.overdue / cell.total > 0.2 ? "heat heat--poor" : "heat heat--fair";
}

export default function EnablementCoverage() {
  const { program, manage, map, names } = useLoaderData<typeof loader>();
  const base = `/programs/${program.id}/enablement`;
  return (
    <>
      <EnablementNav programId={program.id} manage={manage} />
      <div className="page-header">
        <h1>Enablement coverage</h1>
      </div>
      <Form method="get" className="filter-bar" aria-label="Group the coverage">
        <label>
          Rows{" "}
          <select name="by" defaultValue={map.by}>
            <option value="wave">Waves</option>
            <option value="unit">Units</option>
          </select>
        </label>
        <button type="submit" className="button button--secondary button--small">
          Show
        </button>
      </Form>
      {map.underUnit ? (
        <p>
          Units under <strong>{map.underUnit.name}</strong> ·{" "}
          <Link to={`?by=unit${map.underUnit.parentId ? `&under=${map.underUnit.parentId}` : ""}`}>Up one level</Link>
        </p>
      ) : null}
      {map.modules.length === 0 ? (
        <p className="muted">No required module yet. The PLO adds modules in the curriculum and requires them for an audience.</p>
      ) : (
        <div className="data-table__scroll">
          <table className="simple-table heat-map">
            <caption>Share met on time · overdue · not done yet but not late · refresh due within 30 days, per required module</caption>
            <thead>
              <tr>
                <th scope="col">{map.by === "wave" ? "Wave" : "Unit"}</th>
                {map.modules.map((m) => (
                  <th scope="col" key={m.id}>
                    {m.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {map.groups.map((g) => (
                <tr key={g.id}>
                  <th scope="row">{map.by === "unit" ? <Link to={`?by=unit&under=${g.id}`}>{g.name}</Link> : g.name}</th>
                  {map.modules.map((m) => {
                    const cell = map.cells[`${g.id}:${m.id}`];
                    const body =
                      cell && cell.total > 0 ? (
                        <>
                          {percent(cell.metOnTime, cell.total)} on time
                          <span className="heat__sub">
                            {cell.overdue} overdue · {cell.due} due later · {cell.refreshSoon} refresh · {cell.total} people
                          </span>
                        </>
                      ) : (
                        "–"
                      );
                    return (
                      <td key={m.id}>
                        {manage && cell ? (
                          <Link
                            className={cellClass(cell)}
                            to={`?by=${map.by}${map.underUnit ? `&under=${map.underUnit.id}` : ""}&module=${m.id}&group=${g.id}`}
                          >
                            {body}
                          </Link>
                        ) : (
                          <span className={cellClass(cell)}>{body}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {names ? (
        <section className="card" aria-labelledby="names-heading">
          <h2 id="names-heading">People behind the figure</h2>
          {names.length === 0 ? (
            <p className="muted">Nobody.</p>
          ) : (
            <table className="simple-table">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Team</th>
                  <th scope="col">Module</th>
                  <th scope="col">State</th>
                  <th scope="col">Due</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {names.map((n) => (
                  <tr key={`${n.personId}:${n.requirementId}`}>
                    <td>
                      {n.personName} <span className="muted">{n.personEmail}</span>
                    </td>
                    <td>{n.teamId && n.teamName ? <Link to={`${base}/teams/${n.teamId}`}>{n.teamName}</Link> : "–"}</td>
                    <td>{n.moduleTitle}</td>
                    <td>
                      <StateBadge state={n.state} />
                    </td>
                    <td>{formatDate(n.dueOn) ?? "–"}</td>
                    <td>{formatDate(n.completedOn) ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <Link to={`${base}?by=${map.by}`}>Close</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Enablement · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
