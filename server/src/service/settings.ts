/** User settings the core understands. The VS Code client contributes them as `otlpTls.*`. */
import type { SdkId } from './sdk/sdks';

export interface PathMapping {
  /** Prefix as written in configs, e.g. `/etc/otel/certs`. */
  from: string;
  /** Local absolute path that replaces it. */
  to: string;
}

export interface Settings {
  pathMappings: PathMapping[];
  /** `cert-expiring-soon` fires this many days before `notAfter`. */
  expiryWarningDays: number;
  /** Workspace roots, absolute; relative paths are tried against them after the referring file's folder. */
  workspaceRoots: string[];
  /** The SDK that reads the env files, when known (a `# otlp-tls: sdk=` comment in a file wins). */
  sdk?: SdkId;
}

export const defaultSettings: Settings = {
  pathMappings: [],
  expiryWarningDays: 30,
  workspaceRoots: [],
};
