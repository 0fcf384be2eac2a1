/**
 * One self-contained HTML page: chart.js, the page's data (JSON) and its client script inlined, under
 * a strict Content-Security-Policy that allows exactly those inline scripts and style by their
 * SHA-256 hashes. The page opens from `file://` and makes no network request: no external resource,
 * no `unsafe-inline`, no `unsafe-eval`. Markup given in `bodyHtml` must therefore carry no `style=""`
 * attribute and no `on…` handler (the policy blocks both); style it with classes in `style`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HarnessError } from '../../harness/kernel/errors.ts';

/** What a page holds. */
export interface HtmlPageInput {
  /** The page title (plain text; escaped here). */
  readonly title: string;
  /** Markup of the body, already escaped by the caller; it ends up before the scripts. */
  readonly bodyHtml: string;
  /** Embedded as JSON in `<script type="application/json" id="pb-data">`; read it with `JSON.parse`. */
  readonly data: unknown;
  /** The page's own browser script (plain JS, no modules), run after chart.js is loaded. */
  readonly script: string;
  /** CSS for the page. Default: `BASE_STYLE` only; when given it is appended to `BASE_STYLE`. */
  readonly style?: string;
}

/**
 * A plain, readable style every page starts from. The body grows with the window up to 1800 px.
 * Tables: a table in `<div class="wide">` scrolls sideways inside that box, never the page, with
 * its first column pinned (`position: sticky`, an opaque background) so a reader who scrolls still
 * sees which row they read; the cells' borders are drawn separately (a collapsed border does not
 * move with a pinned cell). Headers stay short; their explanation goes in `title` (underlined
 * dotted). `span.clip` shortens a long name with an ellipsis; give it the full name in `title`.
 */
export const BASE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1800px; padding: 0 clamp(12px, 2.5vw, 40px) 48px; background: #fff; }
h1 { font-size: 24px; margin: 24px 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; } p.note { color: #59636e; margin: 4px 0 8px; max-width: 130ch; }
table { border-collapse: separate; border-spacing: 0; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border: 0 solid #d0d7de; border-width: 0 1px 1px 0; padding: 4px 7px; text-align: right; white-space: nowrap; background-clip: padding-box; }
thead tr:first-child > *, table > tbody:first-child > tr:first-child > * { border-top-width: 1px; }
thead tr:first-child > :first-child, tbody tr > :first-child { border-left-width: 1px; }
th { background: #f6f8fa; white-space: normal; } td.text, th.text { text-align: left; white-space: normal; } th[colspan] { text-align: center; }
th[title], abbr[title] { text-decoration: underline dotted #8c959f; text-underline-offset: 3px; cursor: help; }
td.best { background: #dafbe1; font-weight: 600; }
div.wide { overflow-x: auto; max-width: 100%; margin: 8px 0 16px; }
div.wide > table { margin: 0; }
div.wide thead tr:first-child > :first-child, div.wide tbody tr > :first-child { position: sticky; left: 0; z-index: 1; box-shadow: 3px 0 4px -2px rgba(31, 35, 40, 0.18); }
:where(div.wide tbody tr) > td:first-child { background-color: #fff; }
span.clip { display: inline-block; max-width: 22ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
.chart { position: relative; height: 320px; margin: 8px 0 16px; }
.chart.tall { height: 420px; } .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
code { background: #f6f8fa; padding: 0 4px; border-radius: 4px; }
`;

/** The Content-Security-Policy source of an inline element's text: `'sha256-<base64>'`. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that cannot end the `<script>` element it sits in (`<` becomes `\u003c`). */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data ?? null).replace(/</g, '\\u003c');
}

/**
 * The minified UMD build of chart.js, from the installed package (its `exports` map hides the file,
 * so it is found beside the package's CommonJS entry, `dist/chart.cjs`).
 */
export function chartJsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

/** Inline script text must not contain `</script` (it would end the element early). */
function inlineScript(text: string, what: string): string {
  if (/<\/script/i.test(text)) throw new HarnessError('USAGE', `${what} contains "</script" and cannot be inlined`);
  return text;
}

/** Renders `input` as one self-contained HTML document. */
export function renderHtmlPage(input: HtmlPageInput): string {
  const chart = inlineScript(chartJsSource(), 'chart.js');
  const script = inlineScript(input.script, 'the page script');
  const style = `${BASE_STYLE}${input.style ?? ''}`;
  if (/<\/style/i.test(style)) throw new HarnessError('USAGE', 'the page style contains "</style" and cannot be inlined');
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(chart)} ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    input.bodyHtml,
    `<script type="application/json" id="pb-data">${scriptJson(input.data)}</script>`,
    `<script>${chart}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
