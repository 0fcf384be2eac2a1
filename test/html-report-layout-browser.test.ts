import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { collectReportData } from '../reports/html/data.ts';
import { decisionLead } from '../reports/html/decision-tables.ts';
import { writeHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { canvasInk, closeReport, expectCleanPage, openReportAt, type OpenedReport } from './support/report-browser.ts';

// Four scenarios under a short open load: a summary too wide for 1280 px, reliability, load (with
// provider rate limits, whose resource names are long), routing and security tables, and sections
// that start closed.
const SCENARIOS = ['claims-glossary', 'credit-check-outage', 'support-routing-injection', 'support-routing-peak'];
const folder = mkdtempSync(join(tmpdir(), 'patternbench-layout-'));
const db = join(folder, 'layout.db');
const html = join(folder, 'layout.html');

/** What the database says of a scenario, in page order. */
interface ScenarioFacts {
  readonly scenario: string;
  readonly runs: number;
  readonly patterns: number;
  readonly variants: number;
  readonly workflows: number;
  readonly passed: number;
  readonly failed: number;
  /** `decisionLead` of the scenario as text (empty when it says nothing). */
  readonly decision: string;
}

/** Text of trusted HTML: its tags dropped and the entities `escapeHtml` writes decoded. */
const textOf = (markup: string): string =>
  markup
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .trim();

function scenarioFacts(path: string): { facts: ScenarioFacts[]; resources: string[] } {
  const sqlite = openDatabase(path, { readonly: true });
  try {
    const facts = collectReportData(sqlite).scenarios.map((report): ScenarioFacts => {
      const runs = sqlite.prepare('SELECT count(*) AS runs, count(DISTINCT pattern) AS patterns, count(DISTINCT variant) AS variants FROM runs WHERE scenario = ?').get(report.scenario) as {
        runs: number;
        patterns: number;
        variants: number;
      };
      const workflows = sqlite.prepare('SELECT count(*) FROM workflows JOIN runs USING (run_id) WHERE scenario = ?').pluck().get(report.scenario) as number;
      const verdicts = sqlite.prepare('SELECT passed FROM thresholds JOIN runs USING (run_id) WHERE scenario = ?').pluck().all(report.scenario) as number[];
      return {
        scenario: report.scenario,
        ...runs,
        workflows,
        passed: verdicts.filter((passed) => passed === 1).length,
        failed: verdicts.filter((passed) => passed === 0).length,
        decision: textOf(decisionLead(report)),
      };
    });
    const resources = sqlite.prepare('SELECT DISTINCT resource FROM queue_series ORDER BY resource').pluck().all() as string[];
    return { facts, resources };
  } finally {
    sqlite.close();
  }
}

// The page scripts below run in the browser; the tests compile without DOM types, so the little of
// the DOM they use is typed by hand.
interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}
interface Node {
  readonly tagName: string;
  readonly id: string;
  readonly className: string;
  readonly textContent: string | null;
  readonly parentElement: Node | null;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly clientHeight: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  readonly cells: ArrayLike<Node>;
  readonly rows: ArrayLike<Node>;
  readonly tHead: Node | null;
  readonly tBodies: ArrayLike<Node>;
  readonly previousElementSibling: Node | null;
  readonly nextElementSibling: Node | null;
  open: boolean;
  scrollLeft: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Box;
  closest(selector: string): Node | null;
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): ArrayLike<Node>;
}
interface Window {
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly location: { hash: string };
  readonly document: {
    readonly documentElement: Node;
    getElementById(id: string): Node | null;
    querySelectorAll(selector: string): ArrayLike<Node>;
    createRange(): { selectNodeContents(node: Node): void; getBoundingClientRect(): Box };
  };
  getComputedStyle(element: Node): Record<string, string> & { getPropertyValue(name: string): string };
}
const browser = (): Window => globalThis as unknown as Window;

/** How one table sits on the page (measured with every section open). */
interface TableLayout {
  readonly table: string;
  /** The table's own scroll box (`div.wide` around it): present, and scrolling sideways. */
  readonly boxed: boolean;
  readonly scrolls: boolean;
  readonly scrollable: boolean;
  /** Box edges against the window. */
  readonly boxRight: number;
  readonly viewport: number;
  /** First-column cells (header and body rows) that are not pinned with an opaque background. */
  readonly unpinned: string[];
  /** Cells whose right edge lies past the box's right edge (or the window's) though the box does not scroll. */
  readonly clipped: string[];
  /** With the box scrolled to its end: first-column cells that moved off its left edge, cells still past its right edge. */
  readonly driftedAtEnd: string[];
  readonly unreachable: string[];
  /** Header cells whose text runs to more than two lines. */
  readonly tallHeaders: string[];
}

/** Measures every table (`layoutOf`) with every scenario section open. */
async function tableLayouts(page: Page): Promise<TableLayout[]> {
  return page.evaluate(() => {
    const window = (globalThis as unknown as { window: Window }).window;
    const name = (cell: Node): string => `${cell.tagName.toLowerCase()} "${(cell.textContent ?? '').trim().slice(0, 30)}"`;
    const firstColumn = (table: Node): Node[] => {
      const cells: Node[] = [];
      const head = table.tHead?.rows[0]?.cells[0];
      if (head !== undefined) cells.push(head);
      for (const body of Array.from(table.tBodies)) {
        for (const row of Array.from(body.rows)) {
          const cell = row.cells[0];
          if (cell !== undefined && cell.colSpan === 1) cells.push(cell);
        }
      }
      return cells;
    };
    const cellsOf = (table: Node): Node[] => Array.from(table.querySelectorAll('th, td'));
    return Array.from(window.document.querySelectorAll('table')).map((table): TableLayout => {
      const box = table.parentElement as Node;
      const boxed = box.tagName === 'DIV' && box.className.split(' ').includes('wide') && box.querySelectorAll('table').length === 1;
      const style = window.getComputedStyle(box);
      const scrollable = style['overflowX'] === 'auto' || style['overflowX'] === 'scroll';
      const scrolls = box.scrollWidth > box.clientWidth;
      const edge = box.getBoundingClientRect();
      const viewport = window.document.documentElement.clientWidth;
      const unpinned = firstColumn(table)
        .filter((cell) => {
          const cellStyle = window.getComputedStyle(cell);
          return cellStyle['position'] !== 'sticky' || cellStyle['left'] !== '0px' || /rgba\(0, 0, 0, 0\)|transparent/.test(cellStyle['backgroundColor'] ?? '');
        })
        .map(name);
      const clipped = scrolls
        ? []
        : cellsOf(table)
            .filter((cell) => cell.getBoundingClientRect().right > Math.min(edge.right, viewport) + 0.5)
            .map(name);
      const driftedAtEnd: string[] = [];
      const unreachable: string[] = [];
      if (scrolls) {
        box.scrollLeft = box.scrollWidth;
        const left = box.getBoundingClientRect().left;
        for (const cell of firstColumn(table)) if (Math.abs(cell.getBoundingClientRect().left - left) > 1) driftedAtEnd.push(name(cell));
        for (const cell of cellsOf(table)) if (cell.getBoundingClientRect().right > edge.right + 0.5) unreachable.push(name(cell));
        box.scrollLeft = 0;
      }
      const tallHeaders: string[] = [];
      for (const row of Array.from(table.tHead?.rows ?? [])) {
        for (const cell of Array.from(row.cells)) {
          // The height of the header's text (not of its cell, which a row span stretches), in lines.
          const range = window.document.createRange();
          range.selectNodeContents(cell);
          const lines = range.getBoundingClientRect().height / Number.parseFloat(window.getComputedStyle(cell)['lineHeight'] ?? '');
          if (lines > 2.5) tallHeaders.push(`${name(cell)}: ${lines.toFixed(1)} lines`);
        }
      }
      return {
        table: table.id === '' ? table.className : table.id,
        boxed,
        scrolls,
        scrollable,
        boxRight: edge.right,
        viewport,
        unpinned,
        clipped,
        driftedAtEnd,
        unreachable,
        tallHeaders,
      };
    });
  });
}

/** Opens or closes every scenario section with the contents' buttons; returns the sections' open states. */
async function setAllSections(page: Page, open: boolean): Promise<boolean[]> {
  await page.click(`nav.contents button[data-pb-details="${open ? 'open' : 'close'}"]`);
  return page.$$eval('details.scenario', (sections) => sections.map((section) => (section as unknown as Node).open));
}

/**
 * Where the element `id` sits: in the window or not, below the sticky heading of its scenario
 * section (which would hide it) or not, and whether every `<details>` around it is open.
 */
async function landing(page: Page, id: string): Promise<{ found: boolean; openAround: boolean; top: number; stickyBottom: number; height: number; hash: string }> {
  return page.evaluate((targetId) => {
    const window = (globalThis as unknown as { window: Window }).window;
    const target = window.document.getElementById(targetId);
    if (target === null) return { found: false, openAround: false, top: 0, stickyBottom: 0, height: window.innerHeight, hash: window.location.hash };
    let openAround = true;
    for (let node: Node | null = target; node !== null; node = node.parentElement) if (node.tagName === 'DETAILS' && !node.open) openAround = false;
    const section = target.closest('details.scenario');
    const heading = section === null || section === target ? null : section.querySelector(':scope > summary');
    return {
      found: true,
      openAround,
      top: target.getBoundingClientRect().top,
      stickyBottom: heading === null ? 0 : heading.getBoundingClientRect().bottom,
      height: window.innerHeight,
      hash: window.location.hash,
    };
  }, id);
}

/** Asserts the element `id` is shown: every section around it open, its top in the window and not under a sticky heading. */
async function expectLanded(page: Page, id: string): Promise<void> {
  const where = await landing(page, id);
  expect(where.found, `#${id} exists`).toBe(true);
  expect(where.openAround, `the sections around #${id} are open`).toBe(true);
  expect(where.top, `#${id} is not hidden under its section's heading`).toBeGreaterThanOrEqual(where.stickyBottom - 1);
  expect(where.top, `#${id} is in the window`).toBeLessThan(where.height - 40);
}

/** Read from the database once it is written. */
const facts: ScenarioFacts[] = [];
const resources: string[] = [];

beforeAll(async () => {
  const paths = SCENARIOS.map((name) => new URL(`../scenarios/${name}.yaml`, import.meta.url).pathname);
  // 1 when a scenario threshold fails, else 0.
  expect([0, 1]).toContain(await main(['run', ...paths, '--rate', '10/s', '--duration', '30s', '--db', db, '--no-report', '--quiet'], captureIo()));
  await writeHtmlReport(db, html);
  const read = scenarioFacts(db);
  facts.push(...read.facts);
  resources.push(...read.resources);
});

describe.each([1280, 1920])('the HTML report at %i px in headless Chromium', (width) => {
  let report: OpenedReport;
  beforeAll(async () => {
    report = await openReportAt(html, { width, height: 900 });
  });
  afterAll(async () => {
    await closeReport(report);
  });

  it('opens with the first scenario open and the rest closed, every chart drawn, and a closed one drawn at its size when opened', async () => {
    expect(facts.map((fact) => fact.scenario)).toEqual(SCENARIOS);
    const page = report.page;
    expect(await page.$$eval('details.scenario', (sections) => sections.map((section) => (section as unknown as Node).open))).toEqual([true, false, false, false]);
    await expectCleanPage(report);

    // Opening a closed section from its heading: its charts fill their boxes and are drawn.
    await page.click('details#scenario-3 > summary');
    await page.waitForFunction(() => {
      const canvases = Array.from((globalThis as unknown as Window).document.querySelectorAll('details#scenario-3 canvas')) as unknown as { width: number; parentElement: Node }[];
      return canvases.length > 0 && canvases.every((canvas) => canvas.width > 0 && Math.abs(canvas.width - canvas.parentElement.clientWidth) <= 1);
    });
    const sizes = await page.$$eval('details#scenario-3 canvas', (canvases) =>
      canvases.map((canvas) => {
        const box = (canvas as unknown as Node).getBoundingClientRect();
        const parent = (canvas as unknown as Node).parentElement as Node;
        return { id: (canvas as unknown as Node).id, width: box.width, height: box.height, boxWidth: parent.clientWidth, boxHeight: parent.clientHeight };
      }),
    );
    expect(sizes.length).toBeGreaterThan(5);
    for (const size of sizes) {
      expect(size.width, size.id).toBeGreaterThan(200);
      expect(Math.abs(size.width - size.boxWidth), `${size.id} fills its box's width`).toBeLessThanOrEqual(1);
      expect(Math.abs(size.height - size.boxHeight), `${size.id} fills its box's height`).toBeLessThanOrEqual(1);
    }
    const ink = new Map((await canvasInk(page)).map((canvas) => [canvas.id, canvas]));
    for (const size of sizes) expect(ink.get(size.id)?.inked ?? 0, `${size.id} has drawn pixels`).toBeGreaterThan(size.width);
  });

  it('fits every table: each in its own scroll box with its first column pinned, no column clipped, headers at most two lines', async () => {
    const page = report.page;
    expect(await setAllSections(page, true)).toEqual([true, true, true, true]);
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as Window).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow, 'the page itself does not scroll sideways').toBeLessThanOrEqual(0);
    const layouts = await tableLayouts(page);
    const ids = layouts.map((layout) => layout.table);
    for (const id of ['summary', 'matrix-0', 'reliability-1', 'load-3', 'routing-2-0', 'security-2', 'thresholds']) expect(ids).toContain(id);
    for (const layout of layouts) {
      expect(layout.boxed, `${layout.table} sits alone in its scroll box`).toBe(true);
      expect(layout.scrollable, `${layout.table}'s box scrolls sideways`).toBe(true);
      expect(layout.boxRight, `${layout.table}'s box ends inside the window`).toBeLessThanOrEqual(layout.viewport + 0.5);
      expect(layout.unpinned, `${layout.table}: first column pinned`).toEqual([]);
      expect(layout.clipped, `${layout.table}: cells cut off though the box does not scroll`).toEqual([]);
      expect(layout.driftedAtEnd, `${layout.table}: first column stays in view when scrolled`).toEqual([]);
      expect(layout.unreachable, `${layout.table}: cells past the end of the scroll`).toEqual([]);
      expect(layout.tallHeaders, `${layout.table}: header rows of more than two lines`).toEqual([]);
    }
    const scrolling = layouts.filter((layout) => layout.scrolls).map((layout) => layout.table);
    // At 1280 px the summary needs its scroll box; at 1920 px the page is wide enough for every table.
    if (width === 1280) expect(scrolling).toContain('summary');
    else expect(scrolling).toEqual([]);
  });

  it('shortens long resource names and names runs, the full name in the tooltip', async () => {
    const page = report.page;
    await setAllSections(page, true);
    expect(resources.some((resource) => resource.length > 30)).toBe(true);
    const headers = await page.$$eval('table[id^="load-"] th[data-resource]', (cells) =>
      cells.map((cell) => {
        const th = cell as unknown as Node;
        const clip = th.querySelector('span.clip');
        const box = th.getBoundingClientRect();
        const inner = clip?.getBoundingClientRect();
        return {
          resource: th.getAttribute('data-resource') ?? '',
          title: clip?.getAttribute('title') ?? '',
          text: clip?.textContent ?? '',
          inside: inner !== undefined && inner.left >= box.left - 0.5 && inner.right <= box.right + 0.5,
        };
      }),
    );
    expect(new Set(headers.map((header) => header.resource))).toEqual(new Set(resources));
    for (const header of headers) {
      expect(header.title).toBe(header.resource);
      expect(header.resource.endsWith(header.text) || header.resource.includes(header.text), header.resource).toBe(true);
      if (header.resource.length > 30) expect(header.text.length, header.resource).toBeLessThan(header.resource.length);
      expect(header.inside, `${header.resource} stays inside its header cell`).toBe(true);
    }
    expect(headers.map((header) => header.text)).toContain('claude-sonnet-4-5');
    const runs = await page.$$eval('tr[data-run-id] > td.run', (cells) =>
      cells.map((cell) => ({ runId: (cell as unknown as Node).parentElement?.getAttribute('data-run-id') ?? '', title: (cell as unknown as Node).getAttribute('title') ?? '' })),
    );
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) expect(run.title).toBe(run.runId);
  });

  it('lands every link of the contents and the summary on its target, opening the closed section it is in', async () => {
    const page = report.page;
    const hrefs = await page.$$eval('a[href^="#"]', (links) => links.map((link) => (link as unknown as Node).getAttribute('href') ?? ''));
    const contents = await page.$$eval('nav.contents a[href^="#"]', (links) => links.map((link) => (link as unknown as Node).getAttribute('href') ?? ''));
    // The summary, each scenario and, per scenario, its decision matrix and every chart section at least.
    expect(contents).toContain('#summary-heading');
    for (const index of SCENARIOS.keys()) {
      for (const part of [`#scenario-${index}`, `#scenario-${index}-matrix`, `#s${index}-latency`, `#s${index}-waterfalls`]) expect(contents).toContain(part);
    }
    for (const part of ['#scenario-1-reliability', '#scenario-3-load', '#scenario-3-thresholds', '#scenario-2-routing', '#scenario-2-security']) expect(contents).toContain(part);
    for (const [index, href] of hrefs.entries()) {
      expect(await setAllSections(page, false)).toEqual([false, false, false, false]);
      await page.locator('a[href^="#"]').nth(index).click();
      await expectLanded(page, href.slice(1));
      expect((await landing(page, href.slice(1))).hash).toBe(href);
    }
  });

  it('opens the section a changed #fragment or the opening #fragment points into', async () => {
    const page = report.page;
    await setAllSections(page, false);
    await page.evaluate(() => {
      (globalThis as unknown as Window).location.hash = '#s2-accuracy';
    });
    await page.waitForFunction(() => ((globalThis as unknown as Window).document.getElementById('scenario-2') as Node).open);
    await expectLanded(page, 's2-accuracy');

    const opened = await openReportAt(html, { width, height: 900 }, '#scenario-1-load');
    try {
      expect(await opened.page.$$eval('details.scenario', (sections) => sections.map((section) => (section as unknown as Node).open))).toEqual([true, true, false, false]);
      await opened.page.waitForFunction(() => {
        const target = (globalThis as unknown as Window).document.getElementById('scenario-1-load') as Node;
        return target.getBoundingClientRect().top < (globalThis as unknown as Window).innerHeight - 40;
      });
      await expectLanded(opened.page, 'scenario-1-load');
      expect(opened.errors).toEqual([]);
    } finally {
      await closeReport(opened);
    }
  });

  it('collapses and reopens a scenario section from its heading', async () => {
    const page = report.page;
    await setAllSections(page, true);
    await page.locator('details#scenario-0 > summary').scrollIntoViewIfNeeded();
    await page.click('details#scenario-0 > summary');
    expect(await page.locator('details#scenario-0').evaluate((section) => (section as unknown as Node).open)).toBe(false);
    expect(await page.locator('#matrix-0').isVisible()).toBe(false);
    expect(await page.locator('details#scenario-0 > summary').isVisible()).toBe(true);
    await page.click('details#scenario-0 > summary');
    expect(await page.locator('details#scenario-0').evaluate((section) => (section as unknown as Node).open)).toBe(true);
    expect(await page.locator('#matrix-0').isVisible()).toBe(true);
  });

  it('heads each scenario with its line (runs, patterns, workflows, thresholds) and its decision, in the contents too', async () => {
    const page = report.page;
    const sections = await page.$$eval('details.scenario', (elements) =>
      elements.map((element) => {
        const section = element as unknown as Node;
        const summary = section.querySelector(':scope > summary');
        return {
          name: summary?.querySelector('h2')?.textContent ?? '',
          line: summary?.querySelector('span.scenario-line')?.textContent ?? '',
          decision: summary?.querySelector('span.scenario-decision')?.textContent ?? null,
          first: summary?.nextElementSibling?.className ?? '',
          firstText: summary?.nextElementSibling?.textContent ?? '',
        };
      }),
    );
    const cards = await page.$$eval('ol.contents-scenarios > li', (items) =>
      items.map((item) => ({
        name: (item as unknown as Node).querySelector('a.contents-scenario')?.textContent ?? '',
        line: (item as unknown as Node).querySelector('span.scenario-line')?.textContent ?? '',
      })),
    );
    expect(sections.map((section) => section.name)).toEqual(SCENARIOS);
    expect(cards).toEqual(sections.map((section) => ({ name: section.name, line: section.line })));
    const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
    for (const [index, fact] of facts.entries()) {
      const section = sections[index];
      const thresholds =
        fact.passed + fact.failed === 0
          ? 'no thresholds'
          : `thresholds ${fact.passed}/${fact.passed + fact.failed} passed${fact.failed === 0 ? '' : `, ✗ ${fact.failed} failed`}`;
      const variants = fact.variants > 1 ? ` · ${plural(fact.variants, 'variant')}` : '';
      expect(section?.line).toBe(`${plural(fact.runs, 'run')} · ${plural(fact.patterns, 'pattern')}${variants} · ${plural(fact.workflows, 'workflow')} · ${thresholds}`);
      if (fact.decision === '') {
        expect(section?.decision).toBeNull();
        expect(section?.first).toBe('part');
      } else {
        expect(section?.decision).toBe(fact.decision);
        expect(section?.firstText.trim()).toBe(fact.decision);
      }
    }
    // The scenarios exercise both kinds of line: with failed thresholds and without thresholds.
    expect(facts.some((fact) => fact.failed > 0)).toBe(true);
    expect(facts.some((fact) => fact.passed + fact.failed === 0)).toBe(true);
  });
});
