import os from "node:os";
import { hash, verify } from "@node-rs/argon2";
import pLimit from "p-limit";

// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. Algorithm 2 = Argon2id.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/**
 * Password hashing runs on libuv's thread pool (4 threads). A burst of sign-ins would otherwise
 * take every core and starve the thread that answers everyone else's pages; so hashes wait in
 * line, one core's worth at a time (one on a 2-core machine). A burst of wrong guesses then slows
 * only the guesser.
 */
export const passwordWork = pLimit(Math.max(1, os.availableParallelism() - 1));

export function hashPassword(password: string): Promise<string> {
  return passwordWork(() => hash(password, OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await passwordWork(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

// A real hash of a random password, verified against when an email is unknown, so a failed
// login takes the same time whether or not the account exists.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}
