// Settings card "Who owns what": for each kind of data the app could write to
// Shopify, which system owns it. Each row is its own component and saves on
// its own (not with the page's Save), so a new row is one line here.
import { BlockStack, Card, Divider, Layout } from "@shopify/polaris";
import { StockOwnershipRow } from "./StockOwnershipRow";
import { ShipmentsOwnershipRow } from "./ShipmentsOwnershipRow";

export function OwnershipCard() {
  return (
    <Layout.AnnotatedSection
      id="ownership"
      title="Who owns what"
      description="Orders always go from Shopify to the ERP. For the rest, choose which system is right: the app only writes to Shopify what the ERP owns."
    >
      <Card>
        <BlockStack gap="500">
          <StockOwnershipRow />
          <Divider />
          <ShipmentsOwnershipRow />
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
