import { listMilestones, type MilestoneRow } from "~/models/plan/milestones.server";
import { listWaveOptions, type WaveOption } from "~/models/plan/refs.server";
import { describeTimeline, layoutTimeline, type TimelineLayout } from "~/models/plan/timeline";
import type { DB } from "~/utils/db.server";

export interface ProgramTimeline {
  layout: TimelineLayout;
  description: string;
  waves: WaveOption[];
  milestones: MilestoneRow[];
}

/** The program's timeline: two queries (waves, milestones with owners), whatever their number. */
export async function loadTimeline(
  db: DB,
  program: { id: string; starts_on: string | null; ends_on: string | null },
  today: string,
): Promise<ProgramTimeline> {
  const [waves, milestones] = await Promise.all([listWaveOptions(db, program.id), listMilestones(db, program.id, today)]);
  const layout = layoutTimeline({
    program: { startsOn: program.starts_on, endsOn: program.ends_on },
    waves,
    milestones,
    today,
  });
  return { layout, description: describeTimeline(layout, today), waves, milestones };
}
