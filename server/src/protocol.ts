/**
 * Shared by the client and the server: command ids, setting names and the settings' shape as VS Code
 * stores them. The commands the core's quick fixes invoke are defined in the core (service/commands.ts,
 * no imports itself) and re-exported here.
 */

/**
 * Client commands: GENERATE_CERTIFICATES_COMMAND (palette and quick fixes) opens the certificate
 * generation flow; ADD_PATH_MAPPING_COMMAND (quick fixes) adds `from` → `to` to `otlpTls.pathMappings`.
 */
export { ADD_PATH_MAPPING_COMMAND, GENERATE_CERTIFICATES_COMMAND } from './service/commands';

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
}

/** Globs the client watches so certificate and config changes on disk re-validate open files. */
export const WATCHED_FILE_GLOB = '**/*.{pem,crt,cer,key,yaml,yml,env,sh}';
export const WATCHED_DOTENV_GLOB = '**/.env*';

/** Request client → server: host names for a development server certificate. Params: none. Result: string[]. */
export const SUGGESTED_HOSTS_REQUEST = 'otlpTls/suggestedHosts';

/**
 * Request client → server: the edits that point a collector config or env file at generated
 * certificates. Params: { uri, paths: { ca, serverCert, serverKey, clientCert?, clientKey?, hosts } }
 * (paths as they should be written). Result: TextEdit[] for that document.
 */
export const WIRE_CERTIFICATES_REQUEST = 'otlpTls/wireCertificates';

/**
 * Notification client → server: the user trusted the workspace, so files outside the workspace
 * folders may now be read. The initial state travels in initializationOptions.trusted.
 */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'otlpTls/workspaceTrusted';

/**
 * Notification client → server: the client wrote these files (absolute paths), e.g. generated
 * certificates. The server re-reads them and re-validates, without waiting for the file watcher,
 * which may report only the new folder (outside the watched globs) or report it late.
 * Params: { paths: string[] }.
 */
export const FILES_WRITTEN_NOTIFICATION = 'otlpTls/filesWritten';
