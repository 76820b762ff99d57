// Debian's Chromium driven by puppeteer-core, for the HTML report tests and `npm run bench`: never a
// downloaded browser, a fresh profile per launch, nothing phoned home, and every request a page
// makes recorded (and refused, unless it is the page itself).

/// <reference lib="dom" />
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';

export const CHROMIUM = process.env.PREFLIGHT_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** The flags the brief and Debian's package need in a container: no sandbox, no GPU, nothing phoned home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<{ browser: Browser; profile: string }> {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'preflight-chromium-'));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`], userDataDir: profile });
  return { browser, profile };
}

export interface Loaded {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  loadMs: number;
}

/** Opens a file with every request recorded (and any but the page itself refused) and every console error kept. */
export async function openReport(browser: Browser, file: string): Promise<Loaded> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const url = pathToFileURL(file).href;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    requests.push(r.url());
    if (r.url() === url) void r.continue();
    else void r.abort();
  });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  const loadMs = performance.now() - t0;
  return { page, consoleErrors, requests, loadMs };
}

