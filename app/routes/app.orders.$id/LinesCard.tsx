// The order's lines as Shopify has them now, with the ERP item each goes out
// as and where that came from. A line whose item is the order's problem offers
// the fix in place: "Map OLD-TEE-M to an ERP item" (an item-number field),
// then "Retry the N orders waiting on OLD-TEE-M"; where the ERP can list its
// items, the field searches them (ErpItemField). Stacked text, not a table,
// so a phone never scrolls sideways.
import { useEffect, useState } from "react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Divider, InlineStack, Text } from "@shopify/polaris";
import { ErpItemField } from "../../components/ErpItemField";
import { TitledCard } from "../../components/TitledCard";
import type { OrderLine } from "../../models/order-lines.server";

export interface SkuFixResult {
  intent: "map_sku" | "retry_waiting";
  ok: boolean;
  message: string;
  sku: string;
  fieldError?: string;
  waiting?: number;
}

const SOURCE_WORDS: Record<OrderLine["itemSource"], string> = {
  mapping: "from the SKU mapping table",
  sku: "the SKU itself",
  none: "no ERP item",
};

function SkuFix({ sku, waiting, itemSearch }: { sku: string; waiting: number; itemSearch: boolean }) {
  const fetcher = useFetcher<SkuFixResult>();
  const [itemNumber, setItemNumber] = useState("");
  const result = fetcher.data?.sku === sku ? fetcher.data : undefined;
  const mapped = result?.intent === "map_sku" && result.ok;
  const retried = result?.intent === "retry_waiting" && result.ok;
  const count = mapped ? (result.waiting ?? waiting) : waiting;
  const shopify = useAppBridge();
  // The retry's outcome is a toast: the line stops being a problem once the
  // page reloads its data, and this box goes with it.
  useEffect(() => {
    if (fetcher.data?.intent === "retry_waiting") shopify.toast.show(fetcher.data.message, { isError: !fetcher.data.ok });
  }, [fetcher.data, shopify]);
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="200">
        {!mapped && !retried ? (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="map_sku" />
            <input type="hidden" name="sku" value={sku} />
            <BlockStack gap="200">
              <ErpItemField
                label={`Map ${sku} to an ERP item`}
                name="itemNumber"
                value={itemNumber}
                onChange={setItemNumber}
                searchable={itemSearch}
                helpText={`The item number your ERP knows this product by${itemSearch ? " (type part of its number or name to search your ERP)" : ""}. Saved in Settings → SKU mapping for every order.`}
                error={result?.fieldError}
              />
              <InlineStack>
                <Button submit loading={fetcher.state !== "idle"} accessibilityLabel={`Save mapping for ${sku}`}>
                  Save mapping
                </Button>
              </InlineStack>
            </BlockStack>
          </fetcher.Form>
        ) : null}
        {result?.message ? (
          <Text as="p" tone={result.ok ? "success" : "critical"}>
            {result.message}
          </Text>
        ) : null}
        {mapped && count > 0 ? (
          <InlineStack>
            <Button variant="primary" loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "retry_waiting", sku }, { method: "post" })}>
              {`Retry the ${count} order${count === 1 ? "" : "s"} waiting on ${sku}`}
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Box>
  );
}

export function LinesCard({
  lines,
  currency,
  waitingBySku,
  itemSearch,
}: {
  lines: OrderLine[];
  currency: string | null;
  waitingBySku: Record<string, number>;
  /** Whether the shop's ERP can list items (the item-number field then searches it). */
  itemSearch: boolean;
}) {
  if (lines.length === 0) return null;
  const money = (v: string | null) => (v === null ? "—" : `${v}${currency ? ` ${currency}` : ""}`);
  return (
    <TitledCard title="Lines" gap="300">
      <BlockStack gap="300">
        {lines.map((line, i) => (
          <BlockStack gap="200" key={line.key}>
            {i > 0 ? <Divider /> : null}
            <Text as="h3" variant="headingSm">
              {line.title}
            </Text>
            <Text as="p" tone="subdued">
              SKU {line.sku ?? "none"} · quantity {line.quantity} · {money(line.unitPrice)} each
            </Text>
            <Text as="p" tone={line.itemProblem ? "critical" : undefined}>
              ERP item: {line.erpItem ?? "none"} ({SOURCE_WORDS[line.itemSource]})
            </Text>
            {line.itemProblem && line.sku ? (
              <>
                <Banner tone="warning">
                  <Text as="p">
                    Map this SKU in ERP Order Sync, or create item {line.erpItem ?? line.sku} in your ERP, then retry.
                  </Text>
                </Banner>
                <SkuFix sku={line.sku} waiting={waitingBySku[line.sku] ?? 0} itemSearch={itemSearch} />
              </>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </TitledCard>
  );
}
