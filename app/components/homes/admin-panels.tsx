import { Link } from "@remix-run/react";
import { formatDateTime } from "~/utils/dates";
import { ROLE_LABELS, type Role } from "~/utils/permissions";

// The administrator's home adds to the program overview: accounts, security events, backups and
// the installation's health. Words first; nothing depends on colour.

export interface AdminHomeData {
  accounts: { byRole: Array<{ role: Role; active: number; inactive: number }>; active: number; inactive: number };
  security: { events: Array<{ id: number; at: string | Date; action: string; summary: string; ip: string | null }>; lastDay: number };
  health: { backend: string; database: string; pending: string[]; version: string };
}

const SECURITY_LABELS: Record<string, string> = {
  "login.locked": "Lockout",
  "login.failed": "Failed sign-in",
  "user.password_check_locked": "Password check locked",
  "user.password_check_failed": "Wrong current password",
};

export function AdminPanels({ data }: { data: AdminHomeData }) {
  const { accounts, security, health } = data;
  return (
    <section className="admin-panels" aria-labelledby="admin-panels-heading">
      <h2 id="admin-panels-heading" className="visually-hidden">
        Administration
      </h2>
      <div className="card">
        <div className="card__header">
          <h3>Accounts</h3>
          <Link to="/admin/users">Users</Link>
        </div>
        <p>
          <strong>{accounts.active}</strong> active · <strong>{accounts.inactive}</strong> inactive
        </p>
        <ul className="admin-panels__list">
          {accounts.byRole.map((r) => (
            <li key={r.role}>
              {`${ROLE_LABELS[r.role]}: ${r.active}`}
              {r.inactive > 0 ? <span className="muted"> (+{r.inactive} inactive)</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <div className="card">
        <div className="card__header">
          <h3>Security events</h3>
          <Link to="/admin/audit">Audit log</Link>
        </div>
        <p>{security.lastDay === 0 ? "No lockout or failed sign-in in the last 24 hours." : `${security.lastDay} in the last 24 hours.`}</p>
        {security.events.length > 0 ? (
          <ul className="admin-panels__list">
            {security.events.map((e) => (
              <li key={e.id}>
                <strong>{SECURITY_LABELS[e.action] ?? e.action}</strong> · {e.summary}
                <span className="muted">
                  {" "}
                  · {formatDateTime(new Date(e.at))}
                  {e.ip ? ` · ${e.ip}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="card">
        <div className="card__header">
          <h3>Installation</h3>
          <span>
            <Link to="/admin/backups">Backups</Link> · <Link to="/programs/import">Import a program</Link>
          </span>
        </div>
        <dl className="admin-panels__facts">
          <div>
            <dt>Database</dt>
            <dd>
              {health.backend} · {health.database === "ok" ? "answering" : health.database}
            </dd>
          </div>
          <div>
            <dt>Pending migrations</dt>
            <dd>{health.pending.length === 0 ? "None" : health.pending.join(", ")}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>{health.version}</dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
