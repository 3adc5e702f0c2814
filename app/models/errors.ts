// The one family of errors the domain throws for outcomes a user can act on. Models throw them;
// `~/utils/action.server` turns them into answers (400 beside the field, 403, 404, 409 with the
// current state). Anything else that escapes a model is a bug and becomes the 500 page.
// A new area adds no error class: it throws one of these with its own words.

/** Messages per form field; `_form` is the form's own alert. */
export type FieldMessages = Record<string, string>;

export abstract class DomainError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409;
}

/**
 * Input only the server can judge (an unknown email, a duplicate name, a date outside the cycle):
 * shown next to its field with a 400, the user's input kept.
 */
export class FieldError extends DomainError {
  readonly status = 400;
  constructor(readonly fields: FieldMessages) {
    super(Object.values(fields)[0] ?? "Check the highlighted fields.");
    this.name = "FieldError";
  }

  /** The first (usually the only) field with a message. */
  get field(): string {
    return Object.keys(this.fields)[0] ?? "_form";
  }

  /** One message on one field: `FieldError.on("email", "No person with this email.")`. */
  static on(field: string, message: string): FieldError {
    return new FieldError({ [field]: message });
  }
}

/** The thing the URL or the form names does not exist (or no longer does): a 404. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The user may not do this to this row (another coach's session…): a 403. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = "You may not change this.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/**
 * Someone else changed or created it first (a stale version, a double submit): a 409. `current`
 * carries what is there now, so the user sees it before trying again.
 */
export class ConflictError<Current = unknown> extends DomainError {
  readonly status = 409;
  constructor(
    message: string,
    readonly current: Current | null = null,
  ) {
    super(message);
    this.name = "ConflictError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** PostgreSQL's unique_violation (23505), for models that map a duplicate to a FieldError or a ConflictError. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && (constraint === undefined || name === constraint);
}

/**
 * What to throw for an error of a write guarded by a unique index: a duplicate (two writers racing
 * for one name) becomes a FieldError on `field`, anything else stays as it is.
 * `catch (error) { throw duplicateAsFieldError(error, "name", "There is already …"); }`
 */
export function duplicateAsFieldError(error: unknown, field: string, message: string, constraint?: string): unknown {
  return isUniqueViolation(error, constraint) ? FieldError.on(field, message) : error;
}
