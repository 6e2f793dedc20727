// Bulk results are read as a stream: lines split across chunks (even inside a
// multi-byte character) still parse, children are grouped under their order,
// and a file that is not grouped is reported instead of silently losing lines.
import { describe, expect, it } from "vitest";
import { groupBulkObjects, readJsonLines, type JsonObject } from "../../app/shopify-admin/bulk-jsonl";

function streamOf(text: string, chunkBytes: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("bulk JSONL", () => {
  it("parses thousands of lines delivered in awkward chunks", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `gid://shopify/Order/${i}`, name: `Bestellung Nr. ${i} – Grüße` }));
    const parsed = await collect(readJsonLines(streamOf(lines.join("\n") + "\n", 7)));
    expect(parsed).toHaveLength(5000);
    expect(parsed[4999]).toEqual({ id: "gid://shopify/Order/4999", name: "Bestellung Nr. 4999 – Grüße" });
  });

  it("reads a last line without a trailing newline and names a broken line", async () => {
    expect(await collect(readJsonLines(streamOf('{"a":1}\n{"a":2}', 3)))).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(collect(readJsonLines(streamOf('{"a":1}\n{"a":\n', 4)))).rejects.toThrow(/line 2/);
  });

  it("groups children under their parent order", async () => {
    const lines: JsonObject[] = [
      { id: "gid://shopify/Order/1" },
      { id: "gid://shopify/LineItem/11", __parentId: "gid://shopify/Order/1" },
      { id: "gid://shopify/LineItem/12", __parentId: "gid://shopify/Order/1" },
      { id: "gid://shopify/Order/2" },
      { __typename: "DiscountCodeApplication", __parentId: "gid://shopify/Order/2" },
    ];
    async function* source() {
      yield* lines;
    }
    const groups = await collect(groupBulkObjects(source()));
    expect(groups.map((g) => [g.root.id, g.children.length])).toEqual([
      ["gid://shopify/Order/1", 2],
      ["gid://shopify/Order/2", 1],
    ]);
  });

  it("refuses ungrouped output instead of dropping line items", async () => {
    async function* source() {
      yield { id: "gid://shopify/LineItem/11", __parentId: "gid://shopify/Order/1" };
      yield { id: "gid://shopify/Order/1" };
    }
    await expect(collect(groupBulkObjects(source()))).rejects.toThrow(/not grouped/);
  });
});
