import { adoptionReportFigures } from "~/models/cycles/report-figures.server";
import { enablementReportFigures } from "~/models/enablement/report-figures.server";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { healthReportFigures } from "~/models/health/report-figures.server";
import type { AdoptionFigures, EnablementFigures, HealthFigures } from "./dimensions";

// Where other areas plug their figures into the status report. Each source takes the database
// (or a transaction), the program id and today, and answers its figures in a bounded number of
// queries — or null while the area has nothing to say (the dimension then shows "not measured
// yet"). To plug an area in, replace its line with the area's function, e.g.
//
//   import { adoptionFigures } from "~/models/cycles/report-figures.server";
//   adoption: adoptionFigures,
//
// The shapes are documented on AdoptionFigures (./dimensions/adoption.ts) and EnablementFigures
// (./dimensions/enablement.ts); their rules are unit-tested there on hand-made figures.

export type FigureSource<F> = (db: DB, programId: string, today: Day) => Promise<F | null>;

export const FIGURE_SOURCES: {
  adoption: FigureSource<AdoptionFigures>;
  enablement: FigureSource<EnablementFigures>;
  health: FigureSource<HealthFigures>;
} = {
  adoption: adoptionReportFigures,
  health: healthReportFigures,
  enablement: enablementReportFigures,
};
