// Outbound URL guard for connector base URLs (server-side request forgery).
//
// A merchant types the ERP's address into Settings and the app then sends
// requests there with credentials. Without a guard that address could point
// the app at its own host, the hosting provider's metadata service or a private
// network. Rules:
// - http(s) only; https only when NODE_ENV=production; no user:password@ in the URL;
// - every address the host name resolves to (all DNS answers, IPv4-mapped
//   IPv6 unwrapped) must be a public unicast address, unless
//   ALLOW_PRIVATE_ERP_URLS=true (development, tests, or an on-premises ERP
//   reached over a private network on purpose);
// - cloud metadata endpoints are refused even then: no ERP lives there.
// - no redirects: the request goes to the address entered or nowhere.
// createGuardedFetch() applies the check before every request and, on Node's
// own fetch, again when the connection is opened (so a DNS answer that changes
// between check and connect cannot slip through).
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress, LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import { ErpError } from "../connectors/port";
import { config, type AppConfig } from "../config.server";

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

export interface UrlGuardOptions {
  /** Allow loopback/private/link-local/CGNAT targets (never metadata endpoints). */
  allowPrivate: boolean;
  /** Refuse plain http://. */
  requireHttps: boolean;
  /** DNS resolver; tests inject a fake one. Defaults to dns.lookup({ all: true }). */
  lookup?: LookupAll;
}

/** The guard as configured: HTTPS required in production, private addresses only when ALLOW_PRIVATE_ERP_URLS=true. */
export function configuredUrlGuard(settings: AppConfig = config()): UrlGuardOptions {
  return {
    allowPrivate: settings.allowPrivateErpUrls,
    requireHttps: settings.nodeEnv === "production",
  };
}

export const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type UrlRefusalReason =
  | "invalid"
  | "scheme"
  | "credentials"
  | "metadata"
  | "private-address"
  | "unresolvable";

export type UrlCheckResult =
  | { ok: true; url: URL; addresses: string[] }
  | { ok: false; reason: UrlRefusalReason; message: string };

const METADATA_HOSTNAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);
const METADATA_ADDRESSES = ["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"].map((a) =>
  ipaddr.parse(a).toNormalizedString(),
);

/** What kind of non-public address this is, in words, or null for a public unicast address. */
export type AddressClass = "metadata" | "private" | null;

// Ranges that are named by ipaddr.js and mean "not on the public internet".
const BLOCKED_RANGE_WORDS: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "this server itself (loopback)",
  carrierGradeNat: "a carrier-grade NAT address",
  private: "a private network address",
  uniqueLocal: "a private network address",
  reserved: "a reserved address",
  benchmarking: "a reserved address",
  amt: "a reserved address",
  as112: "a reserved address",
  as112v6: "a reserved address",
  deprecatedSiteLocal: "a private network address",
  discard: "a reserved address",
  orchid2: "a reserved address",
  deprecatedOrchid: "a reserved address",
  droneRemoteIdProtocolEntityTags: "a reserved address",
  segmentRouting: "a reserved address",
  teredo: "a tunnelling address",
  "6to4": "a tunnelling address",
};

/**
 * Classifies one IP address. IPv6 forms that carry an IPv4 address
 * (::ffff:a.b.c.d, ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d) are judged by that IPv4 address.
 */
export function describeBlockedAddress(address: string): { kind: Exclude<AddressClass, null>; words: string } | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/%.*$/, "")); // drop an IPv6 zone id
  } catch {
    return { kind: "private", words: "an address that is not a valid IP" };
  }
  if (METADATA_ADDRESSES.includes(ip.toNormalizedString())) {
    return { kind: "metadata", words: "a cloud metadata service" };
  }
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    if (range === "ipv4Mapped" || range === "rfc6145" || range === "rfc6052") {
      const bytes = v6.toByteArray().slice(-4);
      return describeBlockedAddress(ipaddr.fromByteArray(bytes).toString());
    }
  }
  const range = ip.range();
  if (range === "unicast") return null;
  return { kind: "private", words: BLOCKED_RANGE_WORDS[range] ?? "a non-public address" };
}

function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}

function refuse(reason: UrlRefusalReason, message: string): UrlCheckResult {
  return { ok: false, reason, message };
}

/** Checks scheme, credentials and host name without DNS. */
function checkSyntax(raw: string | URL, options: UrlGuardOptions): UrlCheckResult | URL {
  let url: URL;
  try {
    url = raw instanceof URL ? raw : new URL(String(raw).trim());
  } catch {
    return refuse("invalid", "The ERP address is not a valid web address. Enter it like https://erp.example.com.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse("scheme", "The ERP address must start with https://.");
  }
  // Plain http:// to a private address (allowed only with ALLOW_PRIVATE_ERP_URLS=true,
  // e.g. an ERP on this machine or the local network, and the offline demo) is
  // decided once the address is known (judgeAddresses); never to a public one.
  if (options.requireHttps && url.protocol !== "https:" && !options.allowPrivate) {
    return refuse("scheme", HTTPS_REQUIRED);
  }
  if (url.username || url.password) {
    return refuse(
      "credentials",
      "The ERP address must not contain a user name or password. Remove them from the address and enter them in the credential fields.",
    );
  }
  const hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_HOSTNAMES.has(hostname)) {
    return refuse("metadata", "The ERP address points to a cloud metadata service, which this app never contacts.");
  }
  if (!options.allowPrivate && (hostname === "localhost" || hostname.endsWith(".localhost"))) {
    return refuse(
      "private-address",
      "The ERP address points to this server itself (localhost). Use the address under which your ERP is reachable from the internet.",
    );
  }
  return url;
}

const HTTPS_REQUIRED = "The ERP address must use https:// so that credentials and orders are encrypted on the way.";

function judgeAddresses(url: URL, addresses: string[], options: UrlGuardOptions): UrlCheckResult {
  if (options.requireHttps && url.protocol !== "https:" && addresses.some((a) => describeBlockedAddress(a) === null)) {
    return refuse("scheme", HTTPS_REQUIRED);
  }
  for (const address of addresses) {
    const blocked = describeBlockedAddress(address);
    if (!blocked) continue;
    if (blocked.kind === "metadata") {
      return refuse("metadata", "The ERP address points to a cloud metadata service, which this app never contacts.");
    }
    if (!options.allowPrivate) {
      const shown = isIpLiteral(url.hostname) ? url.hostname : `${url.hostname} (${address})`;
      return refuse(
        "private-address",
        `The ERP address ${shown} points to ${blocked.words}, which this app is not allowed to reach. ` +
          "Use the address under which your ERP is reachable from the internet.",
      );
    }
  }
  return { ok: true, url, addresses };
}

/**
 * Full check of a URL, including every DNS answer for its host name.
 * Messages are written for the merchant filling in the Settings form.
 */
export async function checkOutboundUrl(raw: string | URL, options: UrlGuardOptions): Promise<UrlCheckResult> {
  const syntax = checkSyntax(raw, options);
  if (!(syntax instanceof URL)) return syntax;
  const url = syntax;
  const bareHost = url.hostname.replace(/^\[|\]$/g, "");
  if (isIpLiteral(bareHost)) return judgeAddresses(url, [bareHost], options);
  let answers: LookupAddress[];
  try {
    answers = await (options.lookup ?? defaultLookup)(bareHost);
  } catch {
    return refuse(
      "unresolvable",
      `The ERP server "${url.hostname}" could not be found. Check the address for typos, or try again if your ERP's domain was set up only recently.`,
    );
  }
  if (answers.length === 0) {
    return refuse("unresolvable", `The ERP server "${url.hostname}" could not be found. Check the address for typos.`);
  }
  return judgeAddresses(
    url,
    answers.map((a) => a.address),
    options,
  );
}

/**
 * Raised by the guarded fetch when a request is refused. It is a permanent
 * ErpError (retrying cannot help, nothing was sent), so connectors that
 * pass ErpErrors through unchanged turn it into a "needs attention" item
 * with a message staff can act on.
 */
export class OutboundUrlRefusedError extends ErpError {
  readonly reason: UrlRefusalReason;
  constructor(reason: UrlRefusalReason, message: string) {
    super({
      kind: "permanent",
      message: `Outbound request refused by the URL guard (${reason}): ${message}`,
      userMessage: `${message} Correct the ERP address in Settings, then retry.`,
      outcomeUnknown: false,
    });
    this.name = "OutboundUrlRefusedError";
    this.reason = reason;
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A net.connect/tls.connect `lookup` that resolves with all answers, refuses
 * the connection if any answer is not allowed, and connects to the checked
 * addresses only. This pins the connection to what was checked.
 */
export function createGuardedConnectLookup(options: UrlGuardOptions): LookupFunction {
  return (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback) => {
    const wantAll = lookupOptions?.all === true;
    (options.lookup ?? defaultLookup)(hostname).then(
      (answers) => {
        const host = new URL(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}`);
        const verdict = judgeAddresses(
          host,
          answers.map((a) => a.address),
          options,
        );
        if (!verdict.ok) {
          const error = new OutboundUrlRefusedError(verdict.reason, verdict.message) as unknown as NodeJS.ErrnoException;
          callback(error, wantAll ? [] : "", undefined);
          return;
        }
        if (answers.length === 0) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
          callback(error, wantAll ? [] : "", undefined);
          return;
        }
        if (wantAll) callback(null, answers);
        else callback(null, answers[0].address, answers[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, wantAll ? [] : "", undefined),
    );
  };
}

// Agents with the default resolver are shared per policy, so callers that
// build a guarded fetch per request (e.g. "Test connection") reuse one
// connection pool instead of leaving a new one behind each time.
const sharedDispatchers = new Map<string, Agent>();

/** An undici dispatcher whose connections only go to addresses the guard allows. */
export function createGuardedDispatcher(options: UrlGuardOptions): Agent {
  if (options.lookup) return new Agent({ connect: { lookup: createGuardedConnectLookup(options) } });
  const policy = `${options.allowPrivate}|${options.requireHttps}`;
  let agent = sharedDispatchers.get(policy);
  if (!agent) {
    agent = new Agent({ connect: { lookup: createGuardedConnectLookup(options) } });
    sharedDispatchers.set(policy, agent);
  }
  return agent;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function requestUrl(input: string | URL | Request): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * An answer that redirects elsewhere, refused: an ERP or alert webhook is
 * called at the address staff entered, and a redirect could point the
 * request (and its credentials) anywhere. A TypeError like fetch's own
 * `redirect: "error"` failure, so callers treat it as theirs.
 */
export class RedirectRefusedError extends TypeError {
  constructor(readonly location: string) {
    super("fetch failed", { cause: new Error(`Redirect to ${location} not allowed`) });
    this.name = "RedirectRefusedError";
  }
}

export interface GuardedFetchOptions extends UrlGuardOptions {
  /**
   * Pin connections to checked addresses via an undici dispatcher. On by
   * default when baseFetch is Node's global fetch; an injected fake fetch
   * never opens connections, so it is off for those.
   */
  pinConnections?: boolean;
}

/**
 * Wraps a fetch so every request goes only to allowed addresses, and never
 * further: a redirect is not followed (RedirectRefusedError), or handed back
 * as it is when the caller asked for `redirect: "manual"`.
 */
export function createGuardedFetch(
  baseFetch: typeof fetch = globalThis.fetch,
  options: GuardedFetchOptions = configuredUrlGuard(),
): typeof fetch {
  const pin = options.pinConnections ?? baseFetch === globalThis.fetch;
  const dispatcher = pin ? createGuardedDispatcher(options) : undefined;

  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const verdict = await checkOutboundUrl(requestUrl(input), options);
    if (!verdict.ok) {
      // DNS trouble can be temporary: surface it like fetch's own network error
      // so connectors classify it as a connection failure (retried).
      if (verdict.reason === "unresolvable") throw new TypeError("fetch failed", { cause: new Error(verdict.message) });
      throw new OutboundUrlRefusedError(verdict.reason, verdict.message);
    }
    const callerRedirect = init?.redirect ?? (input instanceof Request ? input.redirect : "follow");
    const sendInit: RequestInit = { ...init, redirect: "manual" };
    if (dispatcher) (sendInit as Record<string, unknown>).dispatcher = dispatcher;
    const response = await baseFetch(input, sendInit).catch((error: unknown) => {
      // The pinned connection refused the address: report the refusal, not a network error.
      if (error instanceof TypeError && error.cause instanceof OutboundUrlRefusedError) throw error.cause;
      throw error;
    });
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || !location || callerRedirect === "manual") return response;
    await response.body?.cancel();
    throw new RedirectRefusedError(location);
  };
}
