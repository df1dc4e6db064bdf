/**
 * The caches of one language service instance, created with it and handed to whatever needs one
 * (there is no module-level mutable state in the core): parsed certificate files, the YAML chunks of
 * the last parse of each collector file, and the line tables of other files for related locations.
 * A new instance (new settings, a new workspace state) starts empty; tests never clear anything.
 */
import { LineTables } from './diagnostics';
import { LineTests } from './text/lineTests';
import { TextDeltas } from './text/textDelta';
import type { SuppressionMemo } from './project/suppressions';
import type { CertificateCache } from './certificates/certificateFiles';
import { createVirtualCache, type VirtualCache } from './certificates/virtualCertificates';
import type { ClusterIndex } from './model/cluster';
import type { ContainerContext } from './model/kubernetes';
import type { ManifestDocument } from './sources/kubernetesManifest';
import type { Runtime } from './runtime';
import type { RelatedLocation } from './languageTypes';
import type { Settings } from './settings';
import type { YamlChunkCache } from './yaml/yamlChunks';
import type { YamlDocumentCache } from './yaml/yamlDocuments';
import type { AppLinks } from './certificates/links';
import type { ReceiverEnd } from './certificates/receiverEnd';
import { AccessMemo } from './accessMemo';
import { createEnvVerdicts, type EnvVerdicts } from './checks/envVerdicts';

export interface Caches {
  /** Parsed certificate and key files, by path, size and mtime (certificates/certificateFiles.ts). */
  certificates: CertificateCache;
  /**
   * Chunks of the last parse of each collector file, reused after an edit (yaml/yamlChunks.ts). Absent for a
   * service that lives for one moment (the CLI): nothing is edited, and one whole-file parse of a config
   * (the same Document as its chunks assembled) costs less than its seven or so chunk parses and their
   * assembly (a tenth of the CLI's CPU over the bench's 1,000-file workspace).
   */
  yamlChunks?: YamlChunkCache;
  /** Documents of the last parse of each multi-document file (Kubernetes manifests), reused after an edit (yaml/yamlDocuments.ts). */
  yamlDocuments: YamlDocumentCache;
  /** Line tables of the texts related locations point into, updated with each new version (diagnostics.ts relatedAt). */
  lineTables: LineTables;
  /** Did-you-mean suggestions by variable name (schemas.ts suggestVariables is a pure function of the name), bounded. */
  suggestions: Map<string, string[]>;
  /** The env checks' verdicts per setting, by what they read of it (checks/envVerdicts.ts): an edit re-checks the settings it changed. */
  envVerdicts: EnvVerdicts;
  /** The change between a file's previous and current text, computed once per validation (text/textDelta.ts). */
  deltas: TextDeltas;
  /** Which lines of each file match the patterns sources look for before parsing (text/lineTests.ts). */
  lineTests: LineTests;
  /** The suppression comments of each file's last text (project/suppressions.ts), found again only on the lines an edit changed. */
  suppressions: SuppressionMemo;
  /** The Kubernetes objects of each parsed document and what the manifest's readers made of them, kept while the document is reused (sources/kubernetesManifest.ts). */
  manifestDocuments: WeakMap<object, ManifestDocument>;
  /** Keys, certificates and stand-in CAs made for cert-manager Certificates (certificates/virtualCertificates.ts). */
  virtual: VirtualCache;
  /**
   * The links of each app unit as its handshake check found them, by unit, for a service that lives for one
   * moment (the CLI: nothing changes between its checks and its TLS map; certificates/links.ts appLinks).
   * Absent in the server, whose files change under a service; emptied when the workspace index is another.
   */
  links?: WeakMap<object, { settings: Settings; links: AppLinks }>;
  /** The server end of each listener paired with, by listener, while what it read stands (accessMemo.ts): judged once, not once per exporter. */
  receiverEnds: AccessMemo<ReceiverEnd>;
}

/** Empty caches; `virtual` may be one an adapter keeps across services (the keys of what cert-manager will issue are costly to make). */
export function createCaches(virtual: VirtualCache = createVirtualCache(), oneMoment = false): Caches {
  const deltas = new TextDeltas();
  return {
    certificates: new Map(),
    ...(oneMoment ? {} : { yamlChunks: new Map() as YamlChunkCache }),
    yamlDocuments: new Map(),
    lineTables: new LineTables(deltas),
    suggestions: new Map(),
    envVerdicts: createEnvVerdicts(!oneMoment),
    manifestDocuments: new WeakMap(),
    deltas,
    lineTests: new LineTests(deltas),
    suppressions: new Map(),
    virtual,
    ...(oneMoment ? { links: new WeakMap() } : {}),
    receiverEnds: new AccessMemo(),
  };
}

/** What reading the files a config names needs: the outside world, the settings and the service's caches. */
export interface FileAccess {
  runtime: Runtime;
  settings: Settings;
  caches: Caches;
  /**
   * The container the process that reads the files runs in (a unit of a Kubernetes manifest, an
   * operator resource, Helm values): a path not on this machine and not mapped is then `container-path`,
   * not `file-not-found`.
   */
  container?: ContainerContext;
  /**
   * Told of each related location a check context makes in its own unit (with the unit span), so the
   * language service can move a kept result with its scope (../checkCache.ts).
   */
  noteRelated?(related: RelatedLocation, offset: number, length: number): void;
  /**
   * What the workspace's manifests say the cluster holds: a path in the container that is a key of a Secret
   * or ConfigMap is read from it (certificates/containerFiles.ts). Undefined: no manifest is known.
   */
  cluster?: ClusterIndex;
}
