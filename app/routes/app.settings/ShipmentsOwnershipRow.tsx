// The "Shipments and tracking" row of the "Who owns what" card: whether
// Shopify owns shipments (the default: the app never creates fulfilments) or
// the ERP does (its shipments become Shopify fulfilments with tracking).
// Turning the ERP on first asks the merchant for the fulfilment permissions
// (optional scopes, App Bridge's grant dialog); declined means nothing
// changes. Loaded and saved through app.settings.shipments.tsx, not with the
// page's Save.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Checkbox, ChoiceList, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { formatDateTime } from "../../components/format";
import type { ShipmentsCardData, ShipmentsOwner } from "../../models/shipments.server";
import type { action as shipmentsAction, loader as shipmentsLoader } from "../app.settings.shipments";

export function ShipmentsOwnershipRow() {
  const loaded = useFetcher<typeof shipmentsLoader>();
  const { load } = loaded;
  useEffect(() => {
    void load("/app/settings/shipments");
  }, [load]);
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Shipments and tracking
      </Text>
      <Text as="p" tone="subdued">
        Who tells the customer their order shipped. When the ERP owns shipments, each ERP shipment becomes one Shopify fulfilment with its tracking numbers, exactly once.
      </Text>
      {loaded.data ? <ShipmentsForm initial={loaded.data} /> : <SkeletonBodyText lines={3} />}
    </BlockStack>
  );
}

function ShipmentsForm({ initial }: { initial: ShipmentsCardData }) {
  const shopify = useAppBridge();
  const save = useFetcher<typeof shipmentsAction>();
  const [owner, setOwner] = useState<ShipmentsOwner>(initial.owner);
  const [notify, setNotify] = useState(initial.notifyCustomer);
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (save.data) shopify.toast.show(save.data.message, { isError: !save.data.ok });
  }, [save.data, shopify]);

  const submit = async () => {
    if (owner === "erp" && initial.owner !== "erp") {
      setAsking(true);
      try {
        const answer = await shopify.scopes.request([...initial.scopes]);
        if (answer.result !== "granted-all") {
          shopify.toast.show("Shopify's permission to create fulfilments was not granted, so Shopify keeps owning shipments.", { isError: true });
          setOwner("shopify");
          return;
        }
      } finally {
        setAsking(false);
      }
    }
    save.submit({ owner, notifyCustomer: notify }, { method: "post", action: "/app/settings/shipments", encType: "application/json" });
  };

  return (
    <BlockStack gap="300">
      <ChoiceList
        title="Shipments and tracking are owned by"
        choices={[
          { label: "Shopify", value: "shopify", helpText: "Staff or a fulfilment app fulfil orders in Shopify. The app never creates fulfilments." },
          { label: "The ERP", value: "erp", helpText: "The app reads shipments the ERP completed and creates the Shopify fulfilments, with carrier and tracking." },
        ]}
        selected={[owner]}
        onChange={([value]) => setOwner(value as ShipmentsOwner)}
      />
      {/* Only meaningful when the ERP owns shipments; shown then rather than greyed out (greyed help text is too faint to read). */}
      {owner === "erp" ? (
        <Checkbox
          label="Let Shopify email the customer when a shipment is recorded"
          checked={notify}
          onChange={setNotify}
          helpText="Shopify's shipping confirmation, with the tracking link."
        />
      ) : null}
      {owner === "erp" && initial.connectorSupports === false ? (
        <Banner tone="warning">
          <Text as="p">
            {initial.connectorName ?? "The connected ERP"} cannot report shipments to the app yet, so no fulfilments will be created. See the app's documentation (Shipments) for what each ERP supports.
          </Text>
        </Banner>
      ) : null}
      {initial.owner === "erp" && initial.lastError ? (
        <Banner tone="critical" title="The last shipment run had a problem">
          <Text as="p">{initial.lastError}</Text>
        </Banner>
      ) : null}
      <InlineStack gap="300" blockAlign="center">
        <Button onClick={() => void submit()} loading={asking || save.state !== "idle"}>
          Save shipment settings
        </Button>
        <Text as="span" tone="subdued" variant="bodySm">
          {initial.lastRunAt ? `Shipments last checked ${formatDateTime(initial.lastRunAt)}.` : "Shipments not checked yet."}
        </Text>
      </InlineStack>
    </BlockStack>
  );
}
