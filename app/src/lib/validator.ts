/**
 * The Validate page's pure helpers: a validator's per-round record from the subnet's events, and its
 * sheet's standing (both from the shared scripts/lib/shared/standing, which the validator client uses
 * too).
 */
import {
  bpsText,
  sheetStanding,
  validatorRounds,
  type Standing,
  type StandingInput,
  type ValidatorRound,
} from "../../../scripts/lib/shared/standing";

export { bpsText, sheetStanding, type Standing, type StandingInput, type ValidatorRound };

/** A decoded `ValidatorDividend` log, as viem gives it (args may be missing on a malformed log). */
export interface DividendLog {
  args: { round?: bigint; validator?: string; agreementBps?: bigint; reward?: bigint };
}

/** A decoded `RoundAgreement` log. */
export interface AgreementLog {
  args: { round?: bigint; medianBps?: bigint; laggedBps?: bigint };
}

/**
 * The "Your rounds" table: the validator's last `limit` rounds (newest first) since it joined
 * (`fromRound`), from its `ValidatorDividend` logs and the subnet's `RoundAgreement` logs; strikes
 * judged with the thresholds in force now. Logs without a round are skipped.
 */
export function roundTable(
  dividendLogs: readonly DividendLog[],
  agreementLogs: readonly AgreementLog[],
  params: { agreementThreshold: number; relativeThreshold: number },
  options: { limit?: number; fromRound?: bigint } = {},
): ValidatorRound[] {
  const dividends = dividendLogs.flatMap((l) =>
    l.args.round === undefined
      ? []
      : [{ round: l.args.round, agreement: l.args.agreementBps ?? 0n, reward: l.args.reward ?? 0n }],
  );
  const agreements = agreementLogs.flatMap((l) =>
    l.args.round === undefined
      ? []
      : [{ round: l.args.round, median: l.args.medianBps ?? 0n, lagged: l.args.laggedBps ?? 0n }],
  );
  return validatorRounds(dividends, agreements, params, options);
}

/** A table cell for basis points that may be unknown: `87.5%`, or `–`. */
export function bpsCell(bps: bigint | undefined, signed = false): string {
  return bps === undefined ? "–" : bpsText(bps, signed);
}

/** The "Struck" cell: yes, no, or – (no reveal, or no median known). */
export function struckCell(row: ValidatorRound): string {
  if (!row.revealed) return "no reveal";
  return row.struck === undefined ? "–" : row.struck ? "yes" : "no";
}
