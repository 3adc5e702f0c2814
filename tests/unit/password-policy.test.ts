import { describe, expect, it } from "vitest";
import { passwordProblem } from "~/models/accounts/password-policy.server";

// New passwords (setup, an administrator's create or reset, one's own change) are refused when
// common, guessable or made of the user's name or email — with the reason in words.

const ada = { name: "Ada Lovelace", email: "ada.lovelace@example.com" };

describe("which new passwords are refused", () => {
  it("refuses the probe's passwords, each with a reason", () => {
    for (const password of ["aaaaaaaaaaaa", "            ", "password1234", "qwertyuiop12", "123456789012"]) {
      const problem = passwordProblem(password, ada);
      expect(problem, password).toMatch(/^This password is too easy to guess\. .+/);
    }
  });

  it("refuses the user's own email, and passwords made of their name or email", () => {
    expect(passwordProblem("ada.lovelace@example.com", ada)).toBe("The password must not contain your email address.");
    expect(passwordProblem("xada.lovelace@example.com!", ada)).toBe("The password must not contain your email address.");
    expect(passwordProblem("AdaLovelace1815", ada)).toBe("The password must not be made of your name or email address.");
    expect(passwordProblem("lovelace-lovelace", ada)).toBe("The password must not be made of your name or email address.");
  });

  it("refuses passwords built from the app's own name", () => {
    expect(passwordProblem("rolloutdesk2026", ada)).toMatch(/too easy to guess/);
  });

  it("says what makes a repetitive password weak", () => {
    expect(passwordProblem("aaaaaaaaaaaa", ada)).toContain('Repeated characters like "aaa" are easy to guess.');
  });

  it("accepts long passphrases and random strings, also ones that merely mention a short part of the name", () => {
    for (const password of [
      "correct-horse-battery-staple",
      "northwind-demo-2026",
      "Tr0ub4dor&3xx-quill",
      "ada-planted-17-purple-tulips",
      "kx9#Lm2$vQ8!",
    ]) {
      expect(passwordProblem(password, ada), password).toBeNull();
    }
  });

  it("judges a very long password by its first 64 characters, quickly enough for a form", () => {
    expect(passwordProblem("a1!".repeat(66), ada)).toMatch(/too easy to guess/);
    expect(passwordProblem(`${"kx9#Lm2$vQ8!".repeat(5)}${"a".repeat(100)}`, ada)).toBeNull();
  });
});
