// How Tryton's JSON-RPC answers are classified, with canned answers in the
// shapes Tryton 6.0 really sends (checked against the real server in
// tryton.test.ts). Runs without Tryton installed.
import { describe, expect, it } from "vitest";
import { ErpError } from "~/connectors/port";
import { TrytonRpcClient } from "~/connectors/tryton/json-rpc-client";

function clientAnswering(answers: ((method: string) => Response)[]) {
  const seen: string[] = [];
  const fetchFn: typeof fetch = async (_input, init) => {
    const method = JSON.parse(String(init?.body)).method as string;
    seen.push(method);
    const answer = answers.shift();
    if (!answer) throw new Error(`no canned answer for ${method}`);
    return answer(method);
  };
  const client = new TrytonRpcClient({ url: "https://tryton.example.com", database: "shop", username: "sync", password: "pw", timeoutMs: 5000 }, fetchFn);
  return { client, seen };
}

const rpc = (body: unknown, status = 200, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
const login = rpc({ id: 1, result: [7, "session-token"] });

async function erpError(p: Promise<unknown>): Promise<ErpError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!(e instanceof ErpError)) throw new Error(`expected ErpError, got ${String(e)}`);
  return e;
}

describe("Tryton JSON-RPC answers", () => {
  it("turns Tryton's Decimal and date values into plain strings", async () => {
    const { client } = clientAnswering([
      login,
      rpc({ id: 2, result: [{ total_amount: { __class__: "Decimal", decimal: "49.48" }, sale_date: { __class__: "date", year: 2026, month: 1, day: 5 } }] }),
    ]);
    expect(await client.call("model.sale.sale.read", [], { isWrite: false })).toEqual([{ total_amount: "49.48", sale_date: "2026-01-05" }]);
  });

  it("a UserError is permanent and carries Tryton's message", async () => {
    const { client } = clientAnswering([login, rpc({ id: 2, error: ["UserError", ["The value of the field \"Product\" on \"Sale Line\" is not valid according to its domain.", ""]] })]);
    const e = await erpError(client.call("model.sale.sale.create", [], { isWrite: true }));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toBe('Tryton refused the request: The value of the field "Product" on "Sale Line" is not valid according to its domain. Correct this (in Shopify or in Tryton), then retry.');
  });

  it("a numbering clash between concurrent requests is transient", async () => {
    const { client } = clientAnswering([login, rpc({ id: 2, error: ["UserError", ["The number on sale must be unique.", ""]] })]);
    expect(await erpError(client.call("model.sale.sale.quote", [], { isWrite: true }))).toMatchObject({ kind: "transient", outcomeUnknown: false });
  });

  it("a refused password is permanent; locked-out logins (429) are transient", async () => {
    const refused = clientAnswering([rpc("<html>401 Unauthorized</html>", 401)]);
    const e = await erpError(refused.client.call("model.sale.sale.search", [], { isWrite: false }));
    expect(e.kind).toBe("permanent");
    expect(e.userMessage).toMatch(/refused the user name or password for database "shop"/);
    const locked = clientAnswering([rpc("Too Many Requests", 429, { "Retry-After": "60" })]);
    expect(await erpError(locked.client.call("model.sale.sale.search", [], { isWrite: false }))).toMatchObject({ kind: "transient", retryAfterMs: 60_000 });
  });

  it("an expired session (401) leads to one new login and the call repeated", async () => {
    const { client, seen } = clientAnswering([login, rpc("expired", 401), login, rpc({ id: 3, result: 5 })]);
    expect(await client.call("model.sale.sale.search_count", [], { isWrite: false })).toBe(5);
    expect(seen).toEqual(["common.db.login", "model.sale.sale.search_count", "common.db.login", "model.sale.sale.search_count"]);
  });

  it("concurrent first calls share one login", async () => {
    const { client, seen } = clientAnswering([login, rpc({ result: 1 }), rpc({ result: 2 }), rpc({ result: 3 })]);
    await Promise.all([1, 2, 3].map(() => client.call("model.sale.sale.search_count", [], { isWrite: false })));
    expect(seen.filter((m) => m === "common.db.login")).toHaveLength(1);
  });
});
