import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, sarcomaStatusFromDiagnosis } from './diagnosis.ts';
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
