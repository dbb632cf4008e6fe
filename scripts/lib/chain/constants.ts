/** Protocol-wide constants shared by scripts, tasks and tests. */
import { parseEther } from "ethers";
import { BPS, Shares } from "../models/schedule";

export { BPS };
export type { Shares };

export const DAY = 86_400n;
export const YEAR = 365n * DAY;

/** Bucket indices, in the order of the controller's `uint16[5]` and `address[5]` arrays. */
export enum Bucket {
  Code = 0,
  Community = 1,
  Compute = 2,
  Capital = 3,
  Protection = 4,
}
export const BUCKET_NAMES = ["code", "community", "compute", "capital", "protection"] as const;

/** Morpheus-like defaults: 14,400 TTD on day 0, 2.468994701 TTD less each day, ~5,833 days, ~42M TTD. */
export const DEFAULT_SCHEDULE = {
  interval: DAY,
  initialAmount: parseEther("14400"),
  decrease: parseEther("2.468994701"),
} as const;

export const DEFAULT_SHARES: Shares = [2400, 2400, 2400, 2400, 400];

/** Capital pool defaults. */
export const DEFAULT_POOL = {
  rewardsDuration: 7n * DAY,
  minDeposit: parseEther("0.001"),
  withdrawLock: 0n,
} as const;

/** AccessManager role ids (0 is ADMIN_ROLE, held by the Timelock once governance is deployed). */
export const ROLES = {
  ADMIN: 0n,
  /** The emission controller's right to call `onEmission` on receivers that check it. */
  DISTRIBUTOR: 1n,
  /** The subnet factory's right to add a launched subnet to a contribution bucket. */
  LAUNCHER: 3n,
} as const;

/** Governance defaults (issue: voting delay 1 day, period 5 days, threshold 0.1%, quorum 4%, delay 2 days). */
export const DEFAULT_GOVERNANCE = {
  votingDelay: DAY,
  votingPeriod: 5n * DAY,
  proposalThresholdBps: 10n, // 0.1% of the supply
  quorumPercent: 4n,
  lateQuorumExtension: DAY,
  timelockDelay: 2n * DAY,
  voteLookback: DAY, // votes must also be held a day before the snapshot (issue 15)
  quorumFloor: 30_000n * 10n ** 18n, // least quorum in TTD: ~4% of the supply at day 52
  maxFundReleaseBps: 1_000n, // the protection fund releases at most 10% per 30 days
} as const;

/** The guardian's AccessManager role: may call `pause()` on the controller, the pool and the subnets. */
export const GUARDIAN_ROLE = 2n;
