/**
 * What the core knows of the files of the workspace, for cross-file checks: every unit of every
 * file, and the receiver listeners by the port they bind. The adapters (CLI, LSP server) build it
 * from the files they parsed; the core only reads it.
 */
import { bindPort } from './endpoint';
import type { Listener } from './collector';
import type { AppUnit, CollectorUnit, ParsedFile } from './units';

/** A unit with the file it sits in. */
export interface WorkspaceUnit<U> {
  /** Absolute path of the file. */
  path: string;
  /** The file's text (the unit's offsets map into it through unit.offsets). */
  text: string;
  unit: U;
}

export type WorkspaceCollector = WorkspaceUnit<CollectorUnit>;
export type WorkspaceApp = WorkspaceUnit<AppUnit>;

/** A receiver listener (OTLP gRPC or HTTP) of a collector unit of the workspace. */
export interface PairedListener {
  collector: WorkspaceCollector;
  listener: Listener;
}

export interface WorkspaceIndex {
  collectors(): readonly WorkspaceCollector[];
  apps(): readonly WorkspaceApp[];
  /** The OTLP receiver listeners (gRPC and HTTP, not other servers) that bind `port`, in file order. */
  listenersOn(port: number): readonly PairedListener[];
}

export const emptyWorkspace: WorkspaceIndex = {
  collectors: () => [],
  apps: () => [],
  listenersOn: () => [],
};

/**
 * An index over files the adapter has already parsed (CLI: every file; server: the workspace scan and
 * the open documents). `getEnv` resolves `${env:…}` in listener endpoints, for the port index.
 */
export function createWorkspaceIndex(files: Iterable<ParsedFile>, getEnv: (name: string) => string | undefined): WorkspaceIndex {
  const collectors: WorkspaceCollector[] = [];
  const apps: WorkspaceApp[] = [];
  for (const file of files) {
    for (const unit of file.collectors) collectors.push({ path: file.path, text: file.text, unit });
    for (const unit of file.apps) apps.push({ path: file.path, text: file.text, unit });
  }
  let byPort: Map<number, PairedListener[]> | undefined;
  return {
    collectors: () => collectors,
    apps: () => apps,
    listenersOn(port) {
      if (!byPort) {
        byPort = new Map();
        for (const collector of collectors) {
          for (const listener of collector.unit.model.listeners) {
            if (listener.protocol === 'other') continue;
            const bound = bindPort(listener.endpoint, getEnv);
            if (bound === undefined) continue;
            byPort.set(bound, [...(byPort.get(bound) ?? []), { collector, listener }]);
          }
        }
      }
      return byPort.get(port) ?? [];
    },
  };
}
