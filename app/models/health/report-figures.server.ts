import type { HealthFigures } from "~/models/reports/dimensions";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { healthBasics, healthPage } from "./health-page.server";

/**
 * Process health for the sponsor report's health dimension (plugged in through
 * ~/models/reports/plug-ins.server.ts): the latest started cycle's program score, the previous
 * cycle's, the teams at risk, the most common problem and the score per wave. Null before the
 * first cycle starts. Five queries, counted in SQL (ADR 0021; the live status caches its whole
 * result, ADR 0011): the health page's roll-ups of this cycle and the previous one only (no units,
 * no older cycles, no team rows; ADR 0027), and without the summary's count of the teams that
 * scored an ended cycle, which the report does not show (publishing a report computes these in
 * its transaction: every query counts).
 */
export async function healthReportFigures(db: DB, programId: string, today: Day): Promise<HealthFigures | null> {
  const summary = await healthPage(db, programId, await healthBasics(db, programId, today), { summaryOnly: true });
  if (!summary.cycle) return null;
  return {
    cycleName: summary.cycle.name,
    previousCycleName: summary.previousCycle?.name ?? null,
    score: summary.overall.score,
    previousScore: summary.overall.previousScore,
    teams: summary.overall.teams,
    atRisk: summary.overall.bands.at_risk,
    topProblem: summary.overall.reasons[1] ?? null,
    byWave: summary.waves.filter((w) => w.id !== "none").map((w) => ({ wave: w.name, score: w.score })),
  };
}
