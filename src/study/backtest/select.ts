// Model selection of a backtest: each candidate's data split the same way, figures on the validation
// part, the pick from those alone, and the chosen candidate's figures on the held-out test part.

import { evaluate } from './evaluate.ts';
import type { BacktestData, SplitOptions, SplitPart } from './split.ts';
import { splitData } from './split.ts';
import { type Pick, type PickRule, pickCandidate } from './sweep.ts';
import type { BacktestFigures, MatchOptions } from './types.ts';

export interface Selection {
  readonly validation: readonly BacktestFigures[];
  readonly pick: Pick;
  /** The chosen candidate on the test part (never seen by the pick). */
  readonly test: BacktestFigures;
  readonly validationUnits: readonly string[];
  readonly testUnits: readonly string[];
}

function figuresOf(p: SplitPart, rule: PickRule, match: MatchOptions): BacktestFigures {
  return evaluate(
    {
      signals: p.signals,
      labels: p.labels,
      exposures: p.exposures,
      headline: rule.level,
      excludedRigAdvice: p.excludedRigAdvice,
    },
    match,
  );
}

/**
 * Splits every candidate's data with `split` (labels and exposures are the data's, so the units agree),
 * picks on validation figures with `rule`, and evaluates only the chosen one on its test part.
 */
export function selectCandidate(
  candidates: readonly BacktestData[],
  split: SplitOptions,
  rule: PickRule,
  match: MatchOptions,
): Selection {
  const parts = candidates.map((d) => splitData(d, split));
  const validation = parts.map((p) => figuresOf(p.validation, rule, match));
  const pick = pickCandidate(validation, rule);
  return {
    validation,
    pick,
    test: figuresOf(parts[pick.index].test, rule, match),
    validationUnits: parts[0].validation.units,
    testUnits: parts[0].test.units,
  };
}
