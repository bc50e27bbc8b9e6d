// Headless Chromium for browser tests: Debian's chromium package (scripts/ensure-chromium.sh puts
// it at /usr/bin/chromium) driven by playwright-core over the DevTools protocol. Playwright's own
// browser download cannot work here, so a missing browser fails the test with the command to run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// Quiet, reproducible, offline: no GPU, no QUIC, no first-run UI, no background traffic to Google.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console messages and page errors, to show when an assertion fails. */
  log: string[];
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1024, height: 768 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run bash scripts/ensure-chromium.sh (apt-get install chromium)`);
  }
  // A fresh profile per launch: no cached assets, cookies or session storage from another run.
  const userDataDir = mkdtempSync(join(tmpdir(), 'edgetrace-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const log: string[] = [];
  page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    log,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
