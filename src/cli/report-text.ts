import { SOURCES, type Evaluation, type SourceId } from '../engine/index.ts';

/** A readable report of an evaluation for a terminal or a note: conclusions first, sources last. */
export function renderTextReport(evaluation: Evaluation): string {
  const lines: string[] = [];
  const cited = new Set<SourceId>();
  const section = (title: string) => lines.push('', title, '-'.repeat(title.length));
  const bullets = (items: readonly string[]) => items.forEach((item) => lines.push(`  • ${item}`));
  const cite = (ids: readonly SourceId[]) => ids.forEach((id) => cited.add(id));

  lines.push(`Retroplan evaluation${evaluation.caseId ? ` — case ${evaluation.caseId}` : ''} (rules ${evaluation.engine.version})`);
  lines.push(`Presentation: ${evaluation.presentation}`);

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
  lines.push(`  ${stage.t} ${stage.n} ${stage.m} ${stage.g} → ${stage.group ? `stage ${stage.group}` : 'no stage group'}${stage.recurrent ? ' (recurrent)' : ''}`);
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

  if (evaluation.warnings.length > 0) {
    section('Warnings');
    bullets(evaluation.warnings.map((w) => `${w.message}${w.path ? ` [${w.path}]` : ''}`));
    evaluation.warnings.forEach((w) => cite(w.sources));
  }

  section('Sources');
  for (const id of cited) lines.push(`  [${id}] ${SOURCES[id]}`);
  return `${lines.join('\n')}\n`;
}
