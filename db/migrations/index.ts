import type { Migration } from "kysely/migration";
import * as m0001 from "./2026_11_22_0001_foundation";
import * as m0002 from "./2026_11_22_0002_raci";
import * as m0003 from "./2026_11_22_0003_audit_indexes";
import * as m0004 from "./2026_11_23_0004_organization";
import * as m0005 from "./2026_11_23_0005_rollout_plan";
import * as m0007 from "./2026_11_23_0007_coaching";
import * as m0006 from "./2026_11_23_0006_org_imports";
import * as m0008 from "./2026_11_23_0008_covering_indexes";
import * as m0009 from "./2026_11_23_0009_data_versions";
import * as m0020 from "./2026_12_07_0020_session_id_hashes";
import * as m0030 from "./2026_12_07_0030_org_import_records";
import * as m0040 from "./2026_12_07_0040_okr_cycles";
import * as m0050 from "./2026_12_07_0050_enablement";
import * as m0060 from "./2026_12_07_0060_sponsor_reports";
import * as m0070 from "./2026_12_07_0070_health";
import * as m0075 from "./2026_12_07_0075_cycle_imports";
import * as m0080 from "./2026_12_07_0080_health_facts";
import * as m0085 from "./2026_12_07_0085_enablement_coverage";
import * as m0087 from "./2026_12_07_0087_enablement_figures";
import * as m0090 from "./2026_12_07_0090_search_indexes";
import * as m0110 from "./2026_12_07_0110_enablement_overdue";
import * as m0120 from "./2026_12_07_0120_org_import_writes";
import * as m0140 from "./2026_12_07_0140_team_coaching_minutes";
import * as m0150 from "./2026_12_07_0150_enablement_overdue_count";

/**
 * Every migration, in order. Listed explicitly (not read from the folder) so the list
 * survives bundling and works under plain node, tsx and vitest alike.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_22_0001_foundation": m0001,
  "2026_11_22_0002_raci": m0002,
  "2026_11_22_0003_audit_indexes": m0003,
  "2026_11_23_0004_organization": m0004,
  "2026_11_23_0005_rollout_plan": m0005,
  "2026_11_23_0006_org_imports": m0006,
  "2026_11_23_0007_coaching": m0007,
  "2026_11_23_0008_covering_indexes": m0008,
  "2026_11_23_0009_data_versions": m0009,
  "2026_12_07_0020_session_id_hashes": m0020,
  "2026_12_07_0030_org_import_records": m0030,
  "2026_12_07_0040_okr_cycles": m0040,
  "2026_12_07_0050_enablement": m0050,
  "2026_12_07_0060_sponsor_reports": m0060,
  "2026_12_07_0070_health": m0070,
  "2026_12_07_0075_cycle_imports": m0075,
  "2026_12_07_0080_health_facts": m0080,
  "2026_12_07_0085_enablement_coverage": m0085,
  "2026_12_07_0087_enablement_figures": m0087,
  "2026_12_07_0090_search_indexes": m0090,
  "2026_12_07_0110_enablement_overdue": m0110,
  "2026_12_07_0120_org_import_writes": m0120,
  "2026_12_07_0140_team_coaching_minutes": m0140,
  "2026_12_07_0150_enablement_overdue_count": m0150,
};
