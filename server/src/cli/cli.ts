/**
 * The command-line entry point (a stable contract):
 *   otlp-tls check [PATH...] [--format text|json|sarif|mermaid|dot] [--path-map FROM=TO]... [--sdk ID] [--fail-on LEVEL] [--sarif-output FILE] [--no-config]
 *                  [--max-problems-per-file N]
 *   otlp-tls certs --out DIR --host NAME... [--client NAME]... [--algorithm ...] [--days N]
 * Exit codes: 0 no diagnostic at the --fail-on level (error by default), 1 at least one, 2 usage or I/O error.
 * `otlp-tls check --help` and `otlp-tls certs --help` explain each command.
 */
import { nodeRuntime } from '../nodeRuntime';
import { runCheckCommand } from './checkCommand';
import { runCertsCommand } from './certsCommand';
import { version } from '../../../package.json';

const USAGE = `usage:
  otlp-tls check [PATH...] [--format text|json|sarif|mermaid|dot] [--path-map FROM=TO]... [--sdk any|java|java-agent|python|go|js|dotnet|dotnet-auto]
                 [--fail-on error|warning|information|none] [--sarif-output FILE] [--no-config] [--max-problems-per-file N]
  otlp-tls certs --out DIR --host NAME... [--client NAME]... [--algorithm ecdsa-p256|rsa-2048|rsa-3072|rsa-4096] [--days N] [--force]
  otlp-tls check --help | otlp-tls certs --help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = {
    cwd: process.cwd(),
    stdout: (s: string) => process.stdout.write(s),
    stderr: (s: string) => process.stderr.write(s),
  };
  switch (command) {
    case 'check':
      return runCheckCommand(rest, { ...io, runtime: nodeRuntime(), version });
    case 'certs':
      return runCertsCommand(rest, { ...io, now: () => new Date() });
    case '--version':
      io.stdout(version + '\n');
      return 0;
    case '--help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return 0;
    default:
      io.stderr((command ? `otlp-tls: unknown command "${command}"\n` : '') + USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`otlp-tls: ${(error as Error)?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
