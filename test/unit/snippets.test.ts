/**
 * Snippets: every contributed file exists and is valid JSON; every YAML and env snippet body, with
 * placeholders replaced by their defaults, parses and checks clean through the core (the whole list of
 * problems is asserted: none, but the note that a TLS-only receiver does not ask for client
 * certificates), with the certificate files it names present; code snippets are checked for the current
 * SDK API names.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { check } from '../support/check';
import { memoryRuntime } from '../support/memoryRuntime';
import { devPki, PKI_NOW } from '../support/devPki';
import { expand } from '../support/snippets';

const ROOT = join(__dirname, '..', '..', '..');
type Snippet = { prefix: string | string[]; body: string | string[]; description?: string };

const contributed = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.snippets ?? []) as { language: string; path: string }[];

function snippets(file: string): [string, Snippet][] {
  return Object.entries(JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, Snippet>);
}


async function certificateRuntime() {
  const pki = await devPki();
  return memoryRuntime({
    now: new Date(PKI_NOW.getTime() + 86_400_000),
    files: Object.fromEntries(
      ['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key'].map((name) => [`/etc/otel/certs/${name}`, { contents: pki[name], mode: name.endsWith('.key') ? 0o600 : 0o644 }]),
    ),
  });
}

/** Every problem of `text`, as `code: message`. */
function problems(text: string, path: string, runtime: ReturnType<typeof memoryRuntime>): string[] {
  return check(text, { path, runtime }).map((p) => `${p.code}: ${p.message}`);
}

/** What a snippet rightly gets: the TLS-only receiver serves without asking for client certificates (information, per protocol). */
const EXPECTED: Record<string, string[]> = {
  'OTLP receiver with TLS (gRPC and HTTP)': ['mtls-not-enforced', 'mtls-not-enforced'],
};

describe('snippets', () => {
  it('are contributed for yaml, dotenv, shellscript, go, java, python, javascript and typescript', () => {
    assert.deepEqual(contributed.map((c) => c.language).sort(), ['dotenv', 'go', 'java', 'javascript', 'python', 'shellscript', 'typescript', 'yaml']);
    for (const { path } of contributed) assert.ok(snippets(path).length > 0, path);
  });

  it('YAML snippets parse, and collector ones check clean', async () => {
    const runtime = await certificateRuntime();
    const all = snippets('snippets/yaml.json');
    assert.ok(all.length >= 6);
    for (const [name, snippet] of all) {
      const text = expand(snippet.body);
      assert.doesNotMatch(text, /\$\{|\$\d/, name);
      for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors.map((e) => e.message), [], name);
      assert.deepEqual(problems(text, '/work/collector.yaml', runtime).map((p) => p.split(':')[0]), EXPECTED[name] ?? [], name);
    }
  });

  it('a receiver and an exporter snippet together check clean too', async () => {
    const runtime = await certificateRuntime();
    const all = Object.fromEntries(snippets('snippets/yaml.json'));
    const receiver = expand(all['OTLP receiver with mTLS (gRPC and HTTP)'].body);
    const exporter = expand(all['OTLP gRPC exporter with mTLS'].body);
    assert.deepEqual(problems(`${receiver}\n${exporter}`, '/work/collector.yaml', runtime), []);
  });

  it('env snippets check clean in .env and .sh files', async () => {
    const runtime = await certificateRuntime();
    for (const [file, path] of [['snippets/dotenv.json', '/work/app.env'], ['snippets/shellscript.json', '/work/run.sh']]) {
      for (const [name, snippet] of snippets(file)) {
        // Alone, with no collector config open, an endpoint only gets the note that nothing pairs with it.
        const found = problems(expand(snippet.body), path, runtime);
        assert.deepEqual(found.filter((p) => !p.startsWith('no-listener: ')), [], `${file} ${name}`);
        assert.ok(found.length <= 1, `${file} ${name}: ${found.join('; ')}`);
      }
    }
  });

  it('code snippets use the current SDK APIs', () => {
    const body = (file: string) => snippets(file).map(([, s]) => expand(s.body)).join('\n');
    const go = body('snippets/go.json');
    assert.match(go, /otlptracegrpc\.WithTLSCredentials\(credentials\.NewTLS\(/);
    assert.match(go, /\*otlptrace\.Exporter/);
    const java = body('snippets/java.json');
    assert.match(java, /\.setTrustedCertificates\(/);
    assert.match(java, /\.setClientTls\(/);
    assert.doesNotMatch(java, /setSslContext\(sslContext\)/);
    const python = body('snippets/python.json');
    assert.match(python, /grpc\.ssl_channel_credentials\(/);
    assert.match(python, /client_certificate_file=/);
    const js = body('snippets/javascript.json');
    assert.match(js, /credentials\.createSsl\(/);
    assert.match(js, /new OTLPTraceExporter\(\{/);
  });
});
