/**
 * The choices of the development certificate command (key algorithms, default validity), without
 * the PKI engine: the VS Code client imports these for its prompts and carries no X.509 library
 * (the server generates and writes the files). devCertificates.ts re-exports them.
 */

export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ecdsa-p256', 'rsa-2048', 'rsa-3072', 'rsa-4096'];

export const KEY_ALGORITHM_LABELS: Readonly<Record<KeyAlgorithm, string>> = {
  'ecdsa-p256': 'ECDSA P-256',
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
};

/** A suggested validity for leaves (the CLI's `--days` default). */
export const DEFAULT_LEAF_DAYS = 365;
export const DEFAULT_CLIENTS: readonly string[] = ['client'];
