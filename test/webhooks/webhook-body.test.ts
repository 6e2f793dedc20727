// Reading webhook bodies: the text arrives exact whatever the chunking, and
// the process never receives more than MAX_RECEIVING_WEBHOOK_BYTES of bodies
// at once (a body past it gets 503, which Shopify retries), so a burst of
// large webhooks cannot take the web process past its memory.
import { describe, expect, it } from "vitest";
import { MAX_RECEIVING_WEBHOOK_BYTES, MAX_WEBHOOK_BODY_BYTES, readWebhookBody, webhookBytesBeingReceived } from "../../app/webhooks/webhook-body.server";

const encoder = new TextEncoder();

/** A POST whose body arrives in the given chunks; `hold` keeps it open until release() is called. */
function post(chunks: Uint8Array[], declared: number | null, hold = false) {
  let release: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      controller.close();
    },
  });
  const headers = new Headers({ "Content-Type": "application/json" });
  if (declared !== null) headers.set("Content-Length", String(declared));
  const request = new Request("http://app.test/webhooks/orders/create", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { request, release: () => release() };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
  throw new Error("expected a refusal");
}

describe("readWebhookBody", () => {
  it("returns the exact text when a character's bytes are split between chunks, with or without a declared length", async () => {
    const text = JSON.stringify({ note: "Crème brûlée für 東京 🚚", id: 1234567890123456789n.toString() });
    const bytes = encoder.encode(text);
    const split = [bytes.subarray(0, 9), bytes.subarray(9, 10), bytes.subarray(10, 31), bytes.subarray(31)];
    expect(await readWebhookBody(post(split, bytes.byteLength).request, 5_000)).toBe(text);
    expect(await readWebhookBody(post(split, null).request, 5_000)).toBe(text);
    // A declared length smaller than what arrives: everything is still read.
    expect(await readWebhookBody(post(split, 5).request, 5_000)).toBe(text);
    expect(webhookBytesBeingReceived()).toBe(0);
  });

  it("answers 503 to a body that would take the bodies being received past the limit, and accepts again once they are read", async () => {
    const size = MAX_WEBHOOK_BODY_BYTES;
    const fit = Math.floor(MAX_RECEIVING_WEBHOOK_BYTES / size);
    const chunk = encoder.encode("{");
    const held = Array.from({ length: fit }, () => post([chunk], size, true));
    const reads = held.map((h) => readWebhookBody(h.request, 5_000).catch((error: unknown) => error));
    await new Promise((r) => setTimeout(r, 10));
    expect(webhookBytesBeingReceived()).toBe(fit * size);

    const busy = await refusal(readWebhookBody(post([chunk], size).request, 5_000));
    expect(busy.status).toBe(503);
    expect(busy.text).toMatch(/Shopify will deliver it again/);

    // The held requests end (their bodies were shorter than declared: each is read as it is).
    for (const h of held) h.release();
    expect(await Promise.all(reads)).toEqual(held.map(() => "{"));
    expect(webhookBytesBeingReceived()).toBe(0);
    const small = JSON.stringify({ id: 1 });
    expect(await readWebhookBody(post([encoder.encode(small)], small.length).request, 5_000)).toBe(small);
  });

  it("still refuses a body larger than the size limit with 413, and frees its share", async () => {
    const big = new Uint8Array(MAX_WEBHOOK_BODY_BYTES + 1);
    const tooLarge = await refusal(readWebhookBody(post([big], null).request, 5_000));
    expect(tooLarge.status).toBe(413);
    expect(webhookBytesBeingReceived()).toBe(0);
  });
});
