import { describe, expect, it } from "vitest";
import { cleanFileName } from "~/utils/file-names";

// Uploaded file names are stored as text (PostgreSQL refuses NUL) and shown to people.
describe("cleanFileName", () => {
  it("removes control characters and bidirectional overrides", () => {
    expect(cleanFileName("hr\u0000\u0007-export\u202E.csv")).toBe("hr-export.csv");
  });

  it("cuts a long name at 200 characters, never inside an emoji (no lone surrogate)", () => {
    const name = cleanFileName(`a${"🚀".repeat(300)}`);
    expect([...name]).toHaveLength(200);
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it("falls back when nothing is left", () => {
    expect(cleanFileName("\u0000 ")).toBe("upload.csv");
  });
});
