// The tracking console in a real browser (Debian's headless Chromium) against the real service
// with access control on, as one operator session: the token is entered once; an item shipped on
// its pallet is shown in transit (state, trace), with its journey and sensor readings; new events
// arrive in the live feed, also across a dropped connection; a scanned pallet label unfolds down to
// the item; once the pallet is received, the item is where its pallet is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { type Browser, launchBrowser } from '../../helpers/browser.js';
import {
  aggregationEvent,
  epcisDocument,
  type EpcisEvent,
  objectEvent,
  sgln,
  sgtin,
  sscc,
} from '../../helpers/epcis-builders.js';
import { REPO_ROOT } from '../../helpers/service-process.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';

const ARTIFACTS = join(REPO_ROOT, 'tests/artifacts');
const SCREENSHOT = join(ARTIFACTS, 'console.png');
const WAIT_MS = 15_000;

const ITEM = sgtin(7001);
const CASE = sscc(501);
const PALLET = sscc(502);
const FACTORY = sgln('00001');
const PACKING_LINE = sgln('00002');
const DOCK = sgln('00003');
const CASE_SSCC = '006141410000005017';
const PALLET_SSCC = '006141410000005024';
const FACTORY_GLN = '0614141000012';
const DOCK_GLN = '0614141000036';
const PACKING_LINE_GLN = '0614141000029';

// Recent times, like a shift's worth of events.
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const SHIPPED_AT = at(10);
/** The console's wording of a transit; the time is checked through its <time datetime>. */
const inTransit = (from: string, via = '') =>
  new RegExp(`^In transit since \\S.*, from ${from}${via === '' ? '' : ` via container ${via}`}$`);

function sampleHistory(): EpcisEvent[] {
  // CBV's shipping shape: the dock door as readPoint, no bizLocation. Item and case go with the pallet.
  const shipping = objectEvent(SHIPPED_AT, 'OBSERVE', [PALLET], {
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: DOCK,
  });
  shipping['sensorElementList'] = [
    {
      sensorMetadata: { time: at(12) },
      sensorReport: [{ type: 'Temperature', value: 4.5, uom: 'CEL' }],
    },
    {
      sensorMetadata: { time: at(11) },
      sensorReport: [{ type: 'Temperature', value: 5.25, uom: 'CEL' }],
    },
  ];
  return [
    objectEvent(at(60), 'ADD', [ITEM], {
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: FACTORY,
      bizLocation: FACTORY,
    }),
    aggregationEvent(at(40), 'ADD', CASE, [ITEM], {
      bizStep: 'packing',
      disposition: 'in_progress',
      readPoint: PACKING_LINE,
      bizLocation: PACKING_LINE,
    }),
    aggregationEvent(at(30), 'ADD', PALLET, [CASE], {
      bizStep: 'packing',
      disposition: 'in_progress',
      readPoint: PACKING_LINE,
      bizLocation: PACKING_LINE,
    }),
    shipping,
  ];
}

let service: ServiceApp;
let baseUrl: string;
let token: string;
let browser: Browser;
let keyDir: string;

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return fetch(`${baseUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
}

async function capture(events: EpcisEvent[]): Promise<void> {
  const response = await api('/capture', {
    method: 'POST',
    headers: { 'Content-Type': 'application/ld+json' },
    body: JSON.stringify(epcisDocument(events)),
  });
  const body = await response.text();
  expect(response.status, body).toBe(202);
  expect(JSON.parse(body)).toMatchObject({ success: true });
}

/** The canonical form (Digital Link) the service answers an identifier in, as the page shows it. */
async function digitalLink(urn: string): Promise<string> {
  const response = await api(`/epcs/${encodeURIComponent(urn)}/state`);
  expect(response.status, urn).toBe(200);
  return ((await response.json()) as { epc: string }).epc;
}

async function screenshot(page: Page): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
}

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();
}

beforeAll(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'edgetrace-console-keys-'));
  const key = await createApiKey({ id: 'tablet-dock-3', scopes: ['query', 'capture'] });
  token = key.key;
  const keyFile = join(keyDir, 'api-keys.json');
  writeFileSync(keyFile, JSON.stringify({ keys: [key.entry] }));
  service = await buildServiceApp({ authenticator: await createAuthenticator({ apiKeyFile: keyFile }) });
  baseUrl = await service.app.listen({ port: 0, host: '127.0.0.1' });
  const page = await fetch(`${baseUrl}/ui`);
  if (page.status !== 200) throw new Error(`GET /ui answered ${page.status}: ${await page.text()}`);
  await capture(sampleHistory());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

describe('the tracking console in a browser (one operator session, step by step)', () => {
  let page: Page;
  let ids: { item: string; case: string; pallet: string };
  let shot = false;

  beforeAll(async () => {
    page = browser.page;
    ids = { item: await digitalLink(ITEM), case: await digitalLink(CASE), pallet: await digitalLink(PALLET) };
  });

  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    // The page as it was is the best clue; keep the first failure's picture.
    if (!shot) await screenshot(page).catch(() => undefined);
    shot = true;
    if (browser.log.length > 0) console.log(browser.log.join('\n'));
  });

  it('asks for a token on the first 401 and keeps it in the tab’s session storage', async () => {
    await page.goto(`${baseUrl}/ui`);
    // The live feed is the page's first API call; without a token it answers 401 and the page asks.
    const dialog = page.locator('dialog.token-dialog');
    await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
    await dialog.locator('input[name="token"]').fill(token);
    await dialog.locator('button[type="submit"]').click();
    await page.locator('#feed-status[data-state="live"]').waitFor({ timeout: WAIT_MS });
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('edgetrace.token'))).toBe(token);
  });

  it('shows an item shipped on its pallet as in transit since the shipment, from where it left, not at a location', async () => {
    await page.locator('#search-input').fill(ITEM);
    await page.locator('#search-input').press('Enter');
    await page.locator('#state-body dl.facts').waitFor({ timeout: WAIT_MS });
    const parent = page.locator('#state-body [data-field="parent"]');
    expect(await parent.locator('[data-id]').first().getAttribute('data-id')).toBe(ids.case);
    // The pallet left the packing line through the dock door, with the case (and the item in it)
    // on it: the packing line is where it left, not where it is. Labels: SSCC = extension digit +
    // prefix + serial + check digit, GLN = prefix + location reference + check digit.
    const location = '#state-body [data-field="location"]';
    expect(await textOf(page, location)).toMatch(inTransit(`GLN ${PACKING_LINE_GLN}`, `SSCC ${PALLET_SSCC}`));
    expect(await page.locator(`${location} time`).getAttribute('datetime')).toBe(SHIPPED_AT);
    expect(await textOf(page, '#state-body [data-field="parent"]')).toMatch(
      new RegExp(`^SSCC ${CASE_SSCC} in transit, inside since `),
    );
    expect(await textOf(page, '#state-body [data-field="disposition"]')).toBe('in progress');
    expect(await textOf(page, '#state-body [data-field="lastEvent"]')).toContain('packing');
  });

  it('draws the journey of the item and its containers on a timeline, with the sensor readings charted', async () => {
    const items = page.locator('#journey-body .vis-item.vis-box');
    await items.first().waitFor({ timeout: WAIT_MS });
    await expect.poll(() => items.count(), { timeout: WAIT_MS }).toBe(4);
    const labels = (await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    expect(labels.filter((label) => label.includes('commissioning'))).toEqual([
      `commissioning GLN ${FACTORY_GLN}`,
    ]);
    expect(labels.filter((label) => label.includes('packing'))).toEqual([
      `packing GLN ${PACKING_LINE_GLN}`,
      `packing GLN ${PACKING_LINE_GLN}`,
    ]);
    expect(labels.filter((label) => label.includes('shipping'))).toEqual([`shipping GLN ${DOCK_GLN}`]);
    const lanes = page.locator('#journey-body .vis-label [title]');
    expect(await lanes.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('title')))).toEqual([
      ids.item,
      ids.case,
      ids.pallet,
    ]);
    await page.locator('#sensor-body canvas').waitFor({ timeout: WAIT_MS });
  });

  it('traces forward from the item to its case and pallet, both counted in transit from the packing line', async () => {
    const traced = page.locator('#trace-body [data-testid="trace-nodes"] tbody td:first-child [data-id]');
    await traced.first().waitFor({ timeout: WAIT_MS });
    expect(await traced.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id')))).toEqual([
      ids.case,
      ids.pallet,
    ]);
    const rows = '#trace-body [data-testid="trace-nodes"] tbody tr';
    expect(await textOf(page, `${rows}:nth-child(1) td:nth-child(3)`)).toMatch(
      inTransit(`GLN ${PACKING_LINE_GLN}`, `SSCC ${PALLET_SSCC}`),
    );
    expect(await textOf(page, `${rows}:nth-child(2) td:nth-child(3)`)).toMatch(
      inTransit(`GLN ${PACKING_LINE_GLN}`),
    );
    expect(await textOf(page, '#trace-body [data-testid="trace-summary"] tbody')).toBe(
      `In transit from GLN ${PACKING_LINE_GLN} 2`,
    );
  });

  it('puts an event captured now on top of the live feed', async () => {
    await capture([
      objectEvent(at(0), 'OBSERVE', [sscc(777)], {
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: DOCK,
        bizLocation: DOCK,
      }),
    ]);
    const newest = page.locator('#feed-list .feed-item').first();
    await expect.poll(() => newest.innerText().catch(() => ''), { timeout: WAIT_MS }).toContain('receiving');
    expect(await newest.locator('[data-id]').getAttribute('data-id')).toBe(await digitalLink(sscc(777)));
    expect(await textOf(page, '#feed-list .feed-item:first-child .feed-where')).toBe(`GLN ${DOCK_GLN}`);
  });

  it('resumes the feed after a network drop without losing the events captured meanwhile', async () => {
    // The tablet's connection drops (the server side of every connection is cut); the page waits
    // a moment before reconnecting, and an event is stored in between.
    service.app.server.closeAllConnections();
    await page.locator('#feed-status[data-state="retrying"]').waitFor({ timeout: WAIT_MS });
    await capture([
      objectEvent(at(0), 'OBSERVE', [sscc(778)], { bizStep: 'loading', readPoint: DOCK, bizLocation: DOCK }),
    ]);
    await page.locator('#feed-status[data-state="live"]').waitFor({ timeout: WAIT_MS });
    const newest = page.locator('#feed-list .feed-item').first();
    await expect.poll(() => newest.innerText().catch(() => ''), { timeout: WAIT_MS }).toContain('loading');
    // Resumed after the last event shown (Last-Event-ID): nothing repeated, nothing skipped.
    const titles = await page.locator('#feed-list .feed-title').allInnerTexts();
    expect(titles).toEqual(['loading', 'receiving']);
    await screenshot(page);
    shot = true;
  });

  it('opens a scanned pallet label and unfolds its contents down to the item', async () => {
    await page.locator('#search-input').fill(`(00)${PALLET_SSCC}`);
    await page.locator('#search-input').press('Enter');
    const caseNode = page.locator('#contents-body .tree-root > li').first();
    await caseNode.waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#contents-body .tree-root > li').count()).toBe(1);
    expect(await textOf(page, '#contents-body .summary-line')).toBe('2 items within 3 levels');
    expect(await textOf(page, '#contents-body [data-testid="contents-transit"]')).toMatch(
      new RegExp(`^In transit since \\S.*, from GLN ${PACKING_LINE_GLN}, with everything inside$`),
    );
    expect(await caseNode.locator('summary [data-id]').getAttribute('data-id')).toBe(ids.case);
    expect(await caseNode.locator('summary .count').innerText()).toBe('1');
    const inside = caseNode.locator('details > ul [data-id]');
    expect(await inside.isVisible()).toBe(false);
    await caseNode.locator('summary .count').click();
    await inside.waitFor({ state: 'visible', timeout: WAIT_MS });
    expect(await inside.getAttribute('data-id')).toBe(ids.item);
  });

  it('does not ask for the token again after a reload of the tab', async () => {
    await page.reload();
    // The search is in the URL, so the reload shows the pallet again, with the stored token.
    await page.locator('#state-body dl.facts').waitFor({ timeout: WAIT_MS });
    await page.locator('#feed-status[data-state="live"]').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('dialog.token-dialog').isVisible()).toBe(false);
    expect(await page.locator('#current [data-id]').getAttribute('data-id')).toBe(ids.pallet);
  });

  it('shows the item where its pallet is once the pallet is received, no longer in transit', async () => {
    await capture([
      objectEvent(at(0), 'OBSERVE', [PALLET], {
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: DOCK,
        bizLocation: DOCK,
      }),
    ]);
    await page.locator('#search-input').fill(ITEM);
    await page.locator('#search-input').press('Enter');
    const read = (selector: string) => () => textOf(page, selector).catch(() => '');
    await expect
      .poll(read('#state-body [data-field="location"]'), { timeout: WAIT_MS })
      .toBe(`GLN ${DOCK_GLN} via container SSCC ${PALLET_SSCC}`);
    expect(await page.locator('#state-body [data-in-transit]').count()).toBe(0);
    await expect
      .poll(read('#trace-body [data-testid="trace-summary"] tbody'), { timeout: WAIT_MS })
      .toBe(`GLN ${DOCK_GLN} 2`);
  });

  it('ran without script errors or content-security-policy violations', () => {
    const problems = browser.log.filter(
      (line) => line.startsWith('pageerror') || /Content Security Policy|Refused to/i.test(line),
    );
    expect(problems).toEqual([]);
  });
});
