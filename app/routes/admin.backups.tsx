import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { SubmitButton } from "~/components/ui/submit-button";
import { failure, unknownIntent } from "~/utils/action.server";
import { requirePermission } from "~/utils/auth.server";
import { backups, backupSettings, takeBackup } from "~/utils/backups.server";
import { formatDateTime } from "~/utils/dates";
import { redirectWithToast } from "~/utils/toast.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "backups:manage");
  const settings = backupSettings();
  return {
    settings: { dir: settings.dir, everyHours: settings.everyHours, keep: settings.keep, backend: settings.backend },
    backups: backups().map((b) => ({ name: b.name, bytes: b.bytes, createdAt: b.createdAt.toISOString() })),
    now: new Date().toISOString(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "backups:manage");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent !== "backup") return unknownIntent(intent);
  try {
    const { backup, removed } = await takeBackup({ id: user.id, name: user.name });
    const pruned = removed.length ? ` ${removed.length} older backup${removed.length === 1 ? "" : "s"} removed (keeping the newest).` : "";
    return redirectWithToast(request, "/admin/backups", `Backup ${backup.name} written (${size(backup.bytes)}).${pruned}`);
  } catch (error) {
    // e.g. pg_dump missing: said beside the button, nothing else changes.
    console.warn(`[backup] ${error instanceof Error ? error.message : String(error)}`);
    return failure({ _form: error instanceof Error ? error.message : "The backup could not be written." }, {}, 503);
  }
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function age(from: string, now: string): string {
  const hours = (new Date(now).getTime() - new Date(from).getTime()) / 3_600_000;
  if (hours < 1) return "less than an hour";
  if (hours < 48) return `${Math.floor(hours)} hour${Math.floor(hours) === 1 ? "" : "s"}`;
  return `${Math.floor(hours / 24)} days`;
}

export default function Backups() {
  const { settings, backups: list, now } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as { errors?: Record<string, string> } | undefined;
  const formError = failed?.errors?._form;
  return (
    <>
      <h1>Backups</h1>
      <p className="lead">
        Copies of the whole database ({settings.backend === "pglite" ? "the embedded database's data folder" : "PostgreSQL, by pg_dump"}) in{" "}
        <code>{settings.dir}</code>.{" "}
        {settings.everyHours
          ? `One is taken every ${settings.everyHours} hours; the newest ${settings.keep} are kept.`
          : "None are scheduled: set BACKUP_EVERY_HOURS (and BACKUP_KEEP) to take them automatically."}
      </p>
      <Form method="post" className="form-inline">
        <SubmitButton
          name="intent"
          value="backup"
          pendingText="Writing the backup…"
          aria-describedby={formError ? "backup-error" : undefined}
        >
          Back up now
        </SubmitButton>
        {formError ? (
          <p id="backup-error" className="field-error" role="alert">
            {formError}
          </p>
        ) : null}
      </Form>
      <table className="data-table">
        <caption>Backups, newest first</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Taken</th>
            <th scope="col">Age</th>
            <th scope="col">Size</th>
          </tr>
        </thead>
        <tbody>
          {list.length === 0 ? (
            <tr>
              <td colSpan={4}>No backups yet.</td>
            </tr>
          ) : (
            list.map((b) => (
              <tr key={b.name}>
                <td>
                  <code>{b.name}</code>
                </td>
                <td>{formatDateTime(b.createdAt)}</td>
                <td>{age(b.createdAt, now)}</td>
                <td>{size(b.bytes)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <p className="muted">
        To restore one, stop the app and run <code>npm run restore -- &lt;file&gt;</code> (see the README, “Operations”).
      </p>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Backups · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
