import { ENGINE_VERSION, RULES_VERSION } from './version.ts';

/**
 * Retroplan's intended use and limitations, written once. The CLI (`retroplan about`),
 * the web app's About page, the printed reports, the README section and the safety
 * case all render this data, so they cannot drift apart. The statement follows the
 * headings a clinical risk management file asks for (DCB0129 "intended use"; the FDA's
 * non-device CDS criteria: intended users, population, inputs, basis shown, limitations).
 */
export interface IntendedUseSection {
  readonly id: string;
  readonly title: string;
  readonly items: readonly string[];
}

export interface IntendedUse {
  readonly product: string;
  /** One sentence, shown wherever space is short (report footers, CDS cards). */
  readonly summary: string;
  readonly sections: readonly IntendedUseSection[];
}

export const INTENDED_USE: IntendedUse = {
  product: 'Retroplan — clinical decision support for retroperitoneal sarcoma',
  summary:
    'Decision support for sarcoma multidisciplinary teams: it lists options with their reasons, sources and evidence level; ' +
    'it does not make the decision and does not replace the MDT, specialist imaging review or pathology.',
  sections: [
    {
      id: 'purpose',
      title: 'What it is for',
      items: [
        'To help a sarcoma multidisciplinary team (MDT) prepare and discuss the work-up and treatment of a retroperitoneal mass: diagnosis and differential, FNCLCC grade, AJCC 8th-edition stage, histology-driven strategy, en bloc resection planning, margins, surveillance and referral.',
        'Every conclusion is shown with its reasons, its sources and the strength of its evidence (verified, consensus or teaching illustration), so that the clinician can check the basis independently instead of relying on the software.',
      ],
    },
    {
      id: 'users',
      title: 'Intended users',
      items: [
        'Members of a sarcoma MDT (surgeons, oncologists, radiologists, pathologists, specialist nurses) at a sarcoma centre.',
        'Referring clinicians preparing a referral to a sarcoma centre.',
        'Registrars and trainees learning the reasoning, under supervision.',
        'Not intended for patients or carers, and not for use without a qualified clinician reviewing the output.',
      ],
    },
    {
      id: 'population',
      title: 'Patients',
      items: [
        'Adults (18 years or older) with a retroperitoneal mass, or with a known primary or recurrent retroperitoneal sarcoma.',
        'Not for children or adolescents, for sarcomas of the limbs, trunk wall, uterus, gut or other viscera, or for bone sarcomas: the AJCC 8 retroperitoneum tables and the strategy rules do not apply to them.',
        'For a non-sarcoma (lymphoma, carcinoma, GIST, germ-cell tumour, paraganglioma, desmoid, angiomyolipoma) it only points away from the sarcoma pathway.',
      ],
    },
    {
      id: 'does',
      title: 'What it does',
      items: [
        'Applies published rules (AJCC 8, FNCLCC, TARPSWG consensus, ESMO surveillance, the STRASS/STRASS2 trials) to the findings entered, and names the rule and source of each conclusion.',
        'Marks a diagnosis inferred from imaging or markers as a suspicion and a plan or stage that rests on it as provisional.',
        'Raises red flags that must be acted on before a biopsy or an operation (for example metanephrines before biopsying a possible paraganglioma).',
        'Says "not determined" and lists what is missing instead of guessing when an input is absent.',
      ],
    },
    {
      id: 'does-not',
      title: 'What it does not do',
      items: [
        'It does not make the diagnosis, the decision or the operative plan: the MDT does, and it is accountable for them.',
        'It does not read images or slides: it sees only what a person has entered or imported, and cannot tell whether that is right.',
        'It does not replace specialist radiology review, expert sarcoma pathology review (including molecular tests) or the surgeon\'s assessment of resectability.',
        'It does not re-create published nomograms (Sarculator, MSKCC): it lists their inputs and points to the published tools.',
        'It is not a record of care: decisions, consent and follow-up belong in the hospital\'s record.',
      ],
    },
    {
      id: 'inputs',
      title: 'Inputs',
      items: [
        'Patient age, sex, identifiers and performance status; imaging findings (size, fat, solid component, vascularity, organ of origin, contacted and infiltrated structures, extension); pathology (ICD-O-3 histology, FNCLCC components or grade, markers, biopsy method); nodes and metastases; margins and prior procedures.',
        'Entered by hand in the web app or as a JSON case, or imported from FHIR R4 / mCODE resources; an import reports every resource it did not use.',
      ],
    },
    {
      id: 'limitations',
      title: 'Known limitations',
      items: [
        'Evidence is uneven: rules marked "consensus" encode common practice whose exact guideline wording was not checked; figures marked "teaching illustration" come from a teaching text. Weigh them accordingly.',
        'The rules cover primary and recurrent retroperitoneal sarcoma in adults; recurrence triage, intra-operative decisions and tumour growth kinetics are covered only partly or not at all.',
        'A wrong or missing input gives a wrong or incomplete answer: the software cannot detect a measurement in the wrong unit, the wrong patient\'s data or a mass outside the retroperitoneum when the input claims otherwise.',
        'Grading of core-needle biopsies may under-call the grade; grading of dedifferentiated liposarcoma and MPNST has limited meaning (the output warns of both).',
        'The stage is AJCC 8th edition only; nodal status defaults to N0 and metastasis to M0 when not recorded, as AJCC 8 allows — the output says so.',
        'It has not been evaluated in a clinical study, and it is not a CE- or UKCA-marked or FDA-cleared medical device. A deploying organisation must carry out its own clinical risk assessment (DCB0160) before use.',
      ],
    },
  ],
};

/** The version line every output carries: engine and clinical rules. */
export function versionLine(): string {
  return `Retroplan engine ${ENGINE_VERSION}, clinical rules ${RULES_VERSION}`;
}

/** Plain text for a terminal, a text report or a note. */
export function intendedUseText(): string {
  const lines = [INTENDED_USE.product, versionLine(), '', INTENDED_USE.summary];
  for (const section of INTENDED_USE.sections) {
    lines.push('', section.title, '-'.repeat(section.title.length));
    for (const item of section.items) lines.push(`  • ${item}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Markdown, with headings one level below `level` (README, safety case). */
export function intendedUseMarkdown(level = 2): string {
  const h = '#'.repeat(level + 1);
  const lines = [INTENDED_USE.summary];
  for (const section of INTENDED_USE.sections) {
    lines.push('', `${h} ${section.title}`, '');
    for (const item of section.items) lines.push(`- ${item}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The short notice a printed or exported report carries (its limitations stay one page away, in About). */
export function reportNotice(): string {
  return `${INTENDED_USE.summary} ${versionLine()}. Full statement of intended use and limitations: \`retroplan about\` or the About page.`;
}
