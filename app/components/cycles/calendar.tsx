import { Link } from "@remix-run/react";
import type { EventRow } from "~/models/cycles/cycles.server";
import { formatDay, formatMonth, monthWeeks, shiftMonth, type Day } from "~/utils/dates";
import { CYCLE_EVENT_KIND_LABELS, CYCLE_EVENT_STATE_LABELS } from "~/validation/cycles";

// A cycle calendar as a list (every event, with its scope, facilitator and place) or as a month
// grid (Monday first). Both are plain links and tables: they work without JavaScript.

type CalendarEvent = Pick<
  EventRow,
  | "id"
  | "cycleId"
  | "cycleName"
  | "kind"
  | "label"
  | "occursOn"
  | "startsAt"
  | "durationMinutes"
  | "scope"
  | "waveName"
  | "unitName"
  | "facilitatorName"
  | "location"
  | "state"
>;

export function scopeText(e: Pick<EventRow, "scope" | "waveName" | "unitName">): string {
  if (e.scope === "wave") return `Wave: ${e.waveName ?? "?"}`;
  if (e.scope === "unit") return `Unit: ${e.unitName ?? "?"}`;
  return "All teams";
}

function when(e: CalendarEvent): string {
  const time = e.startsAt ? `, ${e.startsAt}${e.durationMinutes ? ` (${e.durationMinutes} min)` : ""}` : "";
  return `${formatDay(e.occursOn)}${time}`;
}

function StatePill({ state }: { state: CalendarEvent["state"] }) {
  const tone = state === "held" ? "pill pill--ok" : state === "cancelled" ? "pill pill--error" : "pill";
  return <span className={tone}>{CYCLE_EVENT_STATE_LABELS[state]}</span>;
}

function isLink(location: string): boolean {
  return /^https?:\/\/\S+$/i.test(location);
}

export function EventTable({
  events,
  eventHref,
  showCycle = false,
  sessions,
  caption = "Events",
}: {
  events: CalendarEvent[];
  eventHref?: (e: CalendarEvent) => string;
  showCycle?: boolean;
  sessions?: Record<string, number>;
  caption?: string;
}) {
  if (events.length === 0) return <p className="empty-state">No events in this calendar yet.</p>;
  return (
    <table className="simple-table calendar-list">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          {showCycle ? <th scope="col">Cycle</th> : null}
          <th scope="col">For</th>
          <th scope="col">Facilitator</th>
          <th scope="col">Place or link</th>
          <th scope="col">State</th>
          {sessions ? <th scope="col">Sessions logged</th> : null}
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} className={e.state === "cancelled" ? "calendar-list__cancelled" : undefined}>
            <td>{when(e)}</td>
            <td>{eventHref ? <Link to={eventHref(e)}>{e.label}</Link> : e.label}</td>
            {showCycle ? <td>{e.cycleName}</td> : null}
            <td>{scopeText(e)}</td>
            <td>{e.facilitatorName ?? <span className="muted">Nobody yet</span>}</td>
            <td>
              {isLink(e.location) ? (
                <a href={e.location} rel="noreferrer noopener">
                  {e.location}
                </a>
              ) : (
                e.location || <span className="muted">—</span>
              )}
            </td>
            <td>
              <StatePill state={e.state} />
            </td>
            {sessions ? <td>{sessions[e.id] ?? 0}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A month of events, Monday first; `hrefFor(month)` builds the previous/next links. */
export function MonthGrid({
  month,
  events,
  hrefFor,
  eventHref,
  today,
}: {
  month: string;
  events: CalendarEvent[];
  hrefFor: (month: string) => string;
  eventHref?: (e: CalendarEvent) => string;
  today: Day;
}) {
  const byDay = new Map<string, CalendarEvent[]>();
  for (const e of events) byDay.set(e.occursOn, [...(byDay.get(e.occursOn) ?? []), e]);
  return (
    <div className="month-grid">
      <div className="month-grid__header">
        <Link to={hrefFor(shiftMonth(month, -1))} aria-label="Previous month">
          ← {formatMonth(shiftMonth(month, -1))}
        </Link>
        <h3>{formatMonth(month)}</h3>
        <Link to={hrefFor(shiftMonth(month, 1))} aria-label="Next month">
          {formatMonth(shiftMonth(month, 1))} →
        </Link>
      </div>
      <table className="month-grid__table">
        <caption className="visually-hidden">Events in {formatMonth(month)}</caption>
        <thead>
          <tr>
            {["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthWeeks(month).map((week, i) => (
            <tr key={i}>
              {week.map((day, j) => (
                <td key={day ?? `empty-${i}-${j}`} className={day === today ? "month-grid__today" : undefined}>
                  {day ? (
                    <>
                      <span className="month-grid__day">{Number(day.slice(8))}</span>
                      <ul>
                        {(byDay.get(day) ?? []).map((e) => (
                          <li key={e.id} className={`month-grid__event month-grid__event--${e.kind} month-grid__event--${e.state}`}>
                            {e.startsAt ? <span className="muted">{e.startsAt} </span> : null}
                            {eventHref ? <Link to={eventHref(e)}>{e.label}</Link> : e.label}
                            {e.scope !== "all" ? <span className="muted"> ({scopeText(e)})</span> : null}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ViewToggle({ view, listHref, monthHref }: { view: "list" | "month"; listHref: string; monthHref: string }) {
  return (
    <p className="view-toggle" role="group" aria-label="Calendar view">
      <Link to={listHref} aria-current={view === "list" ? "page" : undefined} className={view === "list" ? "view-toggle__on" : undefined}>
        List
      </Link>{" "}
      ·{" "}
      <Link
        to={monthHref}
        aria-current={view === "month" ? "page" : undefined}
        className={view === "month" ? "view-toggle__on" : undefined}
      >
        Month
      </Link>
    </p>
  );
}

export const KIND_OPTIONS = Object.entries(CYCLE_EVENT_KIND_LABELS).map(([value, label]) => ({ value, label }));
