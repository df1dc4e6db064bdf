/**
 * `certs --out DIR --host NAME... [--client NAME]... [--algorithm ALG] [--days N] [--force]`:
 * writes a development CA, a server certificate and client certificates (issue 5) with the same
 * engine as the VS Code command.
 *
 * The files are written by certificateWriter.ts (the same writer as the VS Code command's, through
 * the server), which says what it promises; in short:
 * - DIR is created when missing (mode 0700). An existing `ca.crt` + `ca.key` in DIR is reused, so
 *   new certificates chain to the CA that collectors and SDKs already trust (`--force` does not
 *   replace a usable CA: delete both files to make a new CA; it does replace a partial one).
 * - An existing target file is never overwritten without `--force`.
 * - Keys are written with mode 0600, certificates 0644, whatever the umask.
 * - Exit 0 on success (the written paths are printed, never key contents), 2 on bad arguments,
 *   an unusable CA in DIR, or an I/O error.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { display, writeCertificates, type CertificateRequest } from '../certificateWriter';
import { DEFAULT_CLIENTS, DEFAULT_LEAF_DAYS, KEY_ALGORITHMS, KEY_ALGORITHM_LABELS, parseHosts, validateClientNames, type KeyAlgorithm } from '../service/certificates/devCertificates';

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
  const show = display(io.cwd);
  const request: CertificateRequest = { out: args.out, hosts: args.hosts, clients: args.clients, algorithm: args.algorithm, days: args.days };
  const result = await writeCertificates(request, { force: args.force, now: io.now(), base: io.cwd });
  if (!result.ok) return fail(result.problem.message);

  const out: string[] = [];
  if (result.replacedCa) out.push(`replaced the incomplete CA with a new one (${result.replacedCa})`);
  if (result.reusedCa) out.push(`reused CA ${show(join(args.out, 'ca.crt'))} and ${show(join(args.out, 'ca.key'))}`);
  out.push(
    `wrote ${result.files.length} files (${KEY_ALGORITHM_LABELS[args.algorithm]}, certificates valid ${args.days} days${result.reusedCa ? '' : ', CA 10 years'}):`,
  );
  for (const file of result.files) {
    out.push(`  ${show(file.path)}  ${file.role}  mode ${file.mode.toString(8).padStart(4, '0')}`);
  }
  const firstClient = result.files.find((f) => f.role === 'client-cert');
  const at = (name: string) => show(join(args.out, name));
  out.push(`collector receiver tls: cert_file: ${at('server.crt')}, key_file: ${at('server.key')}, client_ca_file: ${at('ca.crt')}`);
  if (firstClient) {
    const base = firstClient.name.slice(0, -'.crt'.length);
    out.push(`SDK env: OTEL_EXPORTER_OTLP_CERTIFICATE=${at('ca.crt')} OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${at(`${base}.crt`)} OTEL_EXPORTER_OTLP_CLIENT_KEY=${at(`${base}.key`)}`);
  }
  io.stdout(out.join('\n') + '\n');
  return 0;
}
