/** Random edits of the bench manifest, each checked against a fresh parse (test/unit/manifestReuse.test.ts). */
import assert from 'node:assert/strict';
import { getLanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/settings';
import { generateManifest } from '../bench/manifestBench';
import { memoryRuntime } from './memoryRuntime';

const PATH = '/work/manifest.yaml';

function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const show = (problems: { code: string; offset: number; length: number; message: string }[]) => problems.map((p) => `${p.code}@${p.offset}+${p.length} ${p.message}`);

/**
 * `count` random edits of the bench manifest (values, lines added, removed, copied, a new `---`, indentation):
 * after each, the problems of one service that reuses its caches equal those of a new service.
 */
export function randomManifestEdits(count: number, seed: number): void {
  const runtime = memoryRuntime();
  const service = getLanguageService({ runtime, settings: defaultSettings });
  const next = random(seed);
  let text = generateManifest().text;
  for (let i = 0; i <= count; i++) {
    const reused = show(service.validate({ path: PATH, text }));
    const fresh = show(getLanguageService({ runtime, settings: defaultSettings }).validate({ path: PATH, text }));
    assert.deepEqual(reused, fresh, `edit ${i} (seed ${seed})`);
    const lines = text.split('\n');
    const at = Math.floor(next() * lines.length);
    const kind = Math.floor(next() * 6);
    if (kind === 0) lines[at] = lines[at].replace(/"1\.2"|"1\.7"/, (v) => (v === '"1.2"' ? '"1.7"' : '"1.2"'));
    else if (kind === 1) lines[at] = lines[at] + 'x';
    else if (kind === 2) lines.splice(at, 1);
    else if (kind === 3) lines.splice(at, 0, lines[Math.floor(next() * lines.length)]);
    else if (kind === 4) lines.splice(at, 0, '---');
    else lines[at] = lines[at].replace(/^(\s*)(\S)/, '$1 $2');
    text = lines.join('\n');
  }
}
