// The log's tabs: All, Needs attention, Retrying, Skipped, Resolved, each with
// a true count (logTabCounts). The tab lives in the URL (?tab=) like the
// filters, so a reload or a shared link shows the same list.
import { Box, Select, Tabs, useBreakpoints } from "@shopify/polaris";
import type { LogTab } from "../../models/order-log.server";

const TAB_NAMES: Record<LogTab, string> = {
  all: "All",
  attention: "Needs attention",
  retrying: "Retrying",
  skipped: "Skipped",
  resolved: "Resolved",
};
const ORDER: LogTab[] = ["all", "attention", "retrying", "skipped", "resolved"];

export function LogTabs({ tab, counts, onSelect }: { tab: LogTab; counts: Record<LogTab, number>; onSelect(tab: LogTab): void }) {
  const { smDown } = useBreakpoints();
  // Five tabs do not fit a phone and Polaris' tab strip then scrolls sideways: a select does the same job there.
  if (smDown) {
    return (
      <Box padding="300">
        <Select
          label="Show"
          labelInline
          options={ORDER.map((t) => ({ label: `${TAB_NAMES[t]} (${counts[t]})`, value: t }))}
          value={tab}
          onChange={(value) => onSelect(value as LogTab)}
        />
      </Box>
    );
  }
  return (
    <Tabs
      tabs={ORDER.map((t) => ({ id: `log-tab-${t}`, content: `${TAB_NAMES[t]} (${counts[t]})` }))}
      selected={ORDER.indexOf(tab)}
      onSelect={(i) => onSelect(ORDER[i])}
    />
  );
}
