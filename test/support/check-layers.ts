// `npm run lint` runs this: exits 1, listing each, when an import goes round in a circle, against
// the layers (test/support/import-graph.ts), or when a folder holds more source files than one
// screen lists.
import { fileURLToPath } from 'node:url';
import { crowdedFolders, importCircles, importGraph, layerViolations, readSources } from './import-graph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sources = readSources(root);
const graph = importGraph(sources);
const problems = [
  ...importCircles(graph).map((circle) => `import circle: ${circle.join(' → ')}`),
  ...layerViolations(graph).map((violation) => `${violation.from} imports ${violation.to}: ${violation.message}`),
  ...crowdedFolders(sources).map(([folder, count]) => `${folder} holds ${count} source files: give it subfolders by concern`),
];
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.stdout.write(`layers: ${sources.size} files, ${[...graph.values()].reduce((sum, targets) => sum + targets.length, 0)} imports, ${problems.length} problem(s)\n`);
process.exitCode = problems.length === 0 ? 0 : 1;
