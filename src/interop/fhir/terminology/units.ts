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
