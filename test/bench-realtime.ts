/**
 * The real-time benchmark of `npm run bench` in a process of its own, started by `test/bench.ts`
 * with the young generation `patternbench run --realtime` gets from its launcher
 * (`harness/cli/launcher.js`). Prints its result rows as JSON on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRealtimeLag } from './bench-load.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-bench-realtime-'));
const rows = await benchRealtimeLag(folder);
rmSync(folder, { recursive: true, force: true });
process.stdout.write(JSON.stringify(rows));
