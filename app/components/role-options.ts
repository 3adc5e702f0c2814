import { ROLES } from "../../db/schema";
import { ROLE_LABELS } from "~/utils/permissions";

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export const ROLE_HINT =
  "Administrator: accounts and settings. Program Lead Office: plans and edits programs. OKR coach: logs support for their teams. Executive sponsor: reads reports, changes nothing. Team lead: sees their own team.";
