// What the Business Central connector looks up before it writes a document:
// the customer by e-mail, items and G/L accounts by number, and any document
// reads the write needs (the duplicate check, the order a credit memo
// belongs to), all answered in one round trip (one `$batch` request on API
// v2.0, docs/connectors.md "Requests per order").
//
// What BC has is cached per shop connection (the connector instance, which
// the worker's config provider keeps while the shop's settings are
// unchanged), with short lifetimes so changes made in BC show through soon:
//  - items by number (v1.0: their ids): 10 minutes, at most 5,000;
//  - G/L accounts by number: 10 minutes, at most 500;
//  - customers by e-mail: 5 minutes, at most 5,000;
//  - whether a customer's documents include tax (BC's read-only
//    `pricesIncludeTax`, as BC's last document for that customer had it):
//    10 minutes, at most 5,000.
// "Not found" is never cached. When BC refuses a document built from cached
// values, the connector forgets them (`forget`) and looks them up again.
import type { HttpResponse } from "../http/request";
import { TtlCache } from "../support/ttl-cache";
import { odataString, type BusinessCentralApiClient } from "./api-client";

/** A GET answered in the same round trip as the look-ups. */
export interface DocumentRead {
  path: string;
  query?: Record<string, string>;
}

export interface LookupNeeds {
  reads?: DocumentRead[];
  /** The order's customer e-mail (trimmed); none: no customer look-up. */
  email?: string;
  itemNumbers?: string[];
  accountNumbers?: string[];
  /** Ask BC again for everything, whatever the caches hold. */
  fresh?: boolean;
}

export interface LookupAnswers {
  /** The answers to `reads`, in order, with their own status. */
  reads: HttpResponse[];
  /** Number of the BC customer with the e-mail; null when BC has none or there is no e-mail. */
  customerNumber: string | null;
  /** number -> id of the items / accounts BC has among those asked for. */
  itemIds: Map<string, string>;
  accountIds: Map<string, string>;
  /** What came from the caches rather than from BC just now. */
  cached: { customer: boolean; items: string[]; accounts: string[] };
}

/** OData filters have a length limit; 20 numbers per query stays well inside it. */
const NUMBERS_PER_QUERY = 20;

const MINUTE = 60_000;

export class BusinessCentralLookups {
  private readonly items: TtlCache<string>;
  private readonly accounts: TtlCache<string>;
  private readonly customers: TtlCache<string>;
  private readonly conventions: TtlCache<boolean>;

  constructor(
    private readonly api: BusinessCentralApiClient,
    private readonly company: string,
    /** Combine the look-ups into `$batch` requests (API v2.0). */
    private readonly batch: boolean,
    now?: () => number,
  ) {
    this.items = new TtlCache({ ttlMs: 10 * MINUTE, maxEntries: 5_000, now });
    this.accounts = new TtlCache({ ttlMs: 10 * MINUTE, maxEntries: 500, now });
    this.customers = new TtlCache({ ttlMs: 5 * MINUTE, maxEntries: 5_000, now });
    this.conventions = new TtlCache({ ttlMs: 10 * MINUTE, maxEntries: 5_000, now });
  }

  async resolve(needs: LookupNeeds, signal?: AbortSignal): Promise<LookupAnswers> {
    const calls: DocumentRead[] = [...(needs.reads ?? [])];
    const email = needs.email;
    let customerNumber: string | null = email && !needs.fresh ? (this.customers.get(email) ?? null) : null;
    const customerCached = customerNumber !== null;
    const customerAt = email && !customerCached ? calls.push({ path: `${this.company}/customers`, query: { $filter: `email eq ${odataString(email)}`, $top: "1" } }) - 1 : -1;
    const items = this.plan("items", this.items, needs.itemNumbers ?? [], needs.fresh, calls);
    const accounts = this.plan("accounts", this.accounts, needs.accountNumbers ?? [], needs.fresh, calls);

    const answers = calls.length > 0 ? await this.api.getAll(calls, this.batch, signal) : [];
    if (customerAt >= 0) {
      const list = this.listOf<{ number: string }>(answers[customerAt]);
      customerNumber = list[0]?.number ?? null;
      if (customerNumber) this.customers.set(email!, customerNumber);
    }
    return {
      reads: answers.slice(0, needs.reads?.length ?? 0),
      customerNumber,
      itemIds: this.collect(items, answers, this.items),
      accountIds: this.collect(accounts, answers, this.accounts),
      cached: { customer: customerCached, items: [...items.known.keys()], accounts: [...accounts.known.keys()] },
    };
  }

  /** Drops what `answers` took from the caches (BC refused a document built from it). */
  forget(answers: LookupAnswers, email?: string): void {
    if (answers.cached.customer && email) this.customers.delete(email);
    for (const number of answers.cached.items) this.items.delete(number);
    for (const number of answers.cached.accounts) this.accounts.delete(number);
  }

  /** Whether BC's documents for this customer include tax, as its last one did (undefined: not known). */
  conventionOf(customerNumber: string): boolean | undefined {
    return this.conventions.get(customerNumber);
  }

  rememberConvention(customerNumber: string, pricesIncludeTax: boolean): void {
    this.conventions.set(customerNumber, pricesIncludeTax);
  }

  /** Cached ids, and the queries (added to `calls`) for the rest. */
  private plan(entitySet: "items" | "accounts", cache: TtlCache<string>, numbers: string[], fresh: boolean | undefined, calls: DocumentRead[]) {
    const known = new Map<string, string>();
    const missing: string[] = [];
    for (const number of new Set(numbers)) {
      const id = fresh ? undefined : cache.get(number);
      if (id === undefined) missing.push(number);
      else known.set(number, id);
    }
    const at: number[] = [];
    for (let i = 0; i < missing.length; i += NUMBERS_PER_QUERY) {
      const chunk = missing.slice(i, i + NUMBERS_PER_QUERY);
      at.push(
        calls.push({
          path: `${this.company}/${entitySet}`,
          query: { $filter: chunk.map((n) => `number eq ${odataString(n)}`).join(" or "), $select: "id,number" },
        }) - 1,
      );
    }
    return { known, at };
  }

  private collect(plan: { known: Map<string, string>; at: number[] }, answers: HttpResponse[], cache: TtlCache<string>): Map<string, string> {
    const found = new Map(plan.known);
    for (const index of plan.at) {
      for (const record of this.listOf<{ id: string; number: string }>(answers[index])) {
        found.set(record.number, record.id);
        cache.set(record.number, record.id);
      }
    }
    return found;
  }

  private listOf<T>(res: HttpResponse): T[] {
    this.api.throwIfFailed(res, false);
    return (JSON.parse(res.bodyText || "{}") as { value?: T[] }).value ?? [];
  }
}
