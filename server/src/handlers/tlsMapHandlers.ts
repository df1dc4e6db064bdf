/**
 * The TLS map (protocol.ts tlsMapRequest): the server computes it, the client only draws. Live
 * updates: once a client has asked for the map, every change of what the workspace holds (an edit,
 * a file changed on disk, a certificate rewritten, settings, trust, the scan) sends it
 * tlsMapChangedNotification, at most once per TLS_MAP_CHANGE_DELAY_MS, and the client asks again
 * while its map is open. Clients that never ask (other editors) never get the notification.
 */
import type { Connection } from 'vscode-languageserver';
import { tlsMapChangedNotification, tlsMapRequest, type TlsMap } from '../protocol';
import type { WorkspaceState } from '../workspaceState';
import type { FeatureRunner } from './runSafe';

/** Changes closer together than this make one notification. */
export const TLS_MAP_CHANGE_DELAY_MS = 150;

const EMPTY_MAP: TlsMap = { nodes: [], edges: [], summary: { ok: 0, warning: 0, fails: 0, unknown: 0 } };

export function registerTlsMap(connection: Connection, state: WorkspaceState, runner: FeatureRunner): void {
  let watched = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  state.onChange = () => {
    if (!watched || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connection.sendNotification(tlsMapChangedNotification);
    }, TLS_MAP_CHANGE_DELAY_MS);
  };
  connection.onRequest(tlsMapRequest, (token) =>
    runner.run<TlsMap>('tls map', token, EMPTY_MAP, () => {
      watched = true;
      return state.tlsMap();
    }),
  );
}
