import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ArchiveCard } from "~/components/org/archive-card";
import { PersonForm } from "~/components/org/org-forms";
import { ImportHistory } from "~/components/org/import-history";
import { OrgStatus } from "~/components/org/org-status";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import {
  archivePerson,
  getPersonDetail,
  linkPersonAccount,
  listTeamOptions,
  restorePerson,
  unitOptions,
  unlinkPersonAccount,
  updatePerson,
} from "~/models/org/org.server";
import { importHistory } from "~/models/org/import-history.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { can, ROLE_LABELS } from "~/utils/permissions";
import { redirectWithToast } from "~/utils/toast.server";
import { archivePersonSchema, linkAccountSchema, personSchema } from "~/validation/org";
import { domainFailure } from "~/utils/action.server";

async function loadPerson(personId: string | undefined) {
  const detail = personId ? await getPersonDetail(getDb(), personId) : null;
  if (!detail) throw new Response("This person does not exist.", { status: 404 });
  return detail;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  const { person, account, suggestedAccount, leads, teamArchived, index } = await loadPerson(params.personId);
  const canWrite = can(user.role, "org:write");
  return {
    person,
    account,
    suggestedAccount,
    leads,
    teamArchived,
    canWrite,
    unitOptions: canWrite ? unitOptions(index, { keep: person.unitId }) : [],
    teams: canWrite ? await listTeamOptions(getDb(), index, { keep: person.teamId }) : [],
    history: await importHistory(getDb(), person.id),
  };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const { person } = await loadPerson(params.personId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const here = `/org/people/${person.id}`;
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  try {
    switch (intent) {
      case "save": {
        const parsed = parseForm(personSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        try {
          await updatePerson(db, user, person.id, parsed.data);
        } catch (error) {
          return domainFailure(error, parsed.values, { intent });
        }
        return redirectWithToast(request, here, `${parsed.data.name} saved.`);
      }
      case "archive": {
        const parsed = parseForm(archivePersonSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        const result = await archivePerson(db, user, person.id, { clearLeads: parsed.data.clearLeads });
        const leads = result?.leadsCleared ? ` ${result.leadsCleared} team(s) are now without a lead.` : "";
        return redirectWithToast(request, here, `${person.name} archived.${leads}`);
      }
      case "restore": {
        await restorePerson(db, user, person.id);
        return redirectWithToast(request, here, `${person.name} restored.`);
      }
      case "link-account": {
        const parsed = parseForm(linkAccountSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        try {
          const result = await linkPersonAccount(db, user, person.id, parsed.data.accountEmail);
          return redirectWithToast(
            request,
            here,
            `${person.name} is linked to the account ${result?.account.email ?? parsed.data.accountEmail}.`,
          );
        } catch (error) {
          return domainFailure(error, parsed.values, { intent });
        }
      }
      case "unlink-account": {
        await unlinkPersonAccount(db, user, person.id);
        return redirectWithToast(request, here, `${person.name} is no longer linked to an account.`);
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, {}, { intent });
  }
}

export default function PersonPage() {
  const { person, account, suggestedAccount, leads, teamArchived, canWrite, unitOptions, teams, history } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saveErrors = failure?.intent === "save" ? failure.errors : {};
  const linkErrors = failure?.intent === "link-account" ? failure.errors : {};
  const values =
    failure?.intent === "save"
      ? failure.values
      : {
          name: person.name,
          email: person.email,
          title: person.title,
          unitId: person.unitId ?? "",
          teamId: person.teamId ?? "",
          externalId: person.externalId ?? "",
        };
  const otherError =
    failure && !["save", "link-account"].includes(failure.intent) ? (failure.errors._form ?? Object.values(failure.errors)[0]) : undefined;
  return (
    <>
      <p className="eyebrow">Person</p>
      <h1>{person.name}</h1>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <OrgStatus archivedAt={person.archivedAt} />
          </dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{person.email}</dd>
        </div>
        <div>
          <dt>Title</dt>
          <dd>{person.title || "—"}</dd>
        </div>
        <div>
          <dt>Unit</dt>
          <dd>{person.unitId ? <Link to={`/org/units/${person.unitId}`}>{person.unitPath}</Link> : "—"}</dd>
        </div>
        <div>
          <dt>Team</dt>
          <dd>
            {person.teamId ? <Link to={`/org/teams/${person.teamId}`}>{person.teamName}</Link> : "—"}
            {teamArchived ? " (archived)" : null}
          </dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd>{account ? `${account.email} · ${ROLE_LABELS[account.role]}${account.active ? "" : " (deactivated)"}` : "None"}</dd>
        </div>
        {person.externalId ? (
          <div>
            <dt>Employee ID</dt>
            <dd>{person.externalId}</dd>
          </div>
        ) : null}
      </dl>
      {leads.length > 0 ? (
        <section aria-labelledby="leads-heading">
          <h2 id="leads-heading">Leads</h2>
          <ul>
            {leads.map((t) => (
              <li key={t.id}>
                <Link to={`/org/teams/${t.id}`}>{t.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ImportHistory entries={history} subject={person.name} canOpenImports={canWrite} />
      {canWrite ? (
        <>
          <section className="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Details and place</h2>
            <PersonForm values={values} errors={saveErrors} unitOptions={unitOptions} teams={teams} submitLabel="Save person" />
          </section>
          <section className="card" aria-labelledby="account-heading">
            <h2 id="account-heading">User account</h2>
            {account ? (
              <Form method="post">
                <p>
                  Linked to the account <strong>{account.name}</strong> ({account.email}), role <strong>{ROLE_LABELS[account.role]}</strong>
                  .
                </p>
                <SubmitButton name="intent" value="unlink-account" className="button button--secondary">
                  Unlink the account
                </SubmitButton>
              </Form>
            ) : (
              <>
                <p className="muted">Linking tells the app which person a signed-in user is (e.g. a coach or a team lead).</p>
                {suggestedAccount ? (
                  <Form method="post" className="org-actions">
                    <input type="hidden" name="accountEmail" value={suggestedAccount.email} />
                    <span>
                      An account has the same email: {suggestedAccount.name} ({ROLE_LABELS[suggestedAccount.role]}).
                    </span>
                    <SubmitButton name="intent" value="link-account" className="button button--secondary button--small">
                      Link this account
                    </SubmitButton>
                  </Form>
                ) : null}
                <Form method="post" noValidate>
                  <FormError error={linkErrors._form} />
                  <InputField
                    label="Account email"
                    name="accountEmail"
                    type="email"
                    autoComplete="off"
                    maxLength={254}
                    defaultValue={failure?.intent === "link-account" ? failure.values.accountEmail : ""}
                    error={linkErrors.accountEmail}
                    hint="The email of an existing user account."
                  />
                  <SubmitButton name="intent" value="link-account" className="button button--secondary">
                    Link account
                  </SubmitButton>
                </Form>
              </>
            )}
          </section>
          <ArchiveCard
            noun="person"
            name={person.name}
            archived={person.archivedAt !== null}
            error={otherError}
            explanation={
              person.archivedAt
                ? "Restoring brings them back into plans and pickers (their unit and team must be active)."
                : leads.length > 0
                  ? `${person.name} leads ${leads.length} active team(s). Archiving is refused unless those teams are left without a lead; nothing is deleted.`
                  : "Archiving takes them out of plans and pickers (they left the company). Nothing is deleted: history keeps their name."
            }
            option={
              !person.archivedAt && leads.length > 0
                ? { name: "clearLeads", label: `Leave the ${leads.length} team(s) they lead without a lead` }
                : undefined
            }
          />
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.person.name ?? "Person"} · Organization · Rollout Desk` },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
