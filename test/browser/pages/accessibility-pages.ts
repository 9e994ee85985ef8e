/**
 * Accessibility probes over any console page: axe-core injected into the page (its serious and critical
 * WCAG 2.1 A/AA and best-practice violations), and keyboard focus (what Tab reaches, and whether focus shows).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/*
 * The in-page probes are JavaScript text: the tests compile without the DOM's types, and a compiled function
 * could call helpers the page does not have.
 */
const RUN_AXE = `axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  resultTypes: ['violations'],
})`;

/** The focused element's accessible name, roughly as a screen reader computes it. */
const FOCUSED_LABEL = `(() => {
  const el = document.activeElement;
  if (el === null || el === document.body) return '';
  const labelledBy = el.getAttribute('aria-labelledby');
  const text =
    el.getAttribute('aria-label') ??
    (labelledBy !== null
      ? labelledBy.split(/\\s+/).map((id) => document.getElementById(id)?.innerText ?? '').join(' ')
      : el.labels && el.labels.length > 0
        ? [...el.labels].map((l) => l.innerText).join(' ')
        : el.innerText ?? '');
  return text.replace(/\\s+/g, ' ').trim();
})()`;

/** How the focused element (marked for the probe) looks: outline, shadow and border, its own and its pseudo-elements'. */
const LOOK = `(() => {
  const el = document.activeElement && document.activeElement !== document.body
    ? document.activeElement
    : document.querySelector('[data-a11y-probe]');
  if (el === null) return '';
  el.setAttribute('data-a11y-probe', '');
  return [null, '::before', '::after']
    .map((pseudo) => {
      const s = getComputedStyle(el, pseudo);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.borderWidth].join('|');
    })
    .join('/');
})()`;

/** The page's serious and critical axe violations, each with the elements it names. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, not added as an inline <script>: the console's Content-Security-Policy
  // rightly refuses inline scripts, and the test must not weaken the page it checks.
  if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<AxeResult>(RUN_AXE);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
}

export function focusedLabel(page: Page): Promise<string> {
  return page.evaluate<string>(FOCUSED_LABEL);
}

/** Presses Tab until the focused element's name is `label` (at most `limit` times); answers whether it got there. */
export async function tabTo(page: Page, label: string | RegExp, limit = 80): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const seen = await focusedLabel(page);
    if (typeof label === 'string' ? seen === label : label.test(seen)) return true;
  }
  return false;
}

/**
 * Whether the focused element shows that it has focus: its outline, box shadow or border (or those of its
 * ::before/::after, where Cloudscape draws its focus ring) differ from how it looks once focus has left.
 * Focus is left on the body.
 */
export async function focusIsVisible(page: Page): Promise<boolean> {
  const focused = await page.evaluate<string>(LOOK);
  await page.evaluate(`document.activeElement?.blur()`);
  const blurred = await page.evaluate<string>(LOOK);
  await page.evaluate(`document.querySelector('[data-a11y-probe]')?.removeAttribute('data-a11y-probe')`);
  return focused !== '' && focused !== blurred;
}
