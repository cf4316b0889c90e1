/**
 * UCUM length units → centimetres (UCUM specification: mm, cm, m are metric
 * prefixes of the metre; [in_i] is the international inch, exactly 2.54 cm).
 * Only the coded unit (Quantity.code with a UCUM system, or no system) is read.
 */
const TO_CM: Readonly<Record<string, number>> = {
  mm: 0.1,
  cm: 1,
  m: 100,
  '[in_i]': 2.54,
};

export const LENGTH_UNITS = Object.keys(TO_CM);

export function lengthToCm(value: number, ucumCode: string): number | undefined {
  const factor = TO_CM[ucumCode];
  return factor === undefined ? undefined : Math.round(value * factor * 1000) / 1000;
}

/**
 * Moves the decimal point of a number by `places` (× 10^places) on its shortest decimal
 * spelling, so 50.4 Gy is exactly 5040 cGy and back (binary `× 100` would give 5039.999…).
 */
export function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/**
 * UCUM units of absorbed dose → gray (UCUM: Gy is J/kg; cGy is the centi-prefixed gray, the unit
 * mCODE fixes for RadiotherapyDoseDeliveredToVolume.totalDoseDelivered). Other units (rad, mGy…)
 * are not read: a radiotherapy course dose is written in Gy or cGy, and anything else is more
 * likely a mistake than a unit to convert.
 */
const DOSE_DECIMAL_PLACES: Readonly<Record<string, number>> = { Gy: 0, cGy: -2 };

export const DOSE_UNITS = Object.keys(DOSE_DECIMAL_PLACES);

export function doseToGy(value: number, ucumCode: string): number | undefined {
  const places = DOSE_DECIMAL_PLACES[ucumCode];
  return places === undefined ? undefined : shiftDecimal(value, places);
}

/** Gy → cGy, exactly (the unit mCODE's dose-delivered extension requires). */
export function gyToCgy(gy: number): number {
  return shiftDecimal(gy, 2);
}
