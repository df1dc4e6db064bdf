/**
 * The custom protocol, shared by the client and the server: command ids, setting names and every
 * custom request and notification as a typed `RequestType`/`NotificationType` (params and result),
 * so neither side casts. Each message says its direction. Imports nothing that pulls code into
 * the client bundle beyond vscode-languageserver-protocol, which the client carries anyway. The
 * commands the core's quick fixes invoke are defined in the core (service/commands.ts, no imports
 * itself) and re-exported here.
 */
import { NotificationType, NotificationType0, RequestType, RequestType0, type TextEdit } from 'vscode-languageserver-protocol';
import type { CertificatePlan, CertificateRequest, WriteResult } from './certificateWriter';
import type { GeneratedPaths } from './service/certificates/wireCertificates';
import type { TlsMap } from './service/features/tlsMap';

export type { CertificatePlan, CertificateProblem, CertificateProblemCode, CertificateRequest, PlannedFile, WriteResult, WrittenFile } from './certificateWriter';
export type { GeneratedPaths } from './service/certificates/wireCertificates';
export type { MapDiagnostic, MapEdge, MapListener, MapLocation, MapNode, TlsMap, Verdict } from './service/features/tlsMap';

/** Arguments of GENERATE_CERTIFICATES_COMMAND that a quick fix may pass. */
export interface GenerateCertificatesArguments {
  hosts?: string[];
  /** Absolute folder of an existing development CA (re-issue from a san-mismatch fix). */
  folder?: string;
}

/**
 * Client commands: GENERATE_CERTIFICATES_COMMAND (palette and quick fixes) opens the certificate
 * generation flow; ADD_PATH_MAPPING_COMMAND (quick fixes) adds `from` → `to` to `otlpTls.pathMappings`.
 */
export { ADD_PATH_MAPPING_COMMAND, GENERATE_CERTIFICATES_COMMAND } from './service/commands';

/** Client command: `OTLP TLS: Show TLS Map` opens the map of the workspace in a webview. */
export const SHOW_TLS_MAP_COMMAND = 'otlpTls.showTlsMap';

/** The configuration section read by the server through workspace/configuration. */
export const CONFIGURATION_SECTION = 'otlpTls';

/** `otlpTls.*` as VS Code stores it. */
export interface ClientSettings {
  /** Container path prefix → local folder (relative to the workspace folder, or absolute). */
  pathMappings?: Record<string, string>;
  /** Days before expiry at which cert-expiring-soon fires. */
  expiryWarningDays?: number;
  /** Values for ${env:VAR} in collector configs, on top of the server's process environment. */
  environment?: Record<string, string>;
  /** The SDK that reads the env files (an id of sdk/sdks.ts), or "any". */
  sdk?: string;
  /** Problems listed per file before one too-many-problems notice (0: all; default 500). */
  maxProblemsPerFile?: number;
}

/** `initializationOptions` the server understands (all optional; other clients send none). */
export interface InitializationOptions {
  /** The settings at start, as the client stores them (VS Code: `otlpTls.*`). */
  settings?: ClientSettings;
  /** False in an untrusted workspace (VS Code's restricted mode): nothing outside the workspace folders is read. Default true. */
  trusted?: boolean;
  /**
   * The client reports changes of the watched globs below (WATCHED_FILE_GLOB...) inside the workspace
   * folders (VS Code's client watches them): the server then trusts what it read of those files until
   * told, and sweeps only the others (handlers/fileSweep.ts). Default false.
   */
  watches?: boolean;
}

/** Globs the client watches so certificate and config changes on disk re-validate open files. */
export const WATCHED_FILE_GLOB = '**/*.{pem,crt,cer,key,yaml,yml,env,sh,properties,Dockerfile}';
export const WATCHED_DOTENV_GLOB = '**/.env*';
/** Dockerfiles and Containerfiles (a compose file's env_file with another name is re-read at the next edit). */
export const WATCHED_CONTAINER_GLOB = '**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*}';

/** Request client → server: host names for a development server certificate, from the workspace's configs. */
export const suggestedHostsRequest = new RequestType0<string[], void>('otlpTls/suggestedHosts');

export interface WireCertificatesParams {
  /** The collector config or env file to edit. */
  uri: string;
  /** The generated files, as they should be written into that document. */
  paths: GeneratedPaths;
}

/** Request client → server: the edits that point a collector config or env file at generated certificates. */
export const wireCertificatesRequest = new RequestType<WireCertificatesParams, TextEdit[], void>('otlpTls/wireCertificates');

/** A certificate request, with the folder that paths in messages are relative to (the workspace folder). */
export interface CertificatePlanParams extends CertificateRequest {
  /** Paths in messages are shown relative to this folder when inside it. */
  base?: string;
}

/**
 * Request client → server: what writing development certificates into `out` would do (the files,
 * which exist, whether the CA there is reused, what stops it), without writing anything.
 */
export const certificatePlanRequest = new RequestType<CertificatePlanParams, CertificatePlan, void>('otlpTls/certificatePlan');

export interface WriteCertificatesParams extends CertificatePlanParams {
  /** Replace the existing files the plan listed (the user confirmed), and a partial CA. */
  force: boolean;
}

/**
 * Request client → server: generates and writes development certificates (the server re-plans
 * first and refuses what the plan would refuse). Errors come back as `{ ok: false, problem }`
 * with a stable code; in an untrusted workspace the problem is `untrusted-workspace`. The server
 * re-reads the written files and re-validates the open documents itself.
 */
export const writeCertificatesRequest = new RequestType<WriteCertificatesParams, WriteResult, void>('otlpTls/writeCertificates');

/**
 * Notification client → server: the user trusted the workspace, so files outside the workspace
 * folders may now be read. The initial state travels in InitializationOptions.trusted.
 */
export const workspaceTrustedNotification = new NotificationType0('otlpTls/workspaceTrusted');

export interface FilesWrittenParams {
  /** Absolute paths. */
  paths: string[];
}

/**
 * Notification client → server: the client (or another tool) wrote these files. The server
 * re-reads them and re-validates, without waiting for the file watcher, which may report only a
 * new folder (outside the watched globs) or report it late.
 */
export const filesWrittenNotification = new NotificationType<FilesWrittenParams>('otlpTls/filesWritten');

/** What the server has done since it started, for tests and troubleshooting. */
export interface ServerStatistics {
  /** Documents validated (each validation of one version of one document counts once). */
  validations: number;
  /** Validations not published because the client already had that list for that version (another file's edit re-checked the document). */
  unchangedPublishes: number;
  /** Content changes received (didOpen and didChange notifications). */
  changes: number;
  /** Files read by the workspace scans. */
  scannedFiles: number;
  /** True once the workspace scan of every folder has finished. */
  scanned: boolean;
  /** Feature requests whose handler threw (answered empty, logged once per distinct error). */
  failedFeatures: number;
  /** Requests on a document slow to parse answered from its parsed older version, through the edits since (handlers/parsedView.ts). */
  answeredFromParsed: number;
  /** The server process's memory now (Node's process.memoryUsage(), bytes): what the heap holds, beside what the OS gave it. */
  memory?: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** Full collections made when the server went quiet after heavy work (idleCollector.ts); absent when Node gave the server no `gc()`. */
  idleCollections?: number;
}

/** Request client → server: the counters above. */
export const serverStatisticsRequest = new RequestType0<ServerStatistics, void>('otlpTls/statistics');

/**
 * Request client → server: the TLS map of the workspace (service/features/tlsMap.ts): nodes, edges with
 * their verdicts and the diagnostics that decide them, as the server's diagnostics have them. Read-only,
 * so it is answered in an untrusted workspace too (nothing outside the workspace folders is read).
 */
export const tlsMapRequest = new RequestType0<TlsMap, void>('otlpTls/tlsMap');

/**
 * Notification server → client: what the map shows may have changed (an edit, a file changed on disk,
 * settings, trust, the workspace scan). Sent, at most once per TLS_MAP_CHANGE_DELAY_MS (handlers/tlsMapHandlers.ts), only to a client
 * that has asked for the map once; the client asks again if its map is open.
 */
export const tlsMapChangedNotification = new NotificationType0('otlpTls/tlsMapChanged');
