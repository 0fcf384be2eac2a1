// The import graph of the product code (harness/, patterns/, reports/) and the rules it must keep:
// no import circle, and every import goes down the layers of DESIGN.md. `npm run lint` runs it
// (test/support/check-layers.ts) and test/layout-import-layers.test.ts asserts it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A room of the code: a folder, what it may import, and why. */
export interface Room {
  /** Folder, relative to the repository root. */
  readonly folder: string;
  /** Rooms this one may import (besides itself). */
  readonly mayImport: readonly string[];
}

/**
 * The layers, bottom up: kernel ← scenario ← patterns ← pipeline + governance ← agents ← run,
 * ingest ← cli. Pipeline and governance are one layer in two rooms: the pipeline's boundary
 * stages apply governance's policies, and those policies read the call contract
 * (harness/pipeline/call.ts); no file circle joins them. reports/store sits on the kernel and is
 * written by the run, never the reverse; summary, html, compare and sweep read the store. Tests may
 * import anything.
 */
export const ROOMS: readonly Room[] = [
  { folder: 'harness/kernel', mayImport: [] },
  { folder: 'reports/store', mayImport: ['harness/kernel'] },
  { folder: 'harness/scenario', mayImport: ['harness/kernel'] },
  { folder: 'patterns', mayImport: ['harness/kernel', 'harness/scenario'] },
  { folder: 'harness/governance', mayImport: ['harness/kernel', 'harness/scenario', 'patterns', 'harness/pipeline', 'reports/store'] },
  { folder: 'harness/pipeline', mayImport: ['harness/kernel', 'harness/scenario', 'patterns', 'harness/governance', 'reports/store'] },
  { folder: 'harness/agents', mayImport: ['harness/kernel', 'harness/scenario', 'patterns', 'harness/governance', 'harness/pipeline', 'reports/store'] },
  { folder: 'harness/run', mayImport: ['harness/kernel', 'harness/scenario', 'patterns', 'harness/governance', 'harness/pipeline', 'harness/agents', 'reports/store'] },
  { folder: 'harness/ingest', mayImport: ['harness/kernel', 'harness/scenario', 'harness/agents', 'reports/store'] },
  { folder: 'reports/summary', mayImport: ['harness/kernel', 'harness/scenario', 'reports/store'] },
  { folder: 'reports/html', mayImport: ['harness/kernel', 'harness/scenario', 'reports/store', 'reports/summary', 'reports/sweep'] },
  { folder: 'reports/compare', mayImport: ['harness/kernel', 'harness/scenario', 'reports/store', 'reports/summary', 'reports/html'] },
  { folder: 'reports/sweep', mayImport: ['harness/kernel', 'harness/scenario', 'reports/store', 'reports/summary', 'reports/html'] },
  { folder: 'reports/claims', mayImport: ['harness/kernel', 'reports/store'] },
  {
    folder: 'harness/cli',
    mayImport: ['harness/kernel', 'harness/scenario', 'patterns', 'harness/governance', 'harness/pipeline', 'harness/agents', 'harness/run', 'harness/ingest', 'reports/store', 'reports/summary', 'reports/html', 'reports/compare', 'reports/sweep', 'reports/claims'],
  },
];

/** Folders whose files the graph covers. */
export const PRODUCT_FOLDERS = ['harness', 'patterns', 'reports'] as const;

/** Source files as `{ path → text }`, paths relative to the root and `/`-separated. */
export type Sources = ReadonlyMap<string, string>;

/** Reads every .ts and .js file under the product folders. */
export function readSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
      const file = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) sources.set(file, readFileSync(path.join(root, file), 'utf8'));
    }
  };
  for (const folder of PRODUCT_FOLDERS) walk(folder);
  return sources;
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** Relative imports of one file, resolved to root-relative paths (package imports are left out). */
export function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier === undefined || !specifier.startsWith('.')) continue;
    found.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
  }
  return found;
}

/** The room a file belongs to (its most specific folder in `ROOMS`), or undefined. */
export function roomOf(file: string, rooms: readonly Room[] = ROOMS): Room | undefined {
  let best: Room | undefined;
  for (const room of rooms) {
    if (file.startsWith(`${room.folder}/`) && (best === undefined || room.folder.length > best.folder.length)) best = room;
  }
  return best;
}

/** Import edges between product files: `from → [to, …]` (imports of files outside the graph are kept). */
export function importGraph(sources: Sources): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) graph.set(file, importsOf(file, text));
  return graph;
}

/** Import circles: strongly connected components of more than one file (or a file importing itself). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) connect(node);
  return circles;
}

/** One import against the layers. */
export interface LayerViolation {
  readonly from: string;
  readonly to: string;
  readonly message: string;
}

/** Imports that go against the layers, or into a file outside every room. */
export function layerViolations(graph: ReadonlyMap<string, readonly string[]>, rooms: readonly Room[] = ROOMS): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const [from, targets] of graph) {
    const source = roomOf(from, rooms);
    for (const to of targets) {
      if (!PRODUCT_FOLDERS.some((folder) => to.startsWith(`${folder}/`))) continue; // package.json, scenarios/
      const target = roomOf(to, rooms);
      if (source === undefined || target === undefined) {
        violations.push({ from, to, message: `${source === undefined ? from : to} is in no room of the layers` });
      } else if (source !== target && !source.mayImport.includes(target.folder)) {
        violations.push({ from, to, message: `${source.folder} may not import ${target.folder}` });
      }
    }
  }
  return violations;
}

/** Most source files one folder may hold before it needs subfolders by concern. */
export const MAX_FILES_PER_FOLDER = 25;

/** Folders holding more than `limit` source files, with their counts. */
export function crowdedFolders(sources: Sources, limit = MAX_FILES_PER_FOLDER): [string, number][] {
  const counts = new Map<string, number>();
  for (const file of sources.keys()) counts.set(path.posix.dirname(file), (counts.get(path.posix.dirname(file)) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > limit).sort();
}
