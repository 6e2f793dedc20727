// Settings card "SKU mapping": Shopify SKU -> ERP item number, one at a time
// or from a CSV file (all lines or none), searchable and paged through the
// page's URL (?sku=, ?skuPage=) so the list survives a reload. The item
// number field searches the ERP's items where the connector can list them.
import { useEffect, useRef, useState } from "react";
import { useSearchParams, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineStack, Layout, List, Pagination, Text, TextField } from "@shopify/polaris";
import { ErpItemField } from "../../components/ErpItemField";
import { formatDateTime } from "../../components/format";
import type { ActionResult } from "./route";
import type { SettingsData } from "./settings-form";
import { DryRunModal, usePreview } from "./DryRunPreview";

export function SkuMappingCard({ data, result, submitting }: { data: SettingsData; result: ActionResult | undefined; submitting: string | undefined }) {
  const submit = useSubmit();
  const [sku, setSku] = useState("");
  const [itemNumber, setItemNumber] = useState("");
  const fileInput = useRef<HTMLInputElement>(null);
  const previewInput = useRef<HTMLInputElement>(null);
  // Preview before saving: the CSV previewed is the one imported from the modal.
  const preview = usePreview();
  const [previewedCsv, setPreviewedCsv] = useState<string | null>(null);
  const upsertErrors = result?.intent === "sku_upsert" ? result.fieldErrors : {};
  const importErrors = result?.intent === "sku_import" && !result.ok ? result.errors : [];

  useEffect(() => {
    if (result?.intent === "sku_upsert" && result.ok) {
      setSku("");
      setItemNumber("");
    }
  }, [result]);

  const send = (body: Record<string, string>) => submit(body, { method: "post", encType: "application/json" });
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    send({ intent: "sku_import", csv: await file.text() });
    if (fileInput.current) fileInput.current.value = "";
  };
  const previewFile = async (file: File | undefined) => {
    if (!file) return;
    const csv = await file.text();
    setPreviewedCsv(csv);
    preview.run({ kind: "sku_import", csv });
    if (previewInput.current) previewInput.current.value = "";
  };
  const previewing = preview.change?.kind;
  return (
    <Layout.AnnotatedSection
      id="sku"
      title="SKU mapping"
      description="When your ERP knows a product by another number than its Shopify SKU. Unmapped SKUs are sent as they are if your ERP allows it."
    >
      <DryRunModal
        preview={preview}
        saveLabel={previewing === "sku_import" ? "Import CSV" : "Save mapping"}
        onSave={() => (previewing === "sku_import" && previewedCsv !== null ? send({ intent: "sku_import", csv: previewedCsv }) : send({ intent: "sku_upsert", sku, itemNumber }))}
      />
      <Card>
        <BlockStack gap="400">
          <FormLayout>
            <FormLayout.Group condensed>
              <TextField label="Shopify SKU" value={sku} onChange={setSku} error={upsertErrors.sku} autoComplete="off" />
              <ErpItemField label="ERP item number" value={itemNumber} onChange={setItemNumber} error={upsertErrors.itemNumber} searchable={data.itemSearch} />
            </FormLayout.Group>
            <InlineStack gap="200">
              <Button onClick={() => send({ intent: "sku_upsert", sku, itemNumber })} loading={submitting === "sku_upsert"}>
                Add or change mapping
              </Button>
              <Button onClick={() => preview.run({ kind: "sku_upsert", sku, itemNumber })} disabled={!sku.trim() || !itemNumber.trim()}>
                Preview mapping
              </Button>
              <Button onClick={() => fileInput.current?.click()} loading={submitting === "sku_import"}>
                Import CSV
              </Button>
              <Button onClick={() => previewInput.current?.click()}>Preview CSV</Button>
              <input
                ref={previewInput}
                type="file"
                accept=".csv,text/csv"
                aria-label="CSV file to preview"
                style={{ display: "none" }}
                onChange={(e) => void previewFile(e.currentTarget.files?.[0])}
              />
              <input
                ref={fileInput}
                type="file"
                accept=".csv,text/csv"
                aria-label="CSV file with sku,item_number lines"
                style={{ display: "none" }}
                onChange={(e) => void importFile(e.currentTarget.files?.[0])}
              />
            </InlineStack>
            <Text as="p" variant="bodySm" tone="subdued">
              CSV: first line sku,item_number, then one line per SKU. All lines are imported, or none if any has a problem.
            </Text>
          </FormLayout>
          {result?.intent === "sku_upsert" && result.ok && result.sku && result.waiting ? (
            <Banner tone="info" title={`${result.waiting} order${result.waiting === 1 ? " is" : "s are"} waiting on ${result.sku}`}>
              <BlockStack gap="200">
                <Text as="p">They stopped because of this SKU. Retry them now that it is mapped.</Text>
                <InlineStack>
                  <Button onClick={() => send({ intent: "sku_retry_waiting", sku: result.sku ?? "" })} loading={submitting === "sku_retry_waiting"}>
                    {`Retry the ${result.waiting} order${result.waiting === 1 ? "" : "s"} waiting on ${result.sku}`}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Banner>
          ) : null}
          {importErrors.length > 0 ? (
            <Banner tone="critical" title="Nothing was imported">
              <List>
                {importErrors.map((e, i) => (
                  <List.Item key={i}>{e.message}</List.Item>
                ))}
              </List>
            </Banner>
          ) : null}
          <SkuMappingList data={data} onDelete={(sku) => send({ intent: "sku_delete", sku })} />
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

/** Search, the mappings of this page, and paging: search and page live in the URL (?sku=, ?skuPage=). */
function SkuMappingList({ data, onDelete }: { data: SettingsData; onDelete(sku: string): void }) {
  const [, setParams] = useSearchParams();
  const [search, setSearch] = useState(data.skuSearch);
  const m = data.skuMappings;
  const go = (change: (p: URLSearchParams) => void) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        change(next);
        return next;
      },
      { preventScrollReset: true },
    );

  return (
    <>
      <TextField
        label="Search mappings"
        labelHidden
        placeholder="Search SKU or item number"
        value={search}
        onChange={setSearch}
        onBlur={() => go((p) => (search ? p.set("sku", search) : p.delete("sku")))}
        connectedRight={<Button onClick={() => go((p) => (search ? p.set("sku", search) : p.delete("sku")))}>Search</Button>}
        autoComplete="off"
      />
      {m.items.length === 0 ? (
        <Text as="p" tone="subdued">
          {data.skuSearch ? "No mapping matches this search." : "No mappings yet: every SKU is sent as it is."}
        </Text>
      ) : (
        // A stacked list, not a table: on a phone nothing scrolls sideways, the Delete buttons included.
        <ul aria-label="SKU mappings" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {m.items.map((item, i) => (
            <li key={item.sku}>
              {i > 0 ? <Divider /> : null}
              <Box paddingBlock="200">
                <InlineStack align="space-between" blockAlign="center" gap="200" wrap>
                  <BlockStack gap="050">
                    <Text as="p" breakWord>
                      <Text as="span" fontWeight="semibold">
                        {item.sku}
                      </Text>{" "}
                      → ERP item {item.itemNumber}
                    </Text>
                    <Text as="p" variant="bodySm" tone="subdued" breakWord>
                      Changed {formatDateTime(item.updatedAt)} by {item.updatedBy}
                    </Text>
                  </BlockStack>
                  <Button variant="plain" tone="critical" onClick={() => onDelete(item.sku)} accessibilityLabel={`Delete mapping for ${item.sku}`}>
                    Delete
                  </Button>
                </InlineStack>
              </Box>
            </li>
          ))}
        </ul>
      )}
      {m.pageCount > 1 ? (
        <InlineStack align="center">
          <Pagination
            hasPrevious={m.page > 1}
            hasNext={m.page < m.pageCount}
            onPrevious={() => go((p) => p.set("skuPage", String(m.page - 1)))}
            onNext={() => go((p) => p.set("skuPage", String(m.page + 1)))}
            label={`Page ${m.page} of ${m.pageCount} (${m.total} mappings)`}
          />
        </InlineStack>
      ) : null}
    </>
  );
}
