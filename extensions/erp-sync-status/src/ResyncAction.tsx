// "More actions > Resync to ERP" on the order page: shows the current state,
// and resyncs when staff confirm.
import { useEffect, useState } from "react";
import { AdminAction, BlockStack, Button, Text, reactExtension, useApi } from "@shopify/ui-extensions-react/admin";
import { formatWhen, loadStatus, resync, type StatusAnswer } from "./sync-api";

const TARGET = "admin.order-details.action.render";

export default reactExtension(TARGET, () => <ResyncAction />);

function ResyncAction() {
  const { data, close } = useApi(TARGET);
  const orderGid = data.selected[0]?.id ?? "";
  const [answer, setAnswer] = useState<StatusAnswer | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void loadStatus(orderGid).then(setAnswer);
  }, [orderGid]);

  const onResync = async () => {
    setBusy(true);
    setResult(await resync(orderGid));
    setBusy(false);
  };

  return (
    <AdminAction
      title="Resync to ERP"
      primaryAction={
        result?.ok ? (
          <Button onPress={close}>Done</Button>
        ) : (
          <Button onPress={onResync} disabled={busy || answer?.kind !== "status"}>
            Resync now
          </Button>
        )
      }
      secondaryAction={<Button onPress={close}>Cancel</Button>}
    >
      <BlockStack gap="base">
        {!answer ? <Text>Loading…</Text> : null}
        {answer && answer.kind !== "status" ? <Text>{answer.message}</Text> : null}
        {answer?.kind === "status" ? (
          <>
            <Text>
              {answer.status.orderName} is {answer.status.stateLabel.toLowerCase()} (last tried {formatWhen(answer.status.lastAttemptAt)}).
            </Text>
            {answer.status.lastError ? <Text>{answer.status.lastError}</Text> : null}
            <Text>Resync puts the order back in the queue now; it is sent to your ERP within a minute. It is never created twice.</Text>
          </>
        ) : null}
        {result ? <Text fontWeight="bold">{result.message}</Text> : null}
      </BlockStack>
    </AdminAction>
  );
}
