/**
 * Issue 15's fuzzer (seed 1, LSP case 1000013: an env file pasted to 2 MB, 40,000 unknown names): each edit
 * cost seconds, in `lookup` (every setting walked for each of ~15 names per signal and check) and in the
 * did-you-mean search (every name measured against every known name of a close length, at each validation).
 * The faster forms must answer what the plain definitions answer: `lookup` the last setting of the name (unless
 * it is empty), suggestVariables the known names at the least edit distance within the limit. No timing here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distance } from 'fastest-levenshtein';
import { knownEnvVariables, suggestVariables } from '../../server/src/service/schemas';
import { lookup, OTLP_PREFIX, replacedAcrossFiles, type AppSetting, type AppSettings } from '../../server/src/service/model/appSettings';
import { appContext } from '../support/check';
import { envVariables } from '../../server/src/service/checks/envVariables';

/** The did-you-mean by its definition: every known name measured (after the token rewrites, which both share). */
function plainSuggestions(name: string): string[] {
  const limit = name.startsWith(OTLP_PREFIX) ? 3 : 2;
  let best = Infinity;
  let found: { known: string; order: number }[] = [];
  knownEnvVariables.forEach((known, order) => {
    const d = distance(name, known);
    if (d > limit || d > best) return;
    if (d < best) [best, found] = [d, []];
    found.push({ known, order });
  });
  return found.sort((a, b) => a.order - b.order).slice(0, 3).map((f) => f.known);
}

/** Names near known ones: each known name with one to four characters changed, dropped, doubled or swapped. */
function nearNames(): string[] {
  const names: string[] = [];
  let seed = 15;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789ae';
  for (const known of knownEnvVariables) {
    for (let k = 0; k < 12; k++) {
      let name = known;
      for (let edits = 1 + next(4); edits > 0; edits--) {
        const at = next(name.length);
        const kind = next(4);
        if (kind === 0) name = name.slice(0, at) + alphabet[next(alphabet.length)] + name.slice(at + 1);
        else if (kind === 1) name = name.slice(0, at) + name.slice(at + 1);
        else if (kind === 2) name = name.slice(0, at) + name[at] + name.slice(at);
        else name = name.slice(0, at) + (name[at + 1] ?? '') + name[at] + name.slice(at + 2);
      }
      names.push(name);
    }
  }
  return names;
}

describe('large env files: the fast forms answer as the plain definitions', () => {
  it('suggestVariables gives what measuring every known name gives (where no token rewrite applies)', () => {
    const names = nearNames();
    let compared = 0;
    for (const name of names) {
      const fast = suggestVariables(name);
      // A token rewrite (CERT -> CERTIFICATE...) answers before any distance is measured, in both forms.
      if (fast.length === 1 && distance(name, fast[0]) > (name.startsWith(OTLP_PREFIX) ? 3 : 2)) continue;
      assert.deepEqual(fast, plainSuggestions(name), name);
      compared++;
    }
    assert.ok(compared > names.length / 2, `${compared} of ${names.length} compared`);
  });

  it('lookup answers the last setting of a name, or nothing for an empty value, with a few settings and with thousands', () => {
    for (const count of [5, 40, 5000]) {
      const text = Array.from({ length: count }, (_, i) => `${OTLP_PREFIX}X${i % 50}=v${i}\n`).join('') + `${OTLP_PREFIX}ENDPOINT=https://c:4317\n${OTLP_PREFIX}ENDPOINT=\n${OTLP_PREFIX}HEADERS=a=b\n`;
      const app: AppSettings = appContext(text).unit;
      const plain = (name: string) => {
        for (let i = app.settings.length - 1; i >= 0; i--) if (app.settings[i].name === name) return app.settings[i].value === '' ? undefined : app.settings[i];
        return undefined;
      };
      for (const name of [`${OTLP_PREFIX}X0`, `${OTLP_PREFIX}X49`, `${OTLP_PREFIX}X50`, `${OTLP_PREFIX}ENDPOINT`, `${OTLP_PREFIX}HEADERS`, 'NOPE']) {
        assert.equal(lookup(app, name), plain(name), `${count} settings, ${name}`);
      }
      assert.equal(lookup(app, `${OTLP_PREFIX}ENDPOINT`), undefined, 'the last ENDPOINT is empty');
    }
  });

  it('40,000 unknown names get their unknown-variable problems, the same at a second validation', () => {
    const text = `${OTLP_PREFIX}ENDPOINT=https://collector:4317\n` + Array.from({ length: 40_000 }, (_, i) => `${OTLP_PREFIX}X${i}=https://h${i}:4317\n`).join('') + `${OTLP_PREFIX}HEADRES=a=b\n`;
    const context = appContext(text);
    const first = envVariables.run(context);
    const second = envVariables.run(context);
    assert.equal(first.filter((p) => p.code === 'unknown-variable').length, 40_001);
    assert.deepEqual(second, first);
    assert.match(first[first.length - 1].message, /Did you mean OTEL_EXPORTER_OTLP_HEADERS\?/);
  });

  it('finds no setting replaced across files in one file, and those of another file a later one replaces', () => {
    const plain = (app: AppSettings) => {
      const out = new Set<AppSetting>();
      for (const setting of app.settings) {
        const winner = [...app.settings].reverse().find((s) => s.name === setting.name)!;
        if (winner !== setting && winner.origin?.path !== setting.origin?.path) out.add(setting);
      }
      return out;
    };
    const one = appContext(`${OTLP_PREFIX}ENDPOINT=https://a:4317\n${OTLP_PREFIX}ENDPOINT=https://b:4317\n`).unit;
    assert.equal(replacedAcrossFiles(one).size, 0);
    assert.deepEqual(replacedAcrossFiles(one), plain(one));
    const settings = one.settings;
    const two: AppSettings = { ...one, settings: [{ ...settings[0], origin: { path: '/work/app/.env' } }, { ...settings[1], origin: { path: '/work/compose.yaml' } }] };
    assert.deepEqual([...replacedAcrossFiles(two)], [two.settings[0]]);
    assert.deepEqual(replacedAcrossFiles(two), plain(two));
    const mixed: AppSettings = { ...one, settings: [settings[0], { ...settings[1], origin: { path: '/work/compose.yaml' } }] };
    assert.deepEqual(replacedAcrossFiles(mixed), plain(mixed));
    assert.equal(replacedAcrossFiles(mixed).size, 1);
  });
});
