import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "~/utils/nul-bytes.server";

describe("the page stream", () => {
  it("drops the NUL bytes React 18 leaves at a chunk's end and keeps every character", async () => {
    const chunks = [Buffer.concat([Buffer.from("<p>Acme "), Buffer.from([0, 0])]), Buffer.from("› Operations</p>")];
    const out = await text(Readable.from(chunks).pipe(withoutNulBytes()));
    expect(out).toBe("<p>Acme › Operations</p>");
  });

  it("passes clean chunks through unchanged", async () => {
    const out = await text(Readable.from([Buffer.from("é›—ü")]).pipe(withoutNulBytes()));
    expect(out).toBe("é›—ü");
  });
});
