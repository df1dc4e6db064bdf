/**
 * Re-parsing per component (server/src/service/yaml/yamlChunks.ts) must see exactly what a whole-file
 * parse sees. `same` compares the problems (code, offsets, message) of one language service, which
 * reuses the chunks of its previous parse of the file, with those of a whole-file parse;
 * `randomEdits` drives it through a replayable series of edits of the bench config.
 */
import assert from 'node:assert/strict';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { emptyFile } from '../../server/src/service/model/units';
import { defaultSettings } from '../../server/src/service/settings';
import { collectorUnit } from '../../server/src/service/sources/collectorYaml';
import { generateCollectorConfig } from '../bench/serverBench';
import { memoryRuntime } from './memoryRuntime';

const PATH = '/work/chunked.yaml';

export function chunkedService(): LanguageService {
  return getLanguageService({ runtime: memoryRuntime(), settings: defaultSettings });
}

/** The problems of `text` from the service's chunked parse equal those of a whole-file parse. */
export function same(service: LanguageService, text: string, label: string): void {
  const show = (ps: ReturnType<LanguageService['validate']>) => ps.map((p) => `${p.code}@${p.offset}+${p.length} ${p.message}`);
  const chunked = show(service.validate({ path: PATH, text }));
  const unit = collectorUnit(text);
  const whole = show(service.validate({ path: PATH, text }, { ...emptyFile(PATH, text), collectors: unit ? [unit] : [] }));
  assert.deepEqual(chunked, whole, label);
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** `count` random edits of the bench config (values, inserted and deleted lines, moved components), each checked with `same`. */
export function randomEdits(count: number, seed: number): void {
  const service = chunkedService();
  const next = random(seed);
  let text = generateCollectorConfig().text;
  same(service, text, 'start');
  for (let i = 0; i < count; i++) {
    const lines = text.split('\n');
    const at = Math.floor(next() * lines.length);
    const kind = Math.floor(next() * 6);
    if (kind === 0) lines[at] = lines[at].replace(/"1\.2"|"1\.3"/, (v) => (v === '"1.2"' ? '"1.7"' : '"1.2"'));
    else if (kind === 1) lines[at] = lines[at] + 'x';
    else if (kind === 2) lines.splice(at, 1);
    else if (kind === 3) lines.splice(at, 0, lines[Math.floor(next() * lines.length)]);
    else if (kind === 4) lines[at] = lines[at].replace(/^(\s*)(\S)/, '$1 $2');
    else lines.splice(at, 0, '    # a comment');
    text = lines.join('\n');
    same(service, text, `edit ${i} (kind ${kind} at line ${at}, seed ${seed})`);
  }
}

/** The edit count and seed from the environment (OTLP_TLS_RANDOM_EDITS, OTLP_TLS_RANDOM_SEED), else the tier's default count. */
export function randomEditsFromEnv(defaultCount: number): { count: number; seed: number } {
  return { count: Number(process.env.OTLP_TLS_RANDOM_EDITS ?? defaultCount), seed: Number(process.env.OTLP_TLS_RANDOM_SEED ?? 42) };
}
