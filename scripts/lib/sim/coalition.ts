/**
 * The coalition measurement (issue 14, `sim.coalition25.friendsPremium`): how much more than their
 * output the contributors a colluding coalition scores up ("friends") earn, when the coalition holds
 * about 25% of a subnet's validator stake.
 *
 * The issue's ratio is `(friends' share of the subnet's contributor rewards) / (friends' share of the
 * true output)` over a whole run: 1 means the coalition gains nothing. Over a whole run it also counts
 * what does not come from the coalition: a contributor registered in the first onboarding waves is
 * paid a large pot split among few (and the emission carried from unscored rounds), so a friend who
 * registered early shows a premium without any collusion. Hence two measurements:
 *  - `sharePremium`: the issue's ratio over the whole run (what `npm run demo` prints per subnet);
 *  - `friendsPremium`: round by round, `sum(friends' rewards) / sum(round reward x friends' share of
 *    that round's true output)`: the friends' rewards over what the same rounds would have paid them
 *    for their true output; counted over the rounds after every validator of the subnet joined (before
 *    that the coalition may hold most of the little stake there is, not 25%), pooled over subnets.
 * The simulation puts a quarter of each subnet's validators in the coalition (`BEHAVIOUR.colludingShare`);
 * stakes are the minimum plus up to 50 TTD, so that is 20-31% of the stake.
 */
import { network } from "hardhat";
import { BUCKET_NAMES } from "../chain/constants";
import { ScenarioSize } from "./cli";
import { sumBig } from "./metrics";
import { CONTRIBUTION_BUCKETS, RoundTrace, SimConfig, SimResult, runSimulation } from "./scenario";

/** The friends' premium of one subnet in one run. */
export interface SubnetPremium {
  bucket: string;
  seed: number;
  friends: number;
  /** The coalition's stake over the subnet's validator stake (all permits). */
  colludingStakeShare: number;
  /** The issue's ratio over the whole run: friends' share of rewards / share of true output. */
  friendsRewardShare: number;
  friendsOutputShare: number;
  sharePremium: number;
  /** Round by round (see the file comment), every round / the rounds after every validator joined. */
  roundPremium: number;
  onboardedPremium: number;
  /** Rounds with a revealed sheet; those after every validator joined; those where the coalition held half the revealed stake. */
  scoredRounds: number;
  onboardedRounds: number;
  coalitionMajorityRounds: number;
  /**
   * The friends' rewards over the whole run as premium points over their output share (they add up
   * to `sharePremium`): `fair` is what they would get if every round paid them their share of that
   * round's true output (not 1 when rounds differ: early registration, carried emission); the rest is
   * what they got over that in rounds where the coalition held half the revealed stake, rounds where a
   * friend idled and was paid anyway (a stale copied sheet kept its score up), and all other rounds.
   */
  decomposition: { fair: number; coalitionMajority: number; idlePaid: number; other: number };
}

export interface CoalitionStats {
  /** Round by round, after onboarding, every subnet (and seed) pooled: the measurement for issue 14. */
  friendsPremium: number;
  /**
   * `friendsPremium - 1` taken apart: the friends' rewards over their fair rewards in the rounds after
   * onboarding, from rounds where the coalition held half the revealed stake, rounds where an idle
   * friend was paid, and the others (the consensus's bias for the friends when the coalition's
   * maximum is the top vote: the friends get the highest other sheet, everyone else the upper median).
   */
  excess: { coalitionMajority: number; idlePaid: number; other: number };
  /** The largest onboarded round-by-round premium of a single subnet. */
  worstSubnetPremium: number;
  /** The whole-run share ratio: the largest of a subnet (the demo's number), and pooled. */
  sharePremium: number;
  pooledSharePremium: number;
  subnets: SubnetPremium[];
}

const ratio = (part: bigint, whole: bigint): number =>
  whole === 0n ? 0 : Number((part * 10n ** 9n) / whole) / 1e9;

/** What a round would have paid the friends for their true output (TTD wei, as a float). */
const fair = (r: RoundTrace): number =>
  r.totalTruth === 0n ? 0 : (Number(r.totalReward) * Number(r.friendsTruth)) / Number(r.totalTruth);

/** The category of a round for the decomposition. */
function category(r: RoundTrace): "coalitionMajority" | "idlePaid" | "other" {
  if (coalitionMajority(r)) return "coalitionMajority";
  return r.friendsTruth === 0n && r.friendsReward > 0n ? "idlePaid" : "other";
}

/** Friends' rewards over their fair rewards, over some rounds (0 when they were owed nothing). */
export function roundPremium(rounds: readonly RoundTrace[]): number {
  const owed = rounds.reduce((a, r) => a + fair(r), 0);
  return owed === 0 ? 0 : Number(sumBig(rounds.map((r) => r.friendsReward))) / owed;
}

/**
 * Whether the coalition held at least half the stake that revealed in a round (it sets the consensus).
 * Counts fresh sheets only: where the subnet keeps stale sheets in force (activityCutoff), the
 * consensus is over more stake than this, and such a round is not necessarily the coalition's.
 */
export function coalitionMajority(r: RoundTrace): boolean {
  const total = sumBig(r.revealers.map((v) => v.stake));
  const colluding = sumBig(r.revealers.filter((v) => v.kind === "colluding").map((v) => v.stake));
  return total > 0n && 2n * colluding >= total;
}

/** The friends' premium of every subnet with friends, from finished runs. */
export function coalitionStats(results: SimResult | readonly SimResult[]): CoalitionStats {
  const runs = Array.isArray(results) ? (results as readonly SimResult[]) : [results as SimResult];
  const subnets: SubnetPremium[] = [];
  const onboarded: RoundTrace[] = [];
  let friendsReward = 0n;
  let totalReward = 0n;
  let friendsOutput = 0n;
  let totalOutput = 0n;
  for (const result of runs) {
    for (const b of CONTRIBUTION_BUCKETS) {
      const cs = result.contributors.filter((c) => c.bucket === b && c.slot >= 0);
      const friends = cs.filter((c) => c.profile.friend);
      if (friends.length === 0) continue;
      const vs = result.validators.filter((v) => v.bucket === b);
      const earned = sumBig(cs.map((c) => c.earned));
      const output = sumBig(cs.map((c) => c.output));
      const fEarned = sumBig(friends.map((c) => c.earned));
      const fOutput = sumBig(friends.map((c) => c.output));
      friendsReward += fEarned;
      totalReward += earned;
      friendsOutput += fOutput;
      totalOutput += output;
      const rewardShare = ratio(fEarned, earned);
      const outputShare = ratio(fOutput, output);
      const traces = result.rounds.filter((r) => r.bucket === b);
      const joined = traces.filter((r) => r.onboarded);
      onboarded.push(...joined);
      const points = (rs: RoundTrace[], amount: (r: RoundTrace) => number): number =>
        outputShare === 0 || earned === 0n
          ? 0
          : rs.reduce((a, r) => a + amount(r), 0) / Number(earned) / outputShare;
      const excess = (r: RoundTrace): number => Number(r.friendsReward) - fair(r);
      const majority = traces.filter(coalitionMajority);
      const idle = traces.filter(
        (r) => !coalitionMajority(r) && r.friendsTruth === 0n && r.friendsReward > 0n,
      );
      const rest = traces.filter((r) => !majority.includes(r) && !idle.includes(r));
      subnets.push({
        bucket: BUCKET_NAMES[b],
        seed: result.config.seed,
        friends: friends.length,
        colludingStakeShare: ratio(
          sumBig(vs.filter((v) => v.kind === "colluding").map((v) => v.stake)),
          sumBig(vs.map((v) => v.stake)),
        ),
        friendsRewardShare: rewardShare,
        friendsOutputShare: outputShare,
        sharePremium: outputShare === 0 ? 0 : rewardShare / outputShare,
        roundPremium: roundPremium(traces),
        onboardedPremium: roundPremium(joined),
        scoredRounds: traces.filter((r) => r.revealers.length > 0).length,
        onboardedRounds: joined.filter((r) => r.revealers.length > 0).length,
        coalitionMajorityRounds: majority.length,
        decomposition: {
          fair: points(traces, fair),
          coalitionMajority: points(majority, excess),
          idlePaid: points(idle, excess),
          other: points(rest, excess),
        },
      });
    }
  }
  const outputShare = ratio(friendsOutput, totalOutput);
  const owed = onboarded.reduce((a, r) => a + fair(r), 0);
  const excess = { coalitionMajority: 0, idlePaid: 0, other: 0 };
  for (const r of onboarded)
    excess[category(r)] += owed === 0 ? 0 : (Number(r.friendsReward) - fair(r)) / owed;
  return {
    friendsPremium: roundPremium(onboarded),
    excess,
    worstSubnetPremium: subnets.reduce((m, s) => Math.max(m, s.onboardedPremium), 0),
    sharePremium: subnets.reduce((m, s) => Math.max(m, s.sharePremium), 0),
    pooledSharePremium: outputShare === 0 ? 0 : ratio(friendsReward, totalReward) / outputShare,
    subnets,
  };
}

/**
 * The default coalition scenario: 4 validators per subnet (one colluding: 20-31% of the stake), 8
 * contributors (one friend), 20 days (about 16 rounds after onboarding), one capital staker, seeds 1-3.
 */
export const COALITION_SIZE: Omit<ScenarioSize, "seed"> = {
  days: 20,
  contributors: 8,
  validators: 4,
  stakers: 1,
};
export const COALITION_SEEDS: readonly number[] = [1, 2, 3];

export interface CoalitionOptions extends Partial<Omit<ScenarioSize, "seed">> {
  /** One run per seed (default 1, 2, 3); the stats pool them. */
  seeds?: readonly number[];
  /** `stages(hre)` of deploy/stages.ts. */
  deploy: SimConfig["deploy"];
}

/**
 * Runs the coalition scenario once per seed on the in-process Hardhat network (each run between a
 * snapshot and its revert: the chain is left as found) and returns the friends' premium with the runs.
 * Deterministic: the same options give the same numbers.
 */
export async function coalitionPremium(
  opts: CoalitionOptions,
): Promise<CoalitionStats & { results: SimResult[] }> {
  const { deploy, seeds = COALITION_SEEDS, ...size } = opts;
  const results: SimResult[] = [];
  for (const seed of seeds) {
    const id = await network.provider.request({ method: "evm_snapshot", params: [] });
    try {
      results.push(await runSimulation({ ...COALITION_SIZE, ...size, seed, deploy }));
    } finally {
      await network.provider.request({ method: "evm_revert", params: [id] });
    }
  }
  return { ...coalitionStats(results), results };
}
