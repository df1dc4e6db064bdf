/**
 * The editor commands the core's quick fixes invoke (the VS Code client registers them; other
 * editors may). The protocol module shared with the client re-exports them.
 */

/** Opens the certificate generation flow. Arguments: none, or [{ hosts: string[], folder: string }] to re-issue. */
export const GENERATE_CERTIFICATES_COMMAND = 'otlpTls.generateDevCertificates';

/**
 * Adds `from` → `to` to the workspace's `otlpTls.pathMappings`.
 * Arguments: [{ from: string, to: string }] (`to` relative to the first workspace folder, or absolute).
 */
export const ADD_PATH_MAPPING_COMMAND = 'otlpTls.addPathMapping';
