import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAllUsers, USER_LIST_SPEC } from "~/models/accounts/users.server";
import { requirePermission } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";

// Every account matching the users list's URL search and filters (the list shows one page).

const COLUMNS = ["name", "email", "role", "active", "last_login_at"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  const params = parseListParams(new URL(request.url).searchParams, USER_LIST_SPEC);
  const users = await listAllUsers(getDb(), params);
  return csvResponse(
    "users",
    COLUMNS,
    users.map((u) => ({
      name: u.name,
      email: u.email,
      role: u.role,
      active: u.active,
      last_login_at: u.last_login_at ? new Date(u.last_login_at).toISOString() : "",
    })),
  );
}
