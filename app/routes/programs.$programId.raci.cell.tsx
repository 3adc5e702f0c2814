import type { ActionFunctionArgs } from "@remix-run/node";
import { setCell } from "~/models/raci/matrix.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requirePermission } from "~/utils/auth.server";
import { setCellSchema } from "~/validation/raci";
import { jsonFailure } from "~/utils/action.server";

// One cell edit from the grid (JSON in, JSON out, no page reload). A stale version is a 409
// carrying the current value and who set it, so the editor can show it.
export async function action({ request, params }: ActionFunctionArgs) {
  // The grid's hottest request: the edit's own statement finds the cell through the program's
  // matrix, so an unknown program is a 404 from there, without a query of its own first.
  const user = await requirePermission(request, "raci:write");
  const parsed = parseForm(setCellSchema, await request.formData());
  if (!parsed.ok) return Response.json({ error: Object.values(parsed.errors)[0], errors: parsed.errors }, { status: 400 });
  const { activityId, roleId, value, version } = parsed.data;
  try {
    const cell = await setCell(getDb(), user, params.programId ?? "", { activityId, roleId, value, expectedVersion: version });
    return Response.json({ cell });
  } catch (error) {
    return jsonFailure(error);
  }
}

export async function loader() {
  return new Response("Method not allowed", { status: 405 });
}
