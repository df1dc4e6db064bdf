/**
 * Certificate files a fix can point to, found through what the core can see: names next to the
 * block's own files, the CA paths of this config, and those of the other collector configs and apps
 * of the workspace. Each candidate is loaded (cached) and must hold a CA certificate.
 */
import { isAbsolute } from 'node:path';
import { loadReferencedFile } from '../certificates/certificateFiles';
import { CONFIGTLS_CA_KEYS, envFileVariable } from '../certificates/certificatePaths';
import type { TlsBlock } from '../model/collector';
import { scalarText } from '../yaml/yamlNodes';
import { pathFrom } from '../workspaceSearch';
import type { FixContext } from './fixContext';

const CA_NAMES = ['ca.crt', 'ca.pem', 'ca-cert.pem', 'ca_cert.pem', 'cacert.pem', 'rootCA.pem', 'root-ca.pem', 'ca.cert.pem'];

/** A path, written as it should appear in the document, to a CA certificate that exists; undefined when none is found. */
export function findCaCertificate(context: FixContext, block: TlsBlock): string | undefined {
  const tried = new Set<string>();
  const ok = (written: string, from: string): string | undefined => {
    if (tried.has(`${from}\0${written}`)) return undefined;
    tried.add(`${from}\0${written}`);
    const file = loadReferencedFile(context, written, from);
    if (file.status !== 'ok' || !file.parsed.certificates.some((c) => c.isCa)) return undefined;
    // Written relative to another file: say it relative to this one.
    if (from === context.path || isAbsolute(written)) return written;
    return pathFrom(context.path, file.path);
  };
  // Next to the block's own certificate and key.
  for (const key of ['cert_file', 'key_file', 'ca_file']) {
    const written = scalarText(block.entries.find((e) => e.key === key)?.value);
    if (!written || written.includes('${')) continue;
    const folder = folderOf(written);
    for (const name of CA_NAMES) {
      const found = ok(folder + name, context.path);
      if (found) return found;
    }
  }
  // CA paths written elsewhere in this file and in the workspace.
  const configs = [...context.parsed.collectors.map((unit) => ({ path: context.path, unit })), ...context.workspace.collectors()];
  for (const config of configs) {
    for (const other of config.unit.model.tlsBlocks) {
      for (const entry of other.entries) {
        const written = CONFIGTLS_CA_KEYS.includes(entry.key) ? scalarText(entry.value) : undefined;
        const found = written && !written.includes('${') ? ok(written, config.path) : undefined;
        if (found) return found;
      }
    }
  }
  for (const app of context.workspace.apps()) {
    for (const setting of app.unit.settings) {
      if (setting.origin) continue;
      const found = envFileVariable(setting.name)?.purpose === 'ca' && setting.value ? ok(setting.value, app.path) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The folder part of a written path, with its trailing separator (`certs/` for `certs/server.crt`, '' for `server.crt`). */
export function folderOf(written: string): string {
  const cut = Math.max(written.lastIndexOf('/'), written.lastIndexOf('\\'));
  return cut < 0 ? '' : written.slice(0, cut + 1);
}

/** The file name that pairs with `written`: `server.crt` ↔ `server.key`, `client-cert.pem` ↔ `client-key.pem`. */
export function partnerNames(written: string, missing: 'key_file' | 'cert_file'): string[] {
  const folder = folderOf(written);
  const base = written.slice(folder.length);
  const out: string[] = [];
  const add = (name: string) => {
    if (name !== base && !out.includes(folder + name)) out.push(folder + name);
  };
  if (missing === 'key_file') {
    add(base.replace(/([-_.])cert(\.pem)$/i, '$1key$2'));
    add(base.replace(/([-_.])crt(\.pem)$/i, '$1key$2'));
    add(base.replace(/^cert(\.pem)$/i, 'key$1'));
    add(base.replace(/^fullchain(\.pem)$/i, 'privkey$1'));
    add(base.replace(/\.(crt|cer|cert|pem)$/i, '.key'));
    add(base.replace(/\.(crt|cer|cert)$/i, '.pem').replace(/\.pem$/i, '-key.pem'));
  } else {
    add(base.replace(/([-_.])key(\.pem)$/i, '$1cert$2'));
    add(base.replace(/^key(\.pem)$/i, 'cert$1'));
    add(base.replace(/^privkey(\.pem)$/i, 'fullchain$1'));
    add(base.replace(/\.key$/i, '.crt'));
    add(base.replace(/\.key$/i, '.pem'));
  }
  return out.length ? out : [folder + (missing === 'key_file' ? 'server.key' : 'server.crt')];
}

/** The first of `names` that exists (resolved like the checks resolve paths), else the first name. */
export function firstExisting(context: FixContext, names: string[]): string {
  for (const name of names) {
    if (loadReferencedFile(context, name, context.path).status === 'ok') return name;
  }
  return names[0];
}
