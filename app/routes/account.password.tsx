import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { setPassword } from "~/models/accounts/users.server";
import { attempt } from "~/utils/action.server";
import { requireUser, verifyCurrentPassword } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { changePasswordSchema } from "~/validation/auth";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(changePasswordSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: {} }, { status: 400 });
  // Throttled and audited like a sign-in: a stolen session gets no extra guesses at the password.
  const check = await verifyCurrentPassword(user, parsed.data.current);
  if (!check.ok && check.reason === "locked") {
    const minutes = Math.max(1, Math.ceil((check.retryAfterSeconds ?? 60) / 60));
    return data<FormFailure>(
      { errors: { current: `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` }, values: {} },
      { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds ?? 60) } },
    );
  }
  if (!check.ok) return data<FormFailure>({ errors: { current: "This is not your current password." }, values: {} }, { status: 400 });
  return attempt({}, async () => {
    await setPassword(getDb(), user, user.id, parsed.data.password, user.sessionId);
    return redirectWithToast(request, "/", "Password changed. Your other sessions have been signed out.");
  });
}

export default function ChangePassword() {
  const failure = useActionData<typeof action>();
  const errors = failure?.errors ?? {};
  return (
    <section className="card narrow">
      <h1>Change your password</h1>
      <Form method="post" noValidate>
        <FormError error={errors._form} />
        <InputField
          label="Current password"
          name="current"
          type="password"
          autoComplete="current-password"
          required
          error={errors.current}
        />
        <InputField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters, not a common or guessable one, nor your name or email."
          error={errors.password}
        />
        <InputField
          label="Repeat new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          error={errors.confirm}
        />
        <SubmitButton>Change password</SubmitButton>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Change password · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
