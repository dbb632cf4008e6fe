/**
 * The subnet market's default settings, as the contracts' constructors set them: the factory's launch
 * pricing and bounds, and a contribution bucket's gauge. The tests hold the deployed values to them and
 * change one field at a time from them. No tests here.
 */
import { DAY } from "../../scripts/lib/chain/constants";

const TTD = 10n ** 18n;

/** The factory's default launch pricing (constructor): the cost floor, ceiling and decay period. */
export const DEFAULT_PRICING = { minCost: 1_000n * TTD, maxCost: 1_000_000n * TTD, decayPeriod: 14n * DAY };
/** The factory's default bounds on a launching owner's choices (constructor). */
export const DEFAULT_BOUNDS = {
  maxOwnerShareBps: 500n,
  minBond: TTD,
  maxBond: 1_000_000n * TTD,
  minValidatorStake: 100n * TTD,
};
/** A contribution bucket's default gauge settings (constructor). */
export const DEFAULT_GAUGE = {
  maxSubnets: 32,
  maxVotes: 16,
  lookback: DAY,
  immunity: 14n * DAY,
  capBps: 5_000,
  feeBurnBps: 5_000,
};
