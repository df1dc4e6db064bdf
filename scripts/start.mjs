// `npm start`: make the examples' development certificates once, then run the checker over
// examples/ the way CI would, mapping the container path /etc/otel/certs to examples/certs.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const cli = (args) => spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' }).status;

if (!existsSync('examples/certs/ca.crt')) {
  const made = cli(['certs', '--out', 'examples/certs', '--host', 'otel-collector.observability.svc', '--host', 'localhost', '--host', '127.0.0.1']);
  if (made !== 0) process.exit(made ?? 2);
}
const status = cli(['check', 'examples', '--path-map', '/etc/otel/certs=examples/certs']);
console.log(`\notlp-tls check exited with ${status} (0: clean, 1: errors found, 2: usage or I/O error). The examples hold mistakes on purpose.`);
process.exit(status === 2 ? 2 : 0);
