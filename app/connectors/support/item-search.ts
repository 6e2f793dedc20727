// What every connector's item search answers (ErpConnector.searchItems):
// items whose number or name contains the query, ignoring case, each number
// once, numbers that start with the query first, then other number matches,
// then name matches, at most ERP_ITEM_SEARCH_LIMIT. The ERP's own filter
// only narrows what comes back; this decides what is shown and in what order.
import { ERP_ITEM_SEARCH_LIMIT, type ErpItem } from "../port";

export function rankedItemMatches(query: string, candidates: ErpItem[]): ErpItem[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const seen = new Set<string>();
  const rank = (item: ErpItem) => {
    const number = item.number.toLowerCase();
    if (number.startsWith(needle)) return 0;
    if (number.includes(needle)) return 1;
    return item.name.toLowerCase().includes(needle) ? 2 : 3;
  };
  return candidates
    .filter((item) => item.number && !seen.has(item.number) && seen.add(item.number))
    .map((item, position) => ({ item, position, rank: rank(item) }))
    .filter((c) => c.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .slice(0, ERP_ITEM_SEARCH_LIMIT)
    .map((c) => c.item);
}
