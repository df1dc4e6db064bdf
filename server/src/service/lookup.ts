/**
 * Tables and objects keyed by text from the user's files. A plain object answers `constructor`,
 * `toString` or `hasOwnProperty` from Object.prototype, and `obj["__proto__"] = value` replaces its
 * prototype instead of adding a key: a receiver named `__proto__` made the CLI stop with "blockFileSettings is
 * not a function" (issue 15's fuzzer, case 5955 of seed 1), a `min_version: constructor` passed `in`.
 * - `table`: a constant lookup table with no prototype, so only its own keys answer;
 * - `setOwn`: writes `key` as an own, enumerable property whatever it is (`__proto__` included), so a value
 *   built from a mapping (for ajv, for a label selector) holds every key the file wrote;
 * - `own`: reads only an own property.
 */
export function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function own<T>(source: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(source, key) ? source[key] : undefined;
}
