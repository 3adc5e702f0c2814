import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { isSetupComplete } from "~/models/accounts/installation.server";
import { getCurrentUser, login } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { loginSchema, safeRedirect } from "~/validation/auth";

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await isSetupComplete(getDb()))) throw redirect("/setup");
  if (await getCurrentUser(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(loginSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await login(request, parsed.data.email, parsed.data.password);
  if (!result.ok) {
    const values = { email: parsed.data.email, redirectTo: parsed.data.redirectTo ?? "" };
    if (result.reason === "locked") {
      const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
      return data<FormFailure>(
        {
          errors: { _form: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` },
          values,
        },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds ?? 60) } },
      );
    }
    // Same words whether the email is unknown, the password wrong or the account deactivated.
    return data<FormFailure>({ errors: { _form: "Email or password is incorrect." }, values }, { status: 401 });
  }
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": result.cookie } });
}

// Remix keeps only Set-Cookie from an action's headers on a page unless the route passes them on.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const headers = new Headers();
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export default function Login() {
  const failure = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = failure?.errors ?? {};
  const values = failure?.values ?? {};
  return (
    <section className="card auth-card">
      <h1>Sign in to Rollout Desk</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? searchParams.get("redirectTo") ?? ""} />
        <FormError error={errors._form} />
        <InputField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          defaultValue={values.email}
          error={errors.email}
        />
        <InputField label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      </Form>
      <p className="muted">Forgot your password? Ask an administrator to reset it.</p>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Sign in · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
