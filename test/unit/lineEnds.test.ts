/**
 * A YAML file is checked the same whatever its line ends (issue 15: the `yaml` library ends lines at LF
 * only, so a file of lone CRs, which YAML 1.2, Go's yaml.v3 and the editor all read line by line, was one
 * line of syntax errors and nothing of it was judged). For real files of every YAML format the product
 * reads (the planted fixtures: Helm values, ConfigMaps, operator resources, a compose file, a declarative
 * config; the examples' collector configs), written with LF, CRLF, lone CR and a mix of the three: the
 * same diagnostics (code, severity, message) on the same lines and columns as the editor counts them, the
 * same hover, and quick fixes that edit the same place.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { severityName, toDiagnostic } from '../../server/src/service/diagnostics';
import { yamlLineBreaks } from '../../server/src/service/yaml/yamlCompose';
import { workspaceOf } from '../support/check';
import { fixesFor, open } from '../support/features';
import { memoryRuntime } from '../support/memoryRuntime';

const ROOT = join(__dirname, '..', '..', '..');
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
const FILES = [...yamlFiles(join(ROOT, 'test', 'fixtures', 'planted')), ...yamlFiles(join(ROOT, 'examples'))].sort();

const ENDS: Record<string, (lf: string) => string> = {
  CRLF: (lf) => lf.replaceAll('\n', '\r\n'),
  'lone CR': (lf) => lf.replaceAll('\n', '\r'),
  // A lone CR is never followed by an LF break (an empty line after it would make the two one CRLF).
  'LF, CR and CRLF mixed': (lf) => {
    let i = 0;
    return lf.replace(/\n/g, () => ['\n', '\r', '\r\n'][i++ % 3]);
  },
};

/** Each diagnostic as the editor shows it: `line:col-line:col severity code message`. */
function diagnostics(path: string, text: string): string[] {
  const { service, parsed } = workspaceOf([{ path, text }], { runtime: memoryRuntime() });
  const document = TextDocument.create(URI.file(path).toString(), 'yaml', 0, text);
  return service.validate({ path, text }, parsed[0]).map((p) => {
    const { range, severity, code, message } = toDiagnostic(document, p);
    return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1} ${severityName(severity)} ${code} ${message}`;
  });
}

describe('YAML with any line ends', () => {
  it('yamlLineBreaks turns each lone CR into an LF and nothing else, so offsets stay', () => {
    assert.equal(yamlLineBreaks('a: 1\rb: 2\r\nc: 3\n\r\r'), 'a: 1\nb: 2\r\nc: 3\n\n\n');
    const text = 'x\ry\r\nz\r';
    assert.equal(yamlLineBreaks(text).length, text.length);
    assert.equal(yamlLineBreaks('no breaks'), 'no breaks');
  });

  assert.ok(FILES.length >= 10, `${FILES.length} YAML fixtures`);
  for (const path of FILES) {
    const lf = readFileSync(path, 'utf8');
    const expected = diagnostics(path, lf);
    for (const [name, convert] of Object.entries(ENDS)) {
      it(`${relative(ROOT, path)} with ${name}: the diagnostics of the LF file, on the same lines`, () => {
        assert.ok(expected.length > 0, 'the fixture has diagnostics to compare');
        assert.deepEqual(diagnostics(path, convert(lf)), expected);
      });
    }
  }

  it('a collector config of lone CRs: hover on a key and a quick fix at the place the LF file has them', () => {
    const lf = 'exporters:\n  otlp:\n    endpoint: collector:4317\n    tls:\n      server_name_overide: collector\n      insecure: false\n';
    const cr = lf.replaceAll('\n', '\r');
    const position = { line: 3, character: 5 };
    const hoverOf = (text: string) => {
      const { service, document, parsed } = open(text);
      return service.getHover(document, position, { path: '/work/collector.yaml', parsed });
    };
    const hover = hoverOf(lf);
    assert.ok(hover, 'the LF file has a hover on tls');
    assert.deepEqual(hoverOf(cr), hover);
    const fixes = (text: string) => {
      const { actions, document } = fixesFor(text, 'unknown-key');
      return actions.map((a) => [a.title, a.edit?.changes?.[document.uri]]);
    };
    const lfFixes = fixes(lf);
    assert.ok(lfFixes.length > 0);
    assert.deepEqual(fixes(cr), lfFixes);
  });
});
