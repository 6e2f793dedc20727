// A fake Shopify Admin GraphQL API at the fetch layer. It is strict where
// Shopify is strict, so code that passes here has a fair chance with the real
// thing:
//  - every query is parsed and VALIDATED against the committed 2026-10 schema
//    (plus the no-deprecated rule) and executed by graphql-js against it;
//  - each query is priced roughly like Shopify (object 1, scalar 0,
//    connection 2 + first × node, mutation 10) and charged to a leaky bucket
//    (maximumAvailable, restoreRate): over-spending gets Shopify's THROTTLED
//    answer, a single query above 1,000 gets MAX_COST_EXCEEDED;
//  - orders are paged with opaque cursors, filtered by `updated_at`/`created_at`
//    search terms, hidden beyond 60 days unless read_all_orders was granted;
//  - bulkOperationRunQuery runs the query in the "background", is polled via
//    bulkOperation(id)/node(id)/currentBulkOperation, and its JSONL result is
//    served (chunked, split mid-line) from a URL handled by the same fetch.
// Time comes from an injected clock so rate limits can run on virtual time.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  execute,
  getNamedType,
  GraphQLError,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  NoDeprecatedCustomRule,
  parse,
  specifiedRules,
  validate,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { systemClock, type Clock } from "../app/lib/clock";
import { FakeFulfillments } from "./fake-admin/fulfillments";
import { mulberry32 } from "./seeded-random";
import { FakeInventory } from "./fake-admin/inventory";

const SCHEMA_FILE = path.resolve(__dirname, "../app/graphql/admin-2026-10.graphql");
let cachedSchema: GraphQLSchema | undefined;
/** The real Admin schema (parsed once per test file: it is 5 MB of SDL). */
export function adminSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(readFileSync(SCHEMA_FILE, "utf8"));
  return cachedSchema;
}

/** Validation errors of `source` against the real schema (empty = valid). */
export function validateAdminOperation(source: string): string[] {
  let doc: DocumentNode;
  try {
    doc = parse(source);
  } catch (e) {
    return [(e as Error).message];
  }
  return validate(adminSchema(), doc, [...specifiedRules, NoDeprecatedCustomRule]).map((e) => e.message);
}

// ---------------------------------------------------------------------------
// Seed data: orders shaped like the Admin GraphQL API returns them.

type Obj = Record<string, unknown>;

export interface FakeOrder extends Obj {
  __typename: "Order";
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  lineItems: Obj[];
  refunds: Obj[];
}

export interface SeedOptions {
  count: number;
  /** createdAt of the first order; later ones follow at `spacingMs`. */
  startAt?: Date;
  spacingMs?: number;
  /** Every n-th order has this many line items (exercises line-item paging). */
  bigOrderEvery?: number;
  bigOrderLines?: number;
  /** Every n-th order has a refund. */
  refundEvery?: number;
  currency?: string;
}

const cents = (c: number) => (c / 100).toFixed(2);
const moneyBag = (c: number, currency: string) => ({
  shopMoney: { amount: cents(c), currencyCode: currency },
  presentmentMoney: { amount: cents(c), currencyCode: currency },
});

// Ids above 2^53, like real Shopify ids, so precision loss would show.
const ORDER_ID_BASE = 820982911946154508n;
const LINE_ID_BASE = 487817672276298554n;

const PRODUCTS = [
  ["Blue T-shirt", "M", "TSHIRT-BLUE-M"],
  ["Blue T-shirt", "L", "TSHIRT-BLUE-L"],
  ["Aviator sunglasses", null, "SKU2006-001"],
  ["Leather wallet", "Brown", "WALLET-BRN"],
  ["Gift card", "€25", null],
] as const;

export function makeOrders(options: SeedOptions, firstIndex = 0): FakeOrder[] {
  const currency = options.currency ?? "EUR";
  const start = (options.startAt ?? new Date("2026-11-01T00:00:00Z")).getTime();
  const spacing = options.spacingMs ?? 60_000;
  const orders: FakeOrder[] = [];
  for (let i = firstIndex; i < firstIndex + options.count; i++) {
    const rand = mulberry32(i + 1);
    const legacy = (ORDER_ID_BASE + BigInt(i) * 7n).toString();
    const created = new Date(start + i * spacing).toISOString().replace(".000Z", "Z");
    const lineCount = options.bigOrderEvery && i % options.bigOrderEvery === options.bigOrderEvery - 1 ? (options.bigOrderLines ?? 45) : 1 + Math.floor(rand() * 3);
    const discounted = i % 5 === 4;
    const lineItems: Obj[] = [];
    let subtotal = 0;
    let discountTotal = 0;
    let tax = 0;
    for (let l = 0; l < lineCount; l++) {
      const [title, variant, sku] = PRODUCTS[(i + l) % PRODUCTS.length];
      const unit = 500 + Math.floor(rand() * 9500);
      const qty = 1 + Math.floor(rand() * 3);
      const gross = unit * qty;
      const discount = discounted ? Math.round(gross / 10) : 0;
      const lineTax = Math.round(((gross - discount) * 20) / 120); // 20 % VAT, prices include tax
      subtotal += gross - discount;
      discountTotal += discount;
      tax += lineTax;
      const lineId = (LINE_ID_BASE + BigInt(i) * 100n + BigInt(l)).toString();
      lineItems.push({
        id: `gid://shopify/LineItem/${lineId}`,
        sku,
        title,
        variantTitle: variant,
        name: variant ? `${title} - ${variant}` : title,
        quantity: qty,
        currentQuantity: qty,
        isGiftCard: sku === null,
        requiresShipping: sku !== null,
        taxable: true,
        vendor: "Acme",
        originalUnitPriceSet: moneyBag(unit, currency),
        totalDiscountSet: moneyBag(discount, currency),
        discountAllocations: discounted
          ? [{ allocatedAmountSet: moneyBag(discount, currency), discountApplication: { __typename: "DiscountCodeApplication", index: 0 } }]
          : [],
        taxLines: [{ title: "VAT", rate: 0.2, priceSet: moneyBag(lineTax, currency) }],
        product: { id: `gid://shopify/Product/${7000 + ((i + l) % PRODUCTS.length)}` },
        variant: { id: `gid://shopify/ProductVariant/${9000 + ((i + l) % PRODUCTS.length)}` },
      });
    }
    const shippingPrice = 490;
    const shippingTax = Math.round((shippingPrice * 20) / 120);
    tax += shippingTax;
    const total = subtotal + shippingPrice;
    const refunded = options.refundEvery && i % options.refundEvery === options.refundEvery - 1;
    const firstLine = lineItems[0];
    const refundAmount = refunded ? Number(((firstLine.originalUnitPriceSet as { shopMoney: { amount: string } }).shopMoney.amount).replace(".", "")) : 0;
    const address = {
      firstName: `First${i}`,
      lastName: `Last${i}`,
      name: `First${i} Last${i}`,
      company: null,
      address1: `${i} Example Street`,
      address2: null,
      city: "Berlin",
      province: null,
      provinceCode: null,
      zip: "10115",
      country: "Germany",
      countryCodeV2: "DE",
      phone: null,
    };
    orders.push({
      __typename: "Order",
      id: `gid://shopify/Order/${legacy}`,
      legacyResourceId: legacy,
      name: `#${1001 + i}`,
      number: 1001 + i,
      createdAt: created,
      updatedAt: created,
      processedAt: created,
      cancelledAt: null,
      cancelReason: null,
      currencyCode: currency,
      taxesIncluded: true,
      displayFinancialStatus: refunded ? "PARTIALLY_REFUNDED" : "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
      test: false,
      tags: i % 3 === 0 ? ["wholesale", "vip"] : [],
      note: null,
      email: `customer${i}@example.com`,
      phone: null,
      sourceName: "web",
      discountCodes: discounted ? ["SAVE10"] : [],
      customer: {
        id: `gid://shopify/Customer/${115310627314723954n + BigInt(i)}`,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        defaultEmailAddress: { emailAddress: `customer${i}@example.com` },
        defaultPhoneNumber: null,
      },
      billingAddress: address,
      shippingAddress: address,
      subtotalPriceSet: moneyBag(subtotal, currency),
      totalPriceSet: moneyBag(total, currency),
      totalDiscountsSet: moneyBag(discountTotal, currency),
      totalTaxSet: moneyBag(tax, currency),
      totalShippingPriceSet: moneyBag(shippingPrice, currency),
      currentSubtotalPriceSet: moneyBag(subtotal, currency),
      currentTotalPriceSet: moneyBag(total - refundAmount, currency),
      currentTotalTaxSet: moneyBag(tax, currency),
      currentTotalDiscountsSet: moneyBag(discountTotal, currency),
      currentShippingPriceSet: moneyBag(shippingPrice, currency),
      currentTotalDutiesSet: null,
      totalTipReceivedSet: moneyBag(0, currency),
      totalRefundedSet: moneyBag(refundAmount, currency),
      taxLines: [{ title: "VAT", rate: 0.2, priceSet: moneyBag(tax, currency) }],
      discountApplications: discounted
        ? [
            {
              __typename: "DiscountCodeApplication",
              index: 0,
              allocationMethod: "ACROSS",
              targetSelection: "ALL",
              targetType: "LINE_ITEM",
              value: { __typename: "PricingPercentageValue", percentage: 10 },
              code: "SAVE10",
            },
          ]
        : [],
      lineItems,
      shippingLines: [
        {
          id: `gid://shopify/ShippingLine/${legacy}`,
          title: "Standard",
          code: "STANDARD",
          source: "shopify",
          carrierIdentifier: null,
          isRemoved: false,
          originalPriceSet: moneyBag(shippingPrice, currency),
          discountedPriceSet: moneyBag(shippingPrice, currency),
          taxLines: [{ title: "VAT", rate: 0.2, priceSet: moneyBag(shippingTax, currency) }],
          discountAllocations: [],
        },
      ],
      refunds: refunded
        ? [
            {
              id: `gid://shopify/Refund/${890088186047892319n + BigInt(i)}`,
              createdAt: created,
              processedAt: created,
              note: "Damaged in transit",
              totalRefundedSet: moneyBag(refundAmount, currency),
              duties: [],
              refundLineItems: [
                {
                  id: `gid://shopify/RefundLineItem/${legacy}`,
                  quantity: 1,
                  restockType: "NO_RESTOCK",
                  lineItem: firstLine,
                  subtotalSet: moneyBag(refundAmount, currency),
                  totalTaxSet: moneyBag(Math.round((refundAmount * 20) / 120), currency),
                },
              ],
              refundShippingLines: [],
              orderAdjustments: [],
              transactions: [
                {
                  id: `gid://shopify/OrderTransaction/${legacy}`,
                  kind: "REFUND",
                  status: "SUCCESS",
                  gateway: "manual",
                  processedAt: created,
                  amountSet: moneyBag(refundAmount, currency),
                },
              ],
            },
          ]
        : [],
    });
  }
  return orders;
}

// ---------------------------------------------------------------------------
// Cost, roughly Shopify's calculated query cost.

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function argValue(field: FieldNode, name: string, ctx: CostContext): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, ctx.variables) : undefined;
}

function fieldsOf(selectionSet: SelectionSetNode, ctx: CostContext): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(sel.selectionSet, ctx));
    else out.push(...fieldsOf(ctx.fragments[sel.name.value].selectionSet, ctx));
  }
  return out;
}

const fieldTypeCache = new Map<string, GraphQLOutputType | undefined>();

function fieldType(parent: GraphQLType, name: string, schema: GraphQLSchema): GraphQLOutputType | undefined {
  const key = `${getNamedType(parent).name}.${name}`;
  if (!fieldTypeCache.has(key)) fieldTypeCache.set(key, findFieldType(parent, name, schema));
  return fieldTypeCache.get(key);
}

function findFieldType(parent: GraphQLType, name: string, schema: GraphQLSchema): GraphQLOutputType | undefined {
  const named = getNamedType(parent);
  if (name === "__typename") return undefined;
  if ("getFields" in named) {
    const f = (named.getFields() as Record<string, { type: GraphQLOutputType }>)[name];
    if (f) return f.type;
  }
  // A field from an inline fragment on an implementation: find it there.
  for (const t of Object.values(schema.getTypeMap())) {
    if (isObjectType(t) && t.getFields()[name] && "getInterfaces" in t) {
      if (t.getInterfaces().some((i) => i.name === named.name)) return t.getFields()[name].type;
    }
  }
  return undefined;
}

/**
 * Cost of a selection on `type`. With `data` undefined it is the requested
 * cost (connections sized by first/last); with data it is the actual cost
 * (connections sized by what came back).
 */
function selectionCost(selectionSet: SelectionSetNode, type: GraphQLType, ctx: CostContext, data: unknown, requested: boolean): number {
  let total = 0;
  for (const field of fieldsOf(selectionSet, ctx)) {
    const ftype = fieldType(type, field.name.value, ctx.schema);
    if (!ftype || !field.selectionSet) continue;
    const named = getNamedType(ftype);
    if (isLeafType(named)) continue;
    const key = field.alias?.value ?? field.name.value;
    const value = requested ? undefined : (data as Obj | null | undefined)?.[key];
    if (!requested && (value === null || value === undefined)) continue;
    if (named.name.endsWith("Connection")) {
      const size = Number(argValue(field, "first", ctx) ?? argValue(field, "last", ctx) ?? 0);
      const nodeField = fieldsOf(field.selectionSet, ctx);
      const nodeType = (named as unknown as { getFields(): Record<string, { type: GraphQLOutputType }> }).getFields().nodes.type;
      let nodesCost = 0;
      for (const sub of nodeField) {
        if (sub.name.value === "nodes" && sub.selectionSet) {
          const list = requested ? Array.from({ length: size }, () => undefined) : ((value as Obj).nodes as unknown[]);
          for (const n of list) nodesCost += 1 + selectionCost(sub.selectionSet, nodeType, ctx, n, requested);
        }
        if (sub.name.value === "edges" && sub.selectionSet) {
          const nodeSel = fieldsOf(sub.selectionSet, ctx).find((f) => f.name.value === "node");
          const edges = requested ? Array.from({ length: size }, () => undefined) : ((value as Obj).edges as Obj[]);
          if (nodeSel?.selectionSet) for (const e of edges) nodesCost += 1 + selectionCost(nodeSel.selectionSet, nodeType, ctx, e?.node, requested);
        }
      }
      total += 2 + nodesCost;
      continue;
    }
    const list = isListType(isNonNullType(ftype) ? ftype.ofType : ftype);
    if (list) {
      const size = Number(argValue(field, "first", ctx) ?? 1);
      const items = requested ? Array.from({ length: size }, () => undefined) : (value as unknown[]);
      for (const item of items) total += 1 + selectionCost(field.selectionSet, named, ctx, item, requested);
      continue;
    }
    total += 1 + selectionCost(field.selectionSet, named, ctx, value, requested);
  }
  return total;
}

export function queryCost(document: DocumentNode, variables: Record<string, unknown>, data?: unknown): number {
  const schema = adminSchema();
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const root = op.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const ctx = { schema, fragments, variables };
  const cost = selectionCost(op.selectionSet, root, ctx, data, data === undefined);
  return (op.operation === "mutation" ? 10 : 0) + cost;
}

// ---------------------------------------------------------------------------
// Search syntax and paging.

function filterOrders(orders: FakeOrder[], query: string | undefined): FakeOrder[] {
  if (!query) return orders;
  const terms = [...query.matchAll(/(updated_at|created_at):(>=|<=|>|<)?'?"?([^\s'"]+)'?"?/g)];
  return orders.filter((o) =>
    terms.every(([, field, op = "=", raw]) => {
      const value = Date.parse(raw);
      const actual = Date.parse(field === "updated_at" ? o.updatedAt : o.createdAt);
      switch (op) {
        case ">=":
          return actual >= value;
        case "<=":
          return actual <= value;
        case ">":
          return actual > value;
        case "<":
          return actual < value;
        default:
          return actual === value;
      }
    }),
  );
}

const encodeCursor = (i: number) => Buffer.from(`cursor:${i}`).toString("base64");
const decodeCursor = (c: string) => Number(Buffer.from(c, "base64").toString().split(":")[1]);

interface ExecContext {
  bulk: boolean;
}

function connection(items: unknown[], args: Obj, ctx: ExecContext) {
  if (args.first === undefined && args.last === undefined && !ctx.bulk) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  if (typeof args.first === "number" && args.first > 250) {
    throw new GraphQLError("The maximum number of items per page is 250", { extensions: { code: "BAD_REQUEST" } });
  }
  const start = typeof args.after === "string" ? decodeCursor(args.after) + 1 : 0;
  const size = typeof args.first === "number" ? args.first : items.length;
  const page = items.slice(start, start + size);
  return {
    nodes: page,
    edges: page.map((node, k) => ({ node, cursor: encodeCursor(start + k) })),
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? encodeCursor(start) : null,
      endCursor: page.length ? encodeCursor(start + page.length - 1) : null,
    },
  };
}

/** Resolves plain data objects; arrays under *Connection fields are paged. */
const fieldResolver: GraphQLFieldResolver<unknown, ExecContext> = (source, args, ctx, info) => {
  const value = (source as Obj | null)?.[info.fieldName];
  if (typeof value === "function") return (value as (a: Obj, c: ExecContext, i: typeof info) => unknown)(args, ctx, info);
  const named = getNamedType(info.returnType);
  if (named.name.endsWith("Connection") && Array.isArray(value)) return connection(value, args, ctx);
  if (Array.isArray(value) && typeof args.first === "number" && !ctx.bulk) return value.slice(0, args.first);
  if (value === undefined) return null;
  return value;
};

// ---------------------------------------------------------------------------
// The fake itself.

export interface FakeAdminApiOptions {
  shop?: string;
  clock?: Clock;
  accessToken?: string;
  maximumAvailable?: number;
  restoreRate?: number;
  scopes?: string[];
  /** How many status polls a bulk operation stays RUNNING before it completes. */
  bulkPollsUntilComplete?: number;
  /** JSONL body chunk size (small values split lines across chunks). */
  jsonlChunkBytes?: number;
  apiVersion?: string;
}

export interface FakeRequestRecord {
  operation: string;
  requestedCost: number;
  actualCost: number | null;
  throttled: boolean;
  at: number;
}

interface BulkOperation {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELED" | "FAILED";
  query: string;
  groupObjects: boolean;
  polls: number;
  createdAt: string;
  completedAt: string | null;
  lines?: string[];
  rootObjectCount: number;
}

const BULK_HOST = "https://fake-bulk-results.test";

export class FakeAdminApi {
  readonly shop: string;
  readonly schema = adminSchema();
  orders: FakeOrder[] = [];
  scopes: string[];
  accessToken: string;
  maximumAvailable: number;
  restoreRate: number;
  readonly requests: FakeRequestRecord[] = [];
  /** Every validation error any query had (tests expect none). */
  readonly invalidQueries: { query: string; errors: string[] }[] = [];
  readonly bulkOperations: BulkOperation[] = [];
  bulkPollsUntilComplete: number;
  jsonlChunkBytes: number;
  private readonly clock: Clock;
  private readonly apiVersion: string;
  private available: number;
  private availableAt: number;
  private failures: number[] = [];
  /** Locations, inventory levels and inventorySetQuantities (testkit/fake-admin/inventory.ts). */
  readonly inventory = new FakeInventory(() => this.scopes);
  /** Fulfilment orders and fulfillmentCreate (testkit/fake-admin/fulfillments.ts). */
  readonly fulfillments: FakeFulfillments;

  constructor(options: FakeAdminApiOptions = {}) {
    this.shop = options.shop ?? "test-shop.myshopify.com";
    this.clock = options.clock ?? systemClock;
    this.accessToken = options.accessToken ?? "shpat_test_token";
    this.maximumAvailable = options.maximumAvailable ?? 1000;
    this.restoreRate = options.restoreRate ?? 100;
    this.scopes = options.scopes ?? ["read_orders"];
    this.bulkPollsUntilComplete = options.bulkPollsUntilComplete ?? 2;
    this.jsonlChunkBytes = options.jsonlChunkBytes ?? 16 * 1024;
    this.apiVersion = options.apiVersion ?? "2026-10";
    this.available = this.maximumAvailable;
    this.availableAt = this.clock.now();
    this.fulfillments = new FakeFulfillments(() => this.orders, () => this.scopes, this.clock);
  }

  seed(options: SeedOptions): FakeOrder[] {
    const added = makeOrders(options, this.orders.length);
    this.orders.push(...added);
    return added;
  }

  /** Change an order the way a merchant edit would: updatedAt moves on. */
  touch(legacyId: string, at: Date, change: (o: FakeOrder) => void = () => {}): FakeOrder {
    const order = this.orders.find((o) => o.legacyResourceId === legacyId);
    if (!order) throw new Error(`no order ${legacyId}`);
    change(order);
    order.updatedAt = at.toISOString().replace(".000Z", "Z");
    return order;
  }

  /** Spend points as if another app call had (the client cannot know). */
  drain(points: number): void {
    this.available = this.currentlyAvailable() - points;
    this.availableAt = this.clock.now();
  }

  /** The next `count` requests answer with HTTP `status` (e.g. 502). */
  failNext(count: number, status = 503): void {
    for (let i = 0; i < count; i++) this.failures.push(status);
  }

  get throttledCount(): number {
    return this.requests.filter((r) => r.throttled).length;
  }

  get actualCostTotal(): number {
    return this.requests.reduce((s, r) => s + (r.actualCost ?? 0), 0);
  }

  /** Bucket level now (for assertions). */
  currentlyAvailable(): number {
    const restored = ((this.clock.now() - this.availableAt) / 1000) * this.restoreRate;
    return Math.min(this.maximumAvailable, this.available + restored);
  }

  /** The fetch to inject into the client under test. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin === BULK_HOST) return this.serveBulkResult(url);
    if (url.host !== this.shop || url.pathname !== `/admin/api/${this.apiVersion}/graphql.json`) {
      return Response.json({ errors: "Not Found" }, { status: 404 });
    }
    const failure = this.failures.shift();
    if (failure) return new Response(`<html>${failure}</html>`, { status: failure, headers: { "content-type": "text/html" } });
    if (request.headers.get("x-shopify-access-token") !== this.accessToken) {
      return Response.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
    }
    const body = (await request.json()) as { query: string; variables?: Obj; operationName?: string };
    return Response.json(this.answer(body.query, body.variables ?? {}));
  };

  private answer(query: string, variables: Obj): Obj {
    const errors = validateAdminOperation(query);
    if (errors.length) {
      this.invalidQueries.push({ query, errors });
      return { errors: errors.map((message) => ({ message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })) };
    }
    const document = parse(query);
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const operation = op.name?.value ?? "anonymous";
    const requested = queryCost(document, variables);
    const now = this.clock.now();
    this.available = this.currentlyAvailable();
    this.availableAt = now;
    const status = () => ({
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    });
    if (requested > 1000) {
      this.requests.push({ operation, requestedCost: requested, actualCost: null, throttled: false, at: now });
      return {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: 1000, documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() } },
      };
    }
    if (requested > this.available) {
      this.requests.push({ operation, requestedCost: requested, actualCost: null, throttled: true, at: now });
      return {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() } },
      };
    }
    this.available -= requested;
    const result = execute({
      schema: this.schema,
      document,
      rootValue: op.operation === "mutation" ? this.mutationRoot() : this.queryRoot(),
      variableValues: variables,
      contextValue: { bulk: false } satisfies ExecContext,
      fieldResolver,
      typeResolver: (value) => (value as Obj).__typename as string,
    }) as { data?: Obj | null; errors?: readonly GraphQLError[] };
    const actual = op.operation === "mutation" ? requested : Math.min(requested, queryCost(document, variables, result.data ?? {}));
    this.available += requested - actual;
    this.requests.push({ operation, requestedCost: requested, actualCost: actual, throttled: false, at: now });
    return {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status() } },
    };
  }

  private visibleOrders(): FakeOrder[] {
    if (this.scopes.includes("read_all_orders")) return this.orders;
    // Without read_all_orders Shopify silently returns only the last 60 days.
    const cutoff = this.clock.now() - 60 * 24 * 3600_000;
    return this.orders.filter((o) => Date.parse(o.createdAt) >= cutoff);
  }

  private ordersField = (args: Obj, ctx: ExecContext) => {
    let list = filterOrders(this.visibleOrders(), args.query as string | undefined);
    const key = (args.sortKey as string | undefined) ?? "ID";
    const by = (o: FakeOrder) => (key === "UPDATED_AT" ? o.updatedAt : key === "CREATED_AT" ? o.createdAt : "");
    list = [...list].sort((a, b) => by(a).localeCompare(by(b)) || (BigInt(a.legacyResourceId) < BigInt(b.legacyResourceId) ? -1 : 1));
    if (args.reverse) list.reverse();
    return connection(list, args, ctx);
  };

  private findNode(id: string): Obj | null {
    if (id.startsWith("gid://shopify/BulkOperation/")) return this.bulkView(id);
    const visible = this.visibleOrders();
    return visible.find((o) => o.id === id) ?? null;
  }

  private queryRoot(): Obj {
    return {
      ...this.inventory.queryFields(),
      orders: this.ordersField,
      order: (args: Obj) => this.findNode(String(args.id)),
      refund: (args: Obj) => this.visibleOrders().flatMap((o) => o.refunds).find((r) => r.id === args.id) ?? null,
      ordersCount: (args: Obj) => ({ count: filterOrders(this.visibleOrders(), args.query as string | undefined).length, precision: "EXACT" }),
      node: (args: Obj) => this.findNode(String(args.id)),
      nodes: (args: Obj) => (args.ids as string[]).map((id) => this.findNode(id)),
      currentAppInstallation: () => ({ accessScopes: this.scopes.map((handle) => ({ handle, description: handle })) }),
      bulkOperation: (args: Obj) => this.bulkView(String(args.id)),
      currentBulkOperation: () => {
        const last = this.bulkOperations.at(-1);
        return last ? this.bulkView(last.id) : null;
      },
    };
  }

  private mutationRoot(): Obj {
    return {
      ...this.inventory.mutationFields(),
      ...this.fulfillments.mutations(),
      bulkOperationRunQuery: (args: Obj) => {
        const query = String(args.query);
        const errors = validateAdminOperation(query);
        if (errors.length) {
          this.invalidQueries.push({ query, errors });
          return { bulkOperation: null, userErrors: errors.map((message) => ({ field: ["query"], message, code: "INVALID" })) };
        }
        if (this.bulkOperations.some((b) => b.status === "RUNNING" || b.status === "CREATED")) {
          return { bulkOperation: null, userErrors: [{ field: null, message: "A bulk query operation for this app and shop is already in progress", code: "OPERATION_IN_PROGRESS" }] };
        }
        const op: BulkOperation = {
          id: `gid://shopify/BulkOperation/${1000 + this.bulkOperations.length}`,
          status: "CREATED",
          query,
          groupObjects: args.groupObjects === true,
          polls: 0,
          createdAt: new Date(this.clock.now()).toISOString(),
          completedAt: null,
          rootObjectCount: 0,
        };
        this.bulkOperations.push(op);
        return { bulkOperation: this.bulkView(op.id), userErrors: [] };
      },
      bulkOperationCancel: (args: Obj) => {
        const op = this.bulkOperations.find((b) => b.id === args.id);
        if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
        if (op.status === "RUNNING" || op.status === "CREATED") op.status = "CANCELED";
        return { bulkOperation: this.bulkView(op.id), userErrors: [] };
      },
    };
  }

  /** Each status read moves a bulk operation along: CREATED -> RUNNING -> COMPLETED. */
  private bulkView(id: string): Obj | null {
    const op = this.bulkOperations.find((b) => b.id === id);
    if (!op) return null;
    if (op.status === "CREATED" || op.status === "RUNNING") {
      op.polls++;
      op.status = "RUNNING";
      if (op.polls > this.bulkPollsUntilComplete) this.completeBulk(op);
    }
    const lines = op.lines?.length ?? 0;
    const progress = op.status === "COMPLETED" ? lines : Math.floor((this.orders.length * op.polls) / (this.bulkPollsUntilComplete + 1));
    return {
      __typename: "BulkOperation",
      id: op.id,
      status: op.status,
      type: "QUERY",
      query: op.query,
      errorCode: null,
      objectCount: String(progress),
      rootObjectCount: String(op.status === "COMPLETED" ? op.rootObjectCount : progress),
      fileSize: op.lines ? String(op.lines.reduce((s, l) => s + l.length + 1, 0)) : null,
      url: op.status === "COMPLETED" && lines > 0 ? `${BULK_HOST}/bulk/${encodeURIComponent(op.id)}.jsonl` : null,
      partialDataUrl: null,
      createdAt: op.createdAt,
      completedAt: op.completedAt,
    };
  }

  private completeBulk(op: BulkOperation): void {
    const document = parse(op.query);
    const result = execute({
      schema: this.schema,
      document,
      rootValue: this.queryRoot(),
      contextValue: { bulk: true } satisfies ExecContext,
      fieldResolver,
      typeResolver: (value) => (value as Obj).__typename as string,
    }) as { data?: Obj | null; errors?: readonly GraphQLError[] };
    if (result.errors?.length) {
      op.status = "FAILED";
      return;
    }
    const roots: Obj[] = [];
    const children: Obj[] = [];
    const rootConnection = Object.values(result.data ?? {})[0] as { edges?: { node: Obj }[]; nodes?: Obj[] };
    const rootNodes = rootConnection.edges?.map((e) => e.node) ?? rootConnection.nodes ?? [];
    const lines: string[] = [];
    for (const node of rootNodes) {
      const own: Obj[] = [];
      const flat = flattenForJsonl(node, undefined, own);
      if (op.groupObjects) {
        lines.push(JSON.stringify(flat), ...own.map((c) => JSON.stringify(c)));
      } else {
        roots.push(flat);
        children.push(...own);
      }
    }
    if (!op.groupObjects) {
      // Ungrouped output has no order guarantee: put children first to prove
      // nobody relies on an order Shopify does not promise.
      lines.push(...children.map((c) => JSON.stringify(c)), ...roots.map((r) => JSON.stringify(r)));
    }
    op.lines = lines;
    op.rootObjectCount = rootNodes.length;
    op.status = "COMPLETED";
    op.completedAt = new Date(this.clock.now()).toISOString();
  }

  private serveBulkResult(url: URL): Response {
    const id = decodeURIComponent(url.pathname.replace(/^\/bulk\//, "").replace(/\.jsonl$/, ""));
    const op = this.bulkOperations.find((b) => b.id === id);
    if (!op?.lines) return new Response("NoSuchKey", { status: 404 });
    const text = op.lines.join("\n") + "\n";
    const bytes = new TextEncoder().encode(text);
    const chunk = this.jsonlChunkBytes;
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + chunk));
        offset += chunk;
      },
    });
    return new Response(stream, { status: 200, headers: { "content-type": "application/jsonl" } });
  }
}

/**
 * Shopify's JSONL layout: each node of a nested connection becomes its own
 * line with `__parentId`, and the connection disappears from the parent.
 */
function flattenForJsonl(node: Obj, parentId: string | undefined, out: Obj[]): Obj {
  const flat: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === "object" && !Array.isArray(value) && isConnectionValue(value as Obj)) {
      const items = ((value as Obj).edges as { node: Obj }[] | undefined)?.map((e) => e.node) ?? ((value as Obj).nodes as Obj[]);
      for (const child of items) {
        // Reserve the child's place before its own children (parent first).
        const childLine: Obj = {};
        out.push(childLine);
        Object.assign(childLine, flattenForJsonl(child, node.id as string, out));
      }
      continue;
    }
    flat[key] = value;
  }
  if (parentId) flat.__parentId = parentId;
  return flat;
}

function isConnectionValue(value: Obj): boolean {
  return Array.isArray(value.edges) || Array.isArray(value.nodes);
}
