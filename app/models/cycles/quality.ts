// Quality checks of a team's OKR set while it is drafted, shown to the team lead and the coach.
// Pure: the set in, the checks and a 0–100 score out (no database), so the page, the checklist
// and the tests compute it the same way.
//
// The score weighs five checks by how much of the set passes each:
//   objectives within the cycle's maximum   15
//   2–5 key results per objective           25
//   every key result has a target (or is a milestone) and an owner   25
//   every objective aligned, or says why not                          25
//   key results not worded as tasks ("launch …", "implement …")       10
// "Passed" means every check but the wording hint passes fully.

export interface QualityKeyResult {
  id: string;
  title: string;
  kind: "metric" | "milestone";
  targetValue: number | null;
  ownerPersonId: string | null;
}

export interface QualityObjective {
  id: string;
  title: string;
  state: string;
  aligned: boolean;
  standaloneReason: string | null;
  keyResults: QualityKeyResult[];
}

export type QualityCheckId = "count" | "key_results" | "targets_owners" | "alignment" | "wording";

export interface QualityCheck {
  id: QualityCheckId;
  label: string;
  ok: boolean;
  /** A hint only (never blocks "passed"). */
  hint: boolean;
  /** What is wrong, one line per objective or key result. */
  problems: string[];
}

export interface QualityResult {
  score: number;
  passed: boolean;
  checks: QualityCheck[];
}

/** Scores at or above this pass the checklist's "quality passed" (with every non-hint check ok). */
export const QUALITY_PASS_SCORE = 80;

export const MIN_KEY_RESULTS = 2;
export const MAX_KEY_RESULTS = 5;

/** Verbs that make a key result a task when they open it: "Launch the new onboarding". */
export const TASK_VERBS = [
  "launch",
  "implement",
  "complete",
  "deliver",
  "build",
  "create",
  "finish",
  "release",
  "ship",
  "introduce",
  "develop",
  "set up",
  "roll out",
  "organize",
  "organise",
  "write",
  "hold",
  "run",
] as const;

const TASK_PATTERN = new RegExp(`^(${TASK_VERBS.map((v) => v.replace(" ", "\\s+")).join("|")})\\b`, "i");

/** True when a key result reads as a task: it opens with a task verb and names no number to reach. */
export function isTaskLike(title: string): boolean {
  const text = title.trim();
  return TASK_PATTERN.test(text) && !/\d/.test(text);
}

/** The quality of a team's set (abandoned objectives don't count). */
export function checkQuality(objectivesIn: QualityObjective[], maxObjectives: number): QualityResult {
  const objectives = objectivesIn.filter((o) => o.state !== "abandoned");
  const keyResults = objectives.flatMap((o) => o.keyResults.map((kr) => ({ ...kr, objective: o.title })));

  const countOk = objectives.length >= 1 && objectives.length <= maxObjectives;
  const count: QualityCheck = {
    id: "count",
    label: `At most ${maxObjectives} objective${maxObjectives === 1 ? "" : "s"}`,
    ok: countOk,
    hint: false,
    problems:
      objectives.length === 0
        ? ["No objective yet."]
        : objectives.length > maxObjectives
          ? [`${objectives.length} objectives: focus on at most ${maxObjectives}.`]
          : [],
  };

  const krProblems = objectives
    .filter((o) => o.keyResults.length < MIN_KEY_RESULTS || o.keyResults.length > MAX_KEY_RESULTS)
    .map((o) => `“${o.title}” has ${o.keyResults.length} key result${o.keyResults.length === 1 ? "" : "s"}.`);
  const krCount: QualityCheck = {
    id: "key_results",
    label: `${MIN_KEY_RESULTS}–${MAX_KEY_RESULTS} key results per objective`,
    ok: objectives.length > 0 && krProblems.length === 0,
    hint: false,
    problems: krProblems,
  };

  const completeness = keyResults.flatMap((kr) => {
    const missing = [kr.kind === "metric" && kr.targetValue === null ? "a target" : null, kr.ownerPersonId ? null : "an owner"].filter(
      Boolean,
    );
    return missing.length ? [{ id: kr.id, text: `“${kr.title}” needs ${missing.join(" and ")}.` }] : [];
  });
  const targets: QualityCheck = {
    id: "targets_owners",
    label: "Every key result has a target or milestone and an owner",
    ok: keyResults.length > 0 && completeness.length === 0,
    hint: false,
    problems: completeness.map((p) => p.text),
  };

  const unaligned = objectives.filter((o) => !o.aligned && !o.standaloneReason);
  const alignment: QualityCheck = {
    id: "alignment",
    label: "Every objective is aligned, or says why not",
    ok: objectives.length > 0 && unaligned.length === 0,
    hint: false,
    problems: unaligned.map((o) => `“${o.title}” is aligned to nothing and gives no reason.`),
  };

  const tasks = keyResults.filter((kr) => isTaskLike(kr.title));
  const wording: QualityCheck = {
    id: "wording",
    label: "Key results are outcomes, not tasks",
    ok: tasks.length === 0,
    hint: true,
    problems: tasks.map((kr) => `“${kr.title}” reads like a task: what will be different once it is done?`),
  };

  const share = (bad: number, total: number) => (total === 0 ? 0 : (total - bad) / total);
  const score =
    objectives.length === 0
      ? 0
      : Math.round(
          15 * (countOk ? 1 : 0) +
            25 * share(krProblems.length, objectives.length) +
            25 * share(completeness.length, keyResults.length) +
            25 * share(unaligned.length, objectives.length) +
            10 * (keyResults.length === 0 ? 0 : share(tasks.length, keyResults.length)),
        );
  const checks = [count, krCount, targets, alignment, wording];
  const passed = score >= QUALITY_PASS_SCORE && checks.every((c) => c.ok || c.hint);
  return { score, passed, checks };
}
