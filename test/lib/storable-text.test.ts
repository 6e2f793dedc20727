// The text rules every writer applies (app/lib/storable-text.ts): what
// PostgreSQL and SQLite cannot hold is replaced in derived text, escaped in
// received JSON, and nothing else changes.
import { describe, expect, it } from "vitest";
import { storableColumns, storableJsonText, storableText } from "../../app/lib/storable-text";

const HIGH = "\ud800";
const LOW = "\udc00";

describe("storableText (names, search text, messages)", () => {
  it.each([
    ["U+0000", "a\u0000b", "a\uFFFDb"],
    ["several U+0000", "\u0000a\u0000\u0000", "\uFFFDa\uFFFD\uFFFD"],
    ["a lone high surrogate", `a${HIGH}b`, "a\uFFFDb"],
    ["a lone low surrogate", `a${LOW}b`, "a\uFFFDb"],
    ["a high surrogate at the end (a 4-byte character cut in two)", "ab😀".slice(0, 3), "ab\uFFFD"],
    ["a pair in the wrong order", `${LOW}${HIGH}`, "\uFFFD\uFFFD"],
  ])("replaces %s with U+FFFD", (_name, text, expected) => {
    expect(storableText(text)).toBe(expected);
  });

  it("keeps 4-byte characters, other non-ASCII text and control characters other than U+0000", () => {
    const text = "😀 𝄞 Größe 寿司 \t\u0001 \uFFFD";
    expect(storableText(text)).toBe(text);
  });

  it("passes null and undefined through", () => {
    expect(storableText(null)).toBeNull();
    expect(storableText(undefined)).toBeUndefined();
  });
});

describe("storableJsonText (the received JSON)", () => {
  it("is the received text itself for a JSON body: JSON refuses a raw U+0000, and sends it as the escape \\u0000", () => {
    expect(() => JSON.parse('{"note":"a\u0000b"}')).toThrow(SyntaxError);
    const body = JSON.stringify({ note: "a\u0000b", title: `x${HIGH}y${LOW}z`, emoji: "😀𝄞" });
    expect(body).toContain("\\u0000");
    expect(body).toContain("\\ud800");
    expect(storableJsonText(body)).toBe(body);
  });

  it("writes a raw U+0000 or lone surrogate as its JSON escape, which parses back to the same value", () => {
    const raw = `{"title":"x${HIGH}y${LOW}z","emoji":"😀"}`;
    const stored = storableJsonText(raw);
    expect(stored).toBe('{"title":"x\\ud800y\\udc00z","emoji":"😀"}');
    expect(JSON.parse(stored)).toEqual(JSON.parse(raw));
    expect(storableJsonText("not json \u0000")).toBe("not json \\u0000");
  });
});

describe("storableColumns (a row about to be written)", () => {
  it("cleans every string value, leaves other values alone and returns the same object when nothing needs cleaning", () => {
    const at = new Date();
    const row = { name: "#1\u0000", count: 3, at, none: null, ok: "😀" };
    expect(storableColumns(row)).toEqual({ name: "#1\uFFFD", count: 3, at, none: null, ok: "😀" });
    expect(row.name).toBe("#1\u0000");
    const clean = { name: "#1", count: 3 };
    expect(storableColumns(clean)).toBe(clean);
  });
});
