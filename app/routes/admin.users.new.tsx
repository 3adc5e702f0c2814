import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { ROLE_HINT, ROLE_OPTIONS } from "~/components/role-options";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { createUser } from "~/models/accounts/users.server";
import { requirePermission } from "~/utils/auth.server";
import { domainFailure } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { createUserSchema } from "~/validation/auth";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "users:manage");
  const formData = await request.formData();
  const parsed = parseForm(createUserSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const user = await createUser(getDb(), admin, parsed.data);
    return redirectWithToast(
      request,
      "/admin/users",
      `Account for ${user.name} created. Give them their password in person or by a separate channel.`,
    );
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
}

export default function NewUser() {
  const failure = useActionData<typeof action>();
  const errors = failure?.errors ?? {};
  const values = failure?.values ?? {};
  return (
    <section className="card narrow">
      <h1>New user</h1>
      <Form method="post" noValidate>
        <FormError error={errors._form} />
        <InputField label="Name" name="name" required defaultValue={values.name} error={errors.name} />
        <InputField label="Email" name="email" type="email" required defaultValue={values.email} error={errors.email} />
        <SelectField
          label="Role"
          name="role"
          defaultValue={values.role ?? "coach"}
          options={ROLE_OPTIONS}
          error={errors.role}
          hint={ROLE_HINT}
        />
        <InputField
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters, not a common or guessable one, nor their name or email. The user can change it after signing in."
          error={errors.password}
        />
        <SubmitButton pendingText="Creating…">Create user</SubmitButton>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "New user · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
