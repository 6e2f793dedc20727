// Shopify's inventory in the fake Admin API (testkit/fake-admin-api.ts hooks
// it in): locations, inventory items with their available quantity per
// location, and inventorySetQuantities as the 2026-10 schema describes it:
// the @idempotent(key:) directive required (a key seen again with the same
// input answers as the first time without applying twice; with another input
// it is refused), changeFromQuantity required on every quantity and checked
// (compare-and-swap: one stale quantity fails the whole call and applies
// nothing), at most 250 quantities a call, names/reasons/quantities checked,
// and the scopes read_locations / read_inventory / write_inventory enforced.
import { GraphQLError, valueFromASTUntyped, type GraphQLResolveInfo } from "graphql";

type Obj = Record<string, unknown>;

export interface FakeLocation {
  id: string;
  name: string;
  isActive: boolean;
}

export interface FakeInventoryItem {
  id: string;
  sku: string | null;
  tracked: boolean;
}

/** One applied change, as Shopify's inventory history would show it. */
export interface FakeInventoryChange {
  inventoryItemId: string;
  locationId: string;
  from: number;
  to: number;
  reason: string;
  referenceDocumentUri: string | null;
  idempotencyKey: string;
  /** The write carried changeFromQuantity (compare-and-swap) rather than null. */
  compareAndSwap: boolean;
}

/** Reasons inventorySetQuantities accepts (shopify.dev, inventory quantities and states). */
const REASONS = new Set([
  "correction",
  "cycle_count_available",
  "damaged",
  "movement_created",
  "movement_updated",
  "movement_received",
  "movement_canceled",
  "other",
  "promotion",
  "quality_control",
  "received",
  "reservation_created",
  "reservation_deleted",
  "reservation_updated",
  "restock",
  "safety_stock",
  "shrinkage",
]);

const MAX_QUANTITY = 1_000_000_000;
const MAX_QUANTITIES_PER_CALL = 250;

const cursorOf = (i: number) => Buffer.from(`inv:${i}`).toString("base64");
const indexOf = (c: unknown) => (typeof c === "string" ? Number(Buffer.from(c, "base64").toString().slice(4)) + 1 : 0);

function denied(scope: string): GraphQLError {
  return new GraphQLError(`Access denied for this field. Required access: \`${scope}\` access scope.`, {
    extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes" },
  });
}

export class FakeInventory {
  readonly locations: FakeLocation[] = [];
  readonly items = new Map<string, FakeInventoryItem>();
  /** location id -> inventory item ids stocked there, in the order they were stocked (paging order). */
  private readonly stocked = new Map<string, string[]>();
  /** `${item}|${location}` -> available */
  private readonly available = new Map<string, number>();
  private readonly idempotency = new Map<string, { fingerprint: string; answer: Obj }>();
  readonly changes: FakeInventoryChange[] = [];
  /** Every inventorySetQuantities call that reached the resolver (applied or not). */
  readonly setCalls: { key: string | null; quantities: number; applied: boolean; codes: string[] }[] = [];
  private groups = 0;

  constructor(private readonly scopes: () => string[]) {}

  addLocation(name: string, id = `gid://shopify/Location/${1000 + this.locations.length}`): FakeLocation {
    const location = { id, name, isActive: true };
    this.locations.push(location);
    this.stocked.set(id, []);
    return location;
  }

  addItem(sku: string | null, levels: Record<string, number>, tracked = true): FakeInventoryItem {
    const item = { id: `gid://shopify/InventoryItem/${50_000_000 + this.items.size}`, sku, tracked };
    this.items.set(item.id, item);
    for (const [locationId, quantity] of Object.entries(levels)) {
      this.stocked.get(locationId)!.push(item.id);
      this.available.set(`${item.id}|${locationId}`, quantity);
    }
    return item;
  }

  /** Available at a location; undefined when the item is not stocked there. */
  level(inventoryItemId: string, locationId: string): number | undefined {
    return this.available.get(`${inventoryItemId}|${locationId}`);
  }

  /** A sale (or anything else outside the app) changes the quantity. */
  adjust(inventoryItemId: string, locationId: string, delta: number): void {
    const key = `${inventoryItemId}|${locationId}`;
    const current = this.available.get(key);
    if (current === undefined) throw new Error(`${inventoryItemId} is not stocked at ${locationId}`);
    this.available.set(key, current + delta);
  }

  queryFields(): Obj {
    return {
      locations: (args: Obj, ctx: { bulk?: boolean }) => {
        this.need("read_locations");
        const list = this.locations.filter((l) => l.isActive || args.includeInactive === true);
        const page = this.page(list, args, ctx?.bulk === true);
        return { ...page, nodes: page.nodes.map((l) => this.locationView(l)), edges: page.edges.map((e) => ({ ...e, node: this.locationView(e.node) })) };
      },
      productVariantsCount: () => {
        this.need("read_products");
        return { count: this.items.size, precision: "EXACT" };
      },
      location: (args: Obj) => {
        this.need("read_locations");
        const location = this.locations.find((l) => l.id === args.id);
        return location ? this.locationView(location) : null;
      },
      inventoryItem: (args: Obj) => {
        this.need("read_inventory");
        const item = this.items.get(String(args.id));
        return item ? this.itemView(item) : null;
      },
    };
  }

  mutationFields(): Obj {
    return {
      inventorySetQuantities: (args: Obj, _ctx: unknown, info: GraphQLResolveInfo) => this.setQuantities(args.input as Obj, info),
    };
  }

  private need(scope: string): void {
    if (!this.scopes().includes(scope)) throw denied(scope);
  }

  /** One page as Shopify pages (first/after, at most 250); a bulk operation (`all`) reads everything. */
  private page<T>(list: T[], args: Obj, all = false) {
    const start = all ? 0 : indexOf(args.after);
    const size = all ? list.length : typeof args.first === "number" ? args.first : 0;
    if (!all && size > 250) throw new GraphQLError("The maximum number of items per page is 250", { extensions: { code: "BAD_REQUEST" } });
    const nodes = list.slice(start, start + size);
    return {
      nodes,
      edges: nodes.map((node, k) => ({ node, cursor: cursorOf(start + k) })),
      pageInfo: {
        hasNextPage: start + size < list.length,
        hasPreviousPage: start > 0,
        startCursor: nodes.length ? cursorOf(start) : null,
        endCursor: nodes.length ? cursorOf(start + nodes.length - 1) : null,
      },
    };
  }

  private levelView(itemId: string, locationId: string): Obj {
    return {
      id: `gid://shopify/InventoryLevel/${itemId.split("/").pop()}?inventory_item_id=${locationId.split("/").pop()}`,
      quantities: (a: Obj) =>
        (a.names as string[]).map((name) => ({ name, quantity: name === "available" ? this.available.get(`${itemId}|${locationId}`) ?? 0 : 0 })),
      item: () => this.itemView(this.items.get(itemId)!),
      location: () => this.locations.find((l) => l.id === locationId),
    };
  }

  private locationView(location: FakeLocation): Obj {
    return {
      ...location,
      inventoryLevels: (args: Obj, ctx: { bulk?: boolean }) => {
        this.need("read_inventory");
        const ids = this.stocked.get(location.id) ?? [];
        const start = indexOf(args.after);
        const size = ctx?.bulk ? ids.length : Number(args.first ?? 0);
        const page = this.page(ids.slice(start, start + size), {}, true);
        const nodes = page.nodes.map((id) => this.levelView(id, location.id));
        const end = start + nodes.length - 1;
        return {
          nodes,
          edges: nodes.map((node, k) => ({ node, cursor: cursorOf(start + k) })),
          pageInfo: { hasNextPage: start + size < ids.length, hasPreviousPage: start > 0, startCursor: nodes.length ? cursorOf(start) : null, endCursor: nodes.length ? cursorOf(end) : null },
        };
      },
    };
  }

  private itemView(item: FakeInventoryItem): Obj {
    return {
      ...item,
      inventoryLevels: (args: Obj) => {
        const here = this.locations.filter((l) => this.available.has(`${item.id}|${l.id}`));
        const page = this.page(here, args);
        return { ...page, nodes: page.nodes.map((l) => this.levelView(item.id, l.id)) };
      },
    };
  }

  private setQuantities(input: Obj, info: GraphQLResolveInfo): Obj {
    this.need("write_inventory");
    const directive = info.fieldNodes[0].directives?.find((d) => d.name.value === "idempotent");
    const keyArg = directive?.arguments?.find((a) => a.name.value === "key");
    const key = keyArg ? valueFromASTUntyped(keyArg.value, info.variableValues) : undefined;
    if (typeof key !== "string" || !key.trim()) {
      this.setCalls.push({ key: null, quantities: 0, applied: false, codes: ["IDEMPOTENCY_KEY_REQUIRED"] });
      throw new GraphQLError("The @idempotent directive with a non-empty key is required for this mutation.", { extensions: { code: "BAD_REQUEST" } });
    }
    const fingerprint = JSON.stringify(input);
    const seen = this.idempotency.get(key);
    if (seen) {
      if (seen.fingerprint === fingerprint) return seen.answer;
      return this.refuse(key, input, [{ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", field: null, message: "The same idempotency key cannot be used with different operation parameters." }], false);
    }
    const quantities = (input.quantities as Obj[]) ?? [];
    const errors: Obj[] = [];
    const at = (i: number, f: string) => ["input", "quantities", String(i), f];
    if (input.name !== "available" && input.name !== "on_hand") errors.push({ code: "INVALID_NAME", field: ["input", "name"], message: "The quantity name must be either 'available' or 'on_hand'." });
    if (!REASONS.has(String(input.reason))) errors.push({ code: "INVALID_REASON", field: ["input", "reason"], message: "The specified reason is invalid." });
    if (quantities.length > MAX_QUANTITIES_PER_CALL) errors.push({ code: null, field: ["input", "quantities"], message: `At most ${MAX_QUANTITIES_PER_CALL} quantities per call.` });
    const pairs = new Set<string>();
    quantities.forEach((q, i) => {
      const pair = `${q.inventoryItemId}|${q.locationId}`;
      if (pairs.has(pair)) errors.push({ code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", field: at(i, "inventoryItemId"), message: "The combination of inventoryItemId and locationId must be unique." });
      pairs.add(pair);
      if (!("changeFromQuantity" in q)) errors.push({ code: "COMPARE_QUANTITY_REQUIRED", field: at(i, "changeFromQuantity"), message: "changeFromQuantity must be given (null to skip the check)." });
      if (!this.items.has(String(q.inventoryItemId))) errors.push({ code: "INVALID_INVENTORY_ITEM", field: at(i, "inventoryItemId"), message: "The specified inventory item could not be found." });
      else if (!this.locations.some((l) => l.id === q.locationId) || !this.available.has(pair))
        errors.push({ code: "INVALID_LOCATION", field: at(i, "locationId"), message: "The specified location could not be found." });
      const quantity = Number(q.quantity);
      if (quantity < 0) errors.push({ code: "INVALID_QUANTITY_NEGATIVE", field: at(i, "quantity"), message: "The quantity can't be negative." });
      if (quantity > MAX_QUANTITY) errors.push({ code: "INVALID_QUANTITY_TOO_HIGH", field: at(i, "quantity"), message: "The total quantity can't be higher than 1,000,000,000." });
      const current = this.available.get(pair);
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== undefined && current !== undefined && current !== q.changeFromQuantity)
        errors.push({ code: "CHANGE_FROM_QUANTITY_STALE", field: at(i, "changeFromQuantity"), message: "The changeFromQuantity value does not match persisted value." });
    });
    if (errors.length) return this.refuse(key, input, errors, true);
    for (const q of quantities) {
      const pair = `${q.inventoryItemId}|${q.locationId}`;
      const from = this.available.get(pair)!;
      this.available.set(pair, Number(q.quantity));
      this.changes.push({
        inventoryItemId: String(q.inventoryItemId),
        locationId: String(q.locationId),
        from,
        to: Number(q.quantity),
        reason: String(input.reason),
        referenceDocumentUri: (input.referenceDocumentUri as string | undefined) ?? null,
        idempotencyKey: key,
        compareAndSwap: q.changeFromQuantity !== null && q.changeFromQuantity !== undefined,
      });
    }
    const answer = { inventoryAdjustmentGroup: { id: `gid://shopify/InventoryAdjustmentGroup/${++this.groups}` }, userErrors: [] };
    this.idempotency.set(key, { fingerprint, answer });
    this.setCalls.push({ key, quantities: quantities.length, applied: true, codes: [] });
    return answer;
  }

  /** A refused call: nothing applied. A failed attempt's key is spent (IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED on reuse with the same input). */
  private refuse(key: string, input: Obj, userErrors: Obj[], remember: boolean): Obj {
    const answer = { inventoryAdjustmentGroup: null, userErrors };
    if (remember)
      this.idempotency.set(key, {
        fingerprint: JSON.stringify(input),
        answer: {
          inventoryAdjustmentGroup: null,
          userErrors: [{ code: "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED", field: null, message: "A previous request with this idempotency key failed. Retry with a new idempotency key." }],
        },
      });
    this.setCalls.push({ key, quantities: ((input.quantities as unknown[]) ?? []).length, applied: false, codes: userErrors.map((e) => String(e.code)) });
    return answer;
  }
}
