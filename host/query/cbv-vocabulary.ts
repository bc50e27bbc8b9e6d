// The CBV 2.0 / GS1 Web Vocabulary words a query may name, and their expansion to the URIs the store
// keeps. The word lists mirror assembly/vocab/words.ts (the core's copy, which decides what is
// stored); tests/unit/query/cbv-vocabulary.test.ts fails when the two drift apart. The host keeps its
// own copy because the query path must not load Wasm and assembly/ is not host code.
import { isUri, type Read } from './parse-scalar-values.js';

export type Vocabulary = 'bizStep' | 'disposition' | 'bizTransactionType' | 'sourceDestType' | 'errorReason';

export const CBV_BASE = 'https://ref.gs1.org/cbv/';
export const GS1_VOC_BASE = 'https://ref.gs1.org/voc/';

// prettier-ignore
export const VOCABULARY_WORDS: Readonly<Record<Vocabulary | 'measurementType', readonly string[]>> = {
  bizStep: [
    'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning',
    'creating_class_instance', 'cycle_counting', 'decommissioning', 'departing', 'destroying',
    'disassembling', 'dispensing', 'encoding', 'entering_exiting', 'holding', 'inspecting', 'installing',
    'killing', 'loading', 'other', 'packing', 'picking', 'receiving', 'removing', 'repackaging',
    'repairing', 'replacing', 'reserving', 'retail_selling', 'shipping', 'staging_outbound',
    'stock_taking', 'stocking', 'storing', 'transporting', 'unloading', 'unpacking', 'void_shipping',
    'sensor_reporting', 'sampling',
  ],
  disposition: [
    'active', 'container_closed', 'damaged', 'destroyed', 'dispensed', 'disposed', 'encoded', 'expired',
    'in_progress', 'in_transit', 'inactive', 'no_pedigree_match', 'non_sellable_other',
    'partially_dispensed', 'recalled', 'reserved', 'retail_sold', 'returned', 'sellable_accessible',
    'sellable_not_accessible', 'stolen', 'unknown', 'available', 'completeness_verified',
    'completeness_inferred', 'conformant', 'container_open', 'mismatch_instance', 'mismatch_class',
    'mismatch_quantity', 'needs_replacement', 'non_conformant', 'unavailable',
  ],
  bizTransactionType: [
    'bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd',
    'testres', 'upevt',
  ],
  sourceDestType: ['owning_party', 'possessing_party', 'location'],
  errorReason: ['did_not_occur', 'incorrect_data'],
  measurementType: [
    'AbsoluteHumidity', 'AbsorbedDose', 'AbsorbedDoseRate', 'Acceleration', 'Radioactivity', 'Altitude',
    'AmountOfSubstance', 'AmountOfSubstancePerUnitVolume', 'Angle', 'AngularAcceleration',
    'AngularMomentum', 'AngularVelocity', 'Area', 'Capacitance', 'Conductance', 'Conductivity', 'Count',
    'Density', 'Dimensionless', 'DoseEquivalent', 'DoseEquivalentRate', 'DynamicViscosity',
    'ElectricCharge', 'ElectricCurrent', 'ElectricCurrentDensity', 'ElectricFieldStrength', 'Energy',
    'Exposure', 'Force', 'Frequency', 'Illuminance', 'Inductance', 'Irradiance', 'KinematicViscosity',
    'Length', 'LinearMomentum', 'Luminance', 'LuminousFlux', 'LuminousIntensity', 'MagneticFlux',
    'MagneticFluxDensity', 'MagneticVectorPotential', 'Mass', 'MassConcentration', 'MassFlowRate',
    'MassPerAreaTime', 'MemoryCapacity', 'MolalityOfSolute', 'MolarEnergy', 'MolarMass', 'MolarVolume',
    'Power', 'Pressure', 'RadiantFlux', 'RadiantIntensity', 'RelativeHumidity', 'Resistance',
    'Resistivity', 'SolidAngle', 'SpecificVolume', 'Speed', 'SurfaceDensity', 'SurfaceTension',
    'Temperature', 'Time', 'Torque', 'Voltage', 'Volume', 'VolumeFlowRate', 'VolumeFraction',
    'VolumetricFlux', 'Wavenumber', 'EffectiveDoseRate', 'Molar_concentration',
  ],
};

const SECTION: Readonly<Record<Vocabulary, string>> = {
  bizStep: 'BizStep-',
  disposition: 'Disp-',
  bizTransactionType: 'BTT-',
  sourceDestType: 'SDT-',
  errorReason: 'ER-',
};

const WORD_SETS = new Map<Vocabulary, ReadonlySet<string>>(
  (Object.keys(SECTION) as Vocabulary[]).map((v) => [v, new Set(VOCABULARY_WORDS[v])]),
);

// The GS1 JSON schema's `vocab-other-uri` pattern: CBV values in URN or old ns.gs1.org form are not
// allowed in EPCIS 2.0 JSON, so a query naming them could never match what the store holds.
const OLD_CBV_FORM = /^(urn:epcglobal:cbv|https?:\/\/ns\.gs1\.org\/cbv\/)/;

/**
 * A vocabulary value as the store keeps it: a bare word or `cbv:` CURIE becomes
 * https://ref.gs1.org/cbv/<Section>-<word>; other URIs pass through unchanged. CURIEs with other
 * prefixes are not expanded here (the query carries no @context), so they only match values captured
 * under the same spelling.
 */
export function expandVocabularyValue(vocabulary: Vocabulary, raw: string): Read<string> {
  if (WORD_SETS.get(vocabulary)?.has(raw) === true)
    return { ok: true, value: CBV_BASE + SECTION[vocabulary] + raw };
  if (raw.startsWith('cbv:')) return { ok: true, value: CBV_BASE + raw.slice(4) };
  if (OLD_CBV_FORM.test(raw)) {
    const word = (raw.split(/[:/]/).pop() ?? raw).replace(/^[A-Za-z]+-/, '');
    return {
      ok: false,
      detail: `uses the pre-2.0 CBV form "${raw}"; write the bare word instead (e.g. "${word}")`,
    };
  }
  if (isUri(raw)) return { ok: true, value: raw };
  const examples = VOCABULARY_WORDS[vocabulary].slice(0, 3).join(', ');
  return {
    ok: false,
    detail: `has "${raw}", which is neither a standard CBV ${vocabulary} word (such as ${examples}) nor a URI`,
  };
}

/** Every spelling of a measurement type a captured event may carry (the body is stored as written). */
export function measurementTypeSpellings(raw: string): Read<string[]> {
  const word = raw.startsWith('gs1:')
    ? raw.slice(4)
    : raw.startsWith(GS1_VOC_BASE)
      ? raw.slice(GS1_VOC_BASE.length)
      : raw;
  if (VOCABULARY_WORDS.measurementType.includes(word))
    return { ok: true, value: [word, `gs1:${word}`, GS1_VOC_BASE + word] };
  if (isUri(raw)) return { ok: true, value: [raw] };
  return {
    ok: false,
    detail: `has "${raw}", which is neither a GS1 measurement type (such as Temperature) nor a URI`,
  };
}
