/**
 * `certs --out DIR --host NAME... [--client NAME]... [--algorithm ALG] [--days N] [--force]`:
 * writes a development CA, a server certificate and client certificates (issue 5) with the same
 * engine as the VS Code command.
 *
 * - DIR is created when missing. An existing `ca.crt` + `ca.key` in DIR is reused, so new
 *   certificates chain to the CA that collectors and SDKs already trust (`--force` does not
 *   replace it: delete both files to make a new CA).
 * - An existing target file is never overwritten without `--force`.
 * - Keys are written with mode 0600, certificates 0644 (chmod after the write, whatever the umask).
 * - Exit 0 on success (the written paths are printed, never key contents), 2 on bad arguments,
 *   an unusable CA in DIR, or an I/O error.
 */
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_CLIENTS,
  DEFAULT_LEAF_DAYS,
  KEY_ALGORITHMS,
  KEY_ALGORITHM_LABELS,
  devCertificateFileNames,
  generateDevCertificates,
  parseHosts,
  validateClientNames,
  type GeneratedFile,
  type KeyAlgorithm,
} from '../service/certificates/devCertificates';

export interface CertsCommandIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  now: () => Date;
}

export const CERTS_USAGE =
  'usage: otlp-tls certs --out DIR --host NAME... [--client NAME]... ' +
  `[--algorithm ${KEY_ALGORITHMS.join('|')}] [--days N] [--force]\n` +
  '  --out DIR        folder for ca.crt, ca.key, server.crt, server.key and the client files (created if missing)\n' +
  '  --host NAME      a DNS name or IP address the server is reached by; repeat for more (at least one)\n' +
  '  --client NAME    a client certificate name, its CN and file name; repeat for more (default: client)\n' +
  '  --algorithm ALG  key algorithm (default: ecdsa-p256)\n' +
  `  --days N         validity of the server and client certificates (default: ${DEFAULT_LEAF_DAYS}); a new CA is valid 10 years\n` +
  '  --force          overwrite existing server and client files (an existing ca.crt + ca.key is always reused)\n';

class UsageError extends Error {}

interface CertsArgs {
  out: string;
  hosts: string[];
  clients: string[];
  algorithm: KeyAlgorithm;
  days: number;
  force: boolean;
}

function parseCertsArgs(argv: string[], cwd: string): CertsArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        host: { type: 'string', multiple: true },
        client: { type: 'string', multiple: true },
        algorithm: { type: 'string' },
        days: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (!values.out) throw new UsageError('--out DIR is required');
  if (!values.host?.length) throw new UsageError('at least one --host NAME is required (e.g. --host localhost --host 127.0.0.1)');
  const algorithm = (values.algorithm ?? 'ecdsa-p256') as KeyAlgorithm;
  if (!KEY_ALGORITHMS.includes(algorithm)) {
    throw new UsageError(`--algorithm must be one of ${KEY_ALGORITHMS.join(', ')}, got "${values.algorithm}"`);
  }
  let days = DEFAULT_LEAF_DAYS;
  if (values.days !== undefined) {
    if (!/^\d+$/.test(values.days.trim()) || Number(values.days) <= 0) {
      throw new UsageError(`--days must be a whole number greater than 0, got "${values.days}"`);
    }
    days = Number(values.days);
  }
  const clients = values.client?.length ? values.client : [...DEFAULT_CLIENTS];
  try {
    parseHosts(values.host);
    validateClientNames(clients);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    out: isAbsolute(values.out) ? values.out : resolve(cwd, values.out),
    hosts: values.host,
    clients,
    algorithm,
    days,
    force: values.force ?? false,
  };
}

function exists(path: string): boolean {
  try {
    lstatSync(path); // a dangling symlink counts: writing through it would create its target
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function ioMessage(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code && e.path ? `${e.code}: ${e.path}` : String(e?.message ?? error);
}

export async function runCertsCommand(argv: string[], io: CertsCommandIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`otlp-tls certs: ${message}\n`);
    return 2;
  };
  let args: CertsArgs;
  try {
    const parsed = parseCertsArgs(argv, io.cwd);
    if (parsed === 'help') {
      io.stdout(CERTS_USAGE);
      return 0;
    }
    args = parsed;
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n${CERTS_USAGE.split('\n')[0]}\n(otlp-tls certs --help explains the options)`);
    throw error;
  }
  const display = (name: string): string => {
    const path = join(args.out, name);
    const rel = relative(io.cwd, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };

  // The target folder.
  try {
    mkdirSync(args.out, { recursive: true });
    if (!statSync(args.out).isDirectory()) return fail(`--out ${args.out} is not a directory`);
  } catch (error) {
    return fail(`cannot create the folder ${args.out} (${ioMessage(error)})`);
  }

  // An existing development CA is reused; half of one is an error rather than a silent new CA.
  let existingCa: { certPem: string; keyPem: string } | undefined;
  try {
    const caCert = exists(join(args.out, 'ca.crt'));
    const caKey = exists(join(args.out, 'ca.key'));
    if (caCert !== caKey) {
      const [present, missing] = caCert ? ['ca.crt', 'ca.key'] : ['ca.key', 'ca.crt'];
      if (!args.force) {
        return fail(
          `${display(present)} exists but ${display(missing)} does not, so the CA cannot be reused; ` +
            `add its ${missing === 'ca.key' ? 'private key' : 'certificate'} or remove it (or use --force to replace it with a new CA)`,
        );
      }
    } else if (caCert) {
      existingCa = {
        certPem: readFileSync(join(args.out, 'ca.crt'), 'utf8'),
        keyPem: readFileSync(join(args.out, 'ca.key'), 'utf8'),
      };
    }
  } catch (error) {
    return fail(`cannot read the existing CA in ${args.out} (${ioMessage(error)})`);
  }

  // Refuse to overwrite, before the (slow, for RSA) key generation.
  const targets = devCertificateFileNames(args.clients, !existingCa);
  let present: string[];
  try {
    present = targets.filter((name) => exists(join(args.out, name)));
  } catch (error) {
    return fail(`cannot examine ${args.out} (${ioMessage(error)})`);
  }
  if (present.length > 0 && !args.force) {
    return fail(`not overwriting existing ${present.map(display).join(', ')}; use --force to replace them`);
  }

  let files: GeneratedFile[];
  try {
    files = await generateDevCertificates({
      hosts: args.hosts,
      clients: args.clients,
      algorithm: args.algorithm,
      days: args.days,
      now: io.now(),
      existingCa,
    });
  } catch (error) {
    return fail(existingCa ? `cannot reuse the CA in ${display('')}: ${(error as Error).message}` : (error as Error).message);
  }

  const written: string[] = [];
  for (const file of files) {
    const path = join(args.out, file.name);
    try {
      // Replace rather than write through: a fresh file gets the intended mode, and a symlink is not followed.
      if (present.includes(file.name)) unlinkSync(path);
      writeFileSync(path, file.contents, { mode: file.mode, flag: 'wx' });
      chmodSync(path, file.mode);
    } catch (error) {
      const partial = written.length ? ` (already written: ${written.map(display).join(', ')})` : '';
      return fail(`cannot write ${display(file.name)} (${ioMessage(error)})${partial}`);
    }
    written.push(file.name);
  }

  const out: string[] = [];
  if (existingCa) out.push(`reused CA ${display('ca.crt')} and ${display('ca.key')}`);
  out.push(
    `wrote ${files.length} files (${KEY_ALGORITHM_LABELS[args.algorithm]}, certificates valid ${args.days} days${existingCa ? '' : ', CA 10 years'}):`,
  );
  for (const file of files) {
    out.push(`  ${display(file.name)}  ${file.role}  mode ${file.mode.toString(8).padStart(4, '0')}`);
  }
  const firstClient = files.find((f) => f.role === 'client-cert');
  out.push(`collector receiver tls: cert_file: ${display('server.crt')}, key_file: ${display('server.key')}, client_ca_file: ${display('ca.crt')}`);
  if (firstClient) {
    const base = firstClient.name.slice(0, -'.crt'.length);
    out.push(
      `SDK env: OTEL_EXPORTER_OTLP_CERTIFICATE=${display('ca.crt')} OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${display(`${base}.crt`)} OTEL_EXPORTER_OTLP_CLIENT_KEY=${display(`${base}.key`)}`,
    );
  }
  io.stdout(out.join('\n') + '\n');
  return 0;
}
