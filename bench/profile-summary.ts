import { readFileSync } from 'node:fs';

/**
 * Summarises a `node --cpu-prof` profile: where the samples fell, by function and by package.
 * Usage: node dist-bench/bench/profile-summary.js bench/profiles/eddsa.cpuprofile [top] [skip-seconds]
 * (skip-seconds leaves out the start-up: module loading, migrations).
 */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  /** Microseconds between consecutive samples. */
  readonly timeDeltas: number[];
}

const [path, topArg, skipArg] = process.argv.slice(2);
if (!path) throw new Error('usage: profile-summary.js <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const inclusive = new Map<string, number>();
const skipMicros = Number(skipArg ?? 0) * 1e6;
let elapsed = 0;
let total = 0;
let idle = 0;
for (const [i, id] of profile.samples.entries()) {
  elapsed += profile.timeDeltas[i] ?? 0;
  if (elapsed < skipMicros) continue;
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  // Idle samples are the process waiting for work: shares below are of the busy time only.
  if (frame.functionName === '(idle)') {
    idle += 1;
    continue;
  }
  total += 1;
  const where = locate(frame.url);
  const fn = nameOf(id);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + 1);
  byPackage.set(packageOf(where), (byPackage.get(packageOf(where)) ?? 0) + 1);
  // Inclusive time: every distinct function on the sampled stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(nameOf(at));
  for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
}

const print = (title: string, counts: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((n / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${total} busy samples (${idle} idle ones left out); shares are of the busy time`);
print('Self time by package', byPackage);
print('Self time by function', byFunction);
print('Total time (self + callees) by function', inclusive);

function locate(url: string): string {
  return url.replace(/^file:\/\//, '').replace(process.cwd(), '.');
}

function nameOf(id: number): string {
  const frame = byId.get(id)?.callFrame;
  if (!frame) return '?';
  return `${frame.functionName || '(anonymous)'} ${locate(frame.url)}:${frame.lineNumber + 1}`;
}

function packageOf(where: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (match?.[1]) return match[1];
  if (where === '') return '(native code, GC)';
  if (where.startsWith('node:')) return 'node core';
  return where.includes('/src/') ? 'the service (src)' : where;
}
