import type { DB } from "~/utils/db.server";
import { latestPublishedReport, type ReportViewer } from "./reports.server";

/**
 * Where a sponsor lands after sign-in: the latest published report of the program, or its live
 * status while none is published (one query).
 */
export async function sponsorHomePath(db: DB, viewer: ReportViewer, programId: string): Promise<string> {
  const latest = await latestPublishedReport(db, viewer, programId);
  return latest ? `/programs/${programId}/reports/${latest.id}` : `/programs/${programId}/status`;
}
