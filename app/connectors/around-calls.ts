// One way to wrap every ERP call of a connector (the shop limiter, the
// outage breaker's observer): each write and look-up of the port goes
// through `around`, with the call's abort signal. The port's methods are
// listed here and nowhere else: a wrapper with its own list misses a method
// added later, and a missing look-up (findRefund) silently turns "look before
// writing again" into a duplicate write.
import type { ErpConnector } from "./port";

export type AroundCall = <T>(signal: AbortSignal | undefined, call: () => Promise<T>) => Promise<T>;

export function aroundErpCalls(connector: ErpConnector, around: AroundCall, testConnection: ErpConnector["testConnection"] = (ctx) => connector.testConnection(ctx)): ErpConnector {
  const findRefund = connector.findRefund?.bind(connector);
  const readBack = connector.readBack?.bind(connector);
  const readOrder = connector.readOrder?.bind(connector);
  const searchItems = connector.searchItems?.bind(connector);
  return {
    testConnection,
    findOrder: (id, ctx) => around(ctx.signal, () => connector.findOrder(id, ctx)),
    createOrder: (order, ctx) => around(ctx.signal, () => connector.createOrder(order, ctx)),
    updateOrder: (ref, order, ctx) => around(ctx.signal, () => connector.updateOrder(ref, order, ctx)),
    cancelOrder: (ref, order, ctx) => around(ctx.signal, () => connector.cancelOrder(ref, order, ctx)),
    recordRefund: (ref, order, refund, ctx) => around(ctx.signal, () => connector.recordRefund(ref, order, refund, ctx)),
    ...(findRefund ? { findRefund: (order, refundId, ctx) => around(ctx.signal, () => findRefund(order, refundId, ctx)) } : {}),
    ...(readBack ? { readBack: (ids, ctx) => around(ctx.signal, () => readBack(ids, ctx)) } : {}),
    ...(readOrder ? { readOrder: (target, ctx) => around(ctx.signal, () => readOrder(target, ctx)) } : {}),
    ...(searchItems ? { searchItems: (query, ctx) => around(ctx.signal, () => searchItems(query, ctx)) } : {}),
  };
}
