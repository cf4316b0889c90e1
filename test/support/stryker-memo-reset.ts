// Mutation testing runs every mutant in one vitest process, so the engine's module-level memos would
// keep answers computed by the unmutated code (the dry run) or by an earlier mutant: a mutant inside
// a memoised function would never run and would count as surviving (strategy.ts measured 70 % so on
// 2 December 2026). Each test therefore starts with empty memos. What the memo keys themselves get
// right is tested on its own (strategy.test.ts, "the strategy memo answers each case with its own strategy").
import { beforeEach } from 'vitest';
import { clearMemos } from '../../src/engine/model/memo.ts';

beforeEach(() => clearMemos());
