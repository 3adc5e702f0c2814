import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requirePermission } from "~/utils/auth.server";

// Target of the program switcher (a GET form, so it works without JavaScript).
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "programs:read");
  const id = new URL(request.url).searchParams.get("id");
  throw redirect(id && /^[\w-]{1,64}$/.test(id) ? `/programs/${id}` : "/programs");
}
