// axe-core inside the page under test: its source is injected as a script
// (no network, no browser extension) and run on the whole document. The
// browser tests require 0 serious or critical violations on every page and
// state they visit; the rest are printed so they are seen.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
let source: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  source ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    // The stand-in's nav menu and toasts are drawn by Shopify's admin outside
    // the app's iframe in production: not the app's markup, so not checked here.
    const result = await axe.run({ exclude: [["ui-nav-menu"], ["#stub-toasts"]] } as unknown as Document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return violations;
}

/** Serious and critical violations (what the tests fail on); minor ones are printed. */
export async function seriousAxeViolations(page: Page, where: string): Promise<AxeViolation[]> {
  const all = await axeViolations(page);
  const minor = all.filter((v) => v.impact !== "serious" && v.impact !== "critical");
  if (minor.length > 0) console.warn(`axe (${where}), not failing:`, minor.map((v) => `${v.impact} ${v.id}: ${v.help}`).join("; "));
  return all.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Where the page scrolls sideways: the page itself wider than the window, or
 * any box inside it (a table's scroll container) wider than its frame.
 * Returns a description of each, empty when nothing scrolls sideways.
 */
export async function sidewaysScrolling(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
      const overflowX = getComputedStyle(el).overflowX;
      if ((overflowX === "auto" || overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        found.push(`${el.tagName.toLowerCase()}.${String(el.className).split(" ")[0]} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return found;
  });
}
