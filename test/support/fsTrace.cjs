// An instrumented file system for the restricted-mode tests: `node --require fsTrace.cjs server.js`
// records every path the process hands to Node's `fs` (sync, callback and promise forms), one JSON
// line per call: {"fn":"statSync","path":"/abs/path"}, into the file named by FS_TRACE_LOG.
// (Node's own module loading uses internal bindings and is not recorded: only what the program asks.)
'use strict';
const fs = require('node:fs');
const { resolve } = require('node:path');

const log = process.env.FS_TRACE_LOG;
if (!log) throw new Error('fsTrace.cjs: set FS_TRACE_LOG');
const fd = fs.openSync(log, 'a');
const writeSync = fs.writeSync;

/** Functions whose first (and for these, second) argument is a path. */
const TWO_PATHS = new Set(['rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'link', 'linkSync', 'symlink', 'symlinkSync']);
const FD_ONLY = /^f(stat|chmod|chown|sync|datasync|truncate|utimes)|^(read|write|close|readv|writev)(Sync)?$/;

function pathOf(value) {
  if (typeof value === 'string') return resolve(value);
  if (Buffer.isBuffer(value)) return resolve(value.toString());
  if (value instanceof URL && value.protocol === 'file:') return require('node:url').fileURLToPath(value);
  return undefined;
}

function record(fn, args) {
  const paths = [pathOf(args[0])];
  if (TWO_PATHS.has(fn)) paths.push(pathOf(args[1]));
  for (const path of paths) if (path !== undefined) writeSync(fd, JSON.stringify({ fn, path, ...(process.env.FS_TRACE_STACKS ? { stack: new Error().stack } : {}) }) + '\n');
}

function wrap(target, name, prefix) {
  const original = target[name];
  if (typeof original !== 'function' || FD_ONLY.test(name) || /^[A-Z]/.test(name) || name === 'watch' || name === 'unwatchFile') return;
  const wrapped = function (...args) {
    record(prefix + name, args);
    return original.apply(this, args);
  };
  // realpathSync.native and friends
  for (const key of Object.keys(original)) {
    if (typeof original[key] === 'function') {
      const inner = original[key];
      wrapped[key] = function (...args) {
        record(`${prefix}${name}.${key}`, args);
        return inner.apply(this, args);
      };
    } else {
      wrapped[key] = original[key];
    }
  }
  target[name] = wrapped;
}

for (const name of Object.keys(fs)) if (name !== 'promises') wrap(fs, name, '');
for (const name of Object.keys(fs.promises)) wrap(fs.promises, name, 'promises.');
