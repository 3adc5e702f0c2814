import type { OnboardingStatus } from "../../../db/schema";
import type { TeamCycleMetrics } from "./metrics";

// Graduation (issue 16): which onboarding status moves the app proposes for a team, with the
// evidence for each, from its health metrics per cycle, its coach's latest maturity rating and
// its training. Pure, so the rules are tested on hand-made histories; the PLO confirms or
// rejects the proposals (./graduation.server.ts).
//
//   not started, onboarding → first cycle   the team drafted objectives in a started cycle
//   first cycle → running                   the team closed a cycle: every key result scored
//                                           and a retrospective held, in an ended cycle
//   running → self-sufficient               the program's rules (defaults below), over the
//                                           latest N ended cycles of the program, consecutive:
//                                           the team took part in each, kept ≥ X % of its
//                                           check-in windows, scored every key result; ran the
//                                           latest retrospective itself; its coach's latest
//                                           maturity rating ≥ M; its required training met
//   self-sufficient → running (back)        the latest ended cycle fell short: fewer than X %
//                                           of the windows kept, or key results not scored

export interface GraduationRules {
  consecutiveCycles: number;
  minWindowsPercent: number;
  requireScored: boolean;
  requireTeamRetro: boolean;
  /** Null: not asked for. */
  minMaturity: number | null;
  requireTraining: boolean;
}

export const DEFAULT_RULES: GraduationRules = {
  consecutiveCycles: 2,
  minWindowsPercent: 80,
  requireScored: true,
  requireTeamRetro: true,
  minMaturity: 4,
  requireTraining: true,
};

/** The rules in words, for the page. */
export function describeRules(r: GraduationRules): string[] {
  return [
    `${r.consecutiveCycles} consecutive ended cycle${r.consecutiveCycles === 1 ? "" : "s"} with at least ${r.minWindowsPercent} % of the check-in windows kept`,
    ...(r.requireScored ? [`every key result scored in ${r.consecutiveCycles === 1 ? "that cycle" : "each of them"}`] : []),
    ...(r.requireTeamRetro ? ["the latest retrospective recorded by the team itself (its lead or a member)"] : []),
    ...(r.minMaturity !== null ? [`the coach's latest maturity rating at least ${r.minMaturity} of 5`] : []),
    ...(r.requireTraining ? ["every required training of the team's people met or waived"] : []),
  ];
}

export interface EvidenceItem {
  ok: boolean;
  text: string;
}

/** What the rules read about one team. */
export interface TeamHistory {
  teamId: string;
  status: OnboardingStatus;
  /** The program's started cycles, oldest first, with the team's metrics where it took part. */
  cycles: Array<{ id: string; name: string; ended: boolean; metrics: TeamCycleMetrics | null }>;
  /** The coach's latest maturity rating of the team (1–5) and its day. */
  maturity: { rating: number; on: string } | null;
  /** People with required training, and how many met it all; null: nobody to train. */
  trained: { done: number; total: number } | null;
}

export interface Proposal {
  teamId: string;
  from: OnboardingStatus;
  to: OnboardingStatus;
  direction: "up" | "back";
  evidence: EvidenceItem[];
  /** The latest cycle the evidence stands on (a rejection holds until there is a newer one). */
  basis: string;
}

const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)} %`);

function windowsText(c: { name: string; metrics: TeamCycleMetrics }): string {
  return `${c.name}: ${c.metrics.windowsKept} of ${c.metrics.windowsDue} check-in windows kept (${pct(c.metrics.windowsShare)})`;
}

function scoredText(c: { name: string; metrics: TeamCycleMetrics }): string {
  const m = c.metrics;
  return m.scoredShare === null ? `${c.name}: no key results to score` : `${c.name}: ${pct(m.scoredShare)} of the key results scored`;
}

/** The proposal for one team, or null when its status stands. */
export function proposeFor(h: TeamHistory, rules: GraduationRules): Proposal | null {
  const started = h.cycles;
  const ended = started.filter((c) => c.ended);
  const latestEnded = ended.at(-1) ?? null;
  const basis = (started.at(-1)?.id ?? "") + (latestEnded ? `/${latestEnded.id}` : "");

  if (h.status === "not_started" || h.status === "onboarding") {
    const drafted = [...started].reverse().find((c) => c.metrics?.drafted);
    if (!drafted) return null;
    return {
      teamId: h.teamId,
      from: h.status,
      to: "first_cycle",
      direction: "up",
      basis,
      evidence: [{ ok: true, text: `${drafted.name}: drafted an OKR set (quality score ${drafted.metrics!.qualityScore})` }],
    };
  }

  if (h.status === "first_cycle") {
    const closed = [...ended].reverse().find((c) => c.metrics && c.metrics.scoredShare === 1 && c.metrics.retroHeld);
    if (!closed) return null;
    return {
      teamId: h.teamId,
      from: h.status,
      to: "running",
      direction: "up",
      basis,
      evidence: [
        { ok: true, text: scoredText({ name: closed.name, metrics: closed.metrics! }) },
        { ok: true, text: `${closed.name}: retrospective held` },
      ],
    };
  }

  const threshold = rules.minWindowsPercent / 100;
  const windowsOk = (m: TeamCycleMetrics) => m.windowsShare !== null && m.windowsShare >= threshold;

  if (h.status === "self_sufficient") {
    if (!latestEnded) return null;
    const m = latestEnded.metrics;
    const evidence: EvidenceItem[] = [];
    if (!m) evidence.push({ ok: false, text: `${latestEnded.name}: did not take part` });
    else {
      if (!windowsOk(m))
        evidence.push({ ok: false, text: `${windowsText({ name: latestEnded.name, metrics: m })}, below ${rules.minWindowsPercent} %` });
      if (rules.requireScored && m.scoredShare !== 1)
        evidence.push({ ok: false, text: scoredText({ name: latestEnded.name, metrics: m }) });
    }
    if (evidence.length === 0) return null;
    return { teamId: h.teamId, from: h.status, to: "running", direction: "back", basis, evidence };
  }

  if (h.status !== "running") return null;
  const window = ended.slice(-rules.consecutiveCycles);
  if (window.length < rules.consecutiveCycles) return null;
  const evidence: EvidenceItem[] = [];
  for (const c of window) {
    if (!c.metrics) {
      evidence.push({ ok: false, text: `${c.name}: did not take part` });
      continue;
    }
    evidence.push({ ok: windowsOk(c.metrics), text: windowsText({ name: c.name, metrics: c.metrics }) });
    if (rules.requireScored) evidence.push({ ok: c.metrics.scoredShare === 1, text: scoredText({ name: c.name, metrics: c.metrics }) });
  }
  const last = window.at(-1)!;
  if (rules.requireTeamRetro) {
    const m = last.metrics;
    evidence.push({
      ok: Boolean(m?.retroByTeam),
      text: !m?.retroHeld
        ? `${last.name}: no retrospective`
        : m.retroByTeam
          ? `${last.name}: retrospective run by the team itself`
          : `${last.name}: retrospective recorded by a coach or the PLO, not the team`,
    });
  }
  if (rules.minMaturity !== null) {
    evidence.push(
      h.maturity
        ? {
            ok: h.maturity.rating >= rules.minMaturity,
            text: `Coach's latest maturity rating: ${h.maturity.rating} of 5 (${h.maturity.on})`,
          }
        : { ok: false, text: "No maturity rating from a coach yet" },
    );
  }
  if (rules.requireTraining) {
    evidence.push(
      h.trained === null || h.trained.total === 0
        ? { ok: true, text: "No required training for the team's people" }
        : {
            ok: h.trained.done === h.trained.total,
            text: `Required training met by ${h.trained.done} of ${h.trained.total} people`,
          },
    );
  }
  if (evidence.some((e) => !e.ok)) return null;
  return { teamId: h.teamId, from: h.status, to: "self_sufficient", direction: "up", basis, evidence };
}

/** "teamId:from:to", the proposal's key in forms and decisions. */
export function proposalKey(p: Pick<Proposal, "teamId" | "from" | "to">): string {
  return `${p.teamId}:${p.from}:${p.to}`;
}
