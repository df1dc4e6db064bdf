/**
 * Every request handler runs through `FeatureRunner.run` (as vscode-json-languageservice's host
 * runs its `runSafe`): off the message loop's current turn, so a `$/cancelRequest`, an edit or a
 * close that arrived right after the request is seen first; an exception is logged once (per feature and message) and the
 * feature answers its empty value, never a failed request. The runner also tells the validation
 * queue and the workspace scan when requests are waiting, so they step aside.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';

/** Distinct failures logged before the log goes quiet (a fuzzer may find many). */
const MAX_LOGGED = 100;

export class FeatureRunner {
  /** Requests received and not started yet. */
  private pending = 0;
  /** Handlers that threw (each answered with its empty value). */
  failures = 0;
  private readonly logged = new Set<string>();

  constructor(private readonly connection: Connection) {}

  /** True while requests wait: background work (validation, the scan) yields to them. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Runs `work` on the next turn unless cancelled by then; `fallback` when it throws. */
  run<T>(feature: string, token: CancellationToken | undefined, fallback: T, work: () => T | Promise<T>): Promise<T | ResponseError<void>> {
    this.pending++;
    return new Promise<T | ResponseError<void>>((resolve) => {
      // Two turns: the message loop handles one message per turn, so a didChange, didClose or
      // $/cancelRequest sent right after this request is seen before the work starts.
      afterTwoTurns(async () => {
        // Started: no longer waiting (an async part, like key generation, does not hold back the validation queue).
        this.pending--;
        try {
          if (token?.isCancellationRequested) return resolve(cancelled());
          const result = await work();
          resolve(token?.isCancellationRequested ? cancelled() : result);
        } catch (error) {
          this.failed(feature, error);
          resolve(fallback);
        }
      });
    });
  }

  /** Logs a failure once per feature and message (with its stack), so a flood of one error stays one line. */
  failed(feature: string, error: unknown): void {
    this.failures++;
    const message = error instanceof Error ? error.message : String(error);
    const key = `${feature}\0${message}`;
    if (this.logged.has(key) || this.logged.size > MAX_LOGGED) return;
    this.logged.add(key);
    if (this.logged.size > MAX_LOGGED) {
      this.connection.console.error(`otlp-tls: more than ${MAX_LOGGED} distinct failures; further ones are counted, not logged`);
      return;
    }
    const stack = error instanceof Error && error.stack ? error.stack : message;
    this.connection.console.error(`otlp-tls: ${feature} failed (answered empty; logged once): ${stack}`);
  }
}

function afterTwoTurns(work: () => void): void {
  setImmediate(() => setImmediate(work));
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
