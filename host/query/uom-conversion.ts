// Unit conversion for sensor value parameters such as GE_value_KEL. Sensor readings are stored as
// captured (value + UN/ECE Rec 20 uom), and EPCIS expects `GE_value_KEL=300` to match a reading of
// 30 CEL (TCR-53 step 26). Rather than converting every stored reading in SQL, the query threshold is
// converted into each unit of the same dimension: every conversion here is linear with a positive
// factor, so `value ≥ t` in one unit is `value ≥ t'` in another.

interface Unit {
  dimension: string;
  /** value in the dimension's base unit = value × factor + offset */
  factor: number;
  offset: number;
}

const linear = (dimension: string, factor: number, offset = 0): Unit => ({ dimension, factor, offset });

// The units sensors commonly report in. A unit not listed here is compared only with itself.
const UNITS: Readonly<Record<string, Unit>> = {
  KEL: linear('temperature', 1),
  CEL: linear('temperature', 1, 273.15),
  FAH: linear('temperature', 5 / 9, 273.15 - (32 * 5) / 9),
  KGM: linear('mass', 1),
  GRM: linear('mass', 1e-3),
  MGM: linear('mass', 1e-6),
  TNE: linear('mass', 1e3),
  LBR: linear('mass', 0.45359237),
  ONZ: linear('mass', 0.028349523125),
  MTR: linear('length', 1),
  KMT: linear('length', 1e3),
  CMT: linear('length', 1e-2),
  MMT: linear('length', 1e-3),
  INH: linear('length', 0.0254),
  FOT: linear('length', 0.3048),
  MTQ: linear('volume', 1),
  LTR: linear('volume', 1e-3),
  MLT: linear('volume', 1e-6),
  CMQ: linear('volume', 1e-6),
  GLL: linear('volume', 0.003785411784),
  PAL: linear('pressure', 1),
  KPA: linear('pressure', 1e3),
  MBR: linear('pressure', 1e2),
  BAR: linear('pressure', 1e5),
  SEC: linear('time', 1),
  MIN: linear('time', 60),
  HUR: linear('time', 3600),
  MTS: linear('speed', 1),
  KMH: linear('speed', 1 / 3.6),
};

/** `value` (in `uom`) expressed in every unit a stored reading could carry for the same quantity. */
export function equivalentThresholds(uom: string, value: number): { uom: string; value: number }[] {
  const from = UNITS[uom];
  if (from === undefined) return [{ uom, value }];
  const base = value * from.factor + from.offset;
  return Object.entries(UNITS)
    .filter(([, to]) => to.dimension === from.dimension)
    .map(([code, to]) => ({ uom: code, value: code === uom ? value : (base - to.offset) / to.factor }));
}
