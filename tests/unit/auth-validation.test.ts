import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  changePasswordSchema,
  createUserSchema,
  loginSchema,
  resetPasswordSchema,
  safeRedirect,
  setupSchema,
  updateUserSchema,
} from "~/validation/auth";

/** The first message per field, as a form would show it; null when the input is valid. */
function errorsOf(schema: z.ZodType, input: Record<string, unknown>): Record<string, string> | null {
  const result = schema.safeParse(input);
  if (result.success) return null;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
  return errors;
}

const PASSWORD = "correct-horse-battery";
const setup = { name: "Ada Admin", email: "ada@example.com", password: PASSWORD, confirm: PASSWORD };

describe("setup form", () => {
  it("a complete form is accepted, with the name and email trimmed", () => {
    const result = setupSchema.safeParse({ ...setup, name: "  Ada Admin ", email: " ada@example.com " });
    expect(result.success && result.data).toEqual({ ...setup, name: "Ada Admin", email: "ada@example.com" });
  });

  it("a repeated password that differs is reported on the repeat field", () => {
    expect(errorsOf(setupSchema, { ...setup, confirm: `${PASSWORD}!` })).toEqual({ confirm: "The passwords do not match." });
  });

  it("a password shorter than 12 characters is refused", () => {
    expect(errorsOf(setupSchema, { ...setup, password: "short-11chr", confirm: "short-11chr" })).toEqual({
      password: "Use at least 12 characters.",
    });
  });

  it("a password of exactly 12 characters is enough and one over 200 is too long", () => {
    expect(errorsOf(setupSchema, { ...setup, password: "x".repeat(12), confirm: "x".repeat(12) })).toBeNull();
    const long = "x".repeat(201);
    expect(errorsOf(setupSchema, { ...setup, password: long, confirm: long })).toEqual({ password: "Use at most 200 characters." });
  });

  it("an email without an @ is refused with an example of a good one", () => {
    expect(errorsOf(setupSchema, { ...setup, email: "ada.example.com" })).toEqual({
      email: "Enter a valid email address, like name@example.com.",
    });
  });

  it("missing or blank fields say what is required", () => {
    expect(errorsOf(setupSchema, { password: PASSWORD, confirm: PASSWORD, name: "   " })).toEqual({
      name: "Name is required.",
      email: "Email is required.",
    });
    expect(errorsOf(setupSchema, { ...setup, confirm: undefined })).toEqual({ confirm: "Repeat the password." });
  });
});

describe("login form", () => {
  it("needs an email and a password but does not judge the password's length", () => {
    expect(errorsOf(loginSchema, { email: "ada@example.com", password: "x" })).toBeNull();
    expect(errorsOf(loginSchema, { email: " ", password: "" })).toEqual({
      email: "Email is required.",
      password: "Password is required.",
    });
  });

  it("a password longer than 200 characters is refused before it is hashed", () => {
    expect(errorsOf(loginSchema, { email: "ada@example.com", password: "x".repeat(201) })).toEqual({
      password: "Password is too long.",
    });
  });
});

describe("account forms", () => {
  it("a new account needs one of the listed roles", () => {
    const base = { name: "Bo", email: "bo@example.com", password: PASSWORD };
    expect(errorsOf(createUserSchema, { ...base, role: "coach" })).toBeNull();
    expect(errorsOf(createUserSchema, { ...base, role: "superuser" })).toEqual({ role: "Choose one of the listed roles." });
  });

  it("the active checkbox is true when ticked and false when absent", () => {
    const base = { name: "Bo", email: "bo@example.com", role: "coach" };
    expect(updateUserSchema.parse({ ...base, active: "on" }).active).toBe(true);
    expect(updateUserSchema.parse(base).active).toBe(false);
  });

  it("a password reset applies the same length rule as a new password", () => {
    expect(errorsOf(resetPasswordSchema, { password: "short" })).toEqual({ password: "Use at least 12 characters." });
  });

  it("changing a password needs the current one and a matching repeat", () => {
    expect(errorsOf(changePasswordSchema, { current: "", password: PASSWORD, confirm: PASSWORD })).toEqual({
      current: "Enter your current password.",
    });
    expect(errorsOf(changePasswordSchema, { current: "old", password: PASSWORD, confirm: "other-password-x" })).toEqual({
      confirm: "The passwords do not match.",
    });
  });
});

describe("safeRedirect", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeRedirect("/programs?status=active")).toBe("/programs?status=active");
  });

  it.each([
    ["a protocol-relative URL", "//evil.com"],
    ["an absolute URL", "https://evil.com"],
    ["a backslash that browsers read as a slash", "/\\evil"],
    ["a tab that browsers strip, leaving //", "/\t/evil.com"],
    ["a newline that browsers strip, leaving //", "/\n/evil.com"],
    ["a relative path", "programs"],
    ["an empty string", ""],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirect(to)).toBe("/");
    // Whatever it returns must resolve to this site, as a browser would read it.
    expect(new URL(safeRedirect(to), "http://localhost/").host).toBe("localhost");
  });

  it("falls back when there is no target, to the given fallback if any", () => {
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(null, "/programs")).toBe("/programs");
    expect(safeRedirect(["/a"], "/programs")).toBe("/programs");
  });
});
