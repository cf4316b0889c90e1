import { SOURCES, reportNotice, type Evaluation, type SourceId } from '../engine/index.ts';
import { humanText, label, organName, shortCitation } from '../engine/vocabulary.ts';
import { buildProforma, renderProformaText, type ReportMeta } from './proforma.ts';

/** A readable report of an evaluation for a terminal or a note: conclusions first, sources last. */
export function renderTextReport(evaluation: Evaluation, caseInput?: unknown, meta?: ReportMeta): string {
  const lines: string[] = caseInput === undefined ? [] : [...renderProformaText(buildProforma(caseInput, evaluation, meta)), '', 'APPENDIX: REASONING AND SOURCES', ''];
  const cited = new Set<SourceId>();
  const section = (title: string) => lines.push('', title, '-'.repeat(title.length));
  const bullets = (items: readonly string[]) => items.forEach((item) => lines.push(`  • ${humanText(item)}`));
  const cite = (ids: readonly SourceId[]) => ids.forEach((id) => cited.add(id));

  lines.push(`Retroplan evaluation${evaluation.caseId ? ` — case ${evaluation.caseId}` : ''} (engine ${evaluation.engine.version}, clinical rules ${evaluation.engine.rulesVersion ?? 'not recorded'})`);
  lines.push(`Presentation: ${label('presentation', evaluation.presentation)}`);

  const { grade, stage, margin } = evaluation;
  section('Grade (FNCLCC)');
  lines.push(
    `  ${grade.grade}` +
      (grade.totalScore !== undefined
        ? ` — differentiation ${grade.differentiationScore} + mitoses ${grade.mitosisScore} + necrosis ${grade.necrosisScore} = ${grade.totalScore}`
        : ''),
  );
  bullets(grade.reasons);
  cite(grade.sources);

  section('Stage (AJCC 8, retroperitoneum)');
  const provisional = stage.provisional === true;
  lines.push(
    `  ${stage.t} ${stage.n} ${stage.m} ${stage.g} → ${stage.group ? `${provisional ? 'PROVISIONAL stage' : 'stage'} ${stage.group}` : 'no stage group'}${stage.recurrent ? ' (recurrent)' : ''}` +
      `${stage.basis ? ` — ${stage.basis} staging` : ''}${provisional ? ' — provisional: the diagnosis is not confirmed' : ''}`,
  );
  bullets(stage.reasons);
  if (stage.missing.length > 0) {
    lines.push('  Missing to stage:');
    bullets(stage.missing);
  }
  cite(stage.sources);

  section('Margin');
  lines.push(`  ${margin.status ?? 'not recorded'}${margin.meaning ? ` — ${margin.meaning}` : ''}`);
  bullets(margin.reasons.slice(margin.status ? 1 : 0));
  cite(margin.sources);

  renderClinicalSections(evaluation, section, bullets, cite, lines);

  if (evaluation.warnings.length > 0) {
    section('Warnings');
    bullets(evaluation.warnings.map((w) => w.message));
    evaluation.warnings.forEach((w) => cite(w.sources));
  }

  section('Intended use and limitations');
  lines.push(`  ${reportNotice()}`);

  section('Sources');
  for (const id of cited) lines.push(`  ${shortCitation(id)} — ${SOURCES[id]}`);
  return `${lines.join('\n')}\n`;
}

function basisText(leading: NonNullable<Evaluation['diagnosis']['leading']>): string {
  if (leading.basis === 'pathologist') return "pathologist's histology";
  if (leading.basis === 'molecular') return 'confirmed by MDM2/CDK4 amplification';
  return `suspected from the findings only${leading.rank != null ? `, rank ${leading.rank} in the differential` : ''} — not a diagnosis`;
}

const evidenceTag = (evidence: string | null | undefined) => (evidence === 'consensus' || evidence === 'illustrative' ? ` [${evidence}]` : '');

/** Diagnosis, failure pattern, strategy, resection plan, surveillance, referral and nomogram inputs. */
function renderClinicalSections(
  evaluation: Evaluation,
  section: (title: string) => void,
  bullets: (items: readonly string[]) => void,
  cite: (ids: readonly SourceId[]) => void,
  lines: string[],
): void {
  const { diagnosis, failurePattern, strategy, resectionPlan: plan, surveillance, referral, nomograms } = evaluation;

  section('Diagnosis');
  lines.push(
    `  Leading: ${diagnosis.leading ? `${diagnosis.leading.certainty === 'suspected' ? 'SUSPECTED ' : ''}${diagnosis.leading.name} (${diagnosis.leading.code}, ${label('category', diagnosis.leading.category)}; ${basisText(diagnosis.leading)})` : 'not determined'}` +
      ` — sarcoma: ${diagnosis.isSarcoma === null ? 'not established' : diagnosis.isSarcoma ? 'yes' : 'no'}`,
  );
  bullets(diagnosis.reasons);
  const exclusions = diagnosis.mustExcludeFirst ?? [];
  if (exclusions.length > 0) {
    lines.push('  Must be excluded first:');
    bullets(exclusions.map((e) => `${e.message}${evidenceTag(e.evidence)}`));
  }
  if (diagnosis.redFlags.length > 0) {
    lines.push('  Red flags:');
    bullets(diagnosis.redFlags.map((f) => `${f.message}${evidenceTag(f.evidence)}`));
  }
  lines.push('  Differential:');
  const shown = diagnosis.differential.filter((d) => d.status !== 'excluded');
  const excluded = diagnosis.differential.filter((d) => d.status === 'excluded');
  bullets(
    shown.map((d) => {
      const forText = d.findingsFor.filter((f) => f.strength !== 'consistent').map((f) => f.text);
      const against = d.findingsAgainst.map((f) => f.text);
      return `${d.status.toUpperCase()} ${d.name} (${d.code})${forText.length ? ` — for: ${forText.join('; ')}` : ''}${against.length ? ` — against: ${against.join('; ')}` : ''}`;
    }),
  );
  if (excluded.length > 0) {
    bullets([`excluded: ${excluded.map((d) => `${d.name} (${d.findingsAgainst.filter((f) => f.strength === 'strong').map((f) => f.text).join('; ')})`).join(', ')}`]);
  }
  if (diagnosis.nextTests.length > 0) {
    lines.push('  Next tests:');
    diagnosis.nextTests.forEach((t, i) => lines.push(`  ${i + 1}. ${t.test}${t.informationGainBits !== null ? ' (most informative next)' : ''} — ${humanText(t.why)}`));
  }
  cite(diagnosis.sources);

  section('Pathway');
  const history = evaluation.history;
  if (history) {
    lines.push(`  ${history.position}${history.spill ? ' — rupture/spill recorded' : ''}`);
    bullets(history.reasons);
    cite(history.sources);
  }
  const growth = evaluation.growth;
  if (growth) {
    lines.push(
      `  Growth: ${growth.rateCmPerMonth} cm/month; volume doubling time ${growth.volumeDoublingTimeDays === null ? 'not defined' : `${growth.volumeDoublingTimeDays} days`} (${growth.method === 'ellipsoid' ? 'ellipsoid volumes' : 'one dimension, sphere assumed'})`,
    );
    bullets(growth.reasons);
    cite(growth.sources);
  }

  section('Failure pattern');
  lines.push(`  ${failurePattern.pattern ? label('failurePattern', failurePattern.pattern) : 'not determined'}${evidenceTag(failurePattern.evidence)}`);
  bullets(failurePattern.reasons);
  cite(failurePattern.sources);

  section('Strategy');
  strategy.priorities.forEach((p, i) => lines.push(`  ${i + 1}. ${p.label}${evidenceTag(p.evidence)} — ${humanText(p.rationale)}`));
  bullets(strategy.reasons);
  cite(strategy.sources);

  section('En bloc resection plan');
  const organs = (ids: readonly string[]) => (ids.length ? ids.map(organName).join(', ') : 'none');
  const applies = plan.applies === 'yes' ? 'yes' : plan.applies === 'provisional' ? 'PROVISIONAL (diagnosis not confirmed)' : 'no';
  lines.push(`  Applies: ${applies}; compartment: ${plan.compartment.label ?? 'not determined'}`);
  lines.push(`  En bloc: ${organs(plan.enBloc)}`);
  lines.push(`  Preserve unless infiltrated: ${organs(plan.preserveUnlessInfiltrated)}`);
  if ((plan.decideAtMdt ?? []).length > 0) lines.push(`  For the MDT (not planned for resection): ${organs(plan.decideAtMdt)}`);
  for (const d of plan.deficits ?? []) lines.push(`  Deficit if sacrificed — ${organName(d.organ)}: ${d.deficit}`);
  lines.push(`  Vessels: ${plan.vascular.length ? plan.vascular.map((v) => `${organName(v.organ)}: ${label('vascularAction', v.action)} (${humanText(v.why)})`).join('; ') : 'none'}`);
  lines.push(`  Resectability: ${plan.resectability.status ? label('resectability', plan.resectability.status) : 'not determined'}`);
  bullets(plan.resectability.criteria.map((m) => `${m.verdict}: ${m.label} — ${m.by.map(organName).join(', ')}${evidenceTag(m.evidence)}`));
  if (plan.preoperativeChecks.length > 0) {
    lines.push('  Before surgery:');
    bullets(plan.preoperativeChecks.map((k) => `${k.label} — ${k.why}${evidenceTag(k.evidence)}`));
  }
  bullets(plan.reasons);
  cite(plan.sources);

  section('Surveillance');
  if (surveillance.schedule.length === 0) lines.push('  schedule not determined');
  surveillance.schedule.forEach((p) =>
    lines.push(
      `  months ${p.fromMonth}–${p.toMonth ?? '…'}: every ${p.minIntervalMonths === p.maxIntervalMonths ? p.minIntervalMonths : `${p.minIntervalMonths}–${p.maxIntervalMonths}`} months — ${p.imaging.join(' + ')}`,
    ),
  );
  lines.push(`  Long-term follow-up: ${surveillance.lifelong === true ? 'yes, possibly lifelong' : 'not determined'}`);
  bullets(surveillance.reasons);
  if (surveillance.missing.length > 0) bullets(surveillance.missing.map((m) => `missing: ${m}`));
  cite(surveillance.sources);

  section('Referral');
  lines.push(`  ${referral.recommended ? `Refer to a high-volume sarcoma centre — ${referral.timing}` : 'Sarcoma-centre referral not indicated'}`);
  bullets(referral.reasons);
  lines.push('  Volume–outcome evidence:');
  bullets(referral.evidence.map((f) => `${f.text} [${f.evidence}]`));
  cite(referral.sources);

  section('Nomograms (not re-created — compute them in the published tools)');
  for (const n of nomograms) {
    lines.push(`  ${n.name}: ${n.predicts}. ${n.applicable ? 'Applicable' : 'Not applicable'} (${n.why}). Compute in ${n.where}.`);
    bullets(n.inputs.map((i) => `${i.present ? '✓' : '✗'} ${i.name}${i.field ? ` [${i.field}]` : ''}${i.present ? `: ${i.value}` : ' — missing'}`));
    cite(n.sources);
  }
}
