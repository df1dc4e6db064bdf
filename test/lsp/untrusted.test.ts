/**
 * Restricted mode (issue 15 item 2): an untrusted workspace reads no file outside its folders,
 * whatever path leads there (symlinks to files and folders, chains and loops of links, `..`,
 * `/proc/self/root/...`, a bind mount inside the workspace, a workspace folder opened through a
 * link), for checks, hover, path completion and the quick fixes' file search; once trusted, it does.
 *
 * The proof is the server's own trace: it runs with an instrumented `fs` (test/support/fsTrace.cjs)
 * that records every path it hands to Node's file system, and, where strace works, under strace
 * too (every file syscall). Nothing outside the workspace may appear, except /proc/self/mountinfo,
 * which the guard reads to know the mount points below the workspace folders.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { CodeAction, CompletionItem, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-types';
import { generateDevCertificates } from '../../server/src/service/certificates/devCertificates';
import { workspaceTrustedNotification } from '../../server/src/protocol';
import { devPki } from '../support/devPki';
import { LspClient, ROOT, type LaunchOptions } from '../support/lspClient';

const posix = process.platform !== 'win32';

describe('restricted mode: outside files are not read until the workspace is trusted', () => {
  let outside: string;
  let workspace: string;
  let client: LspClient;
  before(async () => {
    outside = mkdtempSync(join(tmpdir(), 'otlp-tls-outside-'));
    workspace = join(outside, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(outside, 'ca.crt'), 'not a certificate\n');
    client = await LspClient.start(workspace, {}, { trusted: false });
  });
  after(async () => {
    await client.stop();
    rmSync(outside, { recursive: true, force: true });
  });

  it('reports the outside file as not read, then reads it once the workspace is trusted', async () => {
    const text = `OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=${join(outside, 'ca.crt')}\n`;
    const uri = client.open(join(workspace, 'app.env'), text, 'dotenv');
    const restricted = await client.diagnostics(uri);
    const refused = restricted.diagnostics.find((d) => d.code === 'file-unreadable');
    assert.ok(refused, JSON.stringify(restricted.diagnostics));
    assert.match(String(refused.message), /not read until the workspace is trusted/);

    await client.connection.sendNotification(workspaceTrustedNotification);
    const trusted = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'not-a-certificate'));
    assert.ok(!trusted.diagnostics.some((d) => d.code === 'file-unreadable'));
  });
});

/** Paths a config in the workspace names, and what restricted mode must make of them. */
interface Case {
  path: string;
  /** `refused`: file-unreadable (not read); `read`: read (inside); `absent`: not read, reported missing or refused. */
  expect: 'refused' | 'read' | 'absent';
  /** What the refusal says. */
  reason?: RegExp;
}

const canStrace = posix && spawnSync('strace', ['-f', '-qq', '-e', 'trace=%file', '-o', '/dev/null', 'true']).status === 0;
const canBindMount = posix && process.getuid?.() === 0 && spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount --bind / /mnt']).status === 0;

describe('restricted mode holds against links, "..", /proc/self/root and bind mounts (traced)', { skip: !posix && 'POSIX symlinks' }, () => {
  let base: string;
  let outside: string;
  let workspace: string;
  let secret: string;
  let cases: Case[];
  let configText: string;

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'otlp-tls-links-')));
    outside = join(base, 'outside');
    workspace = join(outside, 'workspace');
    secret = join(outside, 'secret');
    mkdirSync(join(workspace, 'certs'), { recursive: true });
    mkdirSync(join(workspace, 'inner'));
    mkdirSync(join(workspace, 'bound'));
    mkdirSync(secret);
    // Outside: a certificate whose CN says where it is, a folder of them, and a collector config.
    const files = await generateDevCertificates({ hosts: ['localhost'], clients: ['outside-secret'], algorithm: 'ecdsa-p256', days: 365, now: new Date() });
    for (const f of files) writeFileSync(join(secret, f.name), f.contents);
    writeFileSync(join(outside, 'outside-secret.crt'), files.find((f) => f.name === 'outside-secret.crt')!.contents);
    writeFileSync(join(secret, 'collector.yaml'), 'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n');
    // Inside: a CA, and links every which way.
    const pki = await devPki();
    for (const name of ['ca.crt', 'server.crt', 'server.key']) writeFileSync(join(workspace, 'certs', name), pki[name]);
    const link = (target: string, at: string) => symlinkSync(target, join(workspace, at));
    link('../outside-secret.crt', 'link-file.crt');
    link(join(outside, 'outside-secret.crt'), 'abs-link.crt');
    link('../secret', 'linked-dir');
    link(secret, 'abs-dir');
    link('../..', 'inner/escape');
    link('..', 'inner/up');
    link('chain2.crt', 'chain1.crt');
    link(join(outside, 'outside-secret.crt'), 'chain2.crt');
    link('loop2.crt', 'loop1.crt');
    link('loop1.crt', 'loop2.crt');
    link(join(workspace, 'certs', 'ca.crt'), 'reenter.crt');
    link(`/proc/self/root${join(outside, 'outside-secret.crt')}`, 'procroot.crt');
    link(join(secret, 'collector.yaml'), 'linked-collector.yaml');

    const outsideLink = /(leads outside|climbs out of) the workspace.* \(the link .* points to .*\)/;
    cases = [
      { path: 'link-file.crt', expect: 'refused', reason: outsideLink },
      { path: 'abs-link.crt', expect: 'refused', reason: outsideLink },
      { path: 'linked-dir/outside-secret.crt', expect: 'refused', reason: outsideLink },
      { path: 'abs-dir/outside-secret.crt', expect: 'refused', reason: outsideLink },
      { path: 'inner/escape/outside-secret.crt', expect: 'refused', reason: /climbs out of the workspace with "\.\."/ },
      { path: 'chain1.crt', expect: 'refused', reason: outsideLink },
      { path: 'loop1.crt', expect: 'refused', reason: /more than 40 symbolic links/ },
      { path: 'procroot.crt', expect: 'refused', reason: outsideLink },
      { path: '../outside-secret.crt', expect: 'refused', reason: /is outside the workspace/ },
      { path: `/proc/self/root${join(outside, 'outside-secret.crt')}`, expect: 'refused', reason: /is outside the workspace/ },
      { path: join(outside, 'outside-secret.crt'), expect: 'refused', reason: /is outside the workspace/ },
      { path: 'linked-dir/../outside-secret.crt', expect: 'absent' },
      { path: 'inner/up/../../outside-secret.crt', expect: 'absent' },
      { path: 'reenter.crt', expect: 'read' },
      { path: 'inner/up/certs/ca.crt', expect: 'read' },
      ...(canBindMount ? [{ path: 'bound/outside-secret.crt', expect: 'refused' as const, reason: /a mount point inside the workspace/ }] : []),
    ];
    configText = 'exporters:\n' + cases.map((c, i) => `  otlp/c${i}:\n    endpoint: localhost:${14000 + i}\n    tls:\n      ca_file: "${c.path}"\n`).join('');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  /** Runs the scenario on a server started with `launch`; returns after checking every answer. */
  async function scenario(launch: LaunchOptions, rootUri = workspace): Promise<void> {
    const client = await LspClient.start(rootUri, {}, { trusted: false }, {}, launch);
    try {
      // Warm-up inside the workspace (first certificate parse), then the begin marker.
      const warm = client.open(join(workspace, 'warm.env'), 'OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317\nOTEL_EXPORTER_OTLP_CERTIFICATE=certs/ca.crt\n', 'dotenv');
      await client.diagnostics(warm);
      // (a hover formats dates: V8 reads the system time zone, /etc/localtime, the first time)
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: warm }, position: { line: 1, character: 33 } });
      const begin = client.open(join(workspace, 'begin.env'), 'OTEL_EXPORTER_OTLP_CERTIFICATE=marker-begin.crt\n', 'dotenv');
      await client.diagnostics(begin);

      const uri = client.open(join(workspace, 'collector.yaml'), configText);
      const { diagnostics } = await client.diagnostics(uri);
      const lines = configText.split('\n');
      const on = (i: number) => diagnostics.filter((d) => lines[d.range.start.line]?.includes(`"${cases[i].path}"`));
      for (const [i, c] of cases.entries()) {
        const codes = on(i).map((d) => String(d.code));
        const refusal = on(i).find((d) => d.code === 'file-unreadable');
        if (c.expect === 'refused') {
          assert.ok(refusal, `${c.path}: ${JSON.stringify(on(i))}`);
          assert.match(String(refusal.message), /not read until the workspace is trusted/, c.path);
          assert.match(String(refusal.message), c.reason!, c.path);
        } else if (c.expect === 'absent') {
          assert.ok(codes.includes('file-not-found') || codes.includes('file-unreadable'), `${c.path}: ${codes}`);
        } else {
          assert.deepEqual(codes.filter((code) => code.startsWith('file-')), [], `${c.path} is inside and read: ${JSON.stringify(on(i))}`);
        }
      }
      for (const d of diagnostics) assert.doesNotMatch(String(d.message), /CN=outside-secret/);

      // Hover on every path: nothing from outside shows.
      for (const [i] of cases.entries()) {
        const line = lines.findIndex((l) => l.includes(`"${cases[i].path}"`));
        const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 16 } })) as Hover | null;
        const shown = hover ? (hover.contents as MarkupContent).value : '';
        // A read certificate shows its subject; one not read shows none, and never the outside one's.
        if (cases[i].expect === 'read') assert.match(shown, /\| Subject \| CN=OTLP TLS Dev CA \|/, cases[i].path);
        else assert.doesNotMatch(shown, /Subject|CN=outside-secret/, cases[i].path);
      }

      // Path completion: workspace certificates, none through a link or mount that leads outside.
      const line = lines.findIndex((l) => l.includes('ca_file:'));
      const completion = client.open(join(workspace, 'typing.yaml'), 'exporters:\n  otlp:\n    endpoint: localhost:4317\n    tls:\n      ca_file: \n');
      await client.diagnostics(completion);
      const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: completion }, position: { line: 4, character: 15 } })) as CompletionItem[];
      const labels = items.map((i) => i.label);
      assert.ok(labels.includes('certs/ca.crt'), JSON.stringify(labels));
      assert.deepEqual(labels.filter((l) => /outside-secret|linked-dir|abs-dir|escape|bound|secret\//.test(l)), [], JSON.stringify(labels));
      assert.ok(line > 0);

      // The quick fixes' search for a missing file's namesake: not through links or mounts.
      const missing = client.open(join(workspace, 'missing.yaml'), 'exporters:\n  otlp:\n    endpoint: localhost:4317\n    tls:\n      ca_file: nowhere/outside-secret.crt\n');
      const missingDiagnostics = (await client.diagnostics(missing)).diagnostics.filter((d: Diagnostic) => d.code === 'file-not-found');
      assert.equal(missingDiagnostics.length, 1);
      const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: missing }, range: missingDiagnostics[0].range, context: { diagnostics: missingDiagnostics } })) as CodeAction[];
      assert.deepEqual(actions.filter((a) => /outside-secret\.crt/.test(JSON.stringify(a.edit ?? {}))), [], JSON.stringify(actions.map((a) => a.title)));

      const end = client.open(join(workspace, 'end.env'), 'OTEL_EXPORTER_OTLP_CERTIFICATE=marker-end.crt\n', 'dotenv');
      await client.diagnostics(end);

      // Trusted: the links are followed and the outside certificate is read.
      await client.connection.sendNotification(workspaceTrustedNotification);
      await client.diagnostics(uri, (p) => !p.diagnostics.some((d) => /not read until the workspace is trusted/.test(String(d.message))));
    } finally {
      await client.stop();
    }
  }

  /** The workspace folder as seen by the checks below, real path first. */
  const inside = (path: string) => path === workspace || path.startsWith(workspace + sep);
  const underMount = (path: string) => canBindMount && (path === join(workspace, 'bound') || path.startsWith(join(workspace, 'bound') + sep));

  /** Where a path really leads (its existing prefix resolved), as the test process sees the disk. */
  function realOf(path: string): string {
    let existing = path;
    const rest: string[] = [];
    while (!existsSync(existing) && dirname(existing) !== existing) {
      rest.unshift(basename(existing));
      existing = dirname(existing);
    }
    try {
      return join(realpathSync(existing), ...rest);
    } catch {
      return path;
    }
  }

  /** The accesses that touch something outside the workspace (or below the bind mount). */
  function outsideAccesses(accesses: { fn: string; path: string }[]): string[] {
    const bad: string[] = [];
    for (const { fn, path } of accesses) {
      if (path === '/proc/self/mountinfo') continue; // the guard's own read: where the mount points are
      // lstat/readlink look at the entry itself, not where a link leads: the entry must be in the workspace.
      const noFollow = /lstat|readlink|nofollow/.test(fn);
      const where = noFollow ? join(realOf(dirname(path)), basename(path)) : realOf(path);
      if (!inside(where) || underMount(path) || underMount(where)) bad.push(`${fn} ${path}${where !== path ? ` (→ ${where})` : ''}`);
    }
    return bad;
  }

  const bindMount = (): string[] => (canBindMount ? ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', secret, join(workspace, 'bound')] : []);

  it(`instrumented fs: every answer as expected, and no path outside the workspace handed to fs${canBindMount ? ' (with a bind mount)' : ' (no bind mount: needs root and unshare)'}`, { timeout: 120_000 }, async () => {
    const log = join(base, 'fs-trace.jsonl');
    await scenario({ wrapper: bindMount(), nodeArgs: ['--require', join(ROOT, 'test', 'support', 'fsTrace.cjs')], env: { ...process.env, FS_TRACE_LOG: log } });
    const accesses = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { fn: string; path: string });
    const begin = accesses.findIndex((a) => a.path === join(workspace, 'marker-begin.crt'));
    const end = accesses.findIndex((a) => a.path === join(workspace, 'marker-end.crt'));
    assert.ok(begin > 0 && end > begin, 'the markers are in the trace');
    // From the start (the workspace scan included) to the end marker; Node loading the program itself is not the server's doing.
    const window = accesses.slice(0, end).filter((a) => a.path !== join(ROOT, 'dist', 'server.js'));
    assert.ok(window.some((a) => a.path === join(workspace, 'link-file.crt')), 'the trace sees the guard at work');
    assert.deepEqual(outsideAccesses(window), []);
    // After trust, the same trace shows the outside file read: the instrumentation would have seen it.
    assert.ok(accesses.slice(end).some((a) => a.path.endsWith('outside-secret.crt') && !inside(a.path)), 'trusted reads show up in the trace');
  });

  it('strace: no file syscall outside the workspace between the markers', { skip: !canStrace && 'strace is not available here', timeout: 120_000 }, async () => {
    const log = join(base, 'strace.log');
    await scenario({ wrapper: [...bindMount(), 'strace', '-f', '-qq', '-e', 'trace=%file', '-s', '4096', '-o', log] });
    const lines = readFileSync(log, 'utf8').split('\n');
    const begin = lines.findIndex((l) => l.includes(join(workspace, 'marker-begin.crt')));
    const end = lines.findIndex((l) => l.includes(join(workspace, 'marker-end.crt')));
    assert.ok(begin > 0 && end > begin, 'the markers are in the trace');
    const accesses: { fn: string; path: string }[] = [];
    for (const line of lines.slice(begin, end)) {
      const call = /^\d+\s+(\w+)\((.*)$/.exec(line);
      if (!call) continue;
      // The path arguments: the first string (the second is readlink's answer), both for two-path calls.
      const strings = [...call[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
      const paths = /^(rename|link|symlink)/.test(call[1]) ? strings.slice(0, 2) : strings.slice(0, 1);
      const fn = call[1] + (line.includes('AT_SYMLINK_NOFOLLOW') || line.includes('O_NOFOLLOW') ? ' nofollow' : '');
      for (const path of paths) if (path) accesses.push({ fn, path: path.startsWith('/') ? path : join(ROOT, path) });
    }
    assert.ok(accesses.length > 0);
    assert.deepEqual(outsideAccesses(accesses), []);
  });

  it('a workspace folder opened through a link is the same workspace: inside paths are read, outside ones refused', { timeout: 60_000 }, async () => {
    const linkedRoot = join(base, 'workspace-link');
    symlinkSync(workspace, linkedRoot);
    const client = await LspClient.start(linkedRoot, {}, { trusted: false });
    try {
      const uri = client.open(join(linkedRoot, 'via-link.yaml'), 'exporters:\n  otlp/a:\n    endpoint: localhost:14317\n    tls:\n      ca_file: certs/ca.crt\n  otlp/b:\n    endpoint: localhost:14318\n    tls:\n      ca_file: link-file.crt\n');
      const { diagnostics } = await client.diagnostics(uri);
      const unreadable = diagnostics.filter((d) => d.code === 'file-unreadable');
      assert.deepEqual(unreadable.map((d) => d.range.start.line), [8], JSON.stringify(diagnostics));
      assert.ok(!diagnostics.some((d) => d.range.start.line === 4 && String(d.code).startsWith('file-')), JSON.stringify(diagnostics));
    } finally {
      await client.stop();
    }
    assert.equal(relative(workspace, realpathSync(linkedRoot)), '');
  });
});
