import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** A system Chromium (Debian's package), used when present. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for either browser: headless, no sandbox (containers, root), no GPU, no background traffic. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Marks a complete extraction of the bundled Chromium (the binary and the libraries beside it). */
const EXTRACTED = '.patternbench-extracted';

let bundled: Promise<string> | undefined;

/**
 * The Chromium that the `@sparticuz/chromium` devDependency ships compressed inside its npm package
 * (so `npm install` alone provides it, with no download). It is decompressed once per package
 * version and user into `<tmpdir>/patternbench-chromium-<version>-<uid>/`: into a private staging
 * folder first, renamed into place when complete, under a lock folder so the parallel test files do
 * the work once. (The package's own cache, `<tmpdir>/chromium`, is never used: concurrent test
 * processes would launch a half-written binary, and a stale one from any version would be reused.)
 */
function bundledChromium(): Promise<string> {
  bundled ??= extractBundledChromium();
  return bundled;
}

async function extractBundledChromium(): Promise<string> {
  if (process.platform !== 'linux') throw new Error(`it ships a Linux build only (this is ${process.platform})`);
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', '..', 'package.json'), 'utf8')) as { version: string };
  const home = join(tmpdir(), `patternbench-chromium-${version}-${process.getuid?.() ?? 'user'}`);
  const executable = join(home, 'chromium');
  const ready = (): boolean => existsSync(join(home, EXTRACTED)) && existsSync(executable);
  if (ready()) return executable;
  const lock = `${home}.lock`;
  const owner = await acquireLock(lock, ready);
  try {
    if (ready()) return executable;
    if (owner) rmSync(home, { recursive: true, force: true }); // what a /tmp cleaner left of an old one
    const staging = mkdtempSync(`${home}.staging-`);
    let inflated: string;
    try {
      inflated = await inflateBundledChromium(staging);
      writeFileSync(join(staging, EXTRACTED), `${version}\n`);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    try {
      renameSync(staging, home);
      return executable;
    } catch (error) {
      if (ready()) {
        rmSync(staging, { recursive: true, force: true }); // another process finished first
        return executable;
      }
      if (owner) throw error;
      return inflated; // no lock (another process held it too long): keep this private copy
    }
  } finally {
    if (owner) rmSync(lock, { recursive: true, force: true });
  }
}

/** Takes the lock folder; false when another process finished the work or held it too long. */
async function acquireLock(lock: string, ready: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 360; attempt += 1) {
    try {
      mkdirSync(lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (ready()) return false;
    try {
      // A lock older than two minutes is left from a killed run (decompressing takes seconds).
      if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // released meanwhile
    }
    await sleep(250);
  }
  return false;
}

/** Decompresses the package's Chromium into `folder` and returns the binary's path there. */
async function inflateBundledChromium(folder: string): Promise<string> {
  const { default: sparticuz } = await import('@sparticuz/chromium');
  // executablePath() decompresses into os.tmpdir() and decides every output path synchronously,
  // before its first await: TMPDIR points at `folder` for that synchronous part only.
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  let pending: Promise<string>;
  try {
    pending = sparticuz.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  const executable = await pending;
  if (executable !== join(folder, 'chromium')) throw new Error(`it decompressed to ${executable}, not into ${folder}`);
  return executable;
}

function launchAt(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** The first lines of an error (Playwright's launch errors carry a long call log). */
function brief(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .slice(0, 8)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .join('\n     ');
}

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

/**
 * Launches headless Chromium: the system one when present, else the one the `@sparticuz/chromium`
 * devDependency ships. Fails (never skips) with a clear message when neither can be launched.
 */
export async function launchChromium(): Promise<Browser> {
  const failures: string[] = [];
  if (existsSync(CHROMIUM)) {
    try {
      return await launchAt(CHROMIUM);
    } catch (error) {
      failures.push(`${CHROMIUM}: ${brief(error)}`);
    }
  } else {
    failures.push(`${CHROMIUM}: not installed`);
  }
  let bundledPath = '';
  try {
    bundledPath = await bundledChromium();
    return await launchAt(bundledPath);
  } catch (error) {
    const where = bundledPath === '' ? '' : ` (${bundledPath}; delete ${dirname(bundledPath)} to have it decompressed again)`;
    failures.push(`@sparticuz/chromium${where}: ${brief(error)}`);
  }
  throw new Error(
    [
      'The HTML report tests need headless Chromium and none could be launched:',
      ...failures.map((failure) => ` - ${failure}`),
      'Run `npm install` (it installs the devDependency @sparticuz/chromium, a Linux x64/arm64 Chromium that needs the system libraries libnss3, libnspr4 and libexpat1),',
      "or install Debian's chromium at /usr/bin/chromium (apt-get install -y chromium, which also brings those libraries).",
    ].join('\n'),
  );
}

/** Closes the report's browser; does nothing when the report never opened (its set-up failed). */
export async function closeReport(report: OpenedReport | undefined): Promise<void> {
  await report?.browser.close();
}

/** Opens `htmlPath` from file:// and waits until the report's script says every chart is drawn. */
export async function openReport(htmlPath: string): Promise<OpenedReport> {
  const browser = await launchChromium();
  try {
    return await loadReport(browser, htmlPath);
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The window size `openReport` uses, CSS pixels. */
const DEFAULT_VIEWPORT = { width: 1400, height: 1000 };

/**
 * Opens `htmlPath` as `openReport` does, in a window of `viewport` (CSS pixels), and opened at
 * `fragment` (`#id`) when given.
 */
export async function openReportAt(htmlPath: string, viewport: { width: number; height: number }, fragment = ''): Promise<OpenedReport> {
  const browser = await launchChromium();
  try {
    return await loadReport(browser, htmlPath, viewport, fragment);
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Loads the page in a new tab of `browser`, recording its errors, CSP violations and requests. */
async function loadReport(browser: Browser, htmlPath: string, viewport = DEFAULT_VIEWPORT, fragment = ''): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport });
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
  await page.goto(`${url}${fragment}`);
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
