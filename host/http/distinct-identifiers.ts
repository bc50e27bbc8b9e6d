// One object is one EPC on output too. A captured list may name the same object in two spellings
// (`urn:epc:id:sscc:4012345.0000000333` and `https://id.gs1.org/00/040123450000003338`); the
// stored text keeps both, because the CBV 2.0 hash ID is computed from the event as captured
// (assembly/capture/extract-keys.ts says why), but an answer listing the object twice breaks the
// schema's uniqueItems once both become the same Digital Link, and tells a client two objects were
// there. So every answered event keeps the first entry of each object, in the spelling it was
// captured in (Never_Translates) or translated (Always_GS1_Digital_Link), and drops the repeats.
// The core's index keys drop the same ones, so answers and index agree.

type Json = Record<string, unknown>;

/** The lists the EPCIS schema declares uniqueItems (its `epcList` definition). */
const EPC_LISTS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;

/**
 * Removes (in place) every entry of the event's EPC lists whose canonical identifier an earlier
 * entry of the same list already has. `canonical` maps an identifier to its canonical form (the
 * core's, through the host's memo); entries that are not strings are left alone.
 */
export function dropRepeatedEpcs(event: Json, canonical: (id: string) => string): void {
  for (const field of EPC_LISTS) {
    const list = event[field];
    if (!Array.isArray(list) || list.length < 2) continue;
    const seen = new Set<string>();
    const kept = list.filter((id: unknown) => {
      if (typeof id !== 'string') return true;
      const key = canonical(id);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (kept.length !== list.length) event[field] = kept;
  }
}
