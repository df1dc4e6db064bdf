/**
 * `.otlp-tls.yaml`: the diagnostics of the file itself (from schemas/otlp-tls-config.schema.json), which
 * file governs which, and what it changes: path mappings, environment values, the SDK per folder or glob,
 * severity overrides, ignored paths; command-line settings win over it, and it wins over the settings.
 * In-memory files; whole lists of problems.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { hasUnits } from '../../server/src/service/model/units';
import { emptyWorkspace, type WorkspaceIndex } from '../../server/src/service/model/workspace';
import { parseProjectConfig } from '../../server/src/service/project/configFile';
import type { ProjectConfigOptions } from '../../server/src/service/project/projectConfigs';
import { defaultSettings, type Settings } from '../../server/src/service/settings';
import { open } from '../support/features';
import { marked } from '../support/markers';
import { memoryRuntime } from '../support/memoryRuntime';

/** A service over in-memory `files` (every source file parsed and indexed, as the CLI does). */
function workspace(files: Record<string, string>, options: ProjectConfigOptions = {}, settings: Partial<Settings> = {}) {
  const runtime = memoryRuntime({ files });
  let index: WorkspaceIndex = emptyWorkspace;
  const service: LanguageService = getLanguageService({ runtime, settings: { ...defaultSettings, ...settings }, workspace: () => index, projectConfig: options });
  const sources = Object.entries(files).filter(([path]) => /\.(ya?ml|env)$/.test(path));
  const parsed = new Map(sources.map(([path, text]) => [path, service.parse({ path, text })]));
  index = service.workspaceIndex([...parsed.values()].filter(hasUnits));
  return {
    service,
    codes: (path: string) => service.validate({ path, text: files[path] }, parsed.get(path)).map((p) => `${p.code}:${p.severity ?? diagnosticCodes[p.code].severity}`),
    messages: (path: string) => service.validate({ path, text: files[path] }, parsed.get(path)).map((p) => p.message),
  };
}

const APP = 'OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\n';

describe('.otlp-tls.yaml: its own diagnostics', () => {
  it('unknown keys with did-you-mean, wrong types and values, on the key or value they are about', () => {
    const { text, ranges } = marked(
      [
        '⟦pathMapings⟧:',
        '  /etc/otel/certs: certs',
        'sdk: ⟦pyhton⟧',
        'severity:',
        '  ⟦san-mismach⟧: off',
        '  weak-tls-version: ⟦loud⟧',
        '  mtls-not-enforced: off',
        'ignore: ⟦vendor⟧',
        'expiryWarningDays: ⟦-1⟧',
        'environment:',
        '  ⟦1BAD⟧: x',
        '  PORT: 4317',
        '',
      ].join('\n'),
    );
    const parsed = parseProjectConfig('/w/.otlp-tls.yaml', text);
    assert.deepEqual(
      parsed.problems.map((p) => [p.code, `${p.offset}-${p.offset + p.length}`, p.message]),
      [
        ['unknown-key', `${ranges[0][0]}-${ranges[0][1]}`, 'Unknown key "pathMapings" in .otlp-tls.yaml. Did you mean "pathMappings"?'],
        ['invalid-value', `${ranges[1][0]}-${ranges[1][1]}`, 'sdk must be an SDK id (any, java, java-agent, python, go, js, dotnet, dotnet-auto) or a mapping from folders or globs to SDK ids, not "pyhton". Did you mean "python"?'],
        ['unknown-key', `${ranges[2][0]}-${ranges[2][1]}`, 'Unknown key "san-mismach" in severity (not a diagnostic code). Did you mean "san-mismatch"?'],
        ['invalid-value', `${ranges[3][0]}-${ranges[3][1]}`, 'severity.weak-tls-version must be one of off, information, warning, error, not "loud".'],
        ['invalid-value', `${ranges[4][0]}-${ranges[4][1]}`, 'ignore must be a list.'],
        ['invalid-value', `${ranges[5][0]}-${ranges[5][1]}`, 'expiryWarningDays must be >= 0.'],
        ['invalid-value', `${ranges[6][0]}-${ranges[6][1]}`, '"1BAD" is not an environment variable name (letters, digits and _, not starting with a digit).'],
      ],
    );
    // What is right still applies.
    assert.deepEqual(parsed.config.severity, { 'mtls-not-enforced': 'off' });
    assert.deepEqual(parsed.config.environment, { PORT: '4317' });
    assert.deepEqual(parsed.config.sdk, []);
  });

  it('YAML errors are yaml-syntax; an empty file is a valid configuration; a list is not', () => {
    assert.deepEqual(parseProjectConfig('/w/.otlp-tls.yaml', 'severity:\n  a: 1\n  a: 2\n').problems.map((p) => p.code), ['yaml-syntax']);
    assert.deepEqual(parseProjectConfig('/w/.otlp-tls.yaml', '').problems, []);
    assert.deepEqual(parseProjectConfig('/w/.otlp-tls.yaml', '# nothing yet\n').problems, []);
    assert.deepEqual(parseProjectConfig('/w/.otlp-tls.yaml', '- a\n').problems.map((p) => p.message), ['The file must be a mapping.']);
  });

  it('is checked as itself by the language service (not as a collector config), and numbers in environment are kept as written', () => {
    const files = { '/w/.otlp-tls.yaml': 'receivers: {}\nenvironment:\n  VERSION: 1.10\n' };
    const { codes, service } = workspace(files);
    assert.deepEqual(codes('/w/.otlp-tls.yaml'), ['unknown-key:error']);
    assert.deepEqual(service.parse({ path: '/w/.otlp-tls.yaml', text: files['/w/.otlp-tls.yaml'] }).collectors, []);
    assert.deepEqual(parseProjectConfig('/w/.otlp-tls.yaml', files['/w/.otlp-tls.yaml']).config.environment, { VERSION: '1.10' });
  });

  it('the schema lists every diagnostic code under severity, with the registry description and default', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'otlp-tls-config.schema.json'), 'utf8'));
    const listed = schema.properties.severity.properties as Record<string, { description: string }>;
    assert.deepEqual(Object.keys(listed), Object.keys(diagnosticCodes), 'add the new codes to schemas/otlp-tls-config.schema.json, properties.severity');
    for (const [code, info] of Object.entries(diagnosticCodes)) assert.equal(listed[code].description, `${info.description} Default: ${info.severity}.`, code);
  });
});

describe('.otlp-tls.yaml: which file governs a file', () => {
  it('the nearest one wins, the search stops after the folder holding .git, and files further up are not merged', () => {
    const files = {
      '/outer/.otlp-tls.yaml': 'severity:\n  port-protocol-mismatch: error\n',
      '/outer/repo/.git/HEAD': 'ref: refs/heads/main\n',
      '/outer/repo/.otlp-tls.yaml': 'severity:\n  port-protocol-mismatch: warning\n',
      '/outer/repo/svc/.otlp-tls.yaml': 'sdk: python\n',
      '/outer/repo/svc/a/app.env': APP,
      '/outer/repo/b/app.env': APP,
      '/outer/other/app.env': APP,
      '/outer/repo/nested/.git/HEAD': 'x',
      '/outer/repo/nested/app.env': APP,
    };
    const { codes } = workspace(files);
    // svc/.otlp-tls.yaml says python (grpc by default: no mismatch) and nothing about severity.
    assert.deepEqual(codes('/outer/repo/svc/a/app.env'), []);
    assert.deepEqual(codes('/outer/repo/b/app.env'), ['port-protocol-mismatch:warning']);
    assert.deepEqual(codes('/outer/other/app.env'), ['port-protocol-mismatch:error']);
    // A repository inside the repository: its own root, so /outer/repo/.otlp-tls.yaml does not reach it.
    assert.deepEqual(codes('/outer/repo/nested/app.env'), ['port-protocol-mismatch:information']);
  });

  it('the server stops at its workspace folders', () => {
    const files = { '/w/.otlp-tls.yaml': 'severity:\n  port-protocol-mismatch: error\n', '/w/project/app.env': APP };
    assert.deepEqual(workspace(files, { boundaries: ['/w/project'] }).codes('/w/project/app.env'), ['port-protocol-mismatch:information']);
    assert.deepEqual(workspace(files, { boundaries: ['/w'] }).codes('/w/project/app.env'), ['port-protocol-mismatch:error']);
    assert.deepEqual(workspace(files, { enabled: false }).codes('/w/project/app.env'), ['port-protocol-mismatch:information']);
  });
});

describe('.otlp-tls.yaml: what it sets', () => {
  it('severity: off drops a code, a level replaces it (also for codes a check reports at another severity)', () => {
    const config = 'severity:\n  insecure-skip-verify: error\n  invalid-value: off\n';
    const collector = 'exporters:\n  otlp:\n    endpoint: c:4317\n    tls:\n      min_version: 1.2\n      insecure_skip_verify: true\n';
    const { codes } = workspace({ '/w/.otlp-tls.yaml': config, '/w/collector.yaml': collector });
    assert.deepEqual(codes('/w/collector.yaml'), ['insecure-skip-verify:error']);
    assert.deepEqual(workspace({ '/w/collector.yaml': collector }).codes('/w/collector.yaml'), ['invalid-value:error', 'insecure-skip-verify:warning']);
  });

  it('ignore: the files it matches are neither checked nor paired', () => {
    const files = {
      '/w/.otlp-tls.yaml': 'ignore:\n  - test/fixtures\n  - "*.bak.yaml"\n',
      '/w/test/fixtures/deep/collector.yaml': 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n',
      '/w/old.bak.yaml': 'exporters:\n  otlp:\n    tls:\n      bogus: 1\n',
      '/w/app.env': 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\n',
    };
    const { codes, service } = workspace(files);
    assert.deepEqual(codes('/w/old.bak.yaml'), []);
    assert.deepEqual(codes('/w/test/fixtures/deep/collector.yaml'), []);
    assert.equal(service.isIgnored('/w/test/fixtures/deep/collector.yaml'), true);
    assert.equal(service.isIgnored('/w/app.env'), false);
    // The ignored receiver is not a pairing partner: nothing listens on 4317 (with it, https:// against a
    // plaintext receiver is plaintext-endpoint).
    assert.deepEqual(codes('/w/app.env'), ['no-listener:information']);
    const without = workspace({ ...files, '/w/.otlp-tls.yaml': '' });
    assert.deepEqual(without.codes('/w/app.env'), ['plaintext-endpoint:error']);
  });

  it('sdk: one id, or per folder and glob (the last match wins); --sdk wins over it; a sdk= comment wins over all', () => {
    const files = {
      '/w/.otlp-tls.yaml': 'sdk:\n  "**": python\n  services/web: js\n  "*.java.env": java-agent\n',
      '/w/services/web/app.env': APP,
      '/w/services/web/api.java.env': APP,
      '/w/services/batch/app.env': APP,
      '/w/services/web/named.env': '# otlp-tls: sdk=python\n' + APP,
    };
    const { codes } = workspace(files);
    assert.deepEqual(codes('/w/services/web/app.env'), ['port-protocol-mismatch:warning']);
    assert.deepEqual(codes('/w/services/web/api.java.env'), ['port-protocol-mismatch:warning']);
    assert.deepEqual(codes('/w/services/batch/app.env'), []);
    assert.deepEqual(codes('/w/services/web/named.env'), []);
    const cli = workspace(files, { commandLine: { sdk: 'any' } });
    assert.deepEqual(cli.codes('/w/services/batch/app.env'), ['port-protocol-mismatch:information']);
    // The file wins over the editor's setting.
    assert.deepEqual(workspace({ '/w/.otlp-tls.yaml': 'sdk: js\n', '/w/app.env': APP }, {}, { sdk: 'python' }).codes('/w/app.env'), ['port-protocol-mismatch:warning']);
  });

  it('pathMappings (relative to the file) and environment values resolve certificate paths; --path-map wins for its prefix', () => {
    const collector = 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n        tls:\n          cert_file: /etc/otel/certs/server.crt\n          key_file: ${env:KEY_DIR}/server.key\n';
    const files = { '/w/deploy/.otlp-tls.yaml': 'pathMappings:\n  /etc/otel/certs: ../certs\nenvironment:\n  KEY_DIR: /keys\nseverity:\n  mtls-not-enforced: off\n', '/w/deploy/collector.yaml': collector };
    const { messages } = workspace(files);
    const found = messages('/w/deploy/collector.yaml');
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0], /looked for at \/w\/certs\/server\.crt;/);
    assert.match(found[1], /the file does not exist; .*"\/keys\/server\.key" was looked for at/);
    const cli = workspace(files, { commandLine: { pathMappings: [{ from: '/etc/otel/certs', to: '/ci/certs' }] } });
    assert.match(cli.messages('/w/deploy/collector.yaml')[0], /looked for at \/ci\/certs\/server\.crt;/);
    // The file wins over the editor's mapping for the same prefix; the editor's other mappings stay.
    const editor = workspace(files, {}, { pathMappings: [{ from: '/etc/otel/certs', to: '/editor' }, { from: '/keys', to: '/editor-keys' }] });
    const both = editor.messages('/w/deploy/collector.yaml');
    assert.match(both[0], /looked for at \/w\/certs\/server\.crt;/);
    assert.match(both[1], /looked for at \/editor-keys\/server\.key;/);
  });

  it('environment values also bind the listener ports of the pairing index', () => {
    const files = {
      '/w/.otlp-tls.yaml': 'environment:\n  OTLP_PORT: 4317\n',
      '/w/collector.yaml': 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:${env:OTLP_PORT}\n',
      '/w/app.env': 'OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\n',
    };
    assert.deepEqual(workspace(files).codes('/w/app.env'), ['plaintext-endpoint:error']);
    assert.deepEqual(workspace({ ...files, '/w/.otlp-tls.yaml': '' }).codes('/w/app.env'), ['no-listener:information']);
  });
});

describe('.otlp-tls.yaml in the editor: completion and hover from its schema', () => {
  const PATH = '/w/.otlp-tls.yaml';
  const at = (source: string) => {
    const { text, ranges } = marked(source);
    const { service, document } = open(text, { path: PATH });
    return { service, document, position: document.positionAt(ranges[0][0]) };
  };
  const labels = (source: string) => {
    const { service, document, position } = at(source);
    return service.getCompletions(document, position, { path: PATH }).map((item) => item.label);
  };

  it('completes the top-level keys not written yet, the codes under severity, levels and SDK ids', () => {
    assert.deepEqual(labels('sdk: java\n⟦⟧'), ['pathMappings', 'environment', 'severity', 'ignore', 'expiryWarningDays']);
    assert.deepEqual(labels('severity:\n  mtls-not-enforced: off\n  ⟦⟧').slice(0, 3), ['yaml-syntax', 'unknown-key', 'invalid-value']);
    assert.ok(!labels('severity:\n  mtls-not-enforced: off\n  ⟦⟧').includes('mtls-not-enforced'));
    assert.deepEqual(labels('severity:\n  san-mismatch: ⟦⟧'), ['off', 'information', 'warning', 'error']);
    assert.deepEqual(labels('sdk: ⟦⟧'), ['any', 'java', 'java-agent', 'python', 'go', 'js', 'dotnet', 'dotnet-auto']);
    assert.deepEqual(labels('sdk:\n  "services/*": py⟦⟧'), ['any', 'java', 'java-agent', 'python', 'go', 'js', 'dotnet', 'dotnet-auto']);
  });

  it('hovers a key with its description, a code with its registry text and docs link', () => {
    const hover = (source: string) => {
      const { service, document, position } = at(source);
      return (service.getHover(document, position, { path: PATH })?.contents as { value: string } | undefined)?.value;
    };
    assert.match(hover('ig⟦⟧nore:\n  - vendor\n') ?? '', /^\*\*ignore\*\* \(\.otlp-tls\.yaml\)\n\nFiles and folders not to check/);
    assert.equal(
      hover('severity:\n  san-mis⟦⟧match: off\n'),
      `**severity.san-mismatch** (.otlp-tls.yaml)\n\n${diagnosticCodes['san-mismatch'].description} Default: error.\n\n[san-mismatch in docs/diagnostics.md](https://github.com/otlp-tls-lens/otlp-tls-lens/blob/main/docs/diagnostics.md#san-mismatch)`,
    );
    assert.equal(hover('severity:\n  san-mismatch: o⟦⟧ff\n'), undefined);
  });
});

describe('.otlp-tls.yaml: hostile input', () => {
  it('an alias bomb, 20,000 keys and deep nesting give diagnostics, not a crash or a long wait', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const parsed = parseProjectConfig('/w/.otlp-tls.yaml', bomb);
    assert.deepEqual(parsed.problems.map((p) => p.code), ['yaml-syntax']);
    const many = 'severity:\n' + Array.from({ length: 20_000 }, (_, i) => `  k${i % 10_000}: off\n`).join('');
    const found = parseProjectConfig('/w/.otlp-tls.yaml', many).problems;
    assert.equal(found.filter((p) => p.code === 'yaml-syntax').length, 10_000);
    // Nesting past yamlCompose.ts's bound is cut with limit-exceeded; the rest is still judged.
    assert.deepEqual(parseProjectConfig('/w/.otlp-tls.yaml', 'severity:\n' + '  '.repeat(1) + '['.repeat(500) + ']'.repeat(500) + '\n').problems.map((p) => p.code), ['limit-exceeded', 'invalid-value']);
  });
});
