import os from "node:os";
import { describe, expect, it } from "vitest";
import { hashPassword, passwordWork, verifyPassword } from "~/utils/password.server";

// Password hashes take a core each; a burst of sign-ins must leave a core to the thread that
// answers everyone else's pages.
describe("password hashing", () => {
  it("runs at most one core's worth at a time, leaving one core free, and the rest wait in line", async () => {
    const stored = await hashPassword("the-right-password-42");
    const guesses = Array.from({ length: 6 }, (_, i) => verifyPassword(stored, `wrong-guess-${i}`));
    const allowed = Math.max(1, os.availableParallelism() - 1);
    expect(passwordWork.activeCount).toBe(Math.min(allowed, 6));
    expect(passwordWork.pendingCount).toBe(6 - Math.min(allowed, 6));
    expect(await Promise.all(guesses)).toEqual([false, false, false, false, false, false]);
    expect(await verifyPassword(stored, "the-right-password-42")).toBe(true);
  });
});
