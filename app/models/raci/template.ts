import type { RaciValue } from "../../../db/schema";

/**
 * The default RACI matrix, derived from the source texts in shared/seeds: the PLO and OKR
 * coach task lists (“Roles & Responsibilities in an OKR Rollout”), the sponsor's and
 * leadership's duties, and the OKRBOK role catalogue (executive leadership, department
 * leaders, team members, HR/People Ops, finance, data analysts).
 */
export const TEMPLATE_ROLES = [
  "PLO",
  "OKR Coach",
  "Executive Sponsor",
  "Leadership",
  "Team Lead",
  "Team Member",
  "HR / People Ops",
  "Finance",
  "Data Analyst",
] as const;

type RoleName = (typeof TEMPLATE_ROLES)[number];
type Row = { group: string; name: string; cells: Partial<Record<RoleName, RaciValue>> };

export const TEMPLATE_ACTIVITIES: Row[] = [
  // Rollout setup — the PLO creates the rollout plan; the sponsor co-develops it and keeps it on budget.
  {
    group: "Rollout setup",
    name: "Create the rollout plan",
    cells: { PLO: "R", "Executive Sponsor": "A", Leadership: "C", Finance: "C", "OKR Coach": "I" },
  },
  {
    group: "Rollout setup",
    name: "Approve the rollout budget",
    cells: { "Executive Sponsor": "A", Finance: "R", PLO: "C", Leadership: "I" },
  },
  { group: "Rollout setup", name: "Assign OKR coaches to teams", cells: { PLO: "A", "OKR Coach": "R", "Team Lead": "I", Leadership: "I" } },
  {
    group: "Rollout setup",
    name: "Organize enablement and training",
    cells: { PLO: "A", "OKR Coach": "R", "HR / People Ops": "C", "Team Lead": "I", "Team Member": "I" },
  },
  {
    group: "Rollout setup",
    name: "Provide coaches with playbook and material",
    cells: { PLO: "A", "HR / People Ops": "R", "OKR Coach": "C", "Team Lead": "I" },
  },
  {
    group: "Rollout setup",
    name: "Manage internal stakeholders",
    cells: { PLO: "R", "Executive Sponsor": "A", Leadership: "C", "OKR Coach": "I" },
  },
  {
    group: "Rollout setup",
    name: "Set up communication channels and formats",
    cells: { PLO: "R", "Executive Sponsor": "A", "HR / People Ops": "C", "OKR Coach": "I", "Team Member": "I" },
  },
  // Drafting
  {
    group: "Drafting",
    name: "Define company-level objectives",
    cells: { Leadership: "R", "Executive Sponsor": "A", PLO: "C", Finance: "C", "Team Lead": "I", "Team Member": "I" },
  },
  {
    group: "Drafting",
    name: "Translate company OKRs into department OKRs",
    cells: { Leadership: "A", "Team Lead": "R", "OKR Coach": "C", PLO: "I" },
  },
  {
    group: "Drafting",
    name: "Draft team OKRs",
    cells: { "Team Lead": "A", "Team Member": "R", "OKR Coach": "C", Leadership: "I", PLO: "I" },
  },
  { group: "Drafting", name: "Facilitate drafting workshops", cells: { "OKR Coach": "R", PLO: "A", "Team Lead": "C", "Team Member": "I" } },
  {
    group: "Drafting",
    name: "Provide baseline data for key results",
    cells: { "Data Analyst": "R", "Team Lead": "A", "Team Member": "C", "OKR Coach": "I" },
  },
  // Alignment
  {
    group: "Alignment",
    name: "Align team OKRs with company OKRs",
    cells: { "Team Lead": "R", Leadership: "A", "OKR Coach": "C", PLO: "I" },
  },
  {
    group: "Alignment",
    name: "Resolve cross-team dependencies",
    cells: { "Team Lead": "R", Leadership: "A", "OKR Coach": "C", "Team Member": "I" },
  },
  { group: "Alignment", name: "Allocate resources to OKRs", cells: { Finance: "R", Leadership: "A", PLO: "C", "Team Lead": "I" } },
  // Check-ins
  {
    group: "Check-ins",
    name: "Update key result progress weekly",
    cells: { "Team Member": "R", "Team Lead": "A", "OKR Coach": "C", "Data Analyst": "C", PLO: "I" },
  },
  { group: "Check-ins", name: "Hold team check-in meetings", cells: { "Team Lead": "A", "Team Member": "R", "OKR Coach": "C", PLO: "I" } },
  { group: "Check-ins", name: "Answer team questions on the OKR process", cells: { "OKR Coach": "R", PLO: "A", "Team Lead": "I" } },
  {
    group: "Check-ins",
    name: "Escalate blockers to the PLO",
    cells: { "OKR Coach": "R", PLO: "A", "Team Lead": "C", "Executive Sponsor": "I" },
  },
  { group: "Check-ins", name: "Maintain OKR dashboards", cells: { "Data Analyst": "R", PLO: "A", "Team Lead": "I", Leadership: "I" } },
  // Review & retrospective
  {
    group: "Review & retrospective",
    name: "Score OKRs at cycle end",
    cells: { "Team Lead": "A", "Team Member": "R", "OKR Coach": "C", Leadership: "I", PLO: "I" },
  },
  {
    group: "Review & retrospective",
    name: "Facilitate the retrospective",
    cells: { "OKR Coach": "R", PLO: "A", "Team Lead": "C", "Team Member": "C", Leadership: "I" },
  },
  {
    group: "Review & retrospective",
    name: "Adapt the OKR process for the next cycle",
    cells: { PLO: "R", "Executive Sponsor": "A", "OKR Coach": "C", Leadership: "C", "Team Lead": "I" },
  },
  {
    group: "Review & retrospective",
    name: "Share learnings and best practices",
    cells: { "OKR Coach": "R", PLO: "A", "Team Lead": "I", "Team Member": "I" },
  },
  {
    group: "Review & retrospective",
    name: "Keep OKRs separate from performance reviews",
    cells: { "HR / People Ops": "R", Leadership: "A", PLO: "C", "Team Lead": "I", "Team Member": "I" },
  },
  // Reporting
  {
    group: "Reporting",
    name: "Publish the rollout status report",
    cells: { PLO: "R", "Executive Sponsor": "A", "OKR Coach": "C", "Data Analyst": "C", Leadership: "I" },
  },
  {
    group: "Reporting",
    name: "Communicate OKRs at company events",
    cells: { "Executive Sponsor": "R", Leadership: "A", PLO: "C", "Team Member": "I" },
  },
  {
    group: "Reporting",
    name: "Analyze OKR data for insights",
    cells: { "Data Analyst": "R", PLO: "A", Leadership: "I", "Executive Sponsor": "I" },
  },
];
