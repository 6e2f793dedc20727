// Order page block: this order's ERP sync state, ERP document, last error and
// when it was last tried, with a button to resync.
import { useCallback, useEffect, useState } from "react";
import { AdminBlock, Badge, BlockStack, Button, InlineStack, Text, reactExtension, useApi } from "@shopify/ui-extensions-react/admin";
import { STATE_TONES, formatWhen, loadStatus, resync, type StatusAnswer } from "./sync-api";

const TARGET = "admin.order-details.block.render";

export default reactExtension(TARGET, () => <OrderSyncBlock />);

function OrderSyncBlock() {
  const { data } = useApi(TARGET);
  const orderGid = data.selected[0]?.id ?? "";
  const [answer, setAnswer] = useState<StatusAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(async () => setAnswer(await loadStatus(orderGid)), [orderGid]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const onResync = async () => {
    setBusy(true);
    const result = await resync(orderGid);
    setNotice(result.message);
    setBusy(false);
    await refresh();
  };

  if (!answer) {
    return (
      <AdminBlock title="ERP sync">
        <Text>Loading…</Text>
      </AdminBlock>
    );
  }
  if (answer.kind !== "status") {
    return (
      <AdminBlock title="ERP sync">
        <Text>{answer.message}</Text>
      </AdminBlock>
    );
  }
  const s = answer.status;
  return (
    <AdminBlock title="ERP sync">
      <BlockStack gap="base">
        <InlineStack gap="base" blockAlignment="center">
          <Badge tone={STATE_TONES[s.state]}>{s.stateLabel}</Badge>
          <Text>ERP document: {s.erpDocument ?? "not created yet"}</Text>
        </InlineStack>
        <Text>
          Last tried: {formatWhen(s.lastAttemptAt)} ({s.attemptCount} attempt{s.attemptCount === 1 ? "" : "s"})
        </Text>
        {s.lastError ? <Text fontWeight="bold">{s.lastError}</Text> : null}
        {(s.shipments ?? []).map((shipment) => (
          <Text key={shipment.document}>
            Shipment {shipment.document}: {shipment.tracking ? `tracking ${shipment.tracking}` : "no tracking"}
            {shipment.fulfillment ? ` · fulfilment ${shipment.fulfillment}` : shipment.problem ? ` · ${shipment.problem}` : " · not in Shopify yet"}
          </Text>
        ))}
        {notice ? <Text>{notice}</Text> : null}
        <InlineStack gap="base">
          <Button onPress={onResync} disabled={busy || s.state === "sending"}>
            Resync now
          </Button>
          <Button href={`app:/app/orders/${s.id}`}>Open sync history</Button>
        </InlineStack>
      </BlockStack>
    </AdminBlock>
  );
}
