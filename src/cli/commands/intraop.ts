import type { Command } from 'commander';
import { intraoperative, validateCase, validateFindings, type FieldError, type IntraopDecision } from '../../engine/index.ts';
import { CliError, parseJsonText, readInput, type CliIo } from '../io.ts';

/**
 * `--finding type[:value[:qualifier]]` → a finding object, e.g.
 * `infiltration:duodenum`, `encasement:ivc:occluded`, `rupture:gross_spillage`,
 * `frozen_section:nodule:tumour`, `unresectable:peritoneal_deposits`, `bleeding`,
 * `contralateral_kidney_unknown`. The engine's schema validates the result.
 */
export function parseFindingOption(text: string): Record<string, unknown> {
  const [type = '', value, qualifier] = text.split(':');
  switch (type) {
    case 'infiltration':
      return { type, structure: value };
    case 'encasement':
      return qualifier === undefined ? { type, structure: value } : { type, structure: value, occludedWithCollaterals: qualifier === 'occluded' ? true : qualifier };
    case 'rupture':
      return { type, extent: value };
    case 'frozen_section':
      return { type, target: value, result: qualifier };
    case 'unresectable':
      return { type, criterion: value };
    default:
      return value === undefined ? { type } : { type, value };
  }
}

function problems(errors: FieldError[], what: string): CliError {
  return new CliError(`invalid ${what} (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${errors.map((e) => `  ${e.path || '(root)'}: ${e.message}`).join('\n')}`);
}

function renderText(d: IntraopDecision): string {
  const lines = [`Intra-operative decision — ${d.intent === 'stop-and-replan' ? 'STOP AND RE-PLAN AT THE MDT' : 'continue the curative resection'}`, ''];
  for (const decision of d.decisions) {
    lines.push(`Finding ${decision.finding + 1}: ${decision.summary}`);
    lines.push(`  Recommended: ${decision.recommended.label}${decision.recommended.evidence === 'consensus' ? ' [consensus]' : ''}`);
    for (const c of decision.recommended.consequences) lines.push(`    – ${c}`);
    for (const a of decision.alternatives) {
      lines.push(`  Alternative: ${a.label}`);
      for (const c of a.consequences) lines.push(`    – ${c}`);
    }
    for (const n of decision.notes) lines.push(`  Note: ${n}`);
    lines.push('');
  }
  lines.push(`Expected margin: ${d.expectedMargin.status.replaceAll('-', ' ')} — ${d.expectedMargin.why}`);
  if (d.updatedPlan.added.length > 0) lines.push(`Added to the en bloc resection: ${d.updatedPlan.added.join(', ')}`);
  if (d.call.length > 0) lines.push(`Call: ${d.call.map((c) => `${c.label} (${c.why})`).join('; ')}`);
  lines.push('Document:');
  for (const item of d.documentation) lines.push(`  – ${item.label}`);
  for (const w of d.warnings) lines.push(`Warning: ${w.message}`);
  lines.push(`Sources: ${d.sources.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function registerIntraop(program: Command, io: CliIo): void {
  program
    .command('intraop')
    .description('intra-operative decision support: what to do when the operation finds what imaging did not show')
    .argument('<file>', 'case JSON file, or - to read stdin')
    .option('--finding <finding>', 'a finding (repeatable): infiltration:<organ>, encasement:<vessel>[:occluded], rupture:<focal_capsular_breach|gross_spillage|piecemeal_removal>, frozen_section:<diagnosis|margin|nodule>:<tumour|no_tumour|indeterminate>, unresectable:<peritoneal_deposits|critical_vessel_no_plane|gross_residual_unavoidable|distant_metastasis>, bleeding, contralateral_kidney_unknown', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--format <format>', 'json or text', 'json')
    .action(async (file: string, opts: { finding: string[]; format: string }) => {
      if (opts.format !== 'json' && opts.format !== 'text') throw new CliError(`--format must be json or text, got ${opts.format}`);
      if (opts.finding.length === 0) throw new CliError('give at least one --finding');
      const checkedCase = validateCase(parseJsonText(await readInput(file, io), file === '-' ? 'stdin' : file));
      if (!checkedCase.ok) throw problems(checkedCase.errors, 'case');
      const findings = validateFindings(opts.finding.map(parseFindingOption));
      if (!findings.ok) throw problems(findings.errors.map((e) => ({ ...e, path: e.path.replace(/^\[(\d+)\]/, (_, i: string) => `--finding ${Number(i) + 1}`) })), 'finding');
      const decision = intraoperative(checkedCase.value, findings.value);
      io.stdout(opts.format === 'text' ? renderText(decision) : `${JSON.stringify(decision, null, 2)}\n`);
    });
}
