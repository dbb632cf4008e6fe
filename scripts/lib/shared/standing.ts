/**
 * A validator's standing in a subnet under the proof-of-contribution rule of issue 14, shared by the
 * validator client, the Hardhat tasks (over ethers) and the web app (over viem):
 *
 *  - its last revealed sheet stays in force (counts in the consensus, earns nothing) for
 *    `activityCutoff` rounds: through round `revealRound + activityCutoff - 1`;
 *  - a permit whose last activity `max(revealRound, joinRound)` is `activityCutoff` rounds old is
 *    expelled (`Inactive`) when the round is finalized; a committer that does not reveal is expelled
 *    (`NoReveal`) and its old sheet stops counting at once;
 *  - a revealer is struck when its agreement is under `agreementThreshold` or under
 *    `relativeThreshold` of the round's median agreement (`Dividends.struck`).
 *
 * Dependency-free on purpose (no ethers, no viem), like ./error-messages.
 */

/** `ISubnet.ExpelReason`, by value. */
export const EXPEL_REASONS = ["NoReveal", "LowAgreement", "Outbid", "BelowMinimum", "Inactive"] as const;

export type ExpelReasonName = (typeof EXPEL_REASONS)[number];

/** Why a validator lost its permit, in plain words, by `ISubnet.ExpelReason`. */
export const EXPEL_REASON_TEXT: Record<ExpelReasonName, string> = {
  NoReveal: "committed and did not reveal",
  LowAgreement: "agreement under the threshold for maxStrikes rounds in a row",
  Outbid: "a larger stake took its permit",
  BelowMinimum: "its stake fell under the minimum",
  Inactive: "revealed no sheet for activityCutoff rounds",
};

/** The name of expel reason `reason` (`Reason 7` when unknown). */
export function expelReasonName(reason: number | bigint): string {
  return EXPEL_REASONS[Number(reason)] ?? `Reason ${String(reason)}`;
}

/** The validator fields the standing depends on (`ISubnet.Validator`). */
export interface StandingInput {
  /** The subnet's current round. */
  round: bigint;
  /** `Params.activityCutoff` in force this round (the one this round's finalization applies). */
  activityCutoff: number | bigint;
  commitRound: bigint;
  revealRound: bigint;
  joinRound: bigint;
  /** The round's phase, when known: a closed round can no longer be revealed in. */
  phase?: "commit" | "reveal" | "closed";
}

/** Where a validator's sheet and permit stand. */
export interface Standing {
  /** The last round it revealed in; undefined when it never revealed. */
  lastRevealed?: bigint;
  /** The last round whose finalization counts its last sheet; undefined when it has none. */
  activeUntil?: bigint;
  /** Whether its last sheet counts in this round's consensus (false once a withheld reveal is settled). */
  inForce: boolean;
  /** `max(revealRound, joinRound)`. */
  lastActive: bigint;
  /** The round whose finalization expels the permit for inactivity if it reveals nothing before. */
  expelRound: bigint;
  /**
   * What this round's finalization does to it if nothing changes: `Inactive` (no reveal for
   * `activityCutoff` rounds), `NoReveal` (committed, not revealed: it must reveal, or be expelled and
   * lose its sheet), or undefined (the permit survives).
   */
  atRisk?: "Inactive" | "NoReveal";
  /** Whether that is settled (the round is closed, it can no longer reveal). */
  certain: boolean;
  /** One line of warning, or undefined when the permit is not at risk. */
  warning?: string;
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** The standing of a validator in round `round` (see the module comment). */
export function sheetStanding(v: StandingInput): Standing {
  const cutoff = BigInt(v.activityCutoff);
  const { round } = v;
  const revealedNow = v.revealRound === round && round > 0n;
  const lastRevealed = v.revealRound > 0n ? v.revealRound : undefined;
  const activeUntil = lastRevealed === undefined ? undefined : lastRevealed + cutoff - 1n;
  const lastActive = max(v.revealRound, v.joinRound);
  const expelRound = lastActive + cutoff;
  const closed = v.phase === "closed";
  // A commitment is only a risk once the reveal window is open (in the commit phase it is routine).
  const withheld = v.commitRound === round && !revealedNow && round > 0n && v.phase !== "commit";
  const inForce = activeUntil !== undefined && round <= activeUntil && !(withheld && closed);
  let atRisk: Standing["atRisk"];
  let warning: string | undefined;
  if (withheld) {
    atRisk = "NoReveal";
    warning = closed
      ? `committed in round ${round} and did not reveal: its finalization expels the permit (NoReveal) and drops its last sheet`
      : `committed in round ${round}: reveal before the window closes, or the permit is expelled (NoReveal) and its last sheet dropped`;
  } else if (!revealedNow && round >= expelRound) {
    atRisk = "Inactive";
    const since =
      lastRevealed === undefined ? `since joining in round ${v.joinRound}` : `since round ${lastRevealed}`;
    warning = closed
      ? `no sheet revealed ${since}: the finalization of round ${round} expels the permit (Inactive)`
      : `no sheet revealed ${since}: reveal in round ${round}, or its finalization expels the permit (Inactive)`;
  }
  return {
    lastRevealed,
    activeUntil,
    inForce,
    lastActive,
    expelRound,
    atRisk,
    certain: atRisk !== undefined && closed,
    warning,
  };
}

/** `Dividends.struck`: agreement `a` under the floor, or under `relativeThreshold` of the median `m`. */
export function isStruck(
  a: bigint,
  m: bigint,
  agreementThreshold: number | bigint,
  relativeThreshold: number | bigint,
): boolean {
  return a < BigInt(agreementThreshold) || a * 10_000n < BigInt(relativeThreshold) * m;
}

/** A `ValidatorDividend` event's fields. */
export interface DividendRecord {
  round: bigint;
  agreement: bigint;
  reward: bigint;
}

/** A `RoundAgreement` event's fields. */
export interface AgreementRecord {
  round: bigint;
  median: bigint;
  lagged: bigint;
}

/** One round of a validator's record. */
export interface ValidatorRound {
  round: bigint;
  /** Whether it revealed (a `ValidatorDividend` event names it); the fields below need it. */
  revealed: boolean;
  agreement?: bigint;
  /** The round's stake-weighted median agreement (undefined when no `RoundAgreement` was emitted). */
  median?: bigint;
  /** Last round's consensus's agreement with this round's. */
  lagged?: bigint;
  /** `agreement - lagged`, basis points (negative when it did worse than copying). */
  edge?: bigint;
  reward?: bigint;
  /** Struck under `thresholds`; undefined when it did not reveal or the median is unknown. */
  struck?: boolean;
}

/**
 * A validator's last `limit` rounds, newest first, from its `ValidatorDividend` events and the
 * subnet's `RoundAgreement` events: every round it revealed in, and the rounds since `fromRound`
 * (its join round) in which it did not. Strikes are judged with `thresholds`, the settings in force
 * now (a round under other settings may have been judged otherwise).
 */
export function validatorRounds(
  dividends: readonly DividendRecord[],
  agreements: readonly AgreementRecord[],
  thresholds: { agreementThreshold: number | bigint; relativeThreshold: number | bigint },
  options: { limit?: number; fromRound?: bigint } = {},
): ValidatorRound[] {
  const byRound = new Map<bigint, AgreementRecord>();
  for (const a of agreements) byRound.set(a.round, a);
  const paid = new Map<bigint, DividendRecord>();
  for (const d of dividends) paid.set(d.round, d);
  const rounds = new Set<bigint>(paid.keys());
  for (const r of byRound.keys())
    if (options.fromRound === undefined || r >= options.fromRound) rounds.add(r);
  const sorted = [...rounds].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return sorted.slice(0, options.limit ?? 10).map((round): ValidatorRound => {
    const a = byRound.get(round);
    const d = paid.get(round);
    if (d === undefined) return { round, revealed: false, median: a?.median, lagged: a?.lagged };
    return {
      round,
      revealed: true,
      agreement: d.agreement,
      median: a?.median,
      lagged: a?.lagged,
      edge: a === undefined ? undefined : d.agreement - a.lagged,
      reward: d.reward,
      struck:
        a === undefined
          ? undefined
          : isStruck(d.agreement, a.median, thresholds.agreementThreshold, thresholds.relativeThreshold),
    };
  });
}

/** Basis points as a percentage with one decimal: `87.5%` (signed when `signed`: `+2.0%`). */
export function bpsText(bps: bigint | number, signed = false): string {
  const n = Number(bps) / 100;
  return `${signed && n > 0 ? "+" : ""}${n.toFixed(1)}%`;
}
