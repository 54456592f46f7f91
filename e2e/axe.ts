// The accessibility check the specs share (issue 8: 0 serious or critical axe violations).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Serious and critical axe violations on the page as it is now, or within the element `include`
 * selects: one line each, naming the rule, the first elements and why (empty: none).
 */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  const { violations } = await (include === undefined ? axe : axe.include(include)).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} — ${v.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') ?? ''}`);
}
