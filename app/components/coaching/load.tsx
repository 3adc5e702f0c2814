// Small pieces of the coaching pages: a coach's load against capacity, their account state and
// a row's weekly sessions. Text carries the meaning (a symbol and words); colour only repeats it.

export type LoadState = "overloaded" | "full" | "free";

export function loadState(load: number, capacity: number): LoadState {
  if (load > capacity) return "overloaded";
  return load === capacity ? "full" : "free";
}

const LOAD_TEXT: Record<LoadState, (load: number, capacity: number) => string> = {
  overloaded: (load, capacity) => `Overloaded by ${load - capacity}`,
  full: () => "Full",
  free: (load, capacity) => `${capacity - load} free`,
};

const LOAD_SYMBOL: Record<LoadState, string> = { overloaded: "⚠", full: "●", free: "○" };

/** "3 of 5" with a bar and the state in words ("2 free", "Full", "⚠ Overloaded by 1"). */
export function LoadMeter({ load, capacity }: { load: number; capacity: number }) {
  const state = loadState(load, capacity);
  const fill = Math.min(100, Math.round((load / Math.max(capacity, 1)) * 100));
  return (
    <span className={`load load--${state}`}>
      <span className="load__bar" aria-hidden="true">
        <span style={{ width: `${fill}%` }} />
      </span>
      <span className="load__figures">
        {load} of {capacity}
      </span>{" "}
      <span className="load__state">
        <span aria-hidden="true">{LOAD_SYMBOL[state]}</span> {LOAD_TEXT[state](load, capacity)}
      </span>
    </span>
  );
}

/** The label of a coach in a picker: "Amara Okafor — 3 of 5 (2 free)". */
export function coachOptionLabel(coach: { name: string; load: number; capacity: number }): string {
  const state = loadState(coach.load, coach.capacity);
  const note = state === "overloaded" ? "overloaded" : state === "full" ? "full" : `${coach.capacity - coach.load} free`;
  return `${coach.name} — ${coach.load} of ${coach.capacity} (${note})`;
}

export type AccountState = "coach" | "missing" | "other_role" | "inactive";

const ACCOUNT_TEXT: Record<Exclude<AccountState, "coach">, { short: string; long: string }> = {
  missing: { short: "No coach account", long: "No coach account is linked: cannot sign in or log sessions" },
  other_role: { short: "Not a coach account", long: "The linked account is not a coach account: cannot log sessions as a coach" },
  inactive: { short: "Account deactivated", long: "The linked account is deactivated: cannot sign in" },
};

/** "Coach account", or a warning that the coach cannot sign in and log sessions (`detailed`: says why). */
export function AccountBadge({ state, detailed = false }: { state: AccountState; detailed?: boolean }) {
  if (state === "coach") return <span className="account-ok">✓ Coach account</span>;
  return (
    <span className="account-warning">
      <span aria-hidden="true">⚠</span> {detailed ? ACCOUNT_TEXT[state].long : ACCOUNT_TEXT[state].short}
    </span>
  );
}

/**
 * Sessions per week as tiny bars (one SVG path, so a page of rows stays light); the numbers are
 * the accessible name.
 */
export function WeekBars({ weeks, label, max }: { weeks: number[]; label: string; max?: number }) {
  const top = Math.max(1, max ?? Math.max(...weeks));
  const height = 16;
  const path = weeks
    .map((n, i) => {
      if (n <= 0) return "";
      const h = Math.max(1.5, (n / top) * height);
      return `M${i * 4} ${height}h3v-${h.toFixed(1)}h-3z`;
    })
    .join("");
  const text = `${label}: ${weeks.join(", ")} (oldest week first)`;
  return (
    <svg className="week-bars" viewBox={`0 0 ${weeks.length * 4} ${height}`} role="img" aria-label={text}>
      <path d={path || "M0 0"} />
      <path className="week-bars__base" d={`M0 ${height - 0.5}h${weeks.length * 4}`} />
    </svg>
  );
}
