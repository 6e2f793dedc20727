// Outbound URL guard: the ERP address a merchant types must not let the app
// reach its own host, a private network or a cloud metadata service.
// DNS is faked (injected lookup); the pinning tests start a loopback HTTP
// server themselves in beforeAll.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";
import { ErpError } from "~/connectors/port";
import {
  OutboundUrlRefusedError,
  RedirectRefusedError,
  checkOutboundUrl,
  createGuardedDispatcher,
  createGuardedFetch,
  describeBlockedAddress,
  configuredUrlGuard,
  type LookupAll,
  type UrlGuardOptions,
} from "~/security/url-guard.server";

const PUBLIC_V4 = "93.184.215.14";
const PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c";

function fakeDns(records: Record<string, string[]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const answers = records[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return answers.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

const production = (lookup: LookupAll): UrlGuardOptions => ({ allowPrivate: false, requireHttps: true, lookup });

describe("address classification", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private network"],
    ["172.16.0.1", "private network"],
    ["172.31.255.255", "private network"],
    ["192.168.1.10", "private network"],
    ["169.254.10.10", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "private network"],
    ["fd12:3456::1", "private network"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private network"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::192.168.0.1", "private network"],
  ])("%s is refused as %s", (address, words) => {
    const verdict = describeBlockedAddress(address);
    expect(verdict?.kind).toBe("private");
    expect(verdict?.words).toContain(words);
  });

  it.each(["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"])("%s is a metadata endpoint", (address) => {
    expect(describeBlockedAddress(address)?.kind).toBe("metadata");
  });

  it.each([PUBLIC_V4, "172.32.0.1", "100.128.0.1", "8.8.8.8", PUBLIC_V6, `::ffff:${PUBLIC_V4}`])(
    "%s is public",
    (address) => {
      expect(describeBlockedAddress(address)).toBeNull();
    },
  );
});

describe("checkOutboundUrl (what the Settings form shows)", () => {
  const dns = fakeDns({
    "erp.example.com": [PUBLIC_V4, PUBLIC_V6],
    "sneaky.example.com": [PUBLIC_V4, "10.0.0.7"],
    "mapped.example.com": ["::ffff:192.168.0.5"],
    "imds.example.com": ["169.254.169.254"],
    "intranet.example.com": ["192.168.1.20"],
  });

  it("accepts a public https address and reports every DNS answer it checked", async () => {
    const verdict = await checkOutboundUrl("https://erp.example.com/api/v2", production(dns));
    expect(verdict).toMatchObject({ ok: true, addresses: [PUBLIC_V4, PUBLIC_V6] });
  });

  it("asks for https:// in production", async () => {
    const verdict = await checkOutboundUrl("http://erp.example.com", production(dns));
    expect(verdict).toMatchObject({ ok: false, reason: "scheme" });
    if (!verdict.ok) expect(verdict.message).toMatch(/^The ERP address must use https:\/\//);
  });

  it("allows http:// outside production", async () => {
    const verdict = await checkOutboundUrl("http://erp.example.com", { allowPrivate: false, requireHttps: false, lookup: dns });
    expect(verdict.ok).toBe(true);
  });

  it.each(["ftp://erp.example.com", "file:///etc/passwd", "javascript:alert(1)"])("refuses the scheme of %s", async (url) => {
    const verdict = await checkOutboundUrl(url, { allowPrivate: true, requireHttps: false, lookup: dns });
    expect(verdict).toMatchObject({ ok: false, reason: "scheme" });
  });

  it("explains a malformed address", async () => {
    const verdict = await checkOutboundUrl("erp.example.com", production(dns));
    expect(verdict).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("https://erp.example.com") });
  });

  it("refuses credentials inside the URL and points to the credential fields", async () => {
    const verdict = await checkOutboundUrl("https://admin:hunter2@erp.example.com", production(dns));
    expect(verdict).toMatchObject({ ok: false, reason: "credentials" });
    if (!verdict.ok) expect(verdict.message).not.toContain("hunter2");
  });

  it("refuses a host name if ANY of its DNS answers is private, naming the address", async () => {
    const verdict = await checkOutboundUrl("https://sneaky.example.com", production(dns));
    expect(verdict).toMatchObject({ ok: false, reason: "private-address" });
    if (!verdict.ok) expect(verdict.message).toContain("sneaky.example.com (10.0.0.7)");
  });

  it("unwraps IPv4-mapped IPv6 DNS answers", async () => {
    const verdict = await checkOutboundUrl("https://mapped.example.com", production(dns));
    expect(verdict).toMatchObject({ ok: false, reason: "private-address" });
  });

  it.each([
    "https://127.0.0.1:8443",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://0x7f000001/",
    "https://2130706433/",
    "https://localhost:3000",
    "https://erp.localhost",
  ])("refuses %s without asking DNS about it", async (url) => {
    const lookup = fakeDns({});
    const verdict = await checkOutboundUrl(url, production(lookup));
    expect(verdict).toMatchObject({ ok: false, reason: "private-address" });
    expect(lookup.calls).toEqual([]);
  });

  it("lets private addresses through when ALLOW_PRIVATE_ERP_URLS=true", async () => {
    const options = { ...configuredUrlGuard(parseConfig({ ALLOW_PRIVATE_ERP_URLS: "true" })), lookup: dns };
    expect(options.requireHttps).toBe(false);
    expect((await checkOutboundUrl("http://intranet.example.com:8000", options)).ok).toBe(true);
    expect((await checkOutboundUrl("http://127.0.0.1:8000", options)).ok).toBe(true);
  });

  it.each(["http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/", "http://[fd00:ec2::254]/", "http://imds.example.com/"])(
    "refuses the metadata endpoint %s even when private addresses are allowed",
    async (url) => {
      const verdict = await checkOutboundUrl(url, { allowPrivate: true, requireHttps: false, lookup: dns });
      expect(verdict).toMatchObject({ ok: false, reason: "metadata" });
    },
  );

  it("says so when the host name does not exist", async () => {
    const verdict = await checkOutboundUrl("https://erp.exampel.com", production(dns));
    expect(verdict).toMatchObject({ ok: false, reason: "unresolvable", message: expect.stringContaining("typos") });
  });

  it("reads production and the override from the environment", () => {
    expect(configuredUrlGuard(parseConfig({ NODE_ENV: "production" }))).toEqual({ allowPrivate: false, requireHttps: true });
    // Only "true" or "false": anything else stops the process instead of quietly meaning one of them.
    expect(() => parseConfig({ NODE_ENV: "production", ALLOW_PRIVATE_ERP_URLS: "1" })).toThrow(ConfigError);
    expect(() => parseConfig({ ALLOW_PRIVATE_ERP_URLS: "1" })).toThrow(/ALLOW_PRIVATE_ERP_URLS: expected true or false/);
  });
});

describe("createGuardedFetch with an injected fetch", () => {
  const dns = fakeDns({ "erp.example.com": [PUBLIC_V4], "evil.example.com": ["10.0.0.1"], "other.example.com": [PUBLIC_V4] });

  function recordingFetch(responses: Record<string, () => Response>) {
    const sent: { url: string; init?: RequestInit }[] = [];
    const base = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      sent.push({ url, init });
      const make = responses[url];
      return make ? make() : new Response("not found", { status: 404 });
    }) as typeof fetch;
    return { base, sent };
  }

  it("sends allowed requests unchanged", async () => {
    const { base, sent } = recordingFetch({ "https://erp.example.com/orders": () => Response.json({ ok: true }) });
    const guarded = createGuardedFetch(base, production(dns));
    const response = await guarded("https://erp.example.com/orders", { method: "POST", body: "{}" });
    expect(await response.json()).toEqual({ ok: true });
    expect(sent).toHaveLength(1);
    expect(sent[0].init?.method).toBe("POST");
  });

  it("refuses a private target before anything is sent, as a permanent ErpError staff can act on", async () => {
    const { base, sent } = recordingFetch({});
    const guarded = createGuardedFetch(base, production(dns));
    const error = await guarded("https://evil.example.com/orders").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundUrlRefusedError);
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ kind: "permanent", outcomeUnknown: false });
    expect((error as ErpError).userMessage).toMatch(/Correct the ERP address in Settings, then retry\.$/);
    expect(sent).toEqual([]);
  });

  it("treats a failed DNS look-up like a connection error (TypeError), which connectors retry", async () => {
    const { base, sent } = recordingFetch({});
    const guarded = createGuardedFetch(base, production(dns));
    await expect(guarded("https://gone.example.com/")).rejects.toBeInstanceOf(TypeError);
    expect(sent).toEqual([]);
  });

  it("refuses every redirect, wherever it points, and requests nothing after it", async () => {
    for (const location of ["/b", "https://other.example.com/c", "http://169.254.169.254/latest/meta-data/"]) {
      const { base, sent } = recordingFetch({
        "https://erp.example.com/a": () => new Response(null, { status: 307, headers: { location } }),
      });
      const guarded = createGuardedFetch(base, { allowPrivate: true, requireHttps: false, lookup: dns });
      const refused = await guarded("https://erp.example.com/a", { method: "PUT", body: "payload", headers: { authorization: "Bearer secret-token" } }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(RedirectRefusedError);
      expect(refused).toBeInstanceOf(TypeError); // what connectors' redirect: "error" requests already got
      expect(sent.map((s) => [s.url, s.init?.redirect])).toEqual([["https://erp.example.com/a", "manual"]]);
    }
  });

  it("returns the redirect itself when the caller asked for redirect: manual", async () => {
    const { base } = recordingFetch({
      "https://erp.example.com/a": () => new Response(null, { status: 302, headers: { location: "http://10.0.0.1/" } }),
    });
    const guarded = createGuardedFetch(base, production(dns));
    const response = await guarded("https://erp.example.com/a", { redirect: "manual" });
    expect(response.status).toBe(302);
  });
});

describe("createGuardedFetch on Node's fetch: connections are pinned to checked addresses", () => {
  // A real HTTP server on loopback stands in for "an internal service".
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end("internal data"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("reaches an allowed host through the pinned connection", async () => {
    const dns = fakeDns({ "erp.test": ["127.0.0.1"] });
    const guarded = createGuardedFetch(globalThis.fetch, { allowPrivate: true, requireHttps: false, lookup: dns });
    const response = await guarded(`http://erp.test:${port}/`);
    expect(await response.text()).toBe("internal data");
    // Checked before sending, and again when the connection was opened.
    expect(dns.calls).toEqual(["erp.test", "erp.test"]);
  });

  it("works with the system resolver (localhost from the hosts file) and shares its connection pool", async () => {
    const options = { allowPrivate: true, requireHttps: false };
    const response = await createGuardedFetch(globalThis.fetch, options)(`http://localhost:${port}/`);
    expect(await response.text()).toBe("internal data");
    expect(createGuardedDispatcher(options)).toBe(createGuardedDispatcher({ ...options }));
    expect(createGuardedDispatcher(options)).not.toBe(createGuardedDispatcher({ allowPrivate: false, requireHttps: false }));
  });

  it("blocks DNS rebinding: the answer changes to loopback between the check and the connection", async () => {
    let calls = 0;
    const rebinding: LookupAll = async () => {
      calls += 1;
      return [{ address: calls === 1 ? PUBLIC_V4 : "127.0.0.1", family: 4 }];
    };
    const guarded = createGuardedFetch(globalThis.fetch, { allowPrivate: false, requireHttps: false, lookup: rebinding });
    const error = await guarded(`http://rebind.test:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundUrlRefusedError);
    expect(error).toMatchObject({ reason: "private-address", kind: "permanent" });
    expect(calls).toBe(2);
  });
});

describe("plain http with ALLOW_PRIVATE_ERP_URLS=true in production (the offline demo, an ERP on the local network)", () => {
  const guard = { allowPrivate: true, requireHttps: true, lookup: async (host: string) => [{ address: host === "erp.lan" ? "192.168.1.20" : "93.184.216.34", family: 4 }] };
  it("is allowed to a loopback or private address", async () => {
    expect((await checkOutboundUrl("http://127.0.0.1:8123/orders", guard)).ok).toBe(true);
    expect((await checkOutboundUrl("http://erp.lan/orders", guard)).ok).toBe(true);
  });
  it("is still refused to a public address", async () => {
    const verdict = await checkOutboundUrl("http://erp.example.com/orders", guard);
    expect(verdict).toMatchObject({ ok: false, reason: "scheme" });
  });
});
