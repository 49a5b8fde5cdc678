// Enforces the layer rules of docs/architecture.md: every relative import in src/ must point to an
// allowed layer, and core, kernel, telemetry and pipeline import no node: built-ins or libraries.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Layer of a file, from its path inside src/ (control/actuators/x and control/journal are their own). */
export function layerOf(pathInSrc: string): string {
  const parts = pathInSrc.split('/');
  if (parts[0] === 'control' && (parts[1] === 'actuators' || parts[1] === 'journal'))
    return `control/${parts[1]}`;
  if (parts[0] === 'sources' && parts[1] === 'sim') return 'sources/sim';
  if (parts.length === 1) return '.';
  return parts[0];
}

const PURE = ['core', 'kernel', 'telemetry', 'pipeline'];
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  kernel: ['core'],
  telemetry: ['core'],
  pipeline: ['core', 'kernel', 'telemetry'],
  protocols: ['core'],
  durable: ['core'],
  traces: ['core'],
  sim: ['core'],
  sources: ['core', 'telemetry', 'protocols'],
  'sources/sim': ['core', 'telemetry', 'protocols', 'sim'],
  'control/actuators': ['core', 'protocols', 'sim'],
  'control/journal': ['core', 'durable'],
  sinks: ['core', 'durable'],
  ingest: ['core', 'kernel', 'telemetry'],
  control: ['core', 'kernel', 'telemetry'],
  study: ['core', 'kernel', 'telemetry', 'traces', 'pipeline'],
  config: ['core'],
  api: ['core'],
  runtime: [
    'core',
    'kernel',
    'telemetry',
    'pipeline',
    'protocols',
    'durable',
    'traces',
    'sim',
    'sources',
    'sources/sim',
    'control/actuators',
    'control/journal',
    'sinks',
    'ingest',
    'control',
    'study',
    'config',
    'api',
  ],
  cli: ['core', 'kernel', 'telemetry', 'pipeline', 'traces', 'durable', 'sim', 'runtime', 'config', 'study'],
};

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

test('every relative import in src/ follows the layer rules', () => {
  const violations: string[] = [];
  for (const file of walk(SRC)) {
    const rel = relative(SRC, file);
    const from = layerOf(rel);
    const isTest = rel.endsWith('.test.ts');
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const target = relative(SRC, resolve(dirname(file), spec));
        if (target.startsWith('..')) {
          if (!isTest) violations.push(`${rel}: imports outside src/: ${spec}`);
          continue;
        }
        const to = layerOf(target);
        if (to === from || from === '.') continue;
        if (from === 'config' && target.endsWith('/options.ts')) continue;
        if (!(ALLOWED[from] ?? []).includes(to))
          violations.push(`${rel}: layer '${from}' may not import '${to}' (${spec})`);
      } else if (PURE.includes(from) && !isTest) {
        violations.push(`${rel}: layer '${from}' does no I/O and imports no libraries (${spec})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the layer map knows every top folder of src/', () => {
  const unknown = readdirSync(SRC, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !(e.name in ALLOWED))
    .map((e) => e.name);
  assert.deepEqual(unknown, []);
});

test('pure layers read no clock and no randomness (callers pass them in)', () => {
  const violations: string[] = [];
  for (const file of walk(SRC)) {
    const rel = relative(SRC, file);
    if (!PURE.includes(layerOf(rel)) || rel.endsWith('.test.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const banned of ['Date.now(', 'Math.random(', 'new Date(', 'performance.now(', 'process.']) {
      if (text.includes(banned)) violations.push(`${rel}: uses ${banned}`);
    }
  }
  assert.deepEqual(violations, []);
});
