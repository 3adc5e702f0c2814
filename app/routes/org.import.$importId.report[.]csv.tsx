import type { LoaderFunctionArgs } from "@remix-run/node";
import { REPORT_COLUMNS, reportChunks } from "~/models/org/import-review.server";
import { getImport } from "~/models/org/import-stage.server";
import { orErrorResponse } from "~/utils/action.server";
import { requirePermission } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";

// The change report of an import (before or after its commit): every planned change, problem and
// proposal with its line; `?only=problems` for the errors and warnings alone. Streamed.

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const db = getDb();
  const upload = await orErrorResponse(() => getImport(db, params.importId));
  if (!upload.counts) throw new Response("The preview of this file is still being prepared. Try again in a moment.", { status: 409 });
  const problemsOnly = new URL(request.url).searchParams.get("only") === "problems";
  const name = `${upload.number ? `import-${upload.number}` : "import-preview"}-${problemsOnly ? "problems" : "changes"}`;
  return csvResponse(name, REPORT_COLUMNS, reportChunks(db, upload.id, { problemsOnly }));
}
