/**
 * Code system URIs as hospitals send them, mapped to one canonical URI each.
 * Sources: HL7 FHIR R4 "Using codes" / terminology.hl7.org code-system registry
 * (canonical URIs) and the HL7 OID registry (urn:oid forms):
 * SNOMED CT 2.16.840.1.113883.6.96, LOINC 2.16.840.1.113883.6.1, UCUM 2.16.840.1.113883.6.8,
 * ICD-10 (WHO) 2.16.840.1.113883.6.3, ICD-10-CM 2.16.840.1.113883.6.90, ICD-O-3 2.16.840.1.113883.6.43.1.
 */

export const CANONICAL = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icdo3: 'http://terminology.hl7.org/CodeSystem/icd-o-3',
} as const;

export type CodeSystemId = keyof typeof CANONICAL;

/** Every spelling of a system Retroplan accepts, lower-cased, without a trailing slash. */
const ALIASES: Readonly<Record<string, CodeSystemId>> = {
  'http://snomed.info/sct': 'snomed',
  'urn:oid:2.16.840.1.113883.6.96': 'snomed',
  'http://loinc.org': 'loinc',
  'urn:oid:2.16.840.1.113883.6.1': 'loinc',
  'http://unitsofmeasure.org': 'ucum',
  'urn:oid:2.16.840.1.113883.6.8': 'ucum',
  'http://hl7.org/fhir/sid/icd-10': 'icd10',
  'urn:oid:2.16.840.1.113883.6.3': 'icd10',
  'http://www.who.int/classifications/icd10': 'icd10',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10cm',
  'urn:oid:2.16.840.1.113883.6.90': 'icd10cm',
  'http://terminology.hl7.org/codesystem/icd-o-3': 'icdo3',
  'http://terminology.hl7.org/codesystem/icd-o': 'icdo3',
  'urn:oid:2.16.840.1.113883.6.43.1': 'icdo3',
};

/** The code system a Coding.system names, or undefined when Retroplan does not know it. */
export function systemOf(system: string | undefined): CodeSystemId | undefined {
  if (system === undefined) return undefined;
  const key = system.trim().replace(/\/+$/, '').toLowerCase();
  return ALIASES[key];
}

/** ICD-10 and ICD-10-CM share the C/D chapter codes Retroplan reads (C48.0 is the same code in both). */
export function isIcd10Family(id: CodeSystemId | undefined): boolean {
  return id === 'icd10' || id === 'icd10cm';
}
