import { data } from "@remix-run/node";
import { RaciConflictError, RaciDuplicateNameError, RaciNotFoundError } from "~/models/raci/matrix.server";

/** Turns the RACI model's expected failures into 409 / 404 answers; anything else is rethrown. */
export function raciFailure(error: unknown, intent: string, values: Record<string, string> = {}) {
  if (error instanceof RaciConflictError) {
    return data(
      {
        intent,
        errors: {
          _form: `Someone else changed this meanwhile (now “${error.current.value ?? "empty"}”). Reload to see the latest version; your change was not saved.`,
        },
        values: {},
        current: error.current,
      },
      { status: 409 },
    );
  }
  if (error instanceof RaciDuplicateNameError) {
    return data({ intent, errors: { name: error.message }, values, current: null }, { status: 400 });
  }
  if (error instanceof RaciNotFoundError) {
    return data({ intent, errors: { _form: error.message }, values, current: null }, { status: 404 });
  }
  throw error;
}
