import { today as currentDay, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { lateMilestones, milestoneCounts } from "./milestones.server";
import { pivotCounts, teamCountsByWaveAndStatus } from "./program-teams.server";
import { topRisks } from "./risks.server";
import { stakeholdersToContact } from "./stakeholders.server";
import { wavesWithReadiness } from "./waves.server";

// The plan of a program at a glance, as the program's overview shows it and the sponsor's status
// report reuses it: teams by wave and status, waves with their readiness, late milestones and
// their counts, the top risks and the stakeholders due a contact. A fixed number of queries,
// whatever the size of the program.

export type ProgramOverview = Awaited<ReturnType<typeof programOverview>>;

/** The plan's overview on `day` (today unless said otherwise); `limit` rows per short list. */
export async function programOverview(db: DB, programId: string, { day = currentDay(), limit = 5 }: { day?: Day; limit?: number } = {}) {
  const counts = await teamCountsByWaveAndStatus(db, programId);
  const [{ waves, readiness }, late, milestones, risks, contacts] = await Promise.all([
    wavesWithReadiness(db, programId, day, counts),
    lateMilestones(db, programId, day, limit),
    milestoneCounts(db, programId, day),
    topRisks(db, programId, limit),
    stakeholdersToContact(db, programId, day, limit),
  ]);
  return { teams: pivotCounts(counts), waves, readiness, late, milestones, risks, contacts };
}
