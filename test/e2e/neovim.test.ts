/**
 * The language server in an LSP client that is not VS Code: headless Neovim (its built-in client) runs the
 * README's Neovim 0.7–0.9 snippet verbatim, opens a broken collector config and an env file, and writes the
 * diagnostics it holds for them as JSON; this test reads them back and checks lines, columns and codes.
 *
 * Skipped when `nvim` is not on PATH (`.ci/run` installs Debian's `neovim`); fails when nvim is there but the
 * diagnostics never arrive. The waits are bounded: `vim.wait` inside Neovim, a process timeout outside.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';

/** How long Neovim waits for the diagnostics, and how long the test lets Neovim run at all. */
const DIAGNOSTICS_TIMEOUT_MS = 20_000;
const PROCESS_TIMEOUT_MS = 60_000;

function nvimVersion(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.status !== 0) return undefined;
  return /NVIM v(\d+\.\d+\.\d+)/.exec(probe.stdout)?.[1] ?? 'unknown';
}
const version = nvimVersion();
const tooOld = version !== undefined && /^0\.[0-6]\./.test(version);
const skip =
  version === undefined
    ? 'nvim not found on PATH: install Neovim 0.7+ (Debian: apt-get install neovim) to run this test'
    : tooOld
      ? `nvim ${version} is older than 0.7 (no nvim_create_autocmd/vim.diagnostic): install 0.7+`
      : false;

/** The README's Neovim 0.7–0.9 block (the one with `vim.lsp.start_client`), pointed at this checkout. */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```lua\n([\s\S]*?)```/g)].map((m) => m[1]).find((lua) => lua.includes('vim.lsp.start_client'));
  assert.ok(block, 'README.md has no ```lua block with vim.lsp.start_client (the Neovim 0.7–0.9 set-up this test runs)');
  assert.ok(block.includes('/path/to/otlp-tls-lens/dist/server.js'), 'the README snippet names /path/to/otlp-tls-lens/dist/server.js');
  return block.replaceAll('/path/to/otlp-tls-lens', ROOT);
}

/**
 * Loaded with -c after the files (a separate file, so a broken README snippet still gets a report): on
 * VimEnter, wait until every file buffer has diagnostics, write them (0-based line/col as Neovim holds
 * them), stop the server, quit.
 */
const HARNESS = `
local function otlp_tls_test_report()
  local out = assert(vim.env.OTLP_TLS_NVIM_OUT, 'OTLP_TLS_NVIM_OUT is not set')
  local result = { nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch }
  local ok, err = pcall(function()
    local buffers = {}
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) and vim.api.nvim_buf_get_name(b) ~= '' then table.insert(buffers, b) end
    end
    local running = function() return #(vim.lsp.get_clients or vim.lsp.get_active_clients)() > 0 end
    if not vim.wait(${DIAGNOSTICS_TIMEOUT_MS}, running, 20) then
      error('no LSP client is running: the init.lua snippet failed, did not match the files, or the server did not initialize')
    end
    result.arrived = vim.wait(${DIAGNOSTICS_TIMEOUT_MS}, function()
      for _, b in ipairs(buffers) do
        if #vim.diagnostic.get(b) == 0 then return false end
      end
      return true
    end, 20)
    result.files = {}
    for _, b in ipairs(buffers) do
      local items = {}
      for _, d in ipairs(vim.diagnostic.get(b)) do
        table.insert(items, { line = d.lnum, col = d.col, end_line = d.end_lnum, end_col = d.end_col,
                              code = d.code, severity = d.severity, source = d.source, message = d.message })
      end
      table.sort(items, function(x, y) return x.line < y.line or (x.line == y.line and x.col < y.col) end)
      result.files[vim.fn.fnamemodify(vim.api.nvim_buf_get_name(b), ':t')] = {
        filetype = vim.bo[b].filetype, diagnostics = items,
        attached = vim.lsp.get_clients and #vim.lsp.get_clients({ bufnr = b }) or #vim.tbl_keys(vim.lsp.buf_get_clients(b)) }
    end
    local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)()
    result.clients = {}
    for _, c in ipairs(clients) do
      table.insert(result.clients, { name = c.name, pid = c.rpc and c.rpc.pid or vim.NIL })
    end
    vim.lsp.stop_client(clients)
    result.stopped = vim.wait(10000, function() return #(vim.lsp.get_clients or vim.lsp.get_active_clients)() == 0 end, 20)
  end)
  if not ok then result.error = tostring(err) end
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end
vim.api.nvim_create_autocmd('VimEnter', { once = true, callback = otlp_tls_test_report })
`;

interface NvimDiagnostic {
  line: number;
  col: number;
  end_line: number;
  end_col: number;
  code: string;
  severity: number;
  source: string;
  message: string;
}
interface NvimReport {
  nvim: string;
  arrived?: boolean;
  error?: string;
  stopped?: boolean;
  clients?: { name: string; pid: number | null }[];
  files?: Record<string, { filetype: string; attached: number; diagnostics: NvimDiagnostic[] }>;
}

const COLLECTOR = [
  'receivers:',
  '  otlp:',
  '    protocols:',
  '      grpc:',
  '        endpoint: 0.0.0.0:4317',
  'exporters:',
  '  otlp:',
  '    endpoint: gateway:4317',
  '    tls:',
  '      server_name_overide: gateway', // line 9: typo of server_name_override
  '      min_version: 1.2', //              line 10: a float to YAML, the Collector wants a string
  'service:',
  '  pipelines:',
  '    traces:',
  '      receivers: [otlp]',
  '      exporters: [otlp]',
  '',
].join('\n');

const ENV = [
  'OTEL_EXPORTER_OTLP_ENDPOINT=http://gateway:4317',
  'OTEL_EXPORTER_OTLP_PROTOCOL=grpc',
  'OTEL_EXPORTER_OTLP_CERTIFCATE=/etc/otel/ca.crt', // line 2: typo of OTEL_EXPORTER_OTLP_CERTIFICATE
  '',
].join('\n');

/** Neovim's severities: 1 error, 2 warning, 3 information, 4 hint (the LSP numbers). */
const ERROR = 1;
const WARN = 2;

describe('Neovim built-in LSP client (headless) on dist/server.js --stdio', { skip }, () => {
  let dir: string;
  let report: NvimReport;
  let elapsedMs: number;
  let output: string;

  before(() => {
    const server = join(ROOT, 'dist', 'server.js');
    assert.ok(existsSync(server), `${server} is missing: run npm run build first`);
    dir = mkdtempSync(join(tmpdir(), 'otlp-tls-nvim-'));
    const home = join(dir, 'home'); // keeps Neovim's state, cache and lsp.log out of the real home
    mkdirSync(home);
    writeFileSync(join(dir, 'init.lua'), readmeSnippet());
    writeFileSync(join(dir, 'harness.lua'), HARNESS);
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR);
    writeFileSync(join(dir, 'otel.env'), ENV);
    const out = join(dir, 'report.json');

    const started = Date.now();
    // -O loads both files (in split windows) so both buffers are read and attached.
    const run = spawnSync('nvim', ['--headless', '--clean', '-u', 'init.lua', '-c', 'luafile harness.lua', '-O', 'collector.yaml', 'otel.env'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: PROCESS_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        OTLP_TLS_NVIM_OUT: out,
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
        XDG_STATE_HOME: join(home, 'state'),
        XDG_CACHE_HOME: join(home, 'cache'),
      },
    });
    elapsedMs = Date.now() - started;
    output = `status ${run.status} signal ${run.signal}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
    assert.ok(!run.error, `nvim did not finish within ${PROCESS_TIMEOUT_MS} ms (${run.error?.message})\n${output}`);
    assert.ok(existsSync(out), `nvim wrote no report (harness.lua failed?)\n${output}`);
    report = JSON.parse(readFileSync(out, 'utf8')) as NvimReport;
    assert.equal(report.error, undefined, `the harness failed inside Neovim: ${report.error}\n${output}`);
    assert.equal(run.status, 0, output);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('receives the pushed diagnostics for every opened file within the bound', () => {
    assert.equal(report.arrived, true, `no diagnostics within ${DIAGNOSTICS_TIMEOUT_MS} ms: ${JSON.stringify(report.files)}\n${output}`);
    assert.deepEqual(Object.keys(report.files ?? {}).sort(), ['collector.yaml', 'otel.env']);
    for (const [name, file] of Object.entries(report.files!)) assert.equal(file.attached, 1, `${name} has the otlp-tls client attached`);
    assert.deepEqual(report.clients?.map((c) => c.name), ['otlp-tls'], 'one server serves both files');
    console.log(`nvim ${report.nvim}: diagnostics for 2 files in ${elapsedMs} ms (Neovim start to quit)`);
  });

  it('shows the collector config problems at their exact lines and columns', () => {
    const file = report.files!['collector.yaml'];
    assert.equal(file.filetype, 'yaml');
    assert.deepEqual(
      file.diagnostics.map(({ line, col, end_line, end_col, code, severity, source }) => ({ line, col, end_line, end_col, code, severity, source })),
      [
        { line: 9, col: 6, end_line: 9, end_col: 25, code: 'unknown-key', severity: ERROR, source: 'otlp-tls' },
        { line: 10, col: 19, end_line: 10, end_col: 22, code: 'invalid-value', severity: ERROR, source: 'otlp-tls' },
      ],
    );
    const lines = COLLECTOR.split('\n');
    const [typo, version] = file.diagnostics;
    assert.equal(lines[typo.line].slice(typo.col, typo.end_col), 'server_name_overide');
    assert.equal(lines[version.line].slice(version.col, version.end_col), '1.2');
    assert.match(typo.message, /did you mean "server_name_override"\?/);
    assert.match(version.message, /write "1\.2"/);
  });

  it('shows the env file problem (a file Neovim types as sh) at its exact line and column', () => {
    const file = report.files!['otel.env'];
    assert.equal(file.filetype, 'sh');
    const typo = file.diagnostics.find((d) => d.code === 'unknown-variable');
    assert.ok(typo, `unknown-variable in ${JSON.stringify(file.diagnostics)}`);
    assert.deepEqual({ line: typo.line, col: typo.col, severity: typo.severity }, { line: 2, col: 0, severity: WARN });
    assert.equal(ENV.split('\n')[2].slice(typo.col, typo.end_col), 'OTEL_EXPORTER_OTLP_CERTIFCATE');
    assert.match(typo.message, /Did you mean OTEL_EXPORTER_OTLP_CERTIFICATE\?/);
  });

  it('shuts the server down when Neovim quits', () => {
    assert.equal(report.stopped, true, 'the client reported stopped within 10 s');
    for (const { pid } of report.clients ?? []) {
      if (typeof pid !== 'number') continue;
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `server process ${pid} still running after Neovim quit`);
    }
  });
});
