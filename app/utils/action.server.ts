import { data } from "@remix-run/node";
import { isDomainError, type FieldMessages } from "~/models/errors";
import type { FormFailure } from "./forms";

// The one place where the domain's errors become HTTP answers for actions:
//   FieldError → 400, ForbiddenError → 403, NotFoundError → 404, ConflictError → 409,
// each as `{ errors, values, current }` so the form shows the message beside its field (or as its
// alert for `_form`) and keeps what the user typed. Anything else is rethrown: a bug, the 500 page.

/** What a failed action answers: the form's messages, the typed values, and on a 409 what is there now. */
export interface ActionFailure extends FormFailure {
  current?: unknown;
  intent?: string;
}

/** What a failure may carry besides its messages and values (the form's `intent`, a flag of the route…). */
export type FailureExtra = Omit<ActionFailure, "errors" | "values"> & Record<string, unknown>;

/** A failed form with the given status (400 unless said otherwise). */
export function failure<E extends FailureExtra = Record<never, never>>(
  errors: FieldMessages,
  values: Record<string, string> = {},
  status: 400 | 403 | 404 | 409 | 413 | 503 = 400,
  extra: E = {} as E,
) {
  return data<ActionFailure & E>({ ...extra, errors, values }, { status });
}

/** The answer to a form whose `intent` names no action of this route. */
export function unknownIntent(intent?: string) {
  return failure({ _form: "Unknown action. Reload the page and try again." }, {}, 400, intent === undefined ? {} : { intent });
}

/** The answer for a domain error (never rethrows it); other errors are rethrown. */
export function domainFailure<E extends FailureExtra = Record<never, never>>(
  error: unknown,
  values: Record<string, string> = {},
  extra: E = {} as E,
) {
  if (!isDomainError(error)) throw error;
  const errors: FieldMessages = "fields" in error ? (error.fields as FieldMessages) : { _form: error.message };
  const current = "current" in error ? error.current : undefined;
  return failure<E>(errors, values, error.status, current === undefined ? extra : { ...extra, current });
}

/**
 * Runs the model call of an action; a domain error becomes its answer (with the typed `values`
 * kept), anything else propagates. `extra` (e.g. the `intent`) goes into a failure's body.
 *
 *   return attempt(parsed.values, async () => {
 *     await createMilestone(getDb(), user, program.id, parsed.data);
 *     return redirectWithToast(request, url, "Milestone added.");
 *   });
 */
export async function attempt<T, E extends FailureExtra = Record<never, never>>(
  values: Record<string, string>,
  run: () => Promise<T>,
  extra: E = {} as E,
) {
  try {
    return await run();
  } catch (error) {
    return domainFailure<E>(error, values, extra);
  }
}

/**
 * For loaders: a domain error becomes a thrown Response (rendered by the route's error boundary
 * with its status and message); anything else propagates.
 */
export async function orErrorResponse<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error)) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

/**
 * For fetch endpoints that answer JSON (the RACI grid's cell edits): a domain error becomes
 * `{ error, current? }` with its status; anything else is rethrown.
 */
export function jsonFailure(error: unknown): Response {
  if (!isDomainError(error)) throw error;
  const current = "current" in error ? error.current : undefined;
  return Response.json(current === undefined ? { error: error.message } : { error: error.message, current }, { status: error.status });
}

/** For loaders: a domain error thrown by `run` becomes the error page with its status (see `orErrorResponse`). */
export function asErrorResponse(error: unknown): never {
  if (isDomainError(error)) throw new Response(error.message, { status: error.status });
  throw error;
}
