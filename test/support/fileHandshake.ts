/**
 * A real handshake between a receiver and an app configured by files on disk, as the checker reads them: Node's
 * tls (the JS SDK's OpenSSL) and Go's crypto/tls (the Collector's) through the tlspeer fixture. Shared by the
 * deployment and injection handshake tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import * as tls from 'node:tls';
import { ca, type Issued } from './certificates';
import { cleanupHarness, goPeer as buildPeer, peerBuildError } from './handshakeHarness';

/** What a cluster handshake test file makes once: a temporary folder, two CAs and the Go peer. */
export interface ClusterScene {
  tmp: string;
  /** The Collector's side: tlspeer built as a module of the Go in use (its GODEBUG defaults); none without Go. */
  goPeer: string | undefined;
  root: Issued;
  other: Issued;
}

/** Registers the file's before/after hooks that make (and then remove) its scene; its fields are set in `before`. */
export function clusterScene(prefix: string): ClusterScene {
  const scene = {} as ClusterScene;
  before(async () => {
    scene.tmp = mkdtempSync(join(tmpdir(), prefix));
    scene.root = await ca('Cluster Root CA');
    scene.other = await ca('Another Root CA');
    scene.goPeer = buildPeer();
    if (peerBuildError()) console.error(`building tlspeer failed: ${peerBuildError()}`);
  });
  after(() => {
    rmSync(scene.tmp, { recursive: true, force: true });
    cleanupHarness();
  });
  return scene;
}

/** The receiver's certificate, key and (mTLS) client CA files. */
export interface ReceiverFiles {
  cert: string;
  key: string;
  clientCa?: string;
}

/** The host the app dials and its CA, client certificate and key files. */
export interface ClientFiles {
  host: string;
  ca?: string;
  cert?: string;
  key?: string;
}

export interface HandshakeResult {
  ok: boolean;
  detail: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Node's handshake: a TLS server on loopback with the receiver's files, a client with the app's. */
export async function nodeHandshake(server: ReceiverFiles, app: ClientFiles): Promise<HandshakeResult> {
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  return new Promise((resolve) => {
    const srv = tls.createServer({ cert: read(server.cert), key: read(server.key), ca: read(server.clientCa), requestCert: !!server.clientCa, rejectUnauthorized: !!server.clientCa }, (sock) => {
      sock.on('error', () => undefined);
      sock.write('k');
    });
    srv.on('tlsClientError', () => undefined);
    let done = false;
    const finish = (r: { ok: boolean; detail: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      srv.close();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, detail: 'timeout' }), 5000);
    srv.listen(0, '127.0.0.1', () => {
      const sock = tls.connect({
        host: '127.0.0.1',
        port: (srv.address() as net.AddressInfo).port,
        servername: app.host,
        checkServerIdentity: (_h, cert) => tls.checkServerIdentity(app.host, cert),
        ca: read(app.ca),
        cert: read(app.cert),
        key: read(app.key),
      });
      sock.on('data', () => {
        finish({ ok: true, detail: 'ok' });
        sock.destroy();
      });
      sock.on('error', (e) => finish({ ok: false, detail: `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` }));
    });
  });
}

/** Go's handshake through the tlspeer binary (`goPeer`; undefined when Go is missing: no result). */
export function goHandshake(goPeer: string | undefined, dir: string, server: ReceiverFiles, app: ClientFiles): HandshakeResult | undefined {
  if (!goPeer) return undefined;
  const config = join(dir, 'tlspeer.json');
  writeFileSync(config, JSON.stringify({ serverCert: server.cert, serverKey: server.key, clientCA: server.clientCa ?? '', maxVersion: '', caFile: app.ca ?? '', clientCert: app.cert ?? '', clientKey: app.key ?? '', serverName: app.host }));
  const run = spawnSync(goPeer, ['pair', config], { encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`tlspeer failed: ${run.stderr}`);
  const r = JSON.parse(run.stdout) as { ok: boolean; client: string; server: string };
  return { ok: r.ok, detail: `client: ${r.client} | server: ${r.server}` };
}
