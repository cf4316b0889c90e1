import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, histologyForGrading, resolvedHistology, sarcomaStatusFromDiagnosis } from './diagnosis.ts';
import { evaluateCase, parseCase, type CaseInput } from './index.ts';
import { MARKER_PROFILES } from './tables/marker-profiles.ts';

const dx = (input: CaseInput) => diagnose(parseCase(input));
const statusOf = (input: CaseInput, code: string) => dx(input).differential.find((d) => d.code === code)?.status;

describe('marker profiles of REFERENCE §3.2: hallmark findings name the diagnosis', () => {
  // [name, case, leading code, basis, isSarcoma]: MDM2/CDK4 amplification confirms liposarcoma (basis molecular); any other
  // inference is a suspicion — a sarcoma suspicion leaves isSarcoma open (null), a non-sarcoma lineage marker on tissue closes it (false).
  const golden: [string, CaseInput, string, 'molecular' | 'findings', boolean | null][] = [
    ['well-differentiated LPS: fat only + MDM2 amplified', { tumor: { imaging: { macroscopicFat: true, solidComponent: false } }, pathology: { markers: { MDM2: 'amplified' } } }, '8851/3', 'molecular', true],
    ['dedifferentiated LPS: fat + solid component + MDM2 amplified', { tumor: { imaging: { macroscopicFat: true, solidComponent: true } }, pathology: { markers: { MDM2: 'amplified', CDK4: 'amplified' } } }, '8858/3', 'molecular', true],
    ['liposarcoma NOS: MDM2 amplified, components unknown', { pathology: { markers: { MDM2: 'amplified' } } }, '8850/3', 'molecular', true],
    ['leiomyosarcoma: desmin, SMA, h-caldesmon, MDM2 not amplified', { pathology: { markers: { desmin: 'positive', SMA: 'positive', caldesmon: 'positive', MDM2: 'not_amplified' } } }, '8890/3', 'findings', null],
    ['leiomyosarcoma: arising from the IVC', { tumor: { imaging: { vesselOrigin: 'ivc' } } }, '8890/3', 'findings', null],
    ['MPNST: H3K27me3 lost', { pathology: { markers: { H3K27me3: 'lost' } } }, '9540/3', 'findings', null],
    ['solitary fibrous tumour: nuclear STAT6', { pathology: { markers: { STAT6: 'positive', CD34: 'positive' } } }, '8815/1', 'findings', null],
    ['GIST: KIT and DOG1', { pathology: { markers: { KIT: 'positive', DOG1: 'positive' } } }, '8936/3', 'findings', false],
    ['desmoid: nuclear β-catenin', { pathology: { markers: { betaCatenin: 'positive' } } }, '8821/1', 'findings', false],
    ['renal cell carcinoma: PAX8 + pan-CK', { pathology: { markers: { PAX8: 'positive', panCK: 'positive' } } }, '8312/3', 'findings', false],
    ['carcinoma NOS: pan-CK, PAX8 negative', { pathology: { markers: { panCK: 'positive', PAX8: 'negative' } } }, '8010/3', 'findings', false],
    ['lymphoma: CD45', { pathology: { markers: { CD45: 'positive' } } }, '9590/3', 'findings', false],
    ['paraganglioma: chromogranin + synaptophysin', { pathology: { markers: { chromogranin: 'positive', synaptophysin: 'positive' } } }, '8693/3', 'findings', false],
    ['germ-cell tumour: SALL4 + OCT3/4', { pathology: { markers: { SALL4: 'positive', OCT34: 'positive' } } }, '9064/3', 'findings', false],
    ['angiomyolipoma: fat-containing renal mass, HMB-45 + Melan-A', { tumor: { imaging: { macroscopicFat: true, organOfOrigin: 'kidney_left' } }, pathology: { markers: { HMB45: 'positive', melanA: 'positive' } } }, '8860/0', 'findings', false],
    ['angiomyolipoma before liposarcoma: fat-containing mass arising from the kidney, no tissue', { tumor: { imaging: { macroscopicFat: true, organOfOrigin: 'kidney_right' } } }, '8860/0', 'findings', null],
    ['schwannoma: diffuse S100 and SOX10, H3K27me3 retained', { pathology: { markers: { S100: 'positive', SOX10: 'positive', H3K27me3: 'retained' } } }, '9560/0', 'findings', false],
    // Not arising from the kidney (origin recorded elsewhere): angiomyolipoma is out.
    ['lipoma: fat only, MDM2 not amplified', { tumor: { imaging: { macroscopicFat: true, solidComponent: false, organOfOrigin: 'psoas_left' } }, pathology: { markers: { MDM2: 'not_amplified' } } }, '8850/0', 'findings', null],
    ['mature teratoma: fat and calcification', { tumor: { imaging: { macroscopicFat: true, calcification: true, solidComponent: true, organOfOrigin: 'psoas_left' } }, pathology: { markers: { MDM2: 'not_amplified' } } }, '9080/0', 'findings', null],
    ['adrenocortical carcinoma: adrenal origin, Melan-A positive, chromogranin negative', { tumor: { imaging: { organOfOrigin: 'adrenal_right', macroscopicFat: false } }, pathology: { markers: { melanA: 'positive', chromogranin: 'negative', HMB45: 'negative' } } }, '8370/3', 'findings', null],
  ];
  for (const [name, input, code, basis, sarcoma] of golden) {
    it(name, () => {
      const d = dx(input);
      assert.equal(d.leading?.code, code);
      assert.equal(d.leading?.basis, basis);
      assert.equal(d.leading?.certainty, basis === 'findings' ? 'suspected' : 'confirmed');
      if (basis === 'findings') assert.ok(d.leading!.probability !== null && d.leading!.probability > 0);
      assert.equal(d.isSarcoma, sarcoma);
      const entry = d.differential.find((e) => e.code === code);
      if (entry) assert.equal(entry.status, 'supported');
    });
  }

  it('every profile in the table is covered by a golden case or the UPS rules below', () => {
    const covered = new Set(golden.map(([, , code]) => code).concat(['8802/3']));
    for (const p of MARKER_PROFILES) assert.ok(covered.has(p.code), `profile ${p.code} has no golden case`);
  });

  it('UPS is a diagnosis of exclusion: never named from markers, excluded by MDM2 amplification', () => {
    assert.equal(statusOf({ pathology: { markers: { MDM2: 'amplified' } } }, '8802/3'), 'excluded');
    assert.equal(statusOf({ pathology: { markers: { MDM2: 'not_amplified', CD45: 'negative' } } }, '8802/3'), 'possible');
  });

  it('SEED: a sarcoma lacks carcinoma, lymphoma and paraganglioma markers — CD45 positive excludes every sarcoma', () => {
    const d = dx({ pathology: { markers: { CD45: 'positive' } } });
    for (const e of d.differential.filter((x) => x.category === 'sarcoma')) assert.equal(e.status, 'excluded', e.name);
  });

  it('angiomyolipoma is not liposarcoma: HMB-45 positive excludes WD-LPS', () => {
    assert.equal(statusOf({ tumor: { imaging: { macroscopicFat: true } }, pathology: { markers: { HMB45: 'positive' } } }, '8851/3'), 'excluded');
  });

  it('a solid non-fatty nodule in a fatty mass excludes well-differentiated liposarcoma', () => {
    assert.equal(statusOf({ tumor: { imaging: { macroscopicFat: true, solidComponent: true } } }, '8851/3'), 'excluded');
  });

  it('focal staining and MDM2 by IHC alone never count as strong evidence', () => {
    const d = dx({ pathology: { markers: { CD45: 'focal' } } });
    assert.equal(d.differential.find((e) => e.code === '9590/3')!.findingsFor[0]!.strength, 'weak');
    assert.notEqual(d.leading?.code, '9590/3');
  });
});

describe('no diagnosis when the findings do not point anywhere', () => {
  it('an empty case: leading null, isSarcoma null, every candidate possible', () => {
    const d = dx({});
    assert.equal(d.leading, null);
    assert.equal(d.isSarcoma, null);
    assert.ok(d.differential.every((e) => e.status === 'possible'));
  });

  it('weak imaging signs alone do not name a diagnosis (hypervascular adrenal mass)', () => {
    const d = dx({ tumor: { imaging: { hypervascular: true, organOfOrigin: 'adrenal_left' } } });
    assert.equal(d.leading, null);
    assert.equal(d.differential.find((e) => e.code === '8693/3')!.status, 'supported');
  });

  it('contradictory findings (CD45 and pan-CK positive) give no leading diagnosis', () => {
    const d = dx({ pathology: { markers: { CD45: 'positive', panCK: 'positive' } } });
    assert.equal(d.leading, null);
    assert.equal(d.isSarcoma, null);
  });
});

describe('next tests ranked by expected information gain weighted by prevalence', () => {
  it('with nothing known, CD45 is the most informative marker (lymphoma is the commonest retroperitoneal malignancy)', () => {
    const markers = dx({}).nextTests.filter((t) => t.kind === 'marker');
    assert.equal(markers[0]!.id, 'marker:CD45');
  });

  it('a fatty mass without markers: MDM2 comes first', () => {
    const markers = dx({ tumor: { imaging: { macroscopicFat: true } } }).nextTests.filter((t) => t.kind === 'marker');
    assert.equal(markers[0]!.id, 'marker:MDM2');
  });

  it('MDM2-amplified mass: the imaging question that separates WD from DD is asked', () => {
    const ids = dx({ pathology: { markers: { MDM2: 'amplified' } } }).nextTests.map((t) => t.id);
    assert.ok(ids.includes('imaging:solidComponent'));
  });

  it('ranked tests are in descending gain, each with a reason, and never a test already done', () => {
    const d = dx({ pathology: { markers: { panCK: 'negative' } } });
    const ranked = d.nextTests.filter((t) => t.informationGainBits !== null);
    for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1]!.informationGainBits! >= ranked[i]!.informationGainBits!);
    assert.ok(ranked.every((t) => t.why.length > 20 && t.id !== 'marker:panCK'));
  });

  it('no tissue yet: a core-needle biopsy is proposed', () => {
    assert.ok(dx({}).nextTests.some((t) => t.id === 'biopsy:core-needle'));
    assert.ok(!dx({ pathology: { markers: { CD45: 'negative' } } }).nextTests.some((t) => t.id === 'biopsy:core-needle'));
  });

  it('a pathologist histology the findings support needs no discriminating tests', () => {
    const d = dx({ pathology: { histology: '8858/3', markers: { MDM2: 'amplified' } }, tumor: { metastasis: 'M0' } });
    assert.deepEqual(d.nextTests, []);
  });
});

describe('red flags (REFERENCE §3.1)', () => {
  const flags = (input: CaseInput) => dx(input).redFlags.map((f) => f.id);
  it('metanephrines before any pathology of a hypervascular adrenal/para-aortic mass', () => {
    const d = dx({ tumor: { imaging: { hypervascular: true }, contacts: ['aorta'] } });
    assert.ok(d.redFlags.some((f) => f.id === 'metanephrines-before-biopsy' && /before any biopsy/.test(f.message) && /para-aortic/.test(f.message)));
    assert.equal(d.nextTests[0]!.id, 'biochemistry:metanephrines');
  });
  it('metanephrines when chromogranin supports a paraganglioma', () => {
    assert.ok(flags({ pathology: { markers: { chromogranin: 'positive' } } }).includes('metanephrines-before-biopsy'));
  });
  it('no metanephrines flag once paraganglioma is excluded', () => {
    assert.ok(!flags({ tumor: { imaging: { hypervascular: true } }, pathology: { markers: { chromogranin: 'negative' } } }).includes('metanephrines-before-biopsy'));
  });
  it('germ-cell tumour: AFP/β-hCG and testicular ultrasound', () => {
    const d = dx({ pathology: { markers: { SALL4: 'positive' } } });
    assert.ok(d.redFlags.some((f) => f.id === 'germ-cell-markers'));
    assert.ok(d.nextTests.some((t) => t.id === 'biochemistry:afp-hcg'));
    assert.ok(d.nextTests.some((t) => t.id === 'imaging:testicular-ultrasound'));
  });
  it('lymphoma: no resection', () => assert.ok(flags({ pathology: { histology: '9590/3' } }).includes('lymphoma-no-resection')));
  it('MDM2 untested in a retroperitoneal UPS', () => {
    assert.ok(flags({ pathology: { histology: '8802/3' } }).includes('mdm2-untested-pleomorphic'));
    assert.ok(!flags({ pathology: { histology: '8802/3', markers: { MDM2: 'not_amplified' } } }).includes('mdm2-untested-pleomorphic'));
  });
  it('undiagnosed mass: lymphoma and germ-cell tumour must be excluded before resection', () => {
    assert.ok(flags({}).includes('exclude-lymphoma-germ-cell'));
  });
  it('a sarcoma inferred from imaging alone still needs lymphoma and germ-cell tumour excluded; not once pathology confirms it', () => {
    assert.ok(flags({ tumor: { imaging: { macroscopicFat: true } } }).includes('exclude-lymphoma-germ-cell'));
    assert.ok(!flags({ tumor: { imaging: { macroscopicFat: true } }, pathology: { histology: '8851/3' } }).includes('exclude-lymphoma-germ-cell'));
  });
});

describe("the pathologist's histology is respected; contradictions are warnings", () => {
  it('UPS with MDM2 amplified: "this is dedifferentiated liposarcoma", histology kept', () => {
    const d = dx({ pathology: { histology: '8802/3', markers: { MDM2: 'amplified' } } });
    assert.equal(d.leading?.code, '8802/3');
    assert.equal(d.leading?.basis, 'pathologist');
    const w = d.warnings.find((x) => x.code === 'histology-mdm2-amplified');
    assert.ok(w && /dedifferentiated liposarcoma/.test(w.message));
  });
  it('leiomyosarcoma with CD45 positive: another category is supported', () => {
    const d = dx({ pathology: { histology: '8890/3', markers: { CD45: 'positive' } } });
    assert.equal(d.isSarcoma, true);
    assert.ok(d.warnings.some((w) => w.code === 'histology-contradicted'));
    assert.ok(d.warnings.some((w) => w.code === 'histology-other-category-supported' && /lymphoma/.test(w.message)));
  });
  it('a histology code not in the table: not determined', () => {
    const c = parseCase({ pathology: { histology: '9999/3' } });
    const d = diagnose(c);
    assert.equal(d.leading, null);
    assert.equal(d.isSarcoma, null);
    assert.deepEqual(sarcomaStatusFromDiagnosis(d, c), { isSarcoma: null, reason: "histology 9999/3 is not in Retroplan's table", provisional: true, suspectedNonSarcoma: false, code: null });
  });
  it('the sarcoma status keeps the histology wording for staging', () => {
    const c = parseCase({ pathology: { histology: '9590/3' } });
    assert.deepEqual(sarcomaStatusFromDiagnosis(diagnose(c), c), { isSarcoma: false, reason: 'lymphoma, NOS (9590/3) is not a sarcoma (lymphoma)', provisional: false, suspectedNonSarcoma: false, code: '9590/3' });
  });
});

describe('red flag: never shell out or debulk piecemeal (SEED; STRASS)', () => {
  const flagIds = (input: CaseInput) => evaluateCase(parseCase(input)).diagnosis.redFlags.map((f) => f.id);
  it('fires for a sarcoma not yet resected', () => {
    assert.ok(flagIds({ tumor: { sizeCm: 22 }, pathology: { histology: '8858/3' } }).includes('no-shell-out-or-piecemeal'));
  });
  it('is gone once a resection margin is recorded', () => {
    assert.ok(!flagIds({ tumor: { sizeCm: 22 }, pathology: { histology: '8858/3' }, surgery: { margin: 'R0' } }).includes('no-shell-out-or-piecemeal'));
  });
  it('does not fire for a non-sarcoma', () => {
    assert.ok(!flagIds({ tumor: { sizeCm: 12 }, pathology: { histology: '9590/3' } }).includes('no-shell-out-or-piecemeal'));
  });
});

/*
 * Exact outputs of every safety rule of diagnose(), path by path (issue 16, mutation testing): each red flag,
 * each "must exclude first" entry and each safety test, with the wording a clinician reads. Expectations are
 * written by hand from REFERENCE §3.1/§3.2 (metanephrines before any biopsy, Vanderveen 2009; lymphoma and
 * germ-cell tumour excluded before resection; MDM2 FISH in pleomorphic sarcoma; en bloc, never shelled out).
 */
const flagOf = (input: CaseInput, id: string) => dx(input).redFlags.find((f) => f.id === id);
const exclusionOf = (input: CaseInput, id: string) => dx(input).mustExcludeFirst.find((x) => x.id === id);
const metanephrinesFlag = (message: string) => ({ id: 'metanephrines-before-biopsy', message, evidence: 'verified', sources: ['VANDERVEEN-2009'] });
const possiblePgl = (where: string) =>
  `Possible paraganglioma${where}: measure plasma or urine metanephrines before any biopsy or surgery — 70 % of biopsied paragangliomas had complications, 90 % without prior biochemistry. This applies now, before any pathology is obtained.`;
const possiblePglBiopsied = (where: string) =>
  `Possible paraganglioma${where}: measure plasma or urine metanephrines before any further biopsy and before surgery — 70 % of biopsied paragangliomas had complications, 90 % without prior biochemistry.`;

describe('red flag metanephrines-before-biopsy, exactly: each trigger, each place, each stage of the pathway', () => {
  const rows: [string, CaseInput, string | undefined][] = [
    ['hypervascular mass arising from the adrenal', { tumor: { imaging: { hypervascular: true, organOfOrigin: 'adrenal_left' } } }, possiblePgl(' (hypervascular para-aortic/adrenal mass)')],
    ['hypervascular mass touching the aorta', { tumor: { imaging: { hypervascular: true }, contacts: ['aorta'] } }, possiblePgl(' (hypervascular para-aortic/adrenal mass)')],
    ['hypervascular mass touching an adrenal', { tumor: { imaging: { hypervascular: true }, contacts: ['kidney_left', 'adrenal_right'] } }, possiblePgl(' (hypervascular para-aortic/adrenal mass)')],
    ['hypervascular mass arising from the aorta', { tumor: { imaging: { hypervascular: true, vesselOrigin: 'aorta' } } }, possiblePgl(' (hypervascular para-aortic/adrenal mass)')],
    ['hypervascular mass touching only the kidney', { tumor: { imaging: { hypervascular: true }, contacts: ['kidney_left'] } }, possiblePgl(' (hypervascular mass)')],
    ['hypervascular mass, nothing else recorded', { tumor: { imaging: { hypervascular: true } } }, possiblePgl(' (hypervascular mass)')],
    ['adrenal mass, not hypervascular', { tumor: { imaging: { organOfOrigin: 'adrenal_right', hypervascular: false } } }, possiblePgl(' (adrenal mass)')],
    ['adrenal mass, vascularity not recorded', { tumor: { imaging: { organOfOrigin: 'adrenal_left' } } }, possiblePgl(' (adrenal mass)')],
    ['adrenal mass after a core biopsy elsewhere', { tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, history: [{ kind: 'biopsy', method: 'core', where: 'elsewhere' }] }, possiblePglBiopsied(' (adrenal mass)')],
    ['adrenal mass after an exploration only (no tissue taken)', { tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, history: [{ kind: 'surgery', resectionType: 'exploratory' }] }, possiblePgl(' (adrenal mass)')],
    ['adrenal mass with a core-biopsy specimen recorded', { tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, pathology: { specimen: 'core_biopsy' } }, possiblePglBiopsied(' (adrenal mass)')],
    ['adrenal mass with a chromogranin-negative core', { tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, pathology: { markers: { chromogranin: 'negative' } } }, possiblePglBiopsied(' (adrenal mass)')],
    ['chromogranin and synaptophysin positive, no imaging', { pathology: { markers: { chromogranin: 'positive', synaptophysin: 'positive' } } }, possiblePglBiopsied('')],
    ["pathologist's histology paraganglioma", { pathology: { histology: '8693/3' } }, possiblePglBiopsied('')],
    [
      'metanephrines raised, nothing else',
      { workup: { metanephrines: 'raised' } },
      'Metanephrines are raised: functioning paraganglioma/phaeochromocytoma — no biopsy; endocrine work-up and α-blockade before any surgery.',
    ],
    [
      'metanephrines raised, adrenal mass',
      { tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, workup: { metanephrines: 'raised' } },
      'Metanephrines are raised: functioning paraganglioma/phaeochromocytoma (adrenal mass) — no biopsy; endocrine work-up and α-blockade before any surgery.',
    ],
    [
      'metanephrines raised, even with chromogranin negative',
      { tumor: { imaging: { hypervascular: true } }, pathology: { markers: { chromogranin: 'negative' } }, workup: { metanephrines: 'raised' } },
      'Metanephrines are raised: functioning paraganglioma/phaeochromocytoma (hypervascular mass) — no biopsy; endocrine work-up and α-blockade before any surgery.',
    ],
    // Ways it must not fire.
    ['not hypervascular, origin not recorded', { tumor: { imaging: { hypervascular: false } } }, undefined],
    ['touching the aorta, not hypervascular', { tumor: { imaging: { hypervascular: false }, contacts: ['aorta', 'adrenal_left'] } }, undefined],
    ['arising from the aorta, vascularity not recorded', { tumor: { imaging: { vesselOrigin: 'aorta' } } }, undefined],
    ['arising from the kidney', { tumor: { imaging: { organOfOrigin: 'kidney_left' } } }, undefined],
    ['hypervascular but paraganglioma excluded by chromogranin', { tumor: { imaging: { hypervascular: true }, contacts: ['aorta'] }, pathology: { markers: { chromogranin: 'negative' } } }, undefined],
    ['paraganglioma supported but metanephrines normal', { pathology: { markers: { chromogranin: 'positive', synaptophysin: 'positive' } }, workup: { metanephrines: 'normal' } }, undefined],
    ["pathologist's paraganglioma, metanephrines normal", { pathology: { histology: '8693/3' }, workup: { metanephrines: 'normal' } }, undefined],
    ['nothing recorded', {}, undefined],
  ];
  for (const [name, input, message] of rows) {
    it(`${message === undefined ? 'does not fire' : 'fires'}: ${name}`, () => {
      assert.deepEqual(flagOf(input, 'metanephrines-before-biopsy'), message === undefined ? undefined : metanephrinesFlag(message));
    });
  }
});

describe('must exclude first, exactly: paraganglioma before any biopsy, lymphoma and germ-cell tumour before any resection', () => {
  const pgl = (biopsied: boolean) => ({
    id: 'paraganglioma',
    message: `Paraganglioma/phaeochromocytoma: plasma or urine metanephrines ${biopsied ? 'before any further biopsy and before surgery' : 'before any biopsy or surgery'}.`,
    before: 'biopsy',
    evidence: 'verified',
    sources: ['VANDERVEEN-2009'],
  });
  it('paraganglioma: wording before and after a biopsy; gone once metanephrines are recorded either way', () => {
    assert.deepEqual(exclusionOf({ tumor: { imaging: { organOfOrigin: 'adrenal_left' } } }, 'paraganglioma'), pgl(false));
    assert.deepEqual(exclusionOf({ tumor: { imaging: { hypervascular: true } }, history: [{ kind: 'biopsy', method: 'core' }] }, 'paraganglioma'), pgl(true));
    assert.deepEqual(exclusionOf({ pathology: { histology: '8693/3' } }, 'paraganglioma'), pgl(true));
    assert.equal(exclusionOf({ tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, workup: { metanephrines: 'raised' } }, 'paraganglioma'), undefined);
    assert.equal(exclusionOf({ tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, workup: { metanephrines: 'normal' } }, 'paraganglioma'), undefined);
    assert.equal(exclusionOf({ tumor: { imaging: { hypervascular: false } } }, 'paraganglioma'), undefined);
  });

  const lymphoma = (biopsied: boolean) => ({
    id: 'lymphoma',
    message: `Lymphoma: ${biopsied ? 'the biopsy must show it is not lymphoma (CD45; haematopathology review)' : 'a core-needle biopsy with CD45 (and flow cytometry)'} before any resection — lymphoma is treated without surgery.`,
    before: 'resection',
    evidence: 'consensus',
    sources: ['SEED'],
  });
  it('lymphoma: a core biopsy with CD45 before tissue, the biopsy to show it after; not once supported, excluded or confirmed otherwise', () => {
    assert.deepEqual(exclusionOf({}, 'lymphoma'), lymphoma(false));
    assert.deepEqual(exclusionOf({ tumor: { imaging: { vesselOrigin: 'ivc' } } }, 'lymphoma'), lymphoma(false));
    assert.deepEqual(exclusionOf({ history: [{ kind: 'biopsy', method: 'core' }] }, 'lymphoma'), lymphoma(true));
    assert.deepEqual(exclusionOf({ pathology: { markers: { desmin: 'positive' } } }, 'lymphoma'), lymphoma(true));
    // Focal CD45 is weak: lymphoma stays possible, so still to exclude — not yet the "do not resect" flag.
    assert.deepEqual(exclusionOf({ pathology: { markers: { CD45: 'focal' } } }, 'lymphoma'), lymphoma(true));
    assert.equal(exclusionOf({ pathology: { markers: { CD45: 'positive' } } }, 'lymphoma'), undefined);
    assert.equal(exclusionOf({ pathology: { markers: { CD45: 'negative' } } }, 'lymphoma'), undefined);
    assert.equal(exclusionOf({ pathology: { histology: '8890/3' } }, 'lymphoma'), undefined);
    assert.equal(exclusionOf({ pathology: { markers: { MDM2: 'amplified' } } }, 'lymphoma'), undefined);
  });

  const germ = (message: string, young = false) => ({ id: 'germ-cell', message, before: 'resection', evidence: 'consensus', sources: young ? ['SEED', 'EXPERT-REVIEW'] : ['SEED'] });
  const rows: [string, CaseInput, ReturnType<typeof germ> | undefined][] = [
    ['sex not recorded', {}, germ('Germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound if the patient has testes (sex not recorded) before any resection — its treatment is chemotherapy.')],
    ['a man of 60', { patient: { sex: 'male', ageYears: 60 } }, germ('Germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound before any resection — its treatment is chemotherapy.')],
    ['a woman of 30: never a testicular ultrasound', { patient: { sex: 'female', ageYears: 30 } }, germ('Germ-cell tumour: serum AFP and β-hCG before any resection — its treatment is chemotherapy.')],
    ['a man of 30', { patient: { sex: 'male', ageYears: 30 } }, germ('Germ-cell tumour (a young man): serum AFP and β-hCG and a testicular ultrasound before any resection — its treatment is chemotherapy.', true)],
    ['a man of 30, AFP/β-hCG normal', { patient: { sex: 'male', ageYears: 30 }, workup: { afpHcg: 'normal' } }, germ('Germ-cell tumour (a young man): a testicular ultrasound before any resection — its treatment is chemotherapy.', true)],
    ['a man of 30, ultrasound normal', { patient: { sex: 'male', ageYears: 30 }, workup: { testicularUltrasound: 'normal' } }, germ('Germ-cell tumour (a young man): serum AFP and β-hCG before any resection — its treatment is chemotherapy.', true)],
    ['a man of 30, AFP/β-hCG raised', { patient: { sex: 'male', ageYears: 30 }, workup: { afpHcg: 'raised', testicularUltrasound: 'normal' } }, germ('Germ-cell tumour (a young man): serum AFP and β-hCG before any resection — its treatment is chemotherapy.', true)],
    ['sex not recorded, AFP/β-hCG normal', { workup: { afpHcg: 'normal' } }, germ('Germ-cell tumour: a testicular ultrasound if the patient has testes (sex not recorded) before any resection — its treatment is chemotherapy.')],
    ['sex not recorded, AFP/β-hCG and ultrasound normal', { workup: { afpHcg: 'normal', testicularUltrasound: 'normal' } }, undefined],
    ['a man, ultrasound abnormal but AFP/β-hCG normal', { patient: { sex: 'male', ageYears: 60 }, workup: { afpHcg: 'normal', testicularUltrasound: 'abnormal' } }, germ('Germ-cell tumour: a testicular ultrasound before any resection — its treatment is chemotherapy.')],
    ['germ-cell tumour supported: the leading concern, not an exclusion', { patient: { sex: 'male', ageYears: 30 }, pathology: { markers: { SALL4: 'positive', OCT34: 'positive' } } }, undefined],
    ['SALL4 negative', { pathology: { markers: { SALL4: 'negative' } } }, undefined],
    ['liposarcoma confirmed by MDM2 amplification', { pathology: { markers: { MDM2: 'amplified' } } }, undefined],
  ];
  for (const [name, input, expected] of rows) {
    it(`germ-cell ${expected === undefined ? 'not listed' : 'listed'}: ${name}`, () => assert.deepEqual(exclusionOf(input, 'germ-cell'), expected));
  }

  it('the reason line names what is to be excluded first, in order', () => {
    assert.deepEqual(
      dx({ tumor: { imaging: { organOfOrigin: 'adrenal_left' } } }).reasons.filter((r) => r.startsWith('To exclude first')),
      ['To exclude first: paraganglioma, lymphoma, germ-cell (REFERENCE §3.1).'],
    );
    assert.deepEqual(dx({ pathology: { histology: '8858/3' } }).reasons.filter((r) => r.startsWith('To exclude first')), []);
  });
});

describe('red flags germ-cell-markers, lymphoma-no-resection, mdm2-untested-pleomorphic, exclude-lymphoma-germ-cell, no-shell-out, exactly', () => {
  const germFlag = (message: string, young: boolean) => ({ id: 'germ-cell-markers', message, evidence: 'consensus', sources: young ? ['SEED', 'EXPERT-REVIEW'] : ['SEED'] });
  const GCT = { SALL4: 'positive', OCT34: 'positive' } as const;
  const germRows: [string, CaseInput, ReturnType<typeof germFlag> | undefined][] = [
    ['a man of 24, no diagnosis', { patient: { sex: 'male', ageYears: 24 } }, germFlag('Possible germ-cell tumour (a young man): serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.', true)],
    ['a man of 15 (lower bound, included)', { patient: { sex: 'male', ageYears: 15 } }, germFlag('Possible germ-cell tumour (a young man): serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.', true)],
    ['a man of 49 (included)', { patient: { sex: 'male', ageYears: 49 } }, germFlag('Possible germ-cell tumour (a young man): serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.', true)],
    ['a man of 14 (below the band)', { patient: { sex: 'male', ageYears: 14 } }, undefined],
    ['a man of 50 (upper bound, excluded)', { patient: { sex: 'male', ageYears: 50 } }, undefined],
    ['a man, age not recorded', { patient: { sex: 'male' } }, undefined],
    ['a man of 24 with AFP/β-hCG normal, ultrasound pending', { patient: { sex: 'male', ageYears: 24 }, workup: { afpHcg: 'normal' } }, germFlag('Possible germ-cell tumour (a young man): serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.', true)],
    ['a man of 24, germ-cell excluded by SALL4', { patient: { sex: 'male', ageYears: 24 }, pathology: { markers: { SALL4: 'negative' } } }, undefined],
    ['a man of 24, liposarcoma confirmed by MDM2', { patient: { sex: 'male', ageYears: 24 }, pathology: { markers: { MDM2: 'amplified' } } }, undefined],
    ['supported by markers, a woman', { patient: { sex: 'female', ageYears: 30 }, pathology: { markers: GCT } }, germFlag('Possible germ-cell tumour: serum AFP and β-hCG; its treatment is chemotherapy, not resection.', false)],
    ['supported by markers, sex not recorded', { pathology: { markers: GCT } }, germFlag('Possible germ-cell tumour: serum AFP and β-hCG (and a testicular ultrasound if the patient has testes; sex not recorded); its treatment is chemotherapy, not resection.', false)],
    ['supported by markers, a man of 60', { patient: { sex: 'male', ageYears: 60 }, pathology: { markers: GCT } }, germFlag('Possible germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.', false)],
    ["pathologist's germ-cell histology, a man of 60", { patient: { sex: 'male', ageYears: 60 }, pathology: { histology: '9064/3' } }, germFlag('Possible germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.', false)],
    ['an older man, germ-cell only possible', { patient: { sex: 'male', ageYears: 70 } }, undefined],
  ];
  for (const [name, input, expected] of germRows) {
    it(`germ-cell-markers ${expected === undefined ? 'does not fire' : 'fires'}: ${name}`, () => assert.deepEqual(flagOf(input, 'germ-cell-markers'), expected));
  }

  it('the young-man prior is named in the reasons only inside the 15–49 band', () => {
    const line = 'Patient: a man aged 15–49 — germ-cell tumour and teratoma weigh more in the differential (REFERENCE §3.1 germ-cell work-up [consensus]).';
    const rows: [number | undefined, 'male' | 'female', boolean][] = [[15, 'male', true], [49, 'male', true], [50, 'male', false], [14, 'male', false], [30, 'female', false], [undefined, 'male', false]];
    for (const [ageYears, sex, named] of rows) assert.equal(dx({ patient: { sex, ageYears } }).reasons.includes(line), named, `${sex} ${ageYears}`);
  });

  it('the young-man prior triples germ-cell tumour and teratoma, and nothing else', () => {
    const weightRatio = (code: string) => {
      const young = dx({ patient: { sex: 'male', ageYears: 30 } }).differential;
      const old = dx({ patient: { sex: 'male', ageYears: 60 } }).differential;
      // Weights are normalised: compare each candidate against lymphoma, whose prior is unchanged.
      const rel = (d: typeof young) => d.find((e) => e.code === code)!.weight / d.find((e) => e.code === '9590/3')!.weight;
      return rel(young) / rel(old);
    };
    // Weights are rounded to 4 decimals (teratoma's is about 0.01), hence the tolerance.
    for (const [code, factor] of [['9064/3', 3], ['9080/0', 3], ['8858/3', 1]] as const) {
      const ratio = weightRatio(code);
      assert.ok(Math.abs(ratio - factor) < 0.05, `${code}: ${ratio}`);
    }
  });

  const LYMPHOMA = { id: 'lymphoma-no-resection', message: 'Lymphoma is supported: do not resect — its treatment is not surgery; refer to haematology.', evidence: 'consensus', sources: ['SEED'] };
  it('lymphoma-no-resection: CD45 positive, or the pathologist says lymphoma; not for focal CD45 (still possible) nor before tissue', () => {
    assert.deepEqual(flagOf({ pathology: { markers: { CD45: 'positive' } } }, 'lymphoma-no-resection'), LYMPHOMA);
    assert.deepEqual(flagOf({ pathology: { histology: '9590/3' } }, 'lymphoma-no-resection'), LYMPHOMA);
    assert.equal(flagOf({ pathology: { markers: { CD45: 'focal' } } }, 'lymphoma-no-resection'), undefined);
    assert.equal(flagOf({}, 'lymphoma-no-resection'), undefined);
  });

  const mdm2Untested = (name: string) => ({
    id: 'mdm2-untested-pleomorphic',
    message: `MDM2 has not been tested in this retroperitoneal ${name}: test MDM2 amplification (FISH) — if amplified it is dedifferentiated liposarcoma, which changes strategy and follow-up.`,
    evidence: 'verified',
    sources: ['PATHOLOGYOUTLINES'],
  });
  const mdm2Rows: [string, CaseInput, ReturnType<typeof mdm2Untested> | undefined][] = [
    ['UPS', { pathology: { histology: '8802/3' } }, mdm2Untested('undifferentiated pleomorphic sarcoma')],
    ['sarcoma NOS', { pathology: { histology: '8800/3' } }, mdm2Untested('sarcoma, NOS')],
    ['undifferentiated sarcoma', { pathology: { histology: '8805/3' } }, mdm2Untested('undifferentiated sarcoma')],
    ['pleomorphic liposarcoma', { pathology: { histology: '8854/3' } }, mdm2Untested('pleomorphic liposarcoma')],
    ['UPS with MDM2 by IHC only (tested, if not by FISH: the IHC rule applies instead)', { pathology: { histology: '8802/3', markers: { MDM2: 'positive' } } }, undefined],
    ['UPS with other markers but MDM2 untested', { pathology: { histology: '8802/3', markers: { desmin: 'negative' } } }, mdm2Untested('undifferentiated pleomorphic sarcoma')],
    ['leiomyosarcoma: not a pleomorphic histology', { pathology: { histology: '8890/3' } }, undefined],
    ['myxoid liposarcoma: not a pleomorphic histology', { pathology: { histology: '8852/3' } }, undefined],
    ['no histology', {}, undefined],
  ];
  for (const [name, input, expected] of mdm2Rows) {
    it(`mdm2-untested-pleomorphic ${expected === undefined ? 'does not fire' : 'fires'}: ${name}`, () => assert.deepEqual(flagOf(input, 'mdm2-untested-pleomorphic'), expected));
  }

  const excludeBoth = (message: string) => ({ id: 'exclude-lymphoma-germ-cell', message, evidence: 'consensus', sources: ['SEED'] });
  const excludeRows: [string, CaseInput, ReturnType<typeof excludeBoth> | undefined][] = [
    ['no diagnosis', {}, excludeBoth('No diagnosis yet: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.')],
    [
      'leiomyosarcoma suspected from the IVC origin',
      { tumor: { imaging: { vesselOrigin: 'ivc' } } },
      excludeBoth('leiomyosarcoma is suspected, not confirmed by pathology: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.'),
    ],
    ['only germ-cell still possible (CD45 negative)', { pathology: { markers: { CD45: 'negative' } } }, excludeBoth('No diagnosis yet: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.')],
    ['only lymphoma still possible (SALL4 negative)', { pathology: { markers: { SALL4: 'negative' } } }, excludeBoth('No diagnosis yet: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.')],
    ['both excluded (CD45 and SALL4 negative)', { pathology: { markers: { CD45: 'negative', SALL4: 'negative' } } }, undefined],
    ['liposarcoma confirmed by MDM2 amplification', { pathology: { markers: { MDM2: 'amplified' } } }, undefined],
    ["pathologist's sarcoma histology", { pathology: { histology: '8890/3' } }, undefined],
    ["pathologist's non-sarcoma histology (paraganglioma)", { pathology: { histology: '8693/3' } }, undefined],
    ['a suspected non-sarcoma (angiomyolipoma from a fatty renal mass)', { tumor: { imaging: { macroscopicFat: true, organOfOrigin: 'kidney_right' } } }, undefined],
  ];
  for (const [name, input, expected] of excludeRows) {
    it(`exclude-lymphoma-germ-cell ${expected === undefined ? 'does not fire' : 'fires'}: ${name}`, () => assert.deepEqual(flagOf(input, 'exclude-lymphoma-germ-cell'), expected));
  }

  const SHELL = {
    id: 'no-shell-out-or-piecemeal',
    message: 'Sarcoma not yet resected: do not shell it out along the pseudocapsule or debulk it piecemeal — plan one en bloc resection with the contiguous organs, at a sarcoma centre.',
    evidence: 'verified',
    sources: ['SEED', 'STRASS'],
  };
  const shellRows: [string, CaseInput, boolean][] = [
    ["pathologist's sarcoma, not resected", { pathology: { histology: '8890/3' } }, true],
    ['sarcoma suspected from the findings', { tumor: { imaging: { vesselOrigin: 'ivc' } } }, true],
    ['liposarcoma confirmed by MDM2', { pathology: { markers: { MDM2: 'amplified' } } }, true],
    ['after an exploration only (nothing removed)', { pathology: { histology: '8890/3' }, history: [{ kind: 'surgery', resectionType: 'exploratory' }] }, true],
    ['after a biopsy only', { pathology: { histology: '8890/3' }, history: [{ kind: 'biopsy', method: 'core' }] }, true],
    ['after a shell-out elsewhere', { pathology: { histology: '8890/3' }, history: [{ kind: 'surgery', resectionType: 'shell_out', where: 'elsewhere' }] }, false],
    ['after a complete resection elsewhere', { pathology: { histology: '8890/3' }, history: [{ kind: 'surgery', resectionType: 'complete' }] }, false],
    ['after an R2 resection here', { pathology: { histology: '8890/3' }, surgery: { margin: 'R2' } }, false],
    ['no diagnosis', {}, false],
    ['a non-sarcoma', { pathology: { histology: '8693/3' } }, false],
  ];
  for (const [name, input, fires] of shellRows) {
    it(`no-shell-out-or-piecemeal ${fires ? 'fires' : 'does not fire'}: ${name}`, () => assert.deepEqual(flagOf(input, 'no-shell-out-or-piecemeal'), fires ? SHELL : undefined));
  }
});

describe('safety tests first, exactly: which, in what order, with which wording', () => {
  const safety = (input: CaseInput) => dx(input).nextTests.filter((t) => t.informationGainBits === null);
  const ids = (input: CaseInput) => safety(input).map((t) => t.id);
  const why = (input: CaseInput, id: string) => safety(input).find((t) => t.id === id)?.why;
  const M0 = { metastasis: 'M0' } as const;
  it('each case lists its safety tests in the fixed order: biochemistry, germ-cell work-up, MDM2 FISH, biopsy, staging CT', () => {
    const rows: [string, CaseInput, string[]][] = [
      ['nothing recorded', {}, ['biochemistry:afp-hcg', 'imaging:testicular-ultrasound', 'biopsy:core-needle', 'imaging:staging-ct']],
      ['adrenal mass, a man of 60', { patient: { sex: 'male', ageYears: 60 }, tumor: { imaging: { organOfOrigin: 'adrenal_left' } } }, ['biochemistry:metanephrines', 'biochemistry:afp-hcg', 'imaging:testicular-ultrasound', 'biopsy:core-needle', 'imaging:staging-ct']],
      ['a woman: no testicular ultrasound', { patient: { sex: 'female', ageYears: 30 }, tumor: M0 }, ['biochemistry:afp-hcg', 'biopsy:core-needle']],
      ['a woman with AFP/β-hCG normal, M0: only the biopsy', { patient: { sex: 'female' }, tumor: M0, workup: { afpHcg: 'normal' } }, ['biopsy:core-needle']],
      ['a man, ultrasound done: AFP/β-hCG still asked', { patient: { sex: 'male', ageYears: 60 }, tumor: M0, workup: { testicularUltrasound: 'normal' } }, ['biochemistry:afp-hcg', 'biopsy:core-needle']],
      ['a man, AFP/β-hCG done: the ultrasound still asked', { patient: { sex: 'male', ageYears: 60 }, tumor: M0, workup: { afpHcg: 'normal' } }, ['imaging:testicular-ultrasound', 'biopsy:core-needle']],
      ['a man, AFP/β-hCG raised: no AFP test asked again', { patient: { sex: 'male', ageYears: 60 }, tumor: M0, workup: { afpHcg: 'raised' } }, ['imaging:testicular-ultrasound', 'biopsy:core-needle']],
      ['metanephrines raised: not asked again', { tumor: { imaging: { organOfOrigin: 'adrenal_left' }, ...M0 }, workup: { metanephrines: 'raised', afpHcg: 'normal', testicularUltrasound: 'normal' } }, ['biopsy:core-needle']],
      ['MDM2 by IHC only: FISH asked', { pathology: { markers: { MDM2: 'positive', CD45: 'negative', SALL4: 'negative' } }, tumor: M0 }, ['marker:MDM2-amplification']],
      ['CDK4 by IHC only, MDM2 untested: FISH asked', { pathology: { markers: { CDK4: 'positive', CD45: 'negative', SALL4: 'negative' } }, tumor: M0 }, ['marker:MDM2-amplification']],
      ['CDK4 by IHC, MDM2 FISH not amplified: no FISH asked', { pathology: { markers: { CDK4: 'positive', MDM2: 'not_amplified', CD45: 'negative', SALL4: 'negative' } }, tumor: M0 }, []],
      ['MDM2 amplified: nothing', { pathology: { markers: { MDM2: 'amplified' } }, tumor: M0 }, []],
      ['a specimen recorded: no biopsy asked', { pathology: { specimen: 'core_biopsy' }, patient: { sex: 'female' }, workup: { afpHcg: 'normal' }, tumor: M0 }, []],
      ['a biopsy in the history but no result recorded: the biopsy is still asked', { history: [{ kind: 'biopsy', method: 'fna' }], patient: { sex: 'female' }, workup: { afpHcg: 'normal' }, tumor: M0 }, ['biopsy:core-needle']],
      ['metastasis recorded M1: no staging CT', { tumor: { metastasis: 'M1' }, patient: { sex: 'female' }, workup: { afpHcg: 'normal' } }, ['biopsy:core-needle']],
    ];
    for (const [name, input, expected] of rows) assert.deepEqual(ids(input), expected, name);
  });
  it('the wording of each safety test follows the pathway', () => {
    assert.equal(why({ tumor: { imaging: { organOfOrigin: 'adrenal_left' } } }, 'biochemistry:metanephrines'), 'Rules out a functioning paraganglioma before any biopsy or surgery (REFERENCE §3.1, Vanderveen 2009).');
    assert.equal(
      why({ tumor: { imaging: { organOfOrigin: 'adrenal_left' } }, history: [{ kind: 'biopsy', method: 'core' }] }, 'biochemistry:metanephrines'),
      'Rules out a functioning paraganglioma before surgery and any further biopsy (REFERENCE §3.1, Vanderveen 2009).',
    );
    assert.equal(why({ patient: { sex: 'male' } }, 'imaging:testicular-ultrasound'), 'Looks for a testicular primary of a germ-cell tumour (REFERENCE §3.1 [C]).');
    assert.equal(why({}, 'imaging:testicular-ultrasound'), 'Looks for a testicular primary of a germ-cell tumour (REFERENCE §3.1 [C]) — only if the patient has testes: sex not recorded.');
    const core = 'Markers need tissue; core biopsy does not raise local recurrence; no open/laparoscopic biopsy, FNA is not adequate (REFERENCE §3.1).';
    assert.equal(why({}, 'biopsy:core-needle'), core + ' Only after the biochemistry above.');
    assert.equal(why({ patient: { sex: 'female' }, workup: { afpHcg: 'normal' }, tumor: M0 }, 'biopsy:core-needle'), core);
    assert.equal(why({ patient: { sex: 'female' }, workup: { afpHcg: 'normal' } }, 'biopsy:core-needle'), core);
    assert.deepEqual(safety({ patient: { sex: 'female' }, workup: { afpHcg: 'normal' } }), [
      { id: 'biopsy:core-needle', test: 'image-guided percutaneous core-needle biopsy (retroperitoneal approach)', kind: 'biopsy', informationGainBits: null, why: core },
      { id: 'imaging:staging-ct', test: 'CT of chest, abdomen and pelvis', kind: 'imaging', informationGainBits: null, why: 'Staging: distant metastasis not recorded (REFERENCE §3.1 [V]).' },
    ]);
    assert.deepEqual(safety({ pathology: { markers: { MDM2: 'positive', CD45: 'negative', SALL4: 'negative' } }, tumor: M0 }), [
      {
        id: 'marker:MDM2-amplification',
        test: 'MDM2 amplification (FISH or NGS)',
        kind: 'marker',
        informationGainBits: null,
        why: 'MDM2 was reported by immunohistochemistry only: IHC positivity is not amplification — confirm by FISH/NGS before calling it liposarcoma (REFERENCE §3.2 [V]).',
      },
    ]);
    assert.deepEqual(safety({ patient: { sex: 'male', ageYears: 24 }, pathology: { specimen: 'resection' }, tumor: M0 })[0], {
      id: 'biochemistry:afp-hcg',
      test: 'serum AFP and β-hCG',
      kind: 'biochemistry',
      informationGainBits: null,
      why: 'Germ-cell tumour markers (REFERENCE §3.1 [C]).',
    });
  });
  it('a germ-cell flag without an exclusion entry (supported by markers) still brings its work-up', () => {
    assert.deepEqual(ids({ patient: { sex: 'male', ageYears: 60 }, pathology: { markers: { SALL4: 'positive', OCT34: 'positive' } }, tumor: M0 }), ['biochemistry:afp-hcg', 'imaging:testicular-ultrasound']);
  });
});

describe('warnings of diagnose(), exactly', () => {
  const warning = (input: CaseInput, code: string) => dx(input).warnings.filter((w) => w.code === code);
  it('histology-mdm2-amplified: "this is DD-LPS" for UPS and sarcoma NOS, "consider WD/DD-LPS" for the others; none for a liposarcoma', () => {
    const ups = (mdm2: string, name: string) => [
      { code: 'histology-mdm2-amplified', path: 'pathology.markers.MDM2', message: `MDM2 is ${mdm2} in a retroperitoneal ${name}: this is dedifferentiated liposarcoma (8858/3) — ask the pathologist to review.`, sources: ['PATHOLOGYOUTLINES'], evidence: 'verified' },
    ];
    const other = (mdm2: string, name: string) => [
      { code: 'histology-mdm2-amplified', path: 'pathology.markers.MDM2', message: `MDM2 is ${mdm2}, which ${name} is not: consider well-differentiated or dedifferentiated liposarcoma — ask the pathologist to review.`, sources: ['PATHOLOGYOUTLINES'], evidence: 'verified' },
    ];
    assert.deepEqual(warning({ pathology: { histology: '8802/3', markers: { MDM2: 'amplified' } } }, 'histology-mdm2-amplified'), ups('amplified', 'undifferentiated pleomorphic sarcoma'));
    assert.deepEqual(warning({ pathology: { histology: '8805/3', markers: { MDM2: 'positive' } } }, 'histology-mdm2-amplified'), ups('positive', 'undifferentiated sarcoma'));
    assert.deepEqual(warning({ pathology: { histology: '8800/3', markers: { MDM2: 'amplified' } } }, 'histology-mdm2-amplified'), ups('amplified', 'sarcoma, NOS'));
    assert.deepEqual(warning({ pathology: { histology: '8890/3', markers: { MDM2: 'amplified' } } }, 'histology-mdm2-amplified'), other('amplified', 'leiomyosarcoma'));
    assert.deepEqual(warning({ pathology: { histology: '8854/3', markers: { MDM2: 'positive' } } }, 'histology-mdm2-amplified'), other('positive', 'pleomorphic liposarcoma'));
    assert.deepEqual(warning({ pathology: { histology: '8852/3', markers: { MDM2: 'amplified' } } }, 'histology-mdm2-amplified'), other('amplified', 'myxoid liposarcoma'));
    assert.deepEqual(warning({ pathology: { histology: '8858/3', markers: { MDM2: 'amplified' } } }, 'histology-mdm2-amplified'), []);
    assert.deepEqual(warning({ pathology: { histology: '8890/3', markers: { MDM2: 'not_amplified' } } }, 'histology-mdm2-amplified'), []);
    assert.deepEqual(warning({ pathology: { histology: '8890/3', markers: { CDK4: 'amplified' } } }, 'histology-mdm2-amplified'), []);
  });
  it('histology-contradicted names each decisive finding once, for a histology and for a family mapped onto profiles', () => {
    const contradicted = (name: string, code: string, findings: string) => ({
      code: 'histology-contradicted',
      path: 'pathology.histology',
      message: `The findings contradict the recorded histology ${name} (${code}): ${findings}. Please review the pathology.`,
      sources: ['SEED'],
      evidence: 'consensus',
    });
    assert.deepEqual(warning({ pathology: { histology: '8890/3', markers: { CD45: 'positive' } } }, 'histology-contradicted'), [contradicted('leiomyosarcoma', '8890/3', 'CD45 (LCA) positive')]);
    // Liposarcoma NOS maps onto WD- and DD-LPS: both excluded by CD45, the finding is named once.
    assert.deepEqual(warning({ pathology: { histology: '8850/3', markers: { CD45: 'positive' } } }, 'histology-contradicted'), [contradicted('liposarcoma, NOS', '8850/3', 'CD45 (LCA) positive')]);
    // Only one of the two excluded (the solid nodule excludes WD-LPS, DD-LPS stays): no contradiction.
    assert.deepEqual(warning({ tumor: { imaging: { macroscopicFat: true, solidComponent: true } }, pathology: { histology: '8850/3' } }, 'histology-contradicted'), []);
    assert.deepEqual(warning({ pathology: { histology: '8890/3', markers: { desmin: 'positive' } } }, 'histology-contradicted'), []);
  });
  it('histology-other-category-supported lists every supported candidate of another category', () => {
    assert.deepEqual(warning({ pathology: { histology: '8890/3', markers: { CD45: 'positive' } } }, 'histology-other-category-supported'), [
      {
        code: 'histology-other-category-supported',
        path: 'pathology.histology',
        message: 'The recorded histology is leiomyosarcoma (sarcoma), but the findings support lymphoma, NOS (lymphoma). Please review the pathology.',
        sources: ['SEED'],
        evidence: 'consensus',
      },
    ]);
    assert.deepEqual(warning({ pathology: { histology: '9590/3', markers: { CD45: 'positive' } } }, 'histology-other-category-supported'), []);
  });
  it('markers-mutually-exclusive: MDM2/CDK4 amplified with a carcinoma, lymphoma or paraganglioma marker positive, each pair once', () => {
    const pair = (a: string, b: string, bLabel: string, lineage: string) => ({
      code: 'markers-mutually-exclusive',
      path: `pathology.markers.${b}`,
      message: `${a} amplified together with ${bLabel} positive: ${a} amplification marks a liposarcoma, which lacks ${lineage} markers such as ${bLabel} — one result is wrong or the sample is mixed; review the pathology before any treatment.`,
      sources: ['SEED'],
      evidence: 'consensus',
    });
    assert.deepEqual(warning({ pathology: { markers: { MDM2: 'amplified', CD45: 'positive' } } }, 'markers-mutually-exclusive'), [pair('MDM2', 'CD45', 'CD45 (LCA)', 'lymphoma')]);
    assert.deepEqual(warning({ pathology: { markers: { CDK4: 'amplified', panCK: 'positive', chromogranin: 'positive' } } }, 'markers-mutually-exclusive'), [
      pair('CDK4', 'panCK', 'pan-cytokeratin', 'carcinoma'),
      pair('CDK4', 'chromogranin', 'chromogranin', 'paraganglioma'),
    ]);
    assert.deepEqual(warning({ pathology: { markers: { MDM2: 'amplified', PAX8: 'positive' } } }, 'markers-mutually-exclusive'), [pair('MDM2', 'PAX8', 'PAX8', 'carcinoma')]);
    assert.deepEqual(warning({ pathology: { markers: { MDM2: 'positive', CD45: 'positive' } } }, 'markers-mutually-exclusive'), []);
    assert.deepEqual(warning({ pathology: { markers: { MDM2: 'amplified', CD45: 'focal' } } }, 'markers-mutually-exclusive'), []);
  });
  it('amplification-by-ihc-only: one warning per marker reported positive by IHC', () => {
    const ihc = (name: string) => ({
      code: 'amplification-by-ihc-only',
      path: `pathology.markers.${name}`,
      message: `${name} is reported positive by immunohistochemistry: that is not amplification — confirm ${name} amplification by FISH or NGS before it counts for liposarcoma.`,
      sources: ['PATHOLOGYOUTLINES', 'SEED'],
      evidence: 'verified',
    });
    assert.deepEqual(warning({ pathology: { markers: { MDM2: 'positive', CDK4: 'positive' } } }, 'amplification-by-ihc-only'), [ihc('MDM2'), ihc('CDK4')]);
    assert.deepEqual(warning({ pathology: { markers: { CDK4: 'positive', MDM2: 'amplified' } } }, 'amplification-by-ihc-only'), [ihc('CDK4')]);
    assert.deepEqual(warning({ pathology: { markers: { MDM2: 'amplified' } } }, 'amplification-by-ihc-only'), []);
  });
  it('differential-all-excluded only when every candidate is excluded', () => {
    const all = (input: CaseInput) => warning(input, 'differential-all-excluded');
    const contradictory = { pathology: { markers: { CD45: 'positive', panCK: 'positive', SALL4: 'positive', chromogranin: 'positive', MDM2: 'amplified' } } } as const;
    const d = dx(contradictory);
    assert.deepEqual(d.differential.filter((e) => e.status !== 'excluded'), [], 'the case must exclude every candidate');
    assert.deepEqual(all(contradictory), [
      {
        code: 'differential-all-excluded',
        path: 'pathology.markers',
        message: 'Every candidate of the differential is excluded by the findings: the results contradict each other — review the pathology and imaging; nothing is concluded from them.',
        sources: ['SEED'],
        evidence: 'consensus',
      },
    ]);
    assert.deepEqual(all({ pathology: { markers: { CD45: 'positive' } } }), []);
    assert.deepEqual(all({}), []);
  });
  it('wdlps-high-grade-features: each feature at its threshold, on its own, and none below', () => {
    const WD = '8851/3';
    const wd = (extra: CaseInput['pathology'], tumor?: CaseInput['tumor']) => warning({ pathology: { histology: WD, ...extra }, ...(tumor ? { tumor } : {}) }, 'wdlps-high-grade-features');
    const w = (features: string, path: string) => [
      {
        code: 'wdlps-high-grade-features',
        path,
        message: `Well-differentiated liposarcoma with high-grade features (${features}): suspect dedifferentiation — re-sample the solid/non-lipomatous part (image-guided core biopsy) and review the pathology; extra blocks of solid areas find dedifferentiation.`,
        sources: ['FNCLCC', 'CAP', 'LUCAS-1994', 'DDLPS-MRI'],
        evidence: 'consensus',
      },
    ];
    assert.deepEqual(wd({ fnclcc: { differentiation: 1, mitosesPer10Hpf: 9, necrosisPercent: 0 } }), []);
    assert.deepEqual(wd({ fnclcc: { differentiation: 1, mitosesPer10Hpf: 10, necrosisPercent: 0 } }), w('10 mitoses/10 HPF', 'pathology.fnclcc.mitosesPer10Hpf'));
    assert.deepEqual(wd({ fnclcc: { differentiation: 1, mitosesPer10Hpf: 0, necrosisPercent: 1 } }), w('1 % necrosis', 'pathology.fnclcc.necrosisPercent'));
    assert.deepEqual(wd({ fnclcc: { differentiation: 2, mitosesPer10Hpf: 0, necrosisPercent: 0 } }), w('differentiation score 2', 'pathology.fnclcc.differentiation'));
    assert.deepEqual(wd({ grade: 'G1' }), []);
    assert.deepEqual(wd({ grade: 'G2' }), w('grade G2', 'pathology.grade'));
    assert.deepEqual(wd({ grade: 'G3' }), w('grade G3', 'pathology.grade'));
    assert.deepEqual(wd({ grade: 'GX' }), []);
    assert.deepEqual(wd({}, { imaging: { solidComponent: true } }), w('a solid non-fatty component on imaging', 'tumor.imaging.solidComponent'));
    assert.deepEqual(wd({}, { imaging: { solidComponent: false } }), []);
    assert.deepEqual(
      wd({ fnclcc: { differentiation: 3, mitosesPer10Hpf: 12, necrosisPercent: 20 }, grade: 'G3' }, { imaging: { solidComponent: true } }),
      w('12 mitoses/10 HPF, 20 % necrosis, differentiation score 3, grade G3, a solid non-fatty component on imaging', 'pathology.fnclcc.mitosesPer10Hpf'),
    );
    // Only for a well-differentiated liposarcoma.
    assert.deepEqual(warning({ pathology: { histology: '8858/3', grade: 'G3' } }, 'wdlps-high-grade-features'), []);
  });
  it('a histology code outside the table: the warning, exactly', () => {
    assert.deepEqual(dx({ pathology: { histology: '9999/3' } }).warnings, [
      { code: 'histology-unknown', path: 'pathology.histology', message: "Histology 9999/3 is not in Retroplan's table; sarcoma status not determined.", sources: ['SEED'] },
    ]);
  });
});

describe('certainty: the sarcoma status staging reads, and the histology grading reads, exactly', () => {
  const status = (input: CaseInput) => {
    const c = parseCase(input);
    return sarcomaStatusFromDiagnosis(diagnose(c), c);
  };
  const confirm = "a core-needle biopsy with the pathologist's histology (and MDM2 FISH for a fatty tumour) would confirm it";
  it('each basis and certainty gives its own reason and provisional flag', () => {
    assert.deepEqual(status({}), { isSarcoma: null, reason: `no histology recorded and the findings do not establish the diagnosis — ${confirm}`, provisional: true, suspectedNonSarcoma: false, code: null });
    assert.deepEqual(status({ tumor: { imaging: { vesselOrigin: 'ivc' } } }), {
      isSarcoma: null,
      reason: `leiomyosarcoma (8890/3) is suspected from the findings, not confirmed — ${confirm}`,
      provisional: true,
      suspectedNonSarcoma: false,
      code: '8890/3',
    });
    assert.deepEqual(status({ tumor: { imaging: { macroscopicFat: true, organOfOrigin: 'kidney_right' } } }), {
      isSarcoma: null,
      reason: `angiomyolipoma (8860/0) is suspected from the findings, not confirmed — ${confirm}`,
      provisional: true,
      suspectedNonSarcoma: true,
      code: '8860/0',
    });
    assert.deepEqual(status({ pathology: { markers: { MDM2: 'amplified' } } }), {
      isSarcoma: true,
      reason: 'liposarcoma, NOS (8850/3) is a sarcoma (confirmed by MDM2/CDK4 amplification)',
      provisional: false,
      suspectedNonSarcoma: false,
      code: '8850/3',
    });
    assert.deepEqual(status({ pathology: { histology: '8858/3' } }), { isSarcoma: true, reason: 'dedifferentiated liposarcoma (8858/3) is a sarcoma', provisional: false, suspectedNonSarcoma: false, code: '8858/3' });
    // Every diagnostic category has its written name in the vocabulary (GIST here; vocabulary.test.ts checks them all).
    assert.deepEqual(status({ pathology: { markers: { KIT: 'positive', DOG1: 'positive' } } }), {
      isSarcoma: false,
      reason: 'gastrointestinal stromal tumour (8936/3) is not a sarcoma (GIST) (suspected from the findings, not yet confirmed by pathology)',
      provisional: true,
      suspectedNonSarcoma: false,
      code: '8936/3',
    });
  });
  it('the leading diagnosis: basis, certainty, rank and weight', () => {
    const lead = (input: CaseInput) => dx(input).leading;
    assert.deepEqual(lead({ pathology: { markers: { MDM2: 'amplified' } } }), { code: '8850/3', name: 'liposarcoma, NOS', category: 'sarcoma', basis: 'molecular', certainty: 'confirmed', rank: null, probability: null });
    assert.deepEqual(lead({ pathology: { histology: '8890/3' } }), { code: '8890/3', name: 'leiomyosarcoma', category: 'sarcoma', basis: 'pathologist', certainty: 'confirmed', rank: null, probability: null });
    // MDM2 by IHC only never confirms: a suspicion at best.
    assert.notEqual(lead({ pathology: { markers: { MDM2: 'positive' } } })?.certainty, 'confirmed');
    const lms = lead({ tumor: { imaging: { vesselOrigin: 'ivc' } } })!;
    assert.equal(lms.basis, 'findings');
    assert.equal(lms.certainty, 'suspected');
    assert.equal(lms.rank, 1);
  });
  it('grading never uses a placeholder inferred from findings (liposarcoma NOS, sarcoma NOS), but uses a recorded one', () => {
    assert.equal(histologyForGrading(dx({ pathology: { markers: { MDM2: 'amplified' } } })), undefined);
    assert.equal(resolvedHistology(dx({ pathology: { markers: { MDM2: 'amplified' } } }))?.code, '8850/3');
    assert.equal(histologyForGrading(dx({ pathology: { histology: '8850/3' } }))?.code, '8850/3');
    assert.equal(histologyForGrading(dx({ pathology: { histology: '8800/3' } }))?.code, '8800/3');
    assert.equal(histologyForGrading(dx({ tumor: { imaging: { vesselOrigin: 'ivc' } } }))?.code, '8890/3');
    assert.equal(histologyForGrading(dx({})), undefined);
  });
});
