import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formValues, MAX_FORM_FIELDS, parseForm, unconfirmed } from "~/utils/forms";

function form(entries: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  return data;
}

/**
 * A FormData that counts how many entries are looked at: `getAll(key)` and `get(key)` scan every
 * entry of the form (they are linear in its size), iterating counts one per entry.
 */
class CountingFormData extends FormData {
  looked = 0;
  private size() {
    let n = 0;
    for (const _ of super.entries()) n++;
    return n;
  }
  override getAll(name: string) {
    this.looked += this.size();
    return super.getAll(name);
  }
  override get(name: string) {
    this.looked += this.size();
    return super.get(name);
  }
  override *entries(): FormDataIterator<[string, FormDataEntryValue]> {
    for (const entry of super.entries()) {
      this.looked++;
      yield entry;
    }
    return undefined;
  }
  override [Symbol.iterator]() {
    return this.entries();
  }
  override *keys(): FormDataIterator<string> {
    for (const [key] of this.entries()) yield key;
    return undefined;
  }
}

describe("parseForm on large forms", () => {
  const schema = z.object({ email: z.string().optional() });

  it("looks at each field of a many-field form a bounded number of times, not once per distinct name", () => {
    const fields = MAX_FORM_FIELDS;
    const data = new CountingFormData();
    for (let i = 0; i < fields; i++) data.append(`field${i}`, "x");
    parseForm(schema, data);
    // Reading the form and keeping its values for the page: two passes. Quadratic parsing would be ~fields².
    expect(data.looked).toBeLessThanOrEqual(3 * fields);
  });

  it("refuses a form with more fields than any page sends, with a message for the form", () => {
    const data = new FormData();
    for (let i = 0; i <= MAX_FORM_FIELDS; i++) data.append("teamId", String(i));
    const result = parseForm(schema, data);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors._form).toMatch(/more than 1000 fields/);
  });

  it("a field named like an object property is just a field", () => {
    const data = new FormData();
    data.append("__proto__", "x");
    data.append("constructor", "y");
    const result = parseForm(z.object({ constructor: z.string() }), data);
    expect(result.ok && result.data).toEqual({ constructor: "y" });
  });
});

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
