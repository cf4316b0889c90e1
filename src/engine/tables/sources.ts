/**
 * Short names of the published sources the engine cites, with their full
 * references. Every clinical rule names one or more of these ids next to it
 * (REFERENCE.md, "Main sources").
 */
export const SOURCES = {
  AJCC8: 'AJCC Cancer Staging Manual, 8th ed. (2017), "Soft tissue sarcoma of the retroperitoneum" (Pollock et al.), as reprinted in NCI PDQ Soft Tissue Sarcoma Treatment (HP)',
  FNCLCC: 'FNCLCC grading: Trojani 1984; Guillou et al., J Clin Oncol 1997;15:350; Coindre, Arch Pathol Lab Med 2006;130:1448',
  'COINDRE-2006': 'Coindre, Arch Pathol Lab Med 2006;130:1448 (grading caveats for core biopsies, DD-LPS and MPNST)',
  'DEYRUP-2006': 'Deyrup & Weiss, Histopathology 2006 (grading of soft tissue sarcomas: limits)',
  CAP: 'College of American Pathologists, soft tissue protocol (HPF area 0.1734 mm² at ×400; margin definitions; grossing)',
  'TARPSWG-2015': 'Trans-Atlantic RPS Working Group, Ann Surg Oncol 2015;22:256',
  'TARPSWG-2021': 'Swallow et al. (TARPSWG), Ann Surg Oncol 2021;28:7873',
  'TARPSWG-REC-2016': 'TARPSWG consensus on recurrent retroperitoneal sarcoma, 2016',
  'TARPSWG-REC-2022': 'TARPSWG consensus on recurrent retroperitoneal sarcoma, 2022 update',
  STRASS: 'Bonvalot et al., Lancet Oncol 2020;21:1366 (EORTC 62092, STRASS)',
  STREXIT: 'Callegaro et al., Ann Surg 2023;278:127 (STREXIT)',
  STRASS2: 'EORTC 1809 STRASS2, NCT04031677 (neoadjuvant chemotherapy for high-risk LMS and DD-LPS)',
  'GRONCHI-2016': 'Gronchi et al., Ann Surg 2016;263:1002 (1,007 primary RPS)',
  'GRONCHI-2013': 'Gronchi et al., J Clin Oncol 2013;31:1649 (Sarculator RPS nomogram)',
  'DALAL-2006': 'Dalal et al., Ann Surg 2006 (MSKCC retroperitoneal liposarcoma nomogram)',
  'HAAS-2019': 'Haas et al., Cancer 2019 (607 retroperitoneal liposarcomas)',
  'GLADDY-2013': 'Gladdy et al., 2013 (abdominal and retroperitoneal leiomyosarcoma: recurrence patterns)',
  'ESMO-2010': 'ESMO clinical practice guidelines for soft tissue sarcoma, 2010',
  'ESMO-2021': 'ESMO–EURACAN–GENTURIS clinical practice guidelines for soft tissue sarcoma, 2021',
  PDQ: 'NCI PDQ Soft Tissue Sarcoma Treatment (Health Professional Version)',
  'VANDERVEEN-2009': 'Vanderveen et al., 2009 (biopsy of paragangliomas without prior biochemistry: complications)',
  'WILKINSON-2015': 'Wilkinson et al., 2015 (core biopsy of RPS does not raise local recurrence)',
  'CHO-2018': 'Cho et al., 2018 (renal function after en bloc nephrectomy for RPS)',
  'WHITE-2005': 'White et al., 2005 (tumour cells beyond the visible edge of high-grade sarcomas)',
  PATHOLOGYOUTLINES: 'PathologyOutlines.com, dedifferentiated liposarcoma and undifferentiated pleomorphic sarcoma',
  'NCDB-VOLUME': 'NCDB analyses of hospital volume in RPS (6,950 primary RPS; 3,803 resected RPS)',
  'SWEDEN-REFERRAL': 'Swedish population series on referral of RPS before or after any procedure',
  // REFERENCE-2 (intra-operative decision-making, §1)
  'BONVALOT-2009': 'Bonvalot et al., J Clin Oncol 2009;27:31 (382 primary RPS: surgical factors and local control; rupture)',
  'FERRARIS-2019': 'Ferraris, Callegaro, Barretta et al., 2019 (iliocaval resection and reconstruction for RPS, Milan)',
  'GROBMYER-2010': 'Grobmyer, Wilson, Apel et al., J Am Coll Surg 2010 (recurrent retroperitoneal sarcoma)',
  'IVC-2012': 'Primary RPS involving the inferior vena cava: technique, morbidity, outcome. Ann Surg Oncol 2011, doi:10.1245/s10434-011-1954-2',
  'JONES-2010': 'Jones, Ferguson, Deheshi et al., Ann Surg Oncol 2010 (complete femoral nerve resection: function)',
  'MACNEILL-2018': 'MacNeill, Gronchi, Miceli et al. (TARPSWG), Ann Surg 2018 (morbidity after radical resection of primary RPS)',
  'NG-SWALLOW-2018': 'Ng & Swallow, Chin Clin Oncol 2018 (palliative versus curative intent in RPS)',
  'PLEXOPATHY-2022': 'Postoperative lumbar plexopathy after retroperitoneal liposarcoma resection, J Electrodiagn Neuromuscul Dis 2022;24:109',
  'SCAN-2015': 'Singapore Cancer Network sarcoma workgroup, Ann Acad Med Singap 2015;44:484 (RPS evaluation, pathology, surgery)',
  'SCHWARZBACH-2006': 'Schwarzbach, Hormann, Hinz et al., J Vasc Surg 2006 (RPS with major blood vessel involvement)',
  'STAHL-USSC': 'Stahl, Schwartz, Ethun et al. (US Sarcoma Collaborative): renal function after RPS resection with nephrectomy',
  'TAN-2016': 'Tan et al., Ann Surg 2016;263:593 (histology-based classification of primary RPS recurrence)',
  'UMICH-GROSS': 'University of Michigan pathology grossing manual, soft tissue tumours (2012)',
  'VASC-SR-2023': 'Vascular resection and reconstruction for RPS: a systematic review, BMC Surg 2023',
  SEED: 'Retroplan seed chapter: evaluation and resection of retroperitoneal sarcoma (teaching text)',
} as const;

export type SourceId = keyof typeof SOURCES;

/** Strength of the evidence behind a rule (REFERENCE.md evidence marks). */
export type EvidenceLevel = 'verified' | 'secondary' | 'consensus' | 'illustrative';
