// The order log's table: order, date, customer, total, state and ERP
// document, with the reason underneath the row for orders that need a person
// or are retrying; selectable for bulk retry or skip, paged by cursor. On a
// phone (Polaris' condensed IndexTable) each row is one stacked card: order
// and state, then date, customer and total, then the reason; nothing scrolls
// sideways.
import { useEffect, useMemo, useState } from "react";
import { useNavigate } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Text,
  useBreakpoints,
  useIndexResourceState,
} from "@shopify/polaris";
import { formatDateTime } from "../../components/format";
import {
  NOTHING_YET_IMAGE,
  NO_RESULTS_IMAGE,
} from "../../components/illustration";
import { StateBadge } from "../../components/StateBadge";
import type { OrderLogRow } from "../../models/order-log.server";
import { withCursor } from "./use-log-params";

interface LogTableProps {
  rows: OrderLogRow[];
  nextCursor: string | null;
  previousCursor: string | null;
  filtered: boolean;
  params: URLSearchParams;
  loading: boolean;
  onBulk(intent: "retry_now" | "skip", ids: string[]): void;
}

const PROBLEM_STATES = new Set(["needs_attention", "failed", "retrying"]);

/** The reason shown under a row: for orders stopped or retrying (and why a skipped one is skipped). */
export function rowReason(
  row: Pick<OrderLogRow, "state" | "message">
): string | null {
  return (PROBLEM_STATES.has(row.state) || row.state === "skipped") &&
    row.message
    ? row.message
    : null;
}

function money(row: OrderLogRow): string {
  return row.total
    ? `${row.total}${row.currency ? ` ${row.currency}` : ""}`
    : "—";
}

function OrderLink({ row }: { row: OrderLogRow }) {
  return (
    <Link
      url={`/app/orders/${row.id}`}
      dataPrimaryLink
      monochrome
      removeUnderline
    >
      <Text as="span" fontWeight="semibold">
        {row.orderName}
      </Text>
    </Link>
  );
}

function Reason({ row }: { row: OrderLogRow }) {
  const reason = rowReason(row);
  if (!reason) return null;
  return (
    <div style={{ whiteSpace: "normal", maxWidth: "100%" }}>
      <Text
        as="p"
        variant="bodySm"
        tone={
          row.state === "needs_attention" || row.state === "failed"
            ? "critical"
            : "subdued"
        }
        breakWord
      >
        {reason}
      </Text>
    </div>
  );
}

export function LogTable({
  rows,
  nextCursor,
  previousCursor,
  filtered,
  params,
  loading,
  onBulk,
}: LogTableProps) {
  const navigate = useNavigate();
  const { smDown } = useBreakpoints();
  const resourceRows = useMemo(() => rows.map((r) => ({ ...r })), [rows]);
  const {
    selectedResources,
    allResourcesSelected,
    handleSelectionChange,
    clearSelection,
  } = useIndexResourceState(resourceRows);
  // A live refresh brings new row objects for the same orders: keep the selection unless the orders shown change.
  const shownIds = rows.map((r) => r.id).join(",");
  // Polaris' condensed list has no checkboxes: on a phone each card carries its own, with the same two actions above the list.
  const [phonePicked, setPhonePicked] = useState<string[]>([]);
  useEffect(() => {
    clearSelection();
    setPhonePicked([]);
  }, [shownIds, clearSelection]);
  const pick = (id: string, on: boolean) =>
    setPhonePicked((p) =>
      on ? [...new Set([...p, id])] : p.filter((x) => x !== id)
    );

  return (
    <>
      {smDown && rows.length > 0 ? (
        <Box paddingInline="400" paddingBlock="200">
          <InlineStack gap="200" blockAlign="center" wrap>
            <Checkbox
              label={
                phonePicked.length > 0
                  ? `${phonePicked.length} selected`
                  : "Select all"
              }
              checked={
                phonePicked.length === rows.length
                  ? true
                  : phonePicked.length > 0
                  ? "indeterminate"
                  : false
              }
              onChange={(on) => setPhonePicked(on ? rows.map((r) => r.id) : [])}
            />
            {phonePicked.length > 0 ? (
              <>
                <Button
                  size="slim"
                  onClick={() => onBulk("retry_now", phonePicked)}
                >
                  Retry selected
                </Button>
                <Button size="slim" onClick={() => onBulk("skip", phonePicked)}>
                  Skip selected
                </Button>
              </>
            ) : null}
          </InlineStack>
        </Box>
      ) : null}
      <IndexTable
        condensed={smDown}
        selectable={!smDown}
        resourceName={{ singular: "order", plural: "orders" }}
        itemCount={rows.length}
        selectedItemsCount={
          allResourcesSelected ? "All" : selectedResources.length
        }
        onSelectionChange={handleSelectionChange}
        loading={loading}
        promotedBulkActions={[
          {
            content: "Retry selected",
            onAction: () => onBulk("retry_now", selectedResources),
          },
          {
            content: "Skip selected",
            onAction: () => onBulk("skip", selectedResources),
          },
        ]}
        headings={[
          { title: "Order" },
          { title: "Date" },
          { title: "Customer" },
          { title: "Total", alignment: "end" },
          { title: "State" },
          { title: "ERP document" },
        ]}
        emptyState={
          <EmptyState
            heading={
              filtered ? "No orders match these filters" : "No orders yet"
            }
            image={filtered ? NO_RESULTS_IMAGE : NOTHING_YET_IMAGE}
          >
            <p>
              {filtered
                ? "Change or clear the filters to see more orders."
                : "Orders appear here as soon as Shopify sends them to the app."}
            </p>
          </EmptyState>
        }
        pagination={{
          hasNext: Boolean(nextCursor),
          hasPrevious: Boolean(previousCursor),
          onNext: () =>
            navigate(`?${withCursor(params, "after", nextCursor)}`, {
              preventScrollReset: true,
            }),
          onPrevious: () =>
            navigate(`?${withCursor(params, "before", previousCursor)}`, {
              preventScrollReset: true,
            }),
        }}
      >
        {rows.flatMap((row, index) => {
          const selected = selectedResources.includes(row.id);
          if (smDown) {
            return [
              <IndexTable.Row
                id={row.id}
                key={row.id}
                position={index}
                selected={selected}
              >
                <div style={{ padding: "12px 16px" }}>
                  <BlockStack gap="100">
                    <InlineStack
                      gap="200"
                      blockAlign="center"
                      align="space-between"
                      wrap={false}
                    >
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        <Checkbox
                          label={`Select ${row.orderName}`}
                          labelHidden
                          checked={phonePicked.includes(row.id)}
                          onChange={(on) => pick(row.id, on)}
                        />
                        <OrderLink row={row} />
                      </InlineStack>
                      <StateBadge
                        state={row.shownState}
                        resolvedBy={row.resolvedBy}
                      />
                    </InlineStack>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {[
                        formatDateTime(row.orderDate),
                        row.customer,
                        money(row),
                        row.erpDocument ? `ERP ${row.erpDocument}` : null,
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </Text>
                    <Reason row={row} />
                  </BlockStack>
                </div>
              </IndexTable.Row>,
            ];
          }
          const reason = rowReason(row);
          return [
            <IndexTable.Row
              id={row.id}
              key={row.id}
              position={index}
              selected={selected}
            >
              <IndexTable.Cell>
                <OrderLink row={row} />
              </IndexTable.Cell>
              <IndexTable.Cell>{formatDateTime(row.orderDate)}</IndexTable.Cell>
              <IndexTable.Cell>{row.customer ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(row)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <StateBadge
                  state={row.shownState}
                  resolvedBy={row.resolvedBy}
                />
              </IndexTable.Cell>
              <IndexTable.Cell>{row.erpDocument ?? "—"}</IndexTable.Cell>
            </IndexTable.Row>,
            ...(reason
              ? [
                  <IndexTable.Row
                    id={`${row.id}-reason`}
                    key={`${row.id}-reason`}
                    position={index}
                    rowType="child"
                    hideSelectable
                    selected={selected}
                  >
                    <IndexTable.Cell colSpan={6}>
                      <Reason row={row} />
                    </IndexTable.Cell>
                  </IndexTable.Row>,
                ]
              : []),
          ];
        })}
      </IndexTable>
    </>
  );
}
