import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, as .ci/run installs it. */
export const CHROMIUM = process.env.SHIPGATE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * One headless Chromium for a test file, with a fresh profile and one page the tests reuse. Every
 * message the page logs is kept, so a test can say no Content-Security-Policy violation happened.
 */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; console: string[]; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'shipgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: SIZES[0],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const messages: string[] = [];
  page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    console: messages,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Looks at the page as it is, at both sizes: a screenshot of each under test-results/screenshots/<test>/,
 * and axe-core's serious and critical violations (injected through the debugger, which the page's
 * Content-Security-Policy does not govern, so the policy under test stays as strict as it is).
 */
export async function inspectPage(page: Page, test: string, name: string): Promise<AxeViolation[]> {
  const dir = path.join(SCREENSHOTS, test);
  mkdirSync(dir, { recursive: true });
  const violations: AxeViolation[] = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join(dir, `${name}-${size.name}-${size.width}x${size.height}.png`), fullPage: true });
    if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE);
    const found = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
    for (const violation of found) if (violation.impact === 'serious' || violation.impact === 'critical') violations.push({ ...violation, help: `${violation.help} (${size.name})` });
  }
  await page.setViewportSize(SIZES[0]);
  return violations;
}
