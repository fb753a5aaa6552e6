// The renderer's only way out: a typed, validated SpoolBridge over the raw line to the engine
// (Electron's preload, or the browser host's WebSocket; see raw.ts). Same JSON-RPC either way.
import type { SpoolBridge } from '../../shared/bridge.ts';
import { getRawBridge, takePrefetched } from './raw.ts';
import { validatedBridge } from './validated.ts';

export { onConnectionChange, untilConnected } from './raw.ts';

let bridge: SpoolBridge | null = null;

export function getBridge(): SpoolBridge {
  bridge ??= validatedBridge(getRawBridge(), takePrefetched);
  return bridge;
}
