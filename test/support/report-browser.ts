import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium, driven by playwright-core (`.ci/run` installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/** The few browser globals the page scripts below use (the tests compile without DOM types). */
interface BrowserGlobals {
  pbViolations: string[];
  readonly document: {
    addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
    querySelectorAll(selector: 'canvas'): Iterable<{
      readonly id: string;
      readonly width: number;
      readonly height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { readonly data: ArrayLike<number> } } | null;
    }>;
  };
}

/** A report page opened in headless Chromium, with what it logged and requested while loading. */
export interface OpenedReport {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and uncaught page errors (CSP violations are logged as console errors). */
  readonly errors: string[];
  /** `securitypolicyviolation` events: the directive and blocked URI of each. */
  readonly violations: string[];
  /** URLs of every request the page made. */
  readonly requests: string[];
  readonly url: string;
}

/** Launches headless Chromium; fails (never skips) with a clear message when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it) to run the HTML report tests`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Opens `htmlPath` from file:// and waits until the report's script says every chart is drawn. */
export async function openReport(htmlPath: string): Promise<OpenedReport> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    // The test's tsconfig has no DOM types: the browser globals used here are typed by hand.
    const browser = globalThis as unknown as BrowserGlobals;
    browser.pbViolations = [];
    browser.document.addEventListener('securitypolicyviolation', (event) => {
      browser.pbViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const url = pathToFileURL(htmlPath).href;
  await page.goto(url);
  await page.waitForSelector('body[data-pb-ready="true"]', { state: 'attached', timeout: 20_000 });
  const violations = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).pbViolations);
  return { browser, page, errors, violations, requests, url };
}

/** Per canvas: its id and how many of its pixels are not fully transparent. */
export async function canvasInk(page: Page): Promise<{ id: string; inked: number; width: number; height: number }[]> {
  return page.evaluate(() =>
    [...(globalThis as unknown as BrowserGlobals).document.querySelectorAll('canvas')].map((canvas) => {
      const context = canvas.getContext('2d');
      const pixels = context?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let inked = 0;
      for (let index = 3; index < pixels.length; index += 4) if ((pixels[index] as number) > 0) inked += 1;
      return { id: canvas.id, inked, width: canvas.width, height: canvas.height };
    }),
  );
}

/**
 * Asserts the page loaded clean — no console error, CSP violation or request but its own file —
 * and that every canvas has ink and the script drew one chart per canvas; returns the canvases.
 */
export async function expectCleanPage(report: OpenedReport): Promise<{ id: string; inked: number }[]> {
  expect(report.errors).toEqual([]);
  expect(report.violations).toEqual([]);
  expect(report.requests).toEqual([report.url]);
  const canvases = await canvasInk(report.page);
  const drawn = await report.page.evaluate(() => (globalThis as unknown as { document: { body: { dataset: { pbCharts?: string } } } }).document.body.dataset.pbCharts);
  expect(Number(drawn)).toBe(canvases.length);
  for (const canvas of canvases) {
    expect(canvas.width, canvas.id).toBeGreaterThan(0);
    expect(canvas.inked, `${canvas.id} has no drawn pixels`).toBeGreaterThan(canvas.width);
  }
  return canvases;
}
