import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/utils/auth.server";

// Unknown addresses: a 404 page inside the layout (after sign-in, so nothing is revealed).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw new Response("There is nothing at this address.", { status: 404 });
}

export default function NotFound() {
  return null;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
