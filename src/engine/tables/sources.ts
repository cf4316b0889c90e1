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
  // REFERENCE-2.md (intra-operative decisions, recurrence, growth kinetics, surgery elsewhere, post-operative strategy)
  'BONVALOT-2009': 'Bonvalot et al., primary retroperitoneal sarcomas: surgical factors and local control, 382 patients (PMID 19047280)',
  'BONVALOT-2019': 'Bonvalot et al., Ann Surg Oncol 2019;26:2286 (NetSarc: surgery inside vs outside the reference network)',
  'NICE-QS78': 'NICE sarcoma quality standard QS78 (2015), statement 4: RPS reaches an RPS-expert centre before any treatment',
  'UK-BSG-2024': 'Hayes et al., UK guidelines for the management of soft tissue sarcomas, Br J Cancer 2024',
  'NG-SWALLOW-2018': 'Ng & Swallow, palliative versus curative intent treatment of RPS, Chin Clin Oncol 2018',
  'PARK-2009': 'Park et al., Ann Surg 2009;250:977 (growth rate of locally recurrent retroperitoneal liposarcoma: the one centimetre per month rule)',
  'LR-DELAY-2019': 'Locoregional recurrence of RPS, 297 patients 1994–2017, "strategic delay" (PMID 30399202)',
  'RHU-2019': 'Rhu et al., Int J Clin Oncol 2019 (delay of salvage surgery for recurrent retroperitoneal liposarcoma)',
  'GROBMYER-2010': 'Grobmyer et al., recurrent retroperitoneal sarcoma: biology and therapy, J Am Coll Surg 2010',
  'LUCAS-1994': 'Lucas et al., Am J Clin Pathol 1994;102:677 (well-differentiated liposarcoma, 58 cases: dedifferentiation at recurrence)',
  'MEHRARA-2007': 'Mehrara et al., Cancer Res 2007;67:3970 (specific growth rate versus doubling time)',
  'DDLPS-MRI': 'Imaging reviews of liposarcoma (secondary): a new or enlarging solid nodule in a fatty tumour suggests dedifferentiation',
  'JONES-2010': 'Jones et al., Ann Surg Oncol 2010 (complete femoral nerve resection with soft tissue sarcoma: functional outcomes)',
  'PLEXOPATHY-2022': 'Postoperative lumbar plexopathy after retroperitoneal liposarcoma resection, J Electrodiagn Neuromuscul Dis 2022;24:109',
  'FERRARIS-2019': 'Ferraris et al., 2019 (iliocaval resection and reconstruction for retroperitoneal sarcoma, Milan)',
  'SCAN-2015': 'Singapore Cancer Network sarcoma workgroup, Ann Acad Med Singap 2015;44:484 (RPS evaluation, pathology and surgery)',
  'ASTRO-2021': 'Salerno et al., ASTRO guideline on radiation therapy for soft tissue sarcoma, Pract Radiat Oncol 2021;11:339',
  'SEER-EOD-2.1': 'SEER Extent of Disease 2.1, Retroperitoneum schema (which histologies are AJCC-staged)',
  'EXPERT-REVIEW': 'Retroplan expert review (sarcoma surgeon, pathologist, registrar) of 116 cases (issue 10): differential additions and patient-feature rules — consensus practice, not verified in a published source',
  // REFERENCE-2 §1 (intra-operative decision-making)
  'IVC-2012': 'Primary RPS involving the inferior vena cava: technique, morbidity, outcome. Ann Surg Oncol 2011, doi:10.1245/s10434-011-1954-2',
  'MACNEILL-2018': 'MacNeill, Gronchi, Miceli et al. (TARPSWG), Ann Surg 2018 (morbidity after radical resection of primary RPS)',
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
