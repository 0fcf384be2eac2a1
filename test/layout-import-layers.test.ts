import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crowdedFolders, importCircles, importGraph, importsOf, layerViolations, readSources, ROOMS } from './support/import-graph.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = readSources(root);

describe('layout: the import graph keeps the layers', () => {
  it('reads every product file and its imports, in every form', () => {
    expect(sources.size).toBeGreaterThan(150);
    const text = "import {\n  a,\n  b,\n} from './a.ts';\nexport { c } from '../c.ts';\nimport type { D } from \"./d.ts\";\nconst e = await import('./e.ts');\nimport 'zod';\n";
    expect(importsOf('harness/run/x.ts', text)).toEqual(['harness/run/a.ts', 'harness/c.ts', 'harness/run/d.ts', 'harness/run/e.ts']);
  });

  it('has no import circle, no import against the layers and no crowded folder', () => {
    const graph = importGraph(sources);
    expect(importCircles(graph)).toEqual([]);
    expect(layerViolations(graph)).toEqual([]);
    expect(crowdedFolders(sources)).toEqual([]);
  });

  it('fails on an import that goes up a layer', () => {
    const bad = new Map(sources).set('harness/kernel/bad.ts', "import { executeRun } from '../run/runner.ts';\n");
    expect(layerViolations(importGraph(bad))).toEqual([{ from: 'harness/kernel/bad.ts', to: 'harness/run/runner.ts', message: 'harness/kernel may not import harness/run' }]);
    const storeUp = new Map(sources).set('reports/store/bad.ts', "import type { RunSpec } from '../../harness/run/runner.ts';\n");
    expect(layerViolations(importGraph(storeUp)).map((violation) => violation.message)).toEqual(['reports/store may not import harness/run']);
  });

  it('fails on a circle, within a room too', () => {
    const circular = new Map(sources)
      .set('harness/run/loop-a.ts', "import { b } from './loop-b.ts';\n")
      .set('harness/run/loop-b.ts', "import type { A } from './loop-a.ts';\n");
    expect(importCircles(importGraph(circular))).toEqual([['harness/run/loop-a.ts', 'harness/run/loop-b.ts']]);
  });

  it('fails on a file outside every room and on a folder past 25 files', () => {
    const stray = new Map(sources).set('harness/stray.ts', "import { HarnessError } from './kernel/errors.ts';\n");
    expect(layerViolations(importGraph(stray)).map((violation) => violation.message)).toEqual(['harness/stray.ts is in no room of the layers']);
    const crowded = new Map(sources);
    for (let index = 0; index < 30; index++) crowded.set(`harness/run/extra-${index}.ts`, '');
    expect(crowdedFolders(crowded).map(([folder]) => folder)).toEqual(['harness/run']);
  });

  it('opens every product folder with a short README naming what it may import', () => {
    const folders = new Set<string>();
    const walk = (folder: string): void => {
      folders.add(folder);
      for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) if (entry.isDirectory()) walk(`${folder}/${entry.name}`);
    };
    for (const top of ['harness', 'patterns', 'reports']) walk(top);
    for (const folder of folders) {
      const readme = path.join(root, folder, 'README.md');
      expect(existsSync(readme), `${folder}/README.md`).toBe(true);
      const lines = readFileSync(readme, 'utf8').trim().split('\n').length;
      expect(lines, `${folder}/README.md lines`).toBeGreaterThanOrEqual(5);
      expect(lines, `${folder}/README.md lines`).toBeLessThanOrEqual(20);
    }
    for (const room of ROOMS) expect(readFileSync(path.join(root, room.folder, 'README.md'), 'utf8')).toMatch(/may import/i);
  });
});
