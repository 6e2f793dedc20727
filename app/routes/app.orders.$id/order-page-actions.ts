// Which buttons the order page offers, by the state the order is shown in.
// A synced or resolved order has no "Retry now" (the ERP already holds it, and
// a retry would find nothing to send); it offers "Re-fetch from Shopify",
// which sends the order again only if it changed there. An order on its way
// (waiting, sending) offers nothing that would race the worker.
import type { ComponentProps } from "react";
import type { Page } from "@shopify/polaris";
import type { OrderDetail } from "../../models/order-detail.server";

type PageProps = ComponentProps<typeof Page>;

export function orderPageActions(
  order: Pick<OrderDetail, "shownState" | "shopifyAdminUrl" | "erpDocumentUrl">,
  ui: { pending: string; run(intent: string): void; openSkip(): void },
): Pick<PageProps, "primaryAction" | "secondaryActions"> {
  const { shownState: state, shopifyAdminUrl, erpDocumentUrl } = order;
  const links: NonNullable<PageProps["secondaryActions"]> = [
    { content: "Open in Shopify admin", url: shopifyAdminUrl, target: "_top" },
    ...(erpDocumentUrl ? [{ content: "Open in ERP", url: erpDocumentUrl, external: true }] : []),
  ];
  const refetch = (content: string, helpText: string) => ({
    content,
    helpText,
    onAction: () => ui.run("refetch_and_retry"),
    loading: ui.pending === "refetch_and_retry",
  });
  if (state === "synced" || state === "resolved") {
    return { secondaryActions: [refetch("Re-fetch from Shopify", "Sends the order to the ERP again only if it changed in Shopify"), ...links] };
  }
  if (state === "pending" || state === "sending") return { secondaryActions: links };
  return {
    primaryAction: { content: "Retry now", onAction: () => ui.run("retry_now"), loading: ui.pending === "retry_now" },
    secondaryActions: [
      refetch("Re-fetch from Shopify and retry", "Use this if you changed the order in Shopify"),
      { content: "Mark resolved", onAction: () => ui.run("mark_resolved"), loading: ui.pending === "mark_resolved", helpText: "You fixed it in the ERP by hand" },
      ...(state === "skipped" ? [] : [{ content: "Skip", destructive: true, onAction: ui.openSkip, loading: ui.pending === "skip" }]),
      ...links,
    ],
  };
}
