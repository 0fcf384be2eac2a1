import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { renderHtmlPage } from '../reports/html/page.ts';
import { buildHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;

/** The policy's sources per directive. */
function policy(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
  const decoded = content.replace(/&#39;/g, "'");
  return new Map(decoded.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Text of every executable inline script (no `type`) and every inline style. */
function inline(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1] as string);
}

function expectStrictPolicy(html: string): void {
  const csp = policy(html);
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.get('img-src')).toEqual(['data:']);
  expect([...(csp.get('script-src') ?? [])].sort()).toEqual(inline(html, 'script').map(sha256).sort());
  expect(csp.get('style-src')).toEqual(inline(html, 'style').map(sha256));
  expect(html).not.toMatch(/unsafe-inline|unsafe-eval/);
  // The policy blocks inline style attributes and event handler attributes: none may appear in the
  // markup (script bodies set aside), and nothing is loaded from anywhere but the page itself.
  const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
  expect(markup).not.toMatch(/<[^>]*\sstyle=/i);
  expect(markup).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  expect(markup).not.toMatch(/\s(src|href)="(?!data:|#)/i);
}

describe('renderHtmlPage', () => {
  it('allows exactly its inline scripts and style by SHA-256, and keeps the data inside its element', () => {
    const data = { text: '</script><script>alert(1)</script>', nested: [1, '<!--'] };
    const html = renderHtmlPage({ title: 'a <b> & "c"', bodyHtml: '<p>hello</p>', data, script: 'document.title = "x";', style: 'p { color: red; }' });
    expectStrictPolicy(html);
    expect(inline(html, 'script')).toHaveLength(2);
    expect(html).toContain('<title>a &#60;b&#62; &#38; &#34;c&#34;</title>');
    const json = /<script type="application\/json" id="pb-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual(data);
  });

  it('gives a real report a strict policy with no inline style or handler attributes', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'patternbench-csp-')), 'small.db');
    expect(await main(['run', scenario, '--cases', '20', '--db', db, '--quiet'], captureIo())).toBe(0);
    const sqlite = openDatabase(db, { readonly: true });
    const html = buildHtmlReport(sqlite, 'small.db');
    sqlite.close();
    expectStrictPolicy(html);
    expect(inline(html, 'script')).toHaveLength(2);
  });
});
