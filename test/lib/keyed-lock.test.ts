// The one keyed lock: connectors' per-order look-up-then-create, the SQLite
// write lock and the Admin client's per-shop admission all rely on it
// serialising one key and only that key.
import { describe, expect, it } from "vitest";
import { KeyedLock } from "~/lib/keyed-lock";

describe("KeyedLock", () => {
  it("runs work for one key one at a time, other keys in parallel", async () => {
    const mutex = new KeyedLock();
    const log: string[] = [];
    const step = (key: string, ms: number) =>
      mutex.run(key, async () => {
        log.push(`start ${key}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${key}`);
      });
    await Promise.all([step("a", 30), step("a", 1), step("b", 5)]);
    expect(log.indexOf("end a")).toBeLessThan(log.lastIndexOf("start a"));
    expect(log.indexOf("start b")).toBeLessThan(log.indexOf("end a"));
    expect(mutex.size).toBe(0);
  });

  it("releases the key when the work fails", async () => {
    const mutex = new KeyedLock();
    await expect(mutex.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(mutex.run("a", async () => "next")).resolves.toBe("next");
  });

  it("acquire() hands the key over one holder at a time, in the order it was asked for", async () => {
    const lock = new KeyedLock();
    const order: number[] = [];
    const first = await lock.acquire("file");
    const waiting = [1, 2, 3].map((n) => lock.acquire("file").then((release) => (order.push(n), release)));
    const settle = () => new Promise((r) => setTimeout(r, 5));
    await settle();
    expect(order).toEqual([]);
    first();
    for (const [index, next] of waiting.entries()) {
      const release = await next;
      await settle();
      expect(order).toEqual([1, 2, 3].slice(0, index + 1));
      release();
    }
    expect(lock.size).toBe(0);
  });
});
