import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { completeSetup, isSetupComplete } from "~/models/accounts/installation.server";
import { startSession } from "~/utils/auth.server";
import { domainFailure } from "~/utils/action.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { setToast } from "~/utils/toast.server";
import { setupSchema } from "~/validation/auth";
import { ConflictError } from "~/models/errors";

// Setup is open to anyone, but only while the installation has no administrator yet.
export async function loader(_: LoaderFunctionArgs) {
  if (await isSetupComplete(getDb())) throw redirect("/login");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  if (await isSetupComplete(db)) {
    throw new Response("This installation is already set up. Sign in instead.", { status: 403 });
  }
  const parsed = parseForm(setupSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const admin = await completeSetup(db, parsed.data);
    const headers = new Headers();
    headers.append("Set-Cookie", await startSession(request, admin.id));
    headers.append("Set-Cookie", await setToast(request, { kind: "success", message: "Welcome! Your administrator account is ready." }));
    return redirect("/programs", { headers });
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new Response("This installation is already set up. Sign in instead.", { status: 403 });
    }
    return domainFailure(error, parsed.values);
  }
}

export default function Setup() {
  const failure = useActionData<typeof action>();
  const errors = failure?.errors ?? {};
  const values = failure?.values ?? {};
  return (
    <section className="card auth-card">
      <h1>Set up Rollout Desk</h1>
      <p>
        This installation has no accounts yet. Create the first <strong>administrator</strong>: you will then add the Program Lead Office,
        coaches and sponsors from the Users page.
      </p>
      <Form method="post" noValidate>
        <FormError error={errors._form} />
        <InputField label="Your name" name="name" autoComplete="name" required defaultValue={values.name} error={errors.name} />
        <InputField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors.email}
        />
        <InputField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters, not a common or guessable one, nor your name or email."
          error={errors.password}
        />
        <InputField label="Repeat password" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
        <SubmitButton pendingText="Creating…">Create administrator</SubmitButton>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Set up · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
