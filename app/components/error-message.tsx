import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useRequestId } from "~/utils/request-id";

/** Plain-words explanation of a thrown response or an unexpected error. Shared by route boundaries. */
export function ErrorMessage({ error }: { error: unknown }) {
  const requestId = useRequestId();
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <section className="error-page">
          <h1>Page not found</h1>
          <p>{typeof error.data === "string" && error.data ? error.data : "There is nothing at this address."}</p>
          <p>
            <Link to="/">Go to the start page</Link>
          </p>
        </section>
      );
    }
    if (error.status === 403) {
      return (
        <section className="error-page">
          <h1>Not allowed</h1>
          <p>{typeof error.data === "string" && error.data ? error.data : "Your role does not allow this."}</p>
          <p>
            If you think you should have access, ask an administrator. <Link to="/">Go to the start page</Link>
          </p>
        </section>
      );
    }
    return (
      <section className="error-page" data-request-id={error.status >= 500 && requestId ? requestId : undefined}>
        <h1>
          {error.status} {error.statusText}
        </h1>
        <p>{typeof error.data === "string" ? error.data : "The request could not be completed."}</p>
        {error.status >= 500 && requestId ? (
          <p>
            Reference for your administrator: <code className="request-id">{requestId}</code>
          </p>
        ) : null}
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="error-page" data-request-id={requestId || undefined}>
      <h1>Something went wrong</h1>
      <p>An unexpected error happened on our side. It has been logged; please try again in a moment.</p>
      {requestId ? (
        <p>
          If it keeps happening, tell your administrator this reference: <code className="request-id">{requestId}</code>
        </p>
      ) : null}
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}

/** A route's error boundary: the same plain-words page inside the app layout. */
export function RouteErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
