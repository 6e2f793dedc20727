// Bulk "Skip selected" asks first, with a reason that goes into each order's
// history, and the skip can be undone from the log for UNDO_SKIP_MS (the
// orders go back to the queue). The undo offer lives in the page, so it shows
// for as long as the log stays open within that time.
import { useEffect, useState } from "react";
import { Banner, BlockStack, Modal, Text, TextField } from "@shopify/polaris";

export function BulkSkipModal({ count, open, onClose, onSkip }: { count: number; open: boolean; onClose(): void; onSkip(reason: string): void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (open) {
      setReason("");
      setError(undefined);
    }
  }, [open]);
  const orders = `${count} order${count === 1 ? "" : "s"}`;
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Skip ${orders}?`}
      primaryAction={{
        content: `Skip ${orders}`,
        destructive: true,
        onAction: () => {
          if (!reason.trim()) {
            setError("Say why these orders should not go to the ERP; it is kept in each order's history.");
            return;
          }
          onClose();
          onSkip(reason.trim());
        },
      }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          <Text as="p">
            {count === 1 ? "The order" : `The ${count} orders`} will not be sent to your ERP, and later changes in Shopify will not bring{" "}
            {count === 1 ? "it" : "them"} back. You can undo this for 10 minutes, or retry each order later.
          </Text>
          <TextField label="Reason (shown in each order's history)" value={reason} onChange={setReason} autoComplete="off" maxLength={500} error={error} />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

export interface UndoOffer {
  ids: string[];
  reason: string;
  /** Epoch ms after which the server no longer undoes it. */
  until: number;
}

export function UndoSkipBanner({ offer, onUndo, onDismiss, undoing }: { offer: UndoOffer; onUndo(): void; onDismiss(): void; undoing: boolean }) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, Math.max(0, offer.until - Date.now()));
    return () => clearTimeout(timer);
  }, [offer, onDismiss]);
  const n = offer.ids.length;
  return (
    <Banner
      tone="info"
      title={`${n} order${n === 1 ? "" : "s"} skipped: ${offer.reason}`}
      action={{ content: `Undo skip of ${n} order${n === 1 ? "" : "s"}`, onAction: onUndo, loading: undoing }}
      onDismiss={onDismiss}
    >
      <Text as="p">You can undo this for 10 minutes: the orders go back to the queue and are sent to your ERP.</Text>
    </Banner>
  );
}
