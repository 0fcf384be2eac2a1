/**
 * Takes a PNG of an HTML report in headless Chromium (Debian's `/usr/bin/chromium`, driven by
 * playwright-core), once its charts are drawn. Used for the README's screenshot:
 *
 *   npx tsx reports/html/screenshot.ts out/scenarios.html reports/html/report-screenshot.png [--max-height 3000]
 *
 * The whole page by default; `--max-height` keeps only its top that many CSS pixels. Another
 * Chromium (e.g. the one the test suite unpacks from `@sparticuz/chromium`, under
 * `<tmpdir>/patternbench-chromium-<version>-<uid>/chromium`) is used when `PATTERNBENCH_CHROMIUM`
 * names it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { HarnessError } from '../../harness/kernel/errors.ts';

/** Where Debian installs chromium. */
const CHROMIUM = '/usr/bin/chromium';

/** Page width of the screenshot, CSS pixels. */
const WIDTH = 1280;

/** Writes a PNG of the report at `htmlPath` to `pngPath`; `maxHeight` clips it (CSS pixels). */
export async function screenshotReport(htmlPath: string, pngPath: string, maxHeight: number | null = null): Promise<void> {
  if (!existsSync(htmlPath)) throw new HarnessError('USAGE', `no report at ${htmlPath}`);
  const executable = process.env['PATTERNBENCH_CHROMIUM'] ?? CHROMIUM;
  if (!existsSync(executable)) {
    throw new HarnessError('USAGE', `${executable} is missing: install Debian's chromium (apt-get install -y chromium) or set PATTERNBENCH_CHROMIUM to a Chromium binary`);
  }
  const browser = await chromium.launch({
    executablePath: executable,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.goto(pathToFileURL(resolve(htmlPath)).href);
    await page.waitForSelector('body[data-pb-ready="true"]', { state: 'attached', timeout: 30_000 });
    const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
    const clip = maxHeight === null ? undefined : { x: 0, y: 0, width: WIDTH, height: Math.min(height, maxHeight) };
    await page.screenshot({ path: pngPath, fullPage: true, ...(clip === undefined ? {} : { clip }) });
  } finally {
    await browser.close();
  }
}

const [html, png, flag, value] = process.argv.slice(2);
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (!isMain) {
  // Imported: only export screenshotReport.
} else if (html === undefined || png === undefined || (flag !== undefined && (flag !== '--max-height' || !(Number(value) > 0)))) {
  process.stderr.write('usage: npx tsx reports/html/screenshot.ts <report.html> <out.png> [--max-height <px>]\n');
  process.exitCode = 2;
} else {
  await screenshotReport(html, png, flag === undefined ? null : Number(value));
  process.stdout.write(`${png}\n`);
}
