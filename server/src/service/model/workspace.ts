/**
 * What the core knows of the other files in the workspace, for cross-file checks.
 * The adapters (CLI, LSP server) fill it; the core only reads it.
 */
import type { CollectorModel } from './collector';
import type { EnvModel } from '../sources/envFile';

export interface WorkspaceCollector {
  path: string;
  text: string;
  model: CollectorModel;
}

export interface WorkspaceEnvFile {
  path: string;
  text: string;
  model: EnvModel;
}

export interface WorkspaceIndex {
  collectors(): readonly WorkspaceCollector[];
  envFiles(): readonly WorkspaceEnvFile[];
}

export const emptyWorkspace: WorkspaceIndex = {
  collectors: () => [],
  envFiles: () => [],
};

/** An index over documents the adapter has already parsed (CLI: every file; server: the workspace scan). */
export function createWorkspaceIndex(documents: Iterable<{ path: string; text: string; model: CollectorModel | EnvModel; kind: 'collector' | 'env' }>): WorkspaceIndex {
  const collectors: WorkspaceCollector[] = [];
  const envFiles: WorkspaceEnvFile[] = [];
  for (const d of documents) {
    if (d.kind === 'collector') collectors.push({ path: d.path, text: d.text, model: d.model as CollectorModel });
    else envFiles.push({ path: d.path, text: d.text, model: d.model as EnvModel });
  }
  return { collectors: () => collectors, envFiles: () => envFiles };
}
