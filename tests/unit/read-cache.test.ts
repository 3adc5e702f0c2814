import { beforeEach, describe, expect, it } from "vitest";
import { cachedRead, clearReadCache } from "~/utils/read-cache.server";

describe("cached reads (ADR 0011)", () => {
  beforeEach(() => clearReadCache());

  it("computes once per key and hands the same result to later and concurrent callers", async () => {
    let runs = 0;
    const compute = async () => ({ run: ++runs });
    const [a, b] = await Promise.all([cachedRead("board|p@1.0", compute), cachedRead("board|p@1.0", compute)]);
    const c = await cachedRead("board|p@1.0", compute);
    expect(runs).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it("reads afresh once the data version in the key changes", async () => {
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cachedRead("board|p@1.0", compute)).toBe(1);
    expect(await cachedRead("board|p@2.0", compute)).toBe(2);
    expect(await cachedRead("board|p@2.1", compute)).toBe(3);
  });

  it("does not keep a failed read: the next call tries again", async () => {
    let runs = 0;
    const compute = async () => {
      runs += 1;
      if (runs === 1) throw new Error("database went away");
      return "figures";
    };
    await expect(cachedRead("board|p@1.0", compute)).rejects.toThrow("database went away");
    expect(await cachedRead("board|p@1.0", compute)).toBe("figures");
    expect(runs).toBe(2);
  });

  it("keeps a bounded number of entries, forgetting the least recently used first", async () => {
    let runs = 0;
    const compute = async () => ++runs;
    await cachedRead("first", compute);
    for (let i = 0; i < 300; i++) {
      await cachedRead(`filler ${i}`, compute);
      if (i === 150) await cachedRead("first", compute); // used again: moves to the back
    }
    const before = runs;
    await cachedRead("first", compute);
    expect(runs).toBe(before);
    await cachedRead("filler 0", compute);
    expect(runs).toBe(before + 1);
  });
});
