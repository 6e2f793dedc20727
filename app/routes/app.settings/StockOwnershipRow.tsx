// "Stock levels" row of the Who owns what card: Shopify (default: the app
// never writes stock) or the ERP (the app sets Shopify's available quantity
// at linked locations). Turning the ERP on first asks the merchant for the
// optional scopes through App Bridge's Scopes API; the row says what is still
// missing. Loaded and saved through app.settings.stock.tsx.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, ChoiceList, InlineStack, List, Select, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import type { StockOwnershipData } from "../../models/stock-settings.server";
import type { action as stockAction, loader as stockLoader } from "../app.settings.stock";

export function StockOwnershipRow() {
  const loaded = useFetcher<typeof stockLoader>();
  const { load } = loaded;
  useEffect(() => {
    void load("/app/settings/stock");
  }, [load]);
  if (!loaded.data) return <SkeletonBodyText lines={3} />;
  return <StockOwnershipForm initial={loaded.data as StockOwnershipData} reload={() => void load("/app/settings/stock")} />;
}

function StockOwnershipForm({ initial, reload }: { initial: StockOwnershipData; reload: () => void }) {
  const shopify = useAppBridge();
  const save = useFetcher<typeof stockAction>();
  const [owner, setOwner] = useState(initial.settings.owner);
  const [interval, setIntervalMinutes] = useState(String(initial.settings.intervalMinutes));
  const [links, setLinks] = useState<Record<string, string>>(() => Object.fromEntries(initial.settings.links.map((l) => [l.shopifyLocationId, l.erpLocationId])));
  const [requesting, setRequesting] = useState(false);

  useEffect(() => {
    if (save.data) shopify.toast.show(save.data.message, { isError: !save.data.ok });
  }, [save.data, shopify]);

  const requestScopes = async () => {
    setRequesting(true);
    try {
      const answer = await shopify.scopes.request(initial.missingScopes);
      if (answer.result === "granted-all") reload();
      else shopify.toast.show("Access was not granted, so stock stays owned by Shopify. Orders keep syncing.", { isError: true });
    } finally {
      setRequesting(false);
    }
  };

  const shopifyLocations = initial.shopifyLocations ?? [];
  const nameOf = (id: string) => shopifyLocations.find((l) => l.id === id)?.name ?? id;
  const submit = () =>
    save.submit(
      {
        owner,
        intervalMinutes: interval,
        links: Object.entries(links)
          .filter(([, erp]) => erp)
          .map(([shopifyLocationId, erpLocationId]) => ({ shopifyLocationId, shopifyLocationName: nameOf(shopifyLocationId), erpLocationId })),
      },
      { method: "post", action: "/app/settings/stock", encType: "application/json" },
    );

  const erpOptions = [{ label: "Not linked: the app does not change stock here", value: "" }, ...(initial.erpLocations ?? []).map((l) => ({ label: `${l.name} (${l.id})`, value: l.id }))];

  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Stock levels
      </Text>
      <ChoiceList
        title="Who owns stock levels"
        titleHidden
        choices={[
          { label: "Shopify", value: "shopify", helpText: "The app never changes stock in Shopify." },
          {
            label: "The ERP",
            value: "erp",
            helpText:
              "The app sets Shopify's available quantity at the linked locations to the ERP's quantity, minus orders the ERP has not received yet. It never touches unlinked locations, untracked products, on-hand or incoming quantities, or prices.",
          },
        ]}
        selected={[owner]}
        onChange={(v) => setOwner(v[0] === "erp" ? "erp" : "shopify")}
      />
      {owner === "erp" && initial.missingScopes.length > 0 ? (
        <Banner tone="warning" title="The app needs your permission to change stock">
          <BlockStack gap="200">
            <Text as="p">Shopify has not granted: {initial.missingScopes.join(", ")}. Until you grant them, stock runs stop before reading anything and orders keep syncing.</Text>
            <InlineStack>
              <Button onClick={() => void requestScopes()} loading={requesting}>
                Grant access
              </Button>
            </InlineStack>
          </BlockStack>
        </Banner>
      ) : null}
      {owner === "erp" ? (
        <BlockStack gap="300">
          {initial.erpLocationsError ? <Banner tone="info">{initial.erpLocationsError}</Banner> : null}
          {initial.shopifyLocationsError ? <Banner tone="info">{initial.shopifyLocationsError}</Banner> : null}
          {shopifyLocations.length > 0 && initial.erpLocations ? (
            <BlockStack gap="200">
              <Text as="p" tone="subdued">
                Link each Shopify location to the ERP location whose stock it shows. The first linked location also counts orders that name no location.
              </Text>
              <List type="bullet">
                {shopifyLocations.map((l) => (
                  <List.Item key={l.id}>
                    <Select label={l.name} options={erpOptions} value={links[l.id] ?? ""} onChange={(v) => setLinks((x) => ({ ...x, [l.id]: v }))} />
                  </List.Item>
                ))}
              </List>
            </BlockStack>
          ) : null}
          <TextField label="Compare stock every (minutes)" type="number" min={5} max={1440} value={interval} onChange={setIntervalMinutes} helpText="A full comparison also runs once a day." autoComplete="off" />
        </BlockStack>
      ) : null}
      <InlineStack>
        <Button onClick={submit} loading={save.state !== "idle"}>
          Save stock ownership
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
