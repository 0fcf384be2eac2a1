// The Kubernetes Indexed Job of README.md's "Beyond one machine", run on this machine: its two
// manifests are read from the README itself, their shell commands run for n = 3 with
// JOB_COMPLETION_INDEX set as the Job controller sets it (each pod its own scratch folder, one shared
// results folder), then the merge Job's command. The merged file must hold the rows of the same
// matrix run unsharded — every table, row for row, for the README's closed loop; the same
// percentiles, histograms and threshold results for an open-loop variant of it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { summarise } from '../reports/summary/summary.ts';
import { resultsDigest } from './support/results-digest.ts';

const root = new URL('..', import.meta.url).pathname;
const SHARDS = 3;
const run = promisify(execFile);

interface Container {
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string }[];
}
interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly completionMode?: string;
    readonly completions?: number;
    readonly parallelism?: number;
    readonly accessModes?: readonly string[];
    readonly template?: {
      readonly spec: {
        readonly restartPolicy: string;
        readonly containers: readonly Container[];
        readonly volumes: readonly { readonly name: string; readonly emptyDir?: object; readonly persistentVolumeClaim?: { readonly claimName: string } }[];
      };
    };
  };
}

/** Every YAML document of the fenced `yaml` blocks of the README's "Beyond one machine" section. */
function readmeManifests(): Manifest[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Beyond one machine\n');
  expect(start, 'README.md has a "Beyond one machine" section').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) => parseAllDocuments(block).map((document) => document.toJS() as Manifest));
}

/** The one container's shell script of `job`, and the folder each volume is mounted at. */
function script(job: Manifest): { text: string; mounts: Map<string, string> } {
  const pod = job.spec.template?.spec;
  const container = pod?.containers[0];
  expect(pod?.containers).toHaveLength(1);
  expect(container?.command).toEqual(['sh', '-c']);
  expect(container?.args).toHaveLength(1);
  return { text: container?.args[0] ?? '', mounts: new Map(container?.volumeMounts.map((mount) => [mount.name, mount.mountPath])) };
}

/** The README's manifests, checked for the shape the section promises; their scripts for `SHARDS` shards. */
function jobScripts(): { shard: string; merge: string; results: string; scratch: string } {
  const manifests = readmeManifests();
  const claim = manifests.find((manifest) => manifest.kind === 'PersistentVolumeClaim');
  const jobs = manifests.filter((manifest) => manifest.kind === 'Job');
  const indexed = jobs.find((job) => job.spec.completionMode === 'Indexed');
  const merge = jobs.find((job) => job !== indexed);
  expect(jobs).toHaveLength(2);
  expect(indexed?.apiVersion).toBe('batch/v1');
  expect(merge?.apiVersion).toBe('batch/v1');
  expect(claim?.spec.accessModes).toContain('ReadWriteMany');
  const count = indexed?.spec.completions ?? 0;
  expect(count).toBeGreaterThan(1);
  expect(indexed?.spec.parallelism).toBe(count);
  const shard = script(indexed as Manifest);
  const merging = script(merge as Manifest);
  for (const job of [indexed, merge]) {
    const volumes = job?.spec.template?.spec.volumes ?? [];
    expect(job?.spec.template?.spec.restartPolicy).toBe('Never');
    expect(volumes.find((volume) => volume.name === 'results')?.persistentVolumeClaim?.claimName).toBe(claim?.metadata.name);
    expect(volumes.find((volume) => volume.name === 'scratch')?.emptyDir).toBeDefined();
  }
  const results = shard.mounts.get('results') ?? '';
  const scratch = shard.mounts.get('scratch') ?? '';
  expect([merging.mounts.get('results'), merging.mounts.get('scratch')]).toEqual([results, scratch]);
  // The shard count is written three times: the Job's completions, --shard-from-env, merge --shards.
  expect(shard.text).toContain(`--shard-from-env ${count} `);
  expect(merging.text).toContain(`--shards ${count} `);
  return {
    shard: shard.text.replace(`--shard-from-env ${count} `, `--shard-from-env ${SHARDS} `),
    merge: merging.text.replace(`--shards ${count} `, `--shards ${SHARDS} `),
    results,
    scratch,
  };
}

/** A folder with a `patternbench` command that runs this checkout's CLI. */
function binFolder(folder: string): string {
  const bin = join(folder, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'patternbench'), `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'harness/cli/bin.js')}" "$@"\n`, { mode: 0o755 });
  return bin;
}

/** Runs `text` with `sh -c` in the checkout, as a pod with `env` (and `patternbench` on its PATH) would. */
async function shell(text: string, bin: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('sh', ['-c', text], { cwd: root, env: { ...process.env, ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, maxBuffer: 1 << 26 });
  return stdout;
}

/**
 * The README's Job run for `SHARDS` pods with `load` in place of its closed-loop flags, next to the
 * same `patternbench run` unsharded; returns the merged and the unsharded file, in `folder` (the
 * caller removes it: a hundred megabytes).
 */
async function runJob(name: string, load: string | null): Promise<{ folder: string; merged: string; whole: string; shardFiles: string[] }> {
  const scripts = jobScripts();
  const folder = mkdtempSync(join(tmpdir(), `patternbench-indexed-job-${name}-`));
  const bin = binFolder(folder);
  const results = join(folder, 'results');
  mkdirSync(results);
  const closed = '--cases 500 --concurrency 8 ';
  expect(scripts.shard).toContain(closed);
  const shardScript = load === null ? scripts.shard : scripts.shard.replace(closed, `${load} `);
  const pod = (text: string, scratch: string): string => {
    mkdirSync(scratch);
    return text.replaceAll(`${scripts.results}/`, `${results}/`).replaceAll(`${scripts.scratch}/`, `${scratch}/`);
  };
  const whole = join(folder, 'whole.db');
  const unsharded = (shardScript.split(' && ')[0] ?? '').replace(/ --shard-from-env \d+/, '').replace(/ --db \S+/, ` --db ${whole}`);
  expect(unsharded).toMatch(/^patternbench run /);
  await Promise.all([
    shell(unsharded, bin),
    ...Array.from({ length: SHARDS }, (_, index) => shell(pod(shardScript, join(folder, `scratch-${index}`)), bin, { JOB_COMPLETION_INDEX: String(index) })),
  ]);
  const shardFiles = readdirSync(results).sort();
  expect(shardFiles).toEqual(Array.from({ length: SHARDS }, (_, index) => `shard-${index}.db`));
  await shell(pod(scripts.merge, join(folder, 'scratch-merge')), bin);
  return { folder, merged: join(results, 'all.db'), whole, shardFiles: shardFiles.map((file) => join(results, file)) };
}

/** Per run: its shard label and workflow count. */
function runLabels(path: string): { shard: string; workflows: number }[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare('SELECT r.shard, (SELECT count(*) FROM workflows w WHERE w.run_id = r.run_id) AS workflows FROM runs r ORDER BY r.run_id').all() as { shard: string; workflows: number }[];
  } finally {
    db.close();
  }
}

/** The summary rows, every histogram's quantiles, and the threshold rows of a file. */
function percentilesAndThresholds(path: string): { summary: unknown[]; histograms: unknown[]; thresholds: { passed: number }[] } {
  const db = openDatabase(path, { readonly: true });
  const quantiles = [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
  try {
    const histograms = (db.prepare('SELECT run_id, metric, scope, count, encoded FROM histograms ORDER BY run_id, metric, scope').all() as { encoded: string }[]).map((row) => {
      const histogram = DurationHistogram.decode(row.encoded);
      return { ...row, quantiles: quantiles.map((q) => histogram.quantileMs(q)) };
    });
    const thresholds = db.prepare('SELECT * FROM thresholds ORDER BY run_id, expression').all() as { passed: number }[];
    return { summary: summarise(db), histograms, thresholds };
  } finally {
    db.close();
  }
}

describe("README's Kubernetes Indexed Job, run for 3 shards on one machine", () => {
  it('merges into the rows of the unsharded closed-loop run, table by table', async () => {
    const { folder, merged, whole, shardFiles } = await runJob('closed', null);
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const labels = runLabels(merged);
    expect(labels).toHaveLength(16); // 2 patterns × 8 seeds
    expect(new Set(labels.map((label) => label.shard))).toEqual(new Set(['1/3', '2/3', '3/3']));
    expect(labels.every((label) => label.workflows === 500)).toBe(true);
    expect(shardFiles.map((file) => runLabels(file).length)).toEqual([6, 5, 5]);
    const digest = resultsDigest(merged);
    expect(Object.keys(digest)).toEqual(expect.arrayContaining(['runs', 'workflows', 'spans', 'checkpoints', 'histograms', 'span_metrics', 'timeseries']));
    expect(digest['spans']).not.toMatch(/^0:/);
    expect(digest).toEqual(resultsDigest(whole));
  }, 180_000);

  it('gives the unsharded open-loop run\'s percentiles and threshold results exactly', async () => {
    const load = "--rate 10/s --duration 20s --no-threshold-gate --threshold 'p95(latency) < 30s' --threshold 'p99(latency) < 20s'";
    const { folder, merged, whole } = await runJob('open', load);
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const after = percentilesAndThresholds(merged);
    expect(after.summary).toHaveLength(16);
    expect(after.thresholds.length).toBeGreaterThanOrEqual(32);
    expect(after.thresholds.some((row) => row.passed === 1)).toBe(true);
    expect(after.thresholds.some((row) => row.passed === 0)).toBe(true);
    expect(after).toEqual(percentilesAndThresholds(whole));
    expect(resultsDigest(merged)).toEqual(resultsDigest(whole));
  }, 180_000);
});
