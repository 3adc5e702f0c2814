import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ROLE_HINT, ROLE_OPTIONS } from "~/components/role-options";
import { CheckboxField, FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { getUser, setPassword, updateUser } from "~/models/accounts/users.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { attempt, domainFailure } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { resetPasswordSchema, updateUserSchema } from "~/validation/auth";

async function loadUser(userId: string | undefined) {
  const user = userId ? await getUser(getDb(), userId) : undefined;
  if (!user) throw new Response("This user does not exist.", { status: 404 });
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "users:manage");
  return { user: await loadUser(params.userId), isSelf: admin.id === params.userId };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "users:manage");
  const target = await loadUser(params.userId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });

  if (intent === "save") {
    const parsed = parseForm(updateUserSchema, formData);
    if (!parsed.ok) return fail(parsed.errors, parsed.values);
    try {
      const result = await updateUser(db, admin, target.id, parsed.data);
      const note = result?.sessionsEnded ? " Their open sessions were signed out." : "";
      if (target.id === admin.id && result?.sessionsEnded) {
        return redirectWithToast(request, "/login", `Account saved.${note}`);
      }
      return redirectWithToast(request, "/admin/users", `Account of ${parsed.data.name} saved.${note}`);
    } catch (error) {
      return domainFailure(error, parsed.values, { intent });
    }
  }

  if (intent === "reset-password") {
    const parsed = parseForm(resetPasswordSchema, formData);
    if (!parsed.ok) return fail(parsed.errors);
    return attempt(
      {},
      async () => {
        await setPassword(db, admin, target.id, parsed.data.password, target.id === admin.id ? admin.sessionId : undefined);
        return redirectWithToast(
          request,
          `/admin/users/${target.id}`,
          `New password set for ${target.name}. Their sessions were signed out.`,
        );
      },
      { intent },
    );
  }

  return fail({ _form: "Unknown action." });
}

export default function EditUser() {
  const { user, isSelf } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saveErrors = failure?.intent === "save" ? failure.errors : {};
  const resetErrors = failure?.intent === "reset-password" ? failure.errors : {};
  const values =
    failure?.intent === "save" ? failure.values : { name: user.name, email: user.email, role: user.role, active: user.active ? "on" : "" };
  return (
    <>
      <h1>{user.name}</h1>
      <p className="muted">
        Account created {formatDateTime(user.created_at)}; last sign-in {user.last_login_at ? formatDateTime(user.last_login_at) : "never"}.
      </p>
      <div className="grid-2">
        <section className="card">
          <h2>Account</h2>
          <Form method="post" noValidate>
            <FormError
              error={failure?.intent !== "save" && failure?.intent !== "reset-password" ? failure?.errors._form : saveErrors._form}
            />
            <InputField label="Name" name="name" required defaultValue={values.name} error={saveErrors.name} />
            <InputField label="Email" name="email" type="email" required defaultValue={values.email} error={saveErrors.email} />
            <SelectField
              label="Role"
              name="role"
              defaultValue={values.role}
              options={ROLE_OPTIONS}
              error={saveErrors.role}
              hint={ROLE_HINT}
            />
            <CheckboxField
              label="Active (may sign in)"
              name="active"
              defaultChecked={values.active === "on" || values.active === "true"}
              hint={isSelf ? "You cannot deactivate yourself." : "Deactivating signs the user out; their history is kept."}
            />
            {saveErrors.active ? (
              <p className="field__error" role="alert">
                {saveErrors.active}
              </p>
            ) : null}
            <p className="muted">Changing the role or deactivating signs the user out everywhere.</p>
            <SubmitButton name="intent" value="save">
              Save account
            </SubmitButton>
          </Form>
        </section>
        <section className="card">
          <h2>Reset password</h2>
          <Form method="post" noValidate>
            <InputField
              label="New password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              hint="At least 12 characters, not a common or guessable one, nor their name or email. The user's sessions are signed out."
              error={resetErrors.password}
            />
            <SubmitButton name="intent" value="reset-password" className="button button--secondary">
              Set new password
            </SubmitButton>
          </Form>
        </section>
      </div>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.name ?? "User"} · Rollout Desk` }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
