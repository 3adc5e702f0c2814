import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useNavigation,
  useParams,
  useRouteError,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { programAndSwitcher } from "~/models/programs/programs.server";
import { getCurrentUser } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { ErrorMessage } from "~/components/error-message";
import { useNonce } from "~/utils/nonce";
import { useRequestId } from "~/utils/request-id";
import { can, ROLE_LABELS } from "~/utils/permissions";
import { readToast, type Toast } from "~/utils/toast.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/app.css" },
  { rel: "stylesheet", href: "/styles/homes.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const { toast, clear } = await readToast(request);
  const { programs, total: programCount } = user ? await programAndSwitcher(getDb(), params.programId) : { programs: [], total: 0 };
  return data(
    { user: user ? { id: user.id, name: user.name, email: user.email, role: user.role } : null, programs, programCount, toast },
    clear ? { headers: { "Set-Cookie": clear } } : undefined,
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

function Document({ children, title, withRequestId = false }: { children: React.ReactNode; title?: string; withRequestId?: boolean }) {
  const nonce = useNonce();
  const requestId = useRequestId();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        {/* Only on error pages: a normal page stays the same from one request to the next. */}
        {withRequestId && requestId ? <meta name="request-id" content={requestId} /> : null}
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function ProgramSwitcher({ programs, programCount }: { programs: RootData["programs"]; programCount: number }) {
  const params = useParams();
  if (programs.length === 0) return null;
  return (
    <Form method="get" action="/programs/switch" className="program-switcher">
      <label htmlFor="program-switcher">Program</label>
      <select
        id="program-switcher"
        name="id"
        defaultValue={params.programId ?? ""}
        key={params.programId ?? "none"}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
      >
        {params.programId ? null : <option value="">Choose a program…</option>}
        {programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        {programCount > programs.length ? <option value="">All {programCount} programs…</option> : null}
      </select>
      <noscript>
        <button type="submit" className="button button--small">
          Go
        </button>
      </noscript>
    </Form>
  );
}

/** Rendered with a key per message, so each new toast starts visible and hides after a while. */
function ToastMessage({ toast }: { toast: Toast }) {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(false), 6000);
    return () => clearTimeout(timer);
  }, []);
  if (!visible) return null;
  return (
    <div className={`toast toast--${toast.kind}`} role="status" aria-live="polite">
      {toast.message}
      <button type="button" className="toast__close" aria-label="Dismiss" onClick={() => setVisible(false)}>
        ×
      </button>
    </div>
  );
}

function ProgressBar() {
  const navigation = useNavigation();
  if (navigation.state === "idle") return null;
  return <div className="progress-bar" role="progressbar" aria-label="Loading" />;
}

export default function App() {
  const { user, programs, programCount, toast } = useLoaderData<typeof loader>();
  const params = useParams();
  const programId = params.programId;
  return (
    <Document>
      <a className="skip-link" href={programId ? "#content" : "#main"}>
        Skip to content
      </a>
      <ProgressBar />
      {user ? (
        <header className="app-header">
          <Link to="/" className="brand">
            Rollout Desk
          </Link>
          <ProgramSwitcher programs={programs} programCount={programCount} />
          <nav aria-label="Main" className="main-nav">
            <ul>
              <li>
                {/* Each role's home (the start page chooses it: a coach's teams, else the overview). */}
                <Link to="/">Home</Link>
              </li>
              <li>
                <NavLink to="/programs" end>
                  Programs
                </NavLink>
              </li>
              {can(user.role, "org:read") ? (
                <li>
                  <NavLink to="/org">Organization</NavLink>
                </li>
              ) : null}
              {can(user.role, "learnings:read") ? (
                <li>
                  <NavLink to="/learnings">Learnings</NavLink>
                </li>
              ) : null}
              {can(user.role, "users:manage") ? (
                <li>
                  <NavLink to="/admin/users">Users</NavLink>
                </li>
              ) : null}
              {can(user.role, "audit:read") ? (
                <li>
                  <NavLink to="/admin/audit">Audit log</NavLink>
                </li>
              ) : null}
              {can(user.role, "backups:manage") ? (
                <li>
                  <NavLink to="/admin/backups">Backups</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="user-menu">
            <span className="user-menu__name">
              {user.name} <span className="badge">{ROLE_LABELS[user.role]}</span>
            </span>
            <Link to="/account/password">Change password</Link>
            <Form method="post" action="/logout">
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </div>
        </header>
      ) : null}
      {toast ? <ToastMessage key={toast.id} toast={toast} /> : null}
      <main id="main" className={user ? "app-main" : "app-main app-main--narrow"}>
        <Outlet />
      </main>
    </Document>
  );
}

export const meta: MetaFunction = () => [{ title: "Rollout Desk" }];

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <Document title="Rollout Desk — something went wrong" withRequestId>
      <main id="main" className="app-main app-main--narrow">
        <ErrorMessage error={error} />
      </main>
    </Document>
  );
}
