import type { Command } from 'commander';
import { blocksNeeded, pseudocapsuleModel, samplingMissProbability } from '../../engine/index.ts';
import { CliError, type CliIo } from '../io.ts';

function numberOption(value: string | undefined, flag: string, check: (n: number) => boolean, rule: string): number {
  if (value === undefined) throw new CliError(`${flag} is required (${rule})`);
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new CliError(`${flag} must be ${rule}, got ${JSON.stringify(value)}`);
  return n;
}

export function registerModel(program: Command, io: CliIo): void {
  const model = program.command('model').description("the seed chapter's margin models");
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

  model
    .command('pseudocapsule')
    .description('probability of residual disease after dissecting on the pseudocapsule')
    .option('--capsule-mm <c>', 'capsule thickness c in mm (≥ 0)')
    .option('--satellite-mean-mm <l>', 'mean distance ℓ to the nearest satellite in mm (> 0)')
    .option('--defect-fraction <f>', 'fraction φ of capsule surface with defects (0–1)', '0')
    .action((opts: { capsuleMm?: string; satelliteMeanMm?: string; defectFraction?: string }) => {
      const c = numberOption(opts.capsuleMm, '--capsule-mm', (n) => n >= 0, 'a number ≥ 0');
      const l = numberOption(opts.satelliteMeanMm, '--satellite-mean-mm', (n) => n > 0, 'a number > 0');
      const f = numberOption(opts.defectFraction, '--defect-fraction', (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
      print(pseudocapsuleModel(c, l, f));
    });

  model
    .command('sampling')
    .description('probability that n margin blocks miss a focally involved margin, or blocks needed')
    .option('--involved-fraction <p>', 'fraction p of the margin involved (strictly between 0 and 1)')
    .option('--blocks <n>', 'number of blocks examined (whole number ≥ 0)')
    .option('--detection <d>', 'target detection probability (≥ 0 and < 1): prints the blocks needed')
    .action((opts: { involvedFraction?: string; blocks?: string; detection?: string }) => {
      const p = numberOption(opts.involvedFraction, '--involved-fraction', (n) => n > 0 && n < 1, 'a number strictly between 0 and 1');
      if ((opts.blocks === undefined) === (opts.detection === undefined)) {
        throw new CliError('give exactly one of --blocks <n> or --detection <d>');
      }
      if (opts.blocks !== undefined) {
        const n = numberOption(opts.blocks, '--blocks', (x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0');
        print(samplingMissProbability(p, n));
      } else {
        const d = numberOption(opts.detection, '--detection', (x) => x >= 0 && x < 1, 'a number ≥ 0 and < 1');
        print({ blocksNeeded: blocksNeeded(p, d) });
      }
    });
}
