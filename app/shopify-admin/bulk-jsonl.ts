// Bulk operation results are JSONL files that can be hundreds of megabytes.
// They are read as a stream, one line at a time, and objects are handed on
// as soon as they are complete, so memory holds one order, not the file.

export type JsonObject = Record<string, unknown>;

/** Parse a JSONL byte stream line by line (lines may straddle chunks). */
export async function* readJsonLines(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<JsonObject> {
  const reader = body.getReader();
  // stream: true keeps a multi-byte character split across chunks intact.
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let lineNumber = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf("\n")) !== -1) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        lineNumber++;
        if (line) yield parseLine(line, lineNumber);
      }
    }
    pending += decoder.decode();
    const last = pending.trim();
    if (last) yield parseLine(last, lineNumber + 1);
  } finally {
    // Stop the download when the consumer stops early (cancel, error).
    await reader.cancel().catch(() => undefined);
  }
}

function parseLine(line: string, lineNumber: number): JsonObject {
  try {
    return JSON.parse(line) as JsonObject;
  } catch {
    throw new Error(`Bulk result line ${lineNumber} is not valid JSON`);
  }
}

export interface BulkGroup {
  root: JsonObject;
  /** Lines of nested connections (line items, shipping lines, …) of this root, in file order. */
  children: JsonObject[];
}

/**
 * Groups lines into root objects with their nested-connection children.
 * Relies on grouped output (bulkOperationRunQuery groupObjects: true): each
 * root is followed by its children. A child whose parent is not the current
 * root means the file is not grouped; that is reported instead of producing
 * orders with missing lines.
 */
export async function* groupBulkObjects(lines: AsyncIterable<JsonObject>): AsyncGenerator<BulkGroup> {
  let current: BulkGroup | null = null;
  let currentIds = new Set<string>();
  for await (const line of lines) {
    const parentId = line.__parentId;
    if (typeof parentId !== "string") {
      if (current) yield current;
      current = { root: line, children: [] };
      currentIds = new Set(typeof line.id === "string" ? [line.id] : []);
      continue;
    }
    if (!current || !currentIds.has(parentId)) {
      throw new Error(`Bulk result is not grouped: a line for ${parentId} does not follow its parent`);
    }
    current.children.push(line);
    if (typeof line.id === "string") currentIds.add(line.id);
  }
  if (current) yield current;
}
