/**
 * The interface every check implements, and what a check gets: one unit (a collector config, or
 * one app's OTLP settings), the file it sits in, the outside world, the settings, the workspace and
 * the service's caches. The list of checks is in ../languageService.ts.
 */
import type { FileAccess } from '../caches';
import { relatedAt, type LineTables } from '../diagnostics';
import type { KeyPath, Locator, Problem, RelatedLocation } from '../languageTypes';
import type { CollectorModel } from '../model/collector';
import { partAt, type AppUnit, type CollectorUnit, type Unit } from '../model/units';
import type { WorkspaceIndex } from '../model/workspace';
import type { ClusterIndex } from '../model/cluster';
import type { KubernetesObject } from '../model/kubernetes';
import type { SdkId } from '../sdk/sdks';
import { withMounts, type PathMapping } from '../settings';
import { spanToFile } from '../sources/embedded';

export interface SourceDocument {
  /** Absolute file system path (the CLI and the server turn URIs into paths before calling the core). */
  path: string;
  text: string;
}

interface BaseContext extends FileAccess {
  /** Absolute path of the file the unit sits in; certificate paths are resolved from its folder. */
  path: string;
  /** The unit's text: problems and model offsets are offsets into it. */
  text: string;
  /** The other collector configs and apps of the workspace, for cross-file checks. */
  workspace: WorkspaceIndex;
  /** A related location at a span of this unit. */
  related(offset: number, length: number, message: string): RelatedLocation;
}

export interface CollectorCheckContext extends BaseContext {
  kind: 'collector';
  unit: CollectorUnit;
  model: CollectorModel;
  /** The locator of the entry at `path` of this unit. */
  at(path: KeyPath): Locator;
}

export interface AppCheckContext extends BaseContext {
  kind: 'app';
  unit: AppUnit;
  /** The SDK that reads these settings: named by the source (`# otlp-tls: sdk=`), else by the setting otlpTls.sdk. */
  sdk: SdkId | undefined;
}

/**
 * What a manifest check gets: the Kubernetes objects of one file (Certificates, Issuers, Services...,
 * which are no unit), with the workspace's cluster index. Offsets are the file's.
 */
export interface ManifestCheckContext extends BaseContext {
  kind: 'manifest';
  objects: readonly KubernetesObject[];
  cluster: ClusterIndex;
  /** The locator of the entry at `path` of object `index` (of ParsedFile.kubernetes). */
  at(index: number, path: KeyPath): Locator;
}

export type CheckContext = CollectorCheckContext | AppCheckContext | ManifestCheckContext;

export interface Check<C extends CheckContext = CheckContext> {
  /** Same as the file name, so a newcomer finds the check by its name. */
  name: string;
  kind: C['kind'];
  /**
   * A collector check that reads only what its model's components, blocks, listeners and exporters
   * hold (not the rest of the unit): the language service runs it on each scope of a cut config (one
   * component) and keeps its problems while that component is unchanged. A check without it runs on
   * the whole unit every time.
   */
  perComponent?: boolean;
  run(context: C): Problem[];
}

/**
 * What the checks of `unit`, a unit of the file `file`, get. Container paths resolve through `mounts`
 * (a compose service's bind mounts; for a collector config, those of the service that mounts it) before
 * the path mappings; a related location inside one of an app unit's parts points at that file.
 */
export function createCheckContext(unit: Unit, file: SourceDocument, access: FileAccess, workspace: WorkspaceIndex, mounts?: PathMapping[]): CheckContext {
  const allMounts = [...(mounts ?? []), ...(unit.kind === 'app' ? (unit.mounts ?? []) : [])];
  const settings = allMounts.length ? withMounts(access.settings, allMounts) : access.settings;
  const cluster = workspace.cluster();
  const container = cluster.containerOf(unit.container);
  const base = {
    ...access,
    settings,
    cluster,
    ...(container ? { container } : {}),
    path: file.path,
    text: unit.text,
    workspace,
    related: (offset: number, length: number, message: string) => {
      const related = unitRelated(unit, file, access.caches.lineTables, offset, length, message);
      access.noteRelated?.(related, offset, length);
      return related;
    },
  };
  if (unit.kind === 'collector') {
    return { ...base, kind: 'collector', unit, model: unit.model, at: (path) => ({ collector: unit.index, path }) };
  }
  // The SDK the source names wins over the setting (a `# otlp-tls: sdk=` line overrides otlpTls.sdk).
  return { ...base, kind: 'app', unit, sdk: unit.sdk ?? access.settings.sdk };
}

/**
 * A related location at a span of `unit` (unit offsets), a unit of the file `file`: in the file it
 * maps to, or in the file of the app unit's part that holds it.
 */
export function unitRelated(unit: Unit, file: SourceDocument, lineTables: LineTables, offset: number, length: number, message: string): RelatedLocation {
  const part = unit.kind === 'app' ? partAt(unit, offset) : undefined;
  if (part) return relatedAt(lineTables, part.path, unit.text.slice(part.offset, part.offset + part.length), offset - part.offset, length, message);
  const inFile = spanToFile(unit.offsets, offset, length);
  return relatedAt(lineTables, file.path, file.text, inFile.offset, inFile.length, message);
}

/** What the manifest checks of `file` get: its Kubernetes objects, in file offsets. */
export function createManifestContext(objects: readonly KubernetesObject[], file: SourceDocument, access: FileAccess, workspace: WorkspaceIndex): ManifestCheckContext {
  const cluster = workspace.cluster();
  return {
    ...access,
    cluster,
    kind: 'manifest',
    path: file.path,
    text: file.text,
    workspace,
    objects,
    related: (offset, length, message) => relatedAt(access.caches.lineTables, file.path, file.text, offset, length, message),
    at: (index, path) => ({ object: index, path }),
  };
}
