import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formValues, parseForm, unconfirmed } from "~/utils/forms";

function form(entries: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  return data;
}

describe("parseForm", () => {
  const schema = z.object({
    name: z.string().trim().min(1, "Name is required."),
    code: z.string().min(5, "Code is too short.").regex(/^\d+$/, "Code must be digits only."),
  });

  it("a valid form gives the parsed data and the submitted values", () => {
    const result = parseForm(schema, form({ name: "  Ada  ", code: "12345" }));
    expect(result).toEqual({ ok: true, data: { name: "Ada", code: "12345" }, values: { name: "  Ada  ", code: "12345" } });
  });

  it("a field failing several rules reports only its first message", () => {
    const result = parseForm(schema, form({ name: "Ada", code: "ab" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ code: "Code is too short." });
  });

  it("each invalid field gets its own message", () => {
    const result = parseForm(schema, form({ name: " ", code: "12" }));
    expect(result.ok || result.errors).toEqual({ name: "Name is required.", code: "Code is too short." });
  });

  it("a rule on the whole form is reported under _form", () => {
    const whole = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a !== v.b, "A and B must differ.");
    const result = parseForm(whole, form({ a: "x", b: "x" }));
    expect(result.ok || result.errors).toEqual({ _form: "A and B must differ." });
  });

  it("a failed form keeps the user's input but never echoes a password", () => {
    const signup = z.object({ email: z.email("Bad email."), password: z.string().min(12, "Too short.") });
    const result = parseForm(
      signup,
      form({ email: "not-an-email", password: "hunter2", newPassword: "hunter3", confirm: "hunter2", current: "old-secret" }),
    );
    expect(result.ok).toBe(false);
    expect(result.values).toEqual({ email: "not-an-email" });
    expect(JSON.stringify(result)).not.toMatch(/hunter|old-secret/);
  });

  it("a successful form does not echo passwords either", () => {
    const login = z.object({ email: z.string(), password: z.string() });
    const result = parseForm(login, form({ email: "ada@example.com", password: "hunter2-hunter2" }));
    expect(result.values).toEqual({ email: "ada@example.com" });
  });

  it("a key sent several times reaches the schema as a list", () => {
    const tags = z.object({ tag: z.array(z.string()) });
    const result = parseForm(tags, form({ tag: ["a", "b"] }));
    expect(result.ok && result.data).toEqual({ tag: ["a", "b"] });
  });

  it("a missing field is reported with the schema's message", () => {
    const result = parseForm(z.object({ name: z.string({ error: "Name is required." }) }), form({}));
    expect(result.ok || result.errors).toEqual({ name: "Name is required." });
  });
});

describe("formValues", () => {
  it("keeps text fields, cut to 10,000 characters, and drops files", () => {
    const data = form({ note: "x".repeat(12_000) });
    data.append("upload", new File(["content"], "a.csv"));
    const values = formValues(data);
    expect(Object.keys(values)).toEqual(["note"]);
    expect(values.note).toHaveLength(10_000);
  });

  it("drops any field whose name mentions a password, whatever its case", () => {
    expect(formValues(form({ Password: "a", currentPassword: "b", name: "Ada" }))).toEqual({ name: "Ada" });
  });
});

describe("confirmation boxes", () => {
  it("a ticked box confirms; an unticked or forged one is refused with the act named", () => {
    expect(unconfirmed(form({ confirm: "on" }))).toBeNull();
    expect(unconfirmed(form({}))).toEqual({ confirm: "Tick the box to confirm the deletion." });
    expect(unconfirmed(form({ confirm: "yes" }), "removal")).toEqual({ confirm: "Tick the box to confirm the removal." });
  });
});
