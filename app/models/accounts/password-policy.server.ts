import { createHash } from "node:crypto";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { FieldError } from "~/models/errors";

// Which new passwords are refused (OWASP ASVS 2.1.7): common ones, guessable ones, and those
// made of the user's own name or email or of the app's name. Length (12–200) is checked by the
// form schema; this is the part only the server can judge, with zxcvbn-ts — a maintained
// strength estimator that ships its dictionaries (common passwords, English words, names,
// keyboard patterns) in the npm package and works offline.

/** zxcvbn's scale 0–4: 3 means about 10⁸ guesses or more — out of reach of online guessing and costly offline against argon2id. */
export const MIN_PASSWORD_SCORE = 3;

/** Words anyone would try on this installation. */
const APP_WORDS = ["rollout", "desk", "rolloutdesk", "rollout-desk", "okr", "okrs", "objectives", "keyresults"];

// The estimator's cost grows fast with length on repetitive l33t input: the first 64 characters
// decide (a longer password is at least as strong), and l33t substitutions are capped.
const CHECKED_LENGTH = 64;

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions: 12,
    maxLength: CHECKED_LENGTH,
  });
  return estimator;
}

export interface PasswordContext {
  name?: string | null;
  email?: string | null;
}

/** The parts of a name and an email address someone might build a password from. */
function personalWords(context: PasswordContext): string[] {
  const words = new Set<string>();
  const add = (text: string | null | undefined) => {
    if (!text) return;
    const lower = text.trim().toLowerCase();
    if (lower.length >= 3) words.add(lower);
    for (const part of lower.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  };
  add(context.name);
  add(context.email);
  add(context.email?.split("@")[0]);
  return [...words];
}

/** Why this password is refused, in words for the form, or null when it is fine. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  const checked = password.slice(0, CHECKED_LENGTH);
  const lower = checked.toLowerCase();
  const personal = personalWords(context);
  const email = context.email?.trim().toLowerCase();
  if (email && lower.includes(email)) return "The password must not contain your email address.";
  // A long part of the name or email making up most of the password.
  const compact = lower.replace(/[^\p{L}\p{N}]+/gu, "");
  if (
    personal.some((word) => word.length >= 4 && compact.includes(word.replace(/[^\p{L}\p{N}]+/gu, "")) && word.length * 2 >= compact.length)
  ) {
    return "The password must not be made of your name or email address.";
  }
  // The personal words that matter are the ones in the password: with none, the verdict depends
  // on the password alone and is remembered (under a hash: no password is kept in memory).
  const inputs = [...personal.filter((word) => lower.includes(word)), ...APP_WORDS];
  const key = createHash("sha256")
    .update(JSON.stringify([checked, inputs]))
    .digest("base64");
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const result = zxcvbn().check(checked, [...personal, ...APP_WORDS]);
    const warning = result.feedback.warning?.trim();
    const hint = result.feedback.suggestions[0]?.trim();
    verdict =
      result.score >= MIN_PASSWORD_SCORE
        ? null
        : ["This password is too easy to guess.", warning, hint ?? "Use a few unrelated words, or more characters without a pattern."]
            .filter(Boolean)
            .join(" ");
    if (verdicts.size >= 256) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** Recent verdicts by hash of (password, personal words in it): an estimate costs tens of milliseconds. */
const verdicts = new Map<string, string | null>();

/** Throws a FieldError on `field` when the password would be refused. */
export function assertAcceptablePassword(password: string, context: PasswordContext, field = "password"): void {
  const problem = passwordProblem(password, context);
  if (problem) throw FieldError.on(field, problem);
}
