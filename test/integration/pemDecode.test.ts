/**
 * The PEM scanner (server/src/service/certificates/pem.ts) against Go's own encoding/pem
 * (fixtures/pemdecode.go, when Go is installed): the same blocks, types, headers and bytes for hand-made
 * edge cases (nested and mismatched BEGIN/END, headers, padding, CRLF, indentation, text at the end)
 * and for 3,000 seeded random texts built from PEM fragments. The Collector reads certificates with Go,
 * so Go's blocks are the ones that count.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ca, server } from '../support/certificates';
import { scanPem } from '../../server/src/service/certificates/pem';
import { Random } from '../fuzz/random';

const GO_AVAILABLE = spawnSync('go', ['version']).status === 0;
let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'otlp-pem-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Block {
  type: string;
  headers: Record<string, string>;
  bytes: string;
}

const sorted = (headers: Record<string, string> | null) => Object.fromEntries(Object.entries(headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function ours(text: string): Block[] {
  return scanPem(text, Infinity).blocks.map((b) => ({ type: b.type, headers: sorted(b.headers), bytes: Buffer.from(b.bytes).toString('base64') }));
}

function goBlocks(texts: string[]): Block[][] {
  const bin = join(tmp, 'pemdecode');
  const build = spawnSync('go', ['build', '-o', bin, join(__dirname, '..', '..', '..', 'test', 'integration', 'fixtures', 'pemdecode.go')], {
    encoding: 'utf8',
    env: { ...process.env, GOCACHE: join(tmp, 'gocache'), GOFLAGS: '-mod=mod', GO111MODULE: 'off' },
  });
  assert.equal(build.status, 0, build.stderr);
  const input = join(tmp, 'cases.json');
  writeFileSync(input, JSON.stringify(texts.map((t) => Buffer.from(t, 'latin1').toString('base64'))));
  const run = spawnSync(bin, [input], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as Block[][]).map((blocks) => blocks.map((b) => ({ ...b, headers: sorted(b.headers) })));
}

function handCases(certPem: string, keyPem: string): string[] {
  const body = certPem.split('\n').slice(1, -2).join('\n');
  const cert = (type = 'CERTIFICATE', b = body) => `-----BEGIN ${type}-----\n${b}\n-----END ${type}-----\n`;
  return [
    certPem,
    certPem + keyPem,
    certPem.replace(/\n/g, '\r\n'),
    '  ' + certPem,
    'junk before\n' + certPem + 'junk after',
    'junk before' + certPem,
    certPem.trimEnd(),
    certPem.replace('-----\n', '-----  \t\n'),
    certPem.replace(/-----\n$/, '----- x\n'),
    certPem.replace(/-----\n$/, '-----\t \n'),
    `-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    `-----BEGIN A-----\n${cert('B')}-----END A-----\n`,
    `-----BEGIN A-----\n${body}\n-----END B-----\n${cert()}`,
    `-----BEGIN X-Y-----\n${body}\n-----END X-Y-----\n`,
    `-----BEGIN -----\n${body}\n-----END -----\n`,
    '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
    '-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n',
    '-----BEGIN CERTIFICATE-----',
    '-----BEGIN CERTIFICATE-----\n',
    '-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n',
    `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011\n\n${body}\n-----END RSA PRIVATE KEY-----\n`,
    `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n${body}\n-----END RSA PRIVATE KEY-----\n`,
    `-----BEGIN A-----\n  Key :  value  \n\n${body}\n-----END A-----\n`,
    cert('CERTIFICATE', body.slice(0, -1)),
    cert('CERTIFICATE', body.replace(/=+$/, '')),
    cert('CERTIFICATE', body + '=='),
    cert('CERTIFICATE', body.replace(/\n/g, ' \n\t')),
    cert('CERTIFICATE', body.replace('A', '!')),
    cert('CERTIFICATE', 'AAAA====\nAAAA'),
    cert('CERTIFICATE', 'AA==AA=='),
    cert('CERTIFICATE', 'QUJD\r\nREVG'),
    cert('CERTIFICATE', 'Zm9v\xff'),
    `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`,
    `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE----`,
    `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`,
    '-----BEGIN CERTIFICATE-----\n'.repeat(200),
    `${'-----BEGIN CERTIFICATE-----\n'.repeat(50)}${cert()}`,
    `${'-----END CERTIFICATE-----\n'.repeat(50)}${cert()}`,
  ];
}

const FRAGMENTS = [
  '-----BEGIN ', '-----END ', '-----', 'CERTIFICATE', 'PRIVATE KEY', 'A', '\n', '\n', '\r\n', '\r', ' ', '\t', ':', 'Proc-Type: 4,ENCRYPTED',
  'QUJD', 'REVG', 'Zg==', 'Zm8=', '=', 'x', '-', '--', '\n-----BEGIN CERTIFICATE-----\n', '\n-----END CERTIFICATE-----\n',
];

function randomCases(count: number, body: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const random = new Random(15, i);
    const parts: string[] = [];
    const n = random.range(1, 40);
    for (let k = 0; k < n; k++) parts.push(random.chance(0.05) ? body.slice(0, random.int(body.length)) : random.pick(FRAGMENTS));
    out.push(parts.join(''));
  }
  return out;
}

it("finds the same PEM blocks as Go's encoding/pem", { skip: GO_AVAILABLE ? false : "Go is not installed (apt-get install golang-go): Go's own blocks are not compared" }, async () => {
  const root = await ca();
  const leaf = await server(root, ['localhost']);
  const body = leaf.pem.split('\n').slice(1, -2).join('\n');
  const texts = [...handCases(leaf.pem, leaf.keyPem), ...randomCases(3000, body)];
  const expected = goBlocks(texts);
  let differences = 0;
  for (let i = 0; i < texts.length; i++) {
    const mine = ours(texts[i]);
    if (JSON.stringify(mine) !== JSON.stringify(expected[i])) {
      differences++;
      if (differences <= 5) assert.deepEqual(mine, expected[i], `text ${i}: ${JSON.stringify(texts[i]).slice(0, 400)}`);
    }
  }
  assert.equal(differences, 0);
  // Blocks are found, not only refused: the comparison is not between empty lists.
  assert.deepEqual([0, 1, 2, 4, 5].map((i) => expected[i].length), [1, 2, 1, 1, 0]);
  const found = expected.slice(-3000).filter((blocks) => blocks.length > 0).length;
  assert.ok(found > 100, `${found} of the random texts hold a block`);
});
