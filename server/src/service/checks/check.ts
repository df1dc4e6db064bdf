/** The interface every check implements; the list of checks is in ../languageService.ts. */
import type { Problem } from '../languageTypes';
import type { Runtime } from '../runtime';
import type { Settings } from '../settings';
import type { CollectorModel } from '../model/collector';
import type { EnvModel } from '../sources/envFile';
import type { WorkspaceIndex } from '../model/workspace';

export interface SourceDocument {
  /** Absolute file system path (the CLI and the server turn URIs into paths before calling the core). */
  path: string;
  text: string;
}

interface BaseContext {
  document: SourceDocument;
  runtime: Runtime;
  settings: Settings;
  /** The other collector configs and env files of the workspace, for cross-file checks. */
  workspace: WorkspaceIndex;
}

export interface CollectorCheckContext extends BaseContext {
  kind: 'collector';
  model: CollectorModel;
}

export interface EnvCheckContext extends BaseContext {
  kind: 'env';
  model: EnvModel;
}

export type CheckContext = CollectorCheckContext | EnvCheckContext;

export interface Check<C extends CheckContext = CheckContext> {
  /** Same as the file name, so a newcomer finds the check by its name. */
  name: string;
  kind: C['kind'];
  run(context: C): Problem[];
}
