// Headless Chromium through playwright-core (Debian's chromium; test tools may not download browsers
// here), and an axe-core scan that fails on any serious or critical accessibility violation.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  after(() => browser.close());
  return browser;
}

export interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Runs axe on the page (WCAG 2.x A and AA rules) and returns serious and critical violations. */
export async function accessibilityProblems(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page at run time
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map(
      (v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      }),
    );
  });
  return (violations as Violation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with a readable list when the page has serious or critical accessibility problems. */
export async function assertAccessible(page: Page): Promise<void> {
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.impact} ${p.id}: ${p.help} — ${p.nodes.slice(0, 3).join(', ')}`);
    throw new Error(`Accessibility problems on ${page.url()}:\n${lines.join('\n')}`);
  }
}
