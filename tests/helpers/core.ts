// One TrackerCore per test file, loaded from the real build/tracker.wasm.
import { TrackerCore, type TrackerCoreOptions } from '../../host/core/gateway.js';

export function loadCore(options: TrackerCoreOptions = {}): Promise<TrackerCore> {
  return TrackerCore.load(options);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const json = (value: unknown): Uint8Array => utf8(JSON.stringify(value));
