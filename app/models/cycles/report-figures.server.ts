import type { AdoptionFigures } from "~/models/reports/dimensions";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { adoptionFigures } from "./checklist.server";

/**
 * The OKR cycles' figures for the sponsor report's adoption dimension: teams of the current cycle
 * and those checking in on cadence (the checklist's own measure of "on track"); per wave, the
 * share on cadence as a 0–100 score until process health (issue 16) gives a real one. Null while
 * the program has no cycle running. Two queries.
 */
export async function adoptionReportFigures(db: DB, programId: string, today: Day): Promise<AdoptionFigures | null> {
  const figures = await adoptionFigures(db, programId, today);
  if (!figures.cycle || figures.total.teams === 0) return null;
  const share = (onCadence: number, teams: number) => (teams === 0 ? null : Math.round((onCadence / teams) * 100));
  return {
    cycleName: figures.cycle.name,
    teamsInCycle: figures.total.teams,
    teamsOnTrack: figures.total.onCadence,
    healthScore: null,
    healthByWave: figures.waves.map((w) => ({ wave: w.waveName ?? "No wave", score: share(w.onCadence, w.teams) })),
  };
}
