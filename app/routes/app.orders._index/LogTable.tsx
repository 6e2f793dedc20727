// The order log's table: one row per order (state, next ERP write, document,
// last attempt, message), selectable for bulk retry or skip, paged by cursor.
import { useEffect, useMemo } from "react";
import { useNavigate } from "@remix-run/react";
import { EmptyState, IndexTable, Link, Text, useIndexResourceState } from "@shopify/polaris";
import { OPERATION_LABELS, formatDateTime } from "../../components/format";
import { EMPTY_STATE_IMAGE } from "../../components/illustration";
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

export function LogTable({ rows, nextCursor, previousCursor, filtered, params, loading, onBulk }: LogTableProps) {
  const navigate = useNavigate();
  const resourceRows = useMemo(() => rows.map((r) => ({ ...r })), [rows]);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(resourceRows);
  useEffect(() => clearSelection(), [rows, clearSelection]);

  return (
    <IndexTable
      resourceName={{ singular: "order", plural: "orders" }}
      itemCount={rows.length}
      selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
      onSelectionChange={handleSelectionChange}
      loading={loading}
      promotedBulkActions={[
        { content: "Retry selected", onAction: () => onBulk("retry_now", selectedResources) },
        { content: "Skip selected", onAction: () => onBulk("skip", selectedResources) },
      ]}
      headings={[{ title: "Order" }, { title: "State" }, { title: "ERP write" }, { title: "ERP document" }, { title: "Last attempt" }, { title: "Message" }]}
      emptyState={
        <EmptyState heading={filtered ? "No orders match these filters" : "No orders yet"} image={EMPTY_STATE_IMAGE}>
          <p>{filtered ? "Change or clear the filters to see more orders." : "Orders appear here as soon as Shopify sends them to the app."}</p>
        </EmptyState>
      }
      pagination={{
        hasNext: Boolean(nextCursor),
        hasPrevious: Boolean(previousCursor),
        onNext: () => navigate(`?${withCursor(params, "after", nextCursor)}`, { preventScrollReset: true }),
        onPrevious: () => navigate(`?${withCursor(params, "before", previousCursor)}`, { preventScrollReset: true }),
      }}
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)}>
          <IndexTable.Cell>
            <Link url={`/app/orders/${row.id}`} dataPrimaryLink monochrome removeUnderline>
              <Text as="span" fontWeight="semibold">
                {row.orderName}
              </Text>
            </Link>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <StateBadge state={row.shownState} resolvedBy={row.resolvedBy} />
          </IndexTable.Cell>
          <IndexTable.Cell>{OPERATION_LABELS[row.operation] ?? row.operation}</IndexTable.Cell>
          <IndexTable.Cell>{row.erpDocument ?? "—"}</IndexTable.Cell>
          <IndexTable.Cell>{formatDateTime(row.lastAttemptAt)}</IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ maxWidth: 420, whiteSpace: "normal" }}>
              <Text as="span" tone={row.state === "needs_attention" || row.state === "failed" ? "critical" : "subdued"} breakWord>
                {row.message ?? ""}
              </Text>
            </div>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
