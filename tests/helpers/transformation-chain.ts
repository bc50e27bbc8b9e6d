// The shape that made GET /trace quadratic (issue 9): a root transformed into `width` items, those
// `width` items transformed together into `width` new ones, and so on for `layers` layers. Every
// TransformationEvent is a bipartite clique of width × width input/output pairs.
import { type EpcisEvent, sgtin, transformationEvent } from './epcis-builders.js';

/** The root of every chain. */
export const CHAIN_ROOT = sgtin(1, '399999');

/** The items of layer `layer` (1-based): serials 1..width of product 4000ll. */
export function chainLayer(layer: number, width: number): string[] {
  const product = String(400_000 + layer);
  return Array.from({ length: width }, (_, i) => sgtin(i + 1, product));
}

/** One TransformationEvent per layer, each turning the previous layer (or the root) into the next. */
export function transformationChain(width: number, layers: number): EpcisEvent[] {
  return Array.from({ length: layers }, (_, k) => {
    const inputs = k === 0 ? [CHAIN_ROOT] : chainLayer(k, width);
    const minute = String(k % 60).padStart(2, '0');
    return transformationEvent(
      `2026-04-01T${String(6 + Math.floor(k / 60)).padStart(2, '0')}:${minute}:00Z`,
      inputs,
      chainLayer(k + 1, width),
    );
  });
}
