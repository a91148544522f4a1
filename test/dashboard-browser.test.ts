import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inspectPage, openBrowser } from './helpers/browser.js';
import { serveDemo, type DemoServer } from './helpers/demo-server.js';

/*
 * The dashboard in real headless Chromium on the demo workspace: what a tech lead, an engineer and
 * anyone during a freeze see and can do. Each page visited is screenshot at 1280x800 and 390x844 and
 * checked by axe-core; no page may trip its Content-Security-Policy.
 */
let demo: DemoServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;

beforeAll(async () => {
  [demo, browser] = await Promise.all([serveDemo(), openBrowser()]);
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function look(test: string, name: string): Promise<void> {
  expect(await inspectPage(page, test, name), `axe on ${name}`).toEqual([]);
  expect(browser.console.filter((line) => /Content Security Policy|pageerror/i.test(line)), `console on ${name}`).toEqual([]);
}

async function signIn(test: string, label: 'tech lead' | 'engineer'): Promise<void> {
  await browser.context.clearCookies();
  await page.goto(`${demo.url}/releases`);
  // Without a session every page asks for sign-in first and shows nothing of the releases.
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  expect(await page.content()).not.toContain('identity@');
  await look(test, 'sign-in');
  await page.getByLabel('API token').fill(demo.token(label));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${demo.url}/releases`);
}

// A page is screenshot and checked by axe at two sizes: generous limits for a busy CI machine.
describe('the dashboard in Chromium', { timeout: 180_000 }, () => {
  it('a tech lead signs in, opens the calendar and a release, approves it and sees its gate pass', async () => {
    const test = 'tech-lead-approves';
    await signIn(test, 'tech lead');
    await expect(page.getByRole('heading', { level: 1, name: 'Releases' }).isVisible()).resolves.toBe(true);
    for (const id of ['billing@2.6.0', 'identity@1.6.0', 'inventory@1.7.2', 'customer@3.2.1']) expect(await page.getByRole('link', { name: id }).count(), id).toBe(1);
    await look(test, 'releases');

    await page.getByRole('link', { name: 'Calendar' }).click();
    await page.waitForURL(/\/calendar$/);
    expect(await page.locator('td[aria-current="date"]').count()).toBe(1);
    expect(await page.locator('.mark.release').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: /Subscribe/ }).getAttribute('href')).toBe('/api/v1/calendar.ics');
    await look(test, 'calendar');
    await page.getByRole('link', { name: /→/ }).click();
    await page.waitForURL(/month=/);
    await look(test, 'calendar-next-month');

    await page.getByRole('link', { name: 'Components' }).click();
    await page.waitForURL(/\/components$/);
    expect(await page.getByRole('rowheader', { name: /messaging/ }).count()).toBe(1);
    await look(test, 'components');

    await page.getByRole('link', { name: 'Releases' }).click();
    await page.getByRole('link', { name: 'identity@1.6.0' }).click();
    await page.waitForURL(/\/releases\/identity/);
    const gate = page.locator('tr[data-gate="approvals.tech-lead-sign-off"]');
    expect(await gate.getAttribute('data-verdict')).toBe('fail');
    expect(await page.locator('[data-state]').textContent()).toBe('candidate');
    await look(test, 'release-identity');

    await page.getByLabel('Comment (optional)').fill('back-channel logout reviewed');
    await page.getByRole('button', { name: 'Approve as tech-lead' }).click();
    await page.waitForURL(/done=approved/);
    expect(await page.getByRole('status').textContent()).toContain('approval is recorded');
    expect(await gate.getAttribute('data-verdict')).toBe('pass');
    expect(await page.locator('[data-state]').textContent()).toBe('approved');
    expect(await page.locator('.history').textContent()).toContain('approved as tech-lead: back-channel logout reviewed');
    expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    expect(await page.getByText('You approved this candidate as tech-lead').count()).toBe(1);
    await look(test, 'release-identity-approved');

    // The notes preview shows what a commit message says and never runs it as markup.
    await page.goto(`${demo.url}/releases/billing%402.6.0`);
    const notes = page.locator('.notes');
    expect(await notes.textContent()).toContain('Escape <b>bold</b> and <script>alert(1)</script> in PDF titles');
    expect(await notes.locator('b, script').count()).toBe(0);
    await look(test, 'release-billing');
  });

  it('an engineer sees no approve button, and the API refuses the approval the button would make', async () => {
    const test = 'engineer-no-approve';
    await signIn(test, 'engineer');
    await page.getByRole('link', { name: 'billing@2.6.0' }).click();
    await page.waitForURL(/\/releases\/billing/);
    expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    expect(await page.getByText(/hold no role this release asks to approve/).count()).toBe(1);
    await look(test, 'release-billing');

    const refused = await fetch(`${demo.url}/api/v1/releases/billing@2.6.0/approvals`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${demo.token('engineer')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'module-team' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toBe('sam@fireproof.example is not a member of module-team');
    // Nor does a form posted by hand (with the page's CSRF token) get around it.
    const csrf = await page.locator('form.who input[name="csrf"]').getAttribute('value');
    const forged = await page.request.post(`${demo.url}/releases/billing%402.6.0/approve`, { form: { csrf: csrf ?? '', role: 'module-team' }, headers: { Origin: demo.url }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('is not a member of module-team');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(`${demo.url}/releases/billing%402.6.0`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('shows the freeze banner, with until when, on every page while a train is frozen', async () => {
    const test = 'freeze-banner';
    const freezes = async (train = '') => {
      const response = await fetch(`${demo.url}/api/v1/freeze${train}`, { headers: { Authorization: `Bearer ${demo.token('tech lead')}` } });
      return (await response.json()) as { trains: { frozen: boolean; next: { freeze: { start: string; end: string } } }[] };
    };
    const window = (await freezes('?train=module')).trains[0]?.next.freeze;
    if (window === undefined) throw new Error('no next freeze');
    // The real date may fall in some train's freeze (the platform train's, on 2026-11-29): start from an
    // hour before the module train's next one, once the API agrees that no train is frozen then.
    const open = new Date(Date.parse(window.start) - 3_600_000);
    demo.setClock(open);
    try {
      expect((await freezes()).trains.filter((train) => train.frozen)).toEqual([]);
      await signIn(test, 'tech lead');
      expect(await page.getByRole('region', { name: 'Code freeze' }).count()).toBe(0);
      demo.setClock(new Date(Date.parse(window.start) + 3_600_000));
      for (const [path, name] of [['/releases', 'releases'], ['/calendar', 'calendar'], ['/components', 'components'], ['/releases/inventory%401.7.2', 'release-inventory']] as const) {
        await page.goto(`${demo.url}${path}`);
        const banner = page.getByRole('region', { name: 'Code freeze' });
        expect(await banner.textContent(), path).toContain('Module train frozen until');
        expect(await banner.locator('time').first().getAttribute('datetime')).toBe(window.end);
        await look(test, name);
      }
      // And gone again when no train is frozen.
      demo.setClock(open);
      await page.goto(`${demo.url}/releases`);
      expect(await page.getByRole('region', { name: 'Code freeze' }).count()).toBe(0);
    } finally {
      demo.setClock(null);
    }
  });
});
