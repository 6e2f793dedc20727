// "Skip" on the order page asks first, with a reason that goes into the history.
import { useState } from "react";
import { BlockStack, Modal, Text, TextField } from "@shopify/polaris";

export function SkipModal({ orderName, open, onClose, onSkip }: { orderName: string; open: boolean; onClose(): void; onSkip(note: string): void }) {
  const [skipNote, setSkipNote] = useState("");
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Skip ${orderName}?`}
      primaryAction={{
        content: "Skip order",
        destructive: true,
        onAction: () => {
          onClose();
          onSkip(skipNote);
        },
      }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          <Text as="p">The order will not be sent to your ERP, and later changes in Shopify will not bring it back. You can retry it later.</Text>
          <TextField label="Reason (shown in the history)" value={skipNote} onChange={setSkipNote} autoComplete="off" maxLength={500} />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
