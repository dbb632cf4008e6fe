/**
 * The subnet guardrails of issue 15, measured as an attacker would try them on the in-process Hardhat
 * network with the default parameters:
 * - `slashEscape`: on the full system (deployCore + deployGovernance, as scripts/bench/guardrails.ts
 *   deploys it: the Timelock holds the AccessManager's admin role, and `Subnet.slash` has no role of its
 *   own, so it is the admin's), a validator with stake S unbonds all of it; the same day, a proposal
 *   `slash(validator, S)` is made and goes the whole governance path (vote, voting period, timelock)
 *   while the validator tries `withdrawUnbonded` at every step;
 * - `tenEvictionsInOneDay`: a full standalone subnet (256 contributors, 4 honest validators, one day's
 *   emission of one subnet per round: 14,400 TTD x 2,400 bps = 3,456 TTD) past immunity; an attacker
 *   registers 10 newcomers in the reveal phase of one round: what they burn, against a median
 *   contributor's daily reward, and what the 10 evicted contributors lose (their consensus share of the
 *   round in flight, compared with the same round finalized without the attack, plus any bond kept);
 * - `stalledRound`: a round closes and nobody finalizes; a contributor deregisters and a validator
 *   unstakes then (and again mid-finalization): the seconds each exit waits; the keeper's tip;
 * - `sybilRefresh`: 256 contributors each deregister and register again (restarting immunity): the fee
 *   each burns.
 *
 * `subnetGuardrailMetrics()` returns the flat keys (amounts in TTD as numbers, fractional);
 * scripts/bench/adversarial.ts merges them into reports/adversarial.json, and
 * `npx hardhat run scripts/bench/subnet-guardrails.ts` prints them and writes
 * reports/subnet-guardrails.json. The tests GUARD-11..32 (test/security/SubnetGuardrails.test.ts) run
 * the same scenarios and fail if a guardrail breaks.
 */
import { ethers } from "hardhat";
import * as path from "path";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContractTransactionReceipt, hexlify, randomBytes } from "ethers";
import { DAY, DEFAULT_SCHEDULE, DEFAULT_SHARES, Bucket } from "../lib/chain/constants";
import { Vote, buildProposal, execute, propose, queue } from "../lib/chain/governance";
import { fundedAccounts } from "../lib/chain/accounts";
import { DEFAULT_SUBNET_PARAMS, MAX_CONTRIBUTORS, commitment, encodeSheet } from "../lib/chain/poc";
import { Rng } from "../lib/chain/random";
import { finalizeRound, toPhase } from "../lib/chain/rounds";
import { StandaloneSubnet, deployStandaloneSubnet } from "../lib/deploy/subnet-fixture";
import { Subnet } from "../../typechain-types";
import { deployWorld, writeMetricsMain } from "./guardrails";

const TTD = 10n ** 18n;
const OUT = path.join("reports", "subnet-guardrails.json");
const METRICS = 4;
const VALIDATORS = 4;
/** Contributors per finalization transaction (as the gas bench). */
const PAGE = 64;
/** One subnet's emission per day under the default schedule: day 0's amount x the code bucket's share. */
export const DAILY_SUBNET_EMISSION =
  (DEFAULT_SCHEDULE.initialAmount * BigInt(DEFAULT_SHARES[Bucket.Code])) / 10_000n;
/** The validator's stake in the slash scenario. */
export const SLASH_STAKE = 10_000n * TTD;

/** TTD (18 decimals) as a number, fractional. */
export const ttd = (wei: bigint): number => Number(ethers.formatEther(wei));

/** The custom error `call` reverts with (its name), or "" when it does not revert (state left as is). */
export async function revertName(contract: Subnet, call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "";
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = data ? contract.interface.parseError(data) : null;
    return parsed?.name ?? (e as Error).message;
  }
}

function events(subnet: Subnet, receipt: ContractTransactionReceipt | null, name: string) {
  const address = receipt ? subnet.target.toString().toLowerCase() : "";
  return (receipt?.logs ?? [])
    .filter((l) => l.address.toLowerCase() === address)
    .map((l) => subnet.interface.parseLog(l))
    .filter((e) => e?.name === name)
    .map((e) => e!);
}

/*//////////////////////////////////////////////////////////////
                     1. SLASH VERSUS UNBONDING
//////////////////////////////////////////////////////////////*/

/**
 * The full system (scripts/bench/guardrails.ts's world: 240 days of emission, two holders of 150,000
 * TTD each and a proposer of 5,000, delegated past the lookback). The code subnet is
 * `core.subnets[0]`; the Timelock (AccessManager admin) may call its `slash`.
 */
export async function slashEscape(): Promise<Record<string, number>> {
  const w = await deployWorld();
  const { core, dao, lender, accomplice, defenders } = w;
  const { governor, timelock } = dao;
  const subnet = core.subnets[0];
  const [validator] = await fundedAccounts("subnet-guardrails/slashed-validator", 1);
  await (await core.token.connect(lender).transfer(validator.address, SLASH_STAKE)).wait();
  await (await core.token.connect(validator).approve(await subnet.getAddress(), SLASH_STAKE)).wait();
  // Nobody finalized the subnet's first round in 248 days: close it to reach a commit phase.
  if ((await subnet.phase()) === 2n) await finalizeRound(subnet, 1_000);
  await (await subnet.connect(validator).stake(SLASH_STAKE)).wait();
  const fundBefore = await core.token.balanceOf(await core.protectionFund.getAddress());

  // Day 0: the validator unbonds everything (below the minimum: the whole stake goes, permit lost).
  const unstake = await (await subnet.connect(validator).unstake(SLASH_STAKE)).wait();
  const unbondedAt = BigInt((await unstake!.getBlock()).timestamp);
  const [unbonding, releaseAt] = await subnet.unbonding(validator.address);
  const tries: { at: string; error: string }[] = [];
  const tryWithdraw = async (at: string) =>
    tries.push({
      at,
      error: await revertName(subnet, () => subnet.connect(validator).withdrawUnbonded.staticCall()),
    });
  await tryWithdraw("unbonded");

  // The same day (its last minute): the slash proposal.
  await time.increaseTo(unbondedAt + DAY - 60n);
  const p = buildProposal("Slash a validator", "It unbonded right after misbehaving.", [
    { kind: "slash", subnet: await subnet.getAddress(), validator: validator.address, amount: SLASH_STAKE },
  ]);
  const id = await propose(governor, accomplice, p);
  const proposedAt = BigInt(await time.latest());
  await tryWithdraw("proposed");
  const snapshot = await governor.proposalSnapshot(id);
  await time.increaseTo(snapshot + 1n);
  for (const d of defenders) await (await governor.connect(d).castVote(id, Vote.For)).wait();
  await tryWithdraw("voted");
  await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
  await tryWithdraw("voting ended");
  await queue(governor, p);
  await tryWithdraw("queued");
  const eta = await governor.proposalEta(id);
  await time.increaseTo(eta - 1n);
  await tryWithdraw("one second before execution");
  await time.setNextBlockTimestamp(eta);
  await execute(governor, p);
  const executedAt = BigInt(await time.latest());
  const fundAfter = await core.token.balanceOf(await core.protectionFund.getAddress());
  const slashed = fundAfter - fundBefore;
  // Release time: nothing is left to withdraw.
  await time.increaseTo(releaseAt);
  const late = await revertName(subnet, () => subnet.connect(validator).withdrawUnbonded.staticCall());
  const [left] = await subnet.unbonding(validator.address);
  const failed = tries.filter((t) => t.error === "StillUnbonding").length;
  return {
    "slash.escape.slashedFraction": Number((slashed * 10_000n) / SLASH_STAKE) / 10_000,
    "slash.escape.stakeTtd": ttd(SLASH_STAKE),
    "slash.escape.unbondingTtd": ttd(unbonding),
    "slash.escape.slashedTtd": ttd(slashed),
    "slash.escape.leftUnbondingTtd": ttd(left),
    "slash.escape.proposalDelayAfterUnbondingDays": Number(proposedAt - unbondedAt) / Number(DAY),
    "slash.escape.governancePathDays": Number(executedAt - proposedAt) / Number(DAY),
    "slash.escape.unbondingDays": Number(releaseAt - unbondedAt) / Number(DAY),
    "slash.escape.executedBeforeReleaseDays": Number(releaseAt - executedAt) / Number(DAY),
    "slash.escape.earlyWithdrawalsTried": tries.length,
    "slash.escape.earlyWithdrawalsFailed": failed,
    "slash.escape.withdrawalAtReleaseFailed": late === "NothingToWithdraw" ? 1 : 0,
    "slash.escape.timelockDelayDays": Number(await timelock.getMinDelay()) / Number(DAY),
  };
}

/*//////////////////////////////////////////////////////////////
                     2-3. A FULL STANDALONE SUBNET
//////////////////////////////////////////////////////////////*/

export interface FullSubnet extends StandaloneSubnet {
  deployer: HardhatEthersSigner;
  contributors: HardhatEthersSigner[];
  validators: HardhatEthersSigner[];
  /** The true scores (one row per slot) the honest validators see with noise. */
  truth: number[][];
  /** Each contributor's reward in the last finalized round (a day), wei. */
  lastRewards: bigint[];
}

/** The honest validators commit and reveal noisy copies of the truth (moves to the reveal phase). */
export async function commitAndReveal(f: FullSubnet): Promise<void> {
  const { subnet, validators, truth } = f;
  const address = await subnet.getAddress();
  const round = await subnet.round();
  const rng = new Rng(1_000 + Number(round)); // the same noise for the same round, whatever ran before
  const sheets: { sheet: string; salt: string }[] = [];
  for (const v of validators) {
    const rows = truth.map((row) => row.map((x) => Math.min(65_535, Math.max(0, x + rng.int(-500, 500)))));
    const sheet = encodeSheet(rows, METRICS);
    const salt = hexlify(randomBytes(32));
    sheets.push({ sheet, salt });
    await (await subnet.connect(v).commit(commitment(address, round, v.address, salt, sheet))).wait();
  }
  await toPhase(subnet, "reveal");
  for (const [i, v] of validators.entries())
    await (await subnet.connect(v).reveal(sheets[i].sheet, sheets[i].salt)).wait();
}

/** One day's emission into the bucket, the round closed and finalized; returns the rewards per account. */
export async function closeAndFinalize(
  f: FullSubnet,
  keeper?: HardhatEthersSigner,
): Promise<Map<string, bigint>> {
  const { subnet, token, bucket } = f;
  await (await token.mint(await bucket.getAddress(), DAILY_SUBNET_EMISSION)).wait();
  await toPhase(subnet, "closed");
  const s = keeper ? subnet.connect(keeper) : subnet;
  const rewards = new Map<string, bigint>();
  for (const tx of await finalizeRound(s as Subnet, PAGE)) {
    for (const e of events(subnet, await tx.wait(), "ConsensusScore"))
      rewards.set(e.args.contributor, e.args.reward);
  }
  return rewards;
}

/**
 * 256 contributors and 4 honest validators register in round 1; nobody finalizes it for 7 days (the
 * default immunity); round 2 (one day, 3,456 TTD) is scored and finalized: the eviction list holds the
 * 16 lowest-scored contributors, all past immunity. Leaves round 3 in its commit phase.
 */
export async function deployFullSubnet(): Promise<FullSubnet> {
  const [deployer] = await ethers.getSigners();
  const s = await deployStandaloneSubnet(deployer);
  const { token, subnet } = s;
  const address = await subnet.getAddress();
  const contributors = await fundedAccounts("subnet-guardrails/contributor", MAX_CONTRIBUTORS);
  const validators = await fundedAccounts("subnet-guardrails/validator", VALIDATORS);
  for (const a of [...contributors, ...validators]) {
    await (await token.mint(a.address, 100_000n * TTD)).wait();
    await (await token.connect(a).approve(address, ethers.MaxUint256)).wait();
  }
  for (const [i, c] of contributors.entries())
    await (await subnet.connect(c).register(`contributor-${i}`)).wait();
  for (const [i, v] of validators.entries())
    await (await subnet.connect(v).stake(1_000n * TTD + BigInt(i) * TTD)).wait();
  await toPhase(subnet, "closed");
  await time.increase(DEFAULT_SUBNET_PARAMS.immunityPeriod);
  await finalizeRound(subnet, PAGE); // no sheet: closes at once, round 2 starts
  const rng = new Rng(15);
  const truth = Array.from({ length: MAX_CONTRIBUTORS }, () =>
    Array.from({ length: METRICS }, () => rng.int(0, 65_535)),
  );
  const f: FullSubnet = { ...s, deployer, contributors, validators, truth, lastRewards: [] };
  await commitAndReveal(f);
  const rewards = await closeAndFinalize(f);
  f.lastRewards = contributors.map((c) => rewards.get(c.address) ?? 0n);
  return f;
}

function median(xs: bigint[]): bigint {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2n;
}

export interface EvictionOutcome {
  metrics: Record<string, number>;
  /** Per registration: gas, fee, the evicted slot and the listed slot it was expected to take. */
  registrations: { gas: number; fee: bigint; slot: bigint; listed: bigint; victim: string }[];
  victims: { account: string; counterfactual: bigint; credited: bigint; bondKept: bigint }[];
}

/**
 * Round 3 of `deployFullSubnet`: the validators reveal; then, in the reveal phase, an attacker
 * registers 10 newcomers. The victims' pay for round 3 is compared with the same round finalized
 * without the attack (from a snapshot).
 */
export async function tenEvictionsInOneDay(f: FullSubnet): Promise<EvictionOutcome> {
  const { subnet, token, contributors } = f;
  await commitAndReveal(f);
  const listed = await subnet.evictionCandidates();
  const bond = (await subnet.params())[0].bond;

  // Without the attack.
  const before = await takeSnapshot();
  const cfRewards = await closeAndFinalize(f);
  await before.restore();

  const attackers = await fundedAccounts("subnet-guardrails/newcomer", 10);
  const registrations: EvictionOutcome["registrations"] = [];
  const victims: EvictionOutcome["victims"] = [];
  const claimableAfterEviction = new Map<string, bigint>();
  const t0 = BigInt(await time.latest());
  for (const [i, a] of attackers.entries()) {
    await (await token.mint(a.address, 100_000n * TTD)).wait();
    await (await token.connect(a).approve(await subnet.getAddress(), ethers.MaxUint256)).wait();
    const replacedSlot = listed[i];
    const victim = (await subnet.contributorAt(replacedSlot)).account;
    const owedBefore = await subnet.claimable(victim);
    const balanceBefore = await token.balanceOf(victim);
    const receipt = await (await subnet.connect(a).register(`newcomer-${i}`)).wait();
    const [replaced] = events(subnet, receipt, "ContributorReplaced");
    const [burned] = events(subnet, receipt, "RegistrationFeeBurned");
    registrations.push({
      gas: Number(receipt!.gasUsed),
      fee: burned ? burned.args.fee : 0n,
      slot: replaced.args.slot,
      listed: replacedSlot,
      victim: replaced.args.account,
    });
    const refund = (await token.balanceOf(victim)) - balanceBefore;
    victims.push({
      account: victim,
      counterfactual: cfRewards.get(victim) ?? 0n,
      credited: 0n,
      bondKept: bond + owedBefore - refund,
    });
    claimableAfterEviction.set(victim, await subnet.claimable(victim));
  }
  const day = Number(BigInt(await time.latest()) - t0);
  const phaseDuringAttack = Number(await subnet.phase());
  const rewards = await closeAndFinalize(f);
  for (const v of victims) {
    v.credited = (await subnet.claimable(v.account)) - claimableAfterEviction.get(v.account)!;
    if (rewards.get(v.account) !== v.credited) throw new Error("eviction: credited differs from the event");
  }
  const burned = registrations.reduce((s, r) => s + r.fee, 0n);
  const med = median(f.lastRewards);
  const mean = f.lastRewards.reduce((s, r) => s + r, 0n) / BigInt(contributors.length);
  const loss = victims.reduce((s, v) => s + v.counterfactual - v.credited + v.bondKept, 0n);
  const gas = registrations.map((r) => r.gas);
  return {
    registrations,
    victims,
    metrics: {
      "eviction.tenInOneDay.burnedTtd": ttd(burned),
      "eviction.tenInOneDay.feeEachTtd": ttd(registrations[0].fee),
      "eviction.tenInOneDay.seconds": day,
      "eviction.tenInOneDay.phase": phaseDuringAttack,
      "eviction.tenInOneDay.fromListInOrder": registrations.every((r) => r.slot === r.listed) ? 1 : 0,
      "eviction.medianDailyRewardTtd": ttd(med),
      "eviction.meanDailyRewardTtd": ttd(mean),
      "eviction.burnedOverTenMedianDays": Number((burned * 1_000n) / (10n * med)) / 1_000,
      "eviction.victimLossTtd": ttd(loss),
      "eviction.victimCounterfactualTtd": ttd(victims.reduce((s, v) => s + v.counterfactual, 0n)),
      "eviction.victimCreditedTtd": ttd(victims.reduce((s, v) => s + v.credited, 0n)),
      "eviction.register.firstGas": gas[0],
      "eviction.register.lastGas": gas[gas.length - 1],
      "eviction.register.maxGas": Math.max(...gas),
    },
  };
}

/** Tries `call` (static) until it succeeds, an hour apart; returns the seconds waited (-1: never). */
async function secondsUntil(call: () => Promise<unknown>, maxSeconds = 30n * DAY): Promise<number> {
  const start = BigInt(await time.latest());
  for (;;) {
    try {
      await call();
      return Number(BigInt(await time.latest()) - start);
    } catch {
      if (BigInt(await time.latest()) - start >= maxSeconds) return -1;
      await time.increase(3_600n);
    }
  }
}

/**
 * Round 3 of `deployFullSubnet`: the validators reveal, the round closes and nobody finalizes; an hour
 * later a contributor deregisters and a validator unstakes. Then a keeper finalizes one page, and
 * another contributor and validator leave mid-finalization; the keeper finishes and is tipped.
 */
export async function stalledRound(f: FullSubnet): Promise<Record<string, number>> {
  const { subnet, contributors, validators } = f;
  await commitAndReveal(f);
  await (await f.token.mint(await f.bucket.getAddress(), DAILY_SUBNET_EMISSION)).wait();
  await toPhase(subnet, "closed");
  await time.increase(3_600n);
  const [c1, c2] = [contributors[0], contributors[1]];
  const [v1, v2] = [validators[0], validators[1]];
  const waits: number[] = [];
  waits.push(await secondsUntil(() => subnet.connect(c1).deregister.staticCall()));
  await (await subnet.connect(c1).deregister()).wait();
  waits.push(await secondsUntil(() => subnet.connect(v1).unstake.staticCall(100n * TTD)));
  await (await subnet.connect(v1).unstake(100n * TTD)).wait();

  const [keeper] = await fundedAccounts("subnet-guardrails/keeper", 1);
  const tips: bigint[] = [];
  const first = await (await subnet.connect(keeper).finalizeRound(PAGE)).wait();
  const mid = Number((await subnet.finalization())[0]);
  const midWaits: number[] = [];
  midWaits.push(await secondsUntil(() => subnet.connect(c2).deregister.staticCall()));
  await (await subnet.connect(c2).deregister()).wait();
  midWaits.push(await secondsUntil(() => subnet.connect(v2).unstake.staticCall(100n * TTD)));
  await (await subnet.connect(v2).unstake(100n * TTD)).wait();
  let pool = 0n;
  const receipts = [first];
  for (const tx of await finalizeRound(subnet.connect(keeper) as Subnet, PAGE))
    receipts.push(await tx.wait());
  for (const r of receipts) {
    for (const e of events(subnet, r, "KeeperTipped")) tips.push(e.args.amount);
    for (const e of events(subnet, r, "RoundFinalized")) pool = e.args.pool;
  }
  const tip = tips.reduce((s, t) => s + t, 0n);
  const total = pool + tip; // the round's emission: the pool credited plus the tip set aside
  return {
    "stalledRound.exitBlockedSeconds": Math.max(...waits),
    "stalledRound.deregisterBlockedSeconds": waits[0],
    "stalledRound.unstakeBlockedSeconds": waits[1],
    "stalledRound.midFinalizationExitBlockedSeconds": Math.max(...midWaits),
    "stalledRound.midFinalizationStage": mid,
    "stalledRound.keeperTipTtd": ttd(tip),
    "stalledRound.keeperTipBpsOfPool": Number((tip * 100_000_000n) / total) / 10_000,
    "stalledRound.keeperTipIsBpsOfEmission":
      tip === (total * (await subnet.keeperTipBps())) / 10_000n ? 1 : 0,
    "stalledRound.roundEmissionTtd": ttd(total),
    "stalledRound.keeperClaimableTtd": ttd(await subnet.claimable(keeper.address)),
    "stalledRound.finalizeTxs": receipts.length,
    "stalledRound.departedPaidTtd": ttd(
      (await subnet.claimable(c1.address)) + (await subnet.claimable(c2.address)),
    ),
  };
}

/**
 * Round 3 of `deployFullSubnet`, commit phase: each of the 256 contributors deregisters and registers
 * again at once (a sybil refreshing its immunity). Returns what they burned; then round 3 is scored and
 * finalized, and an honest newcomer tries to register (every contributor is immune again: is the
 * subnet locked, and for what cost per day of immunity?).
 */
export async function sybilRefresh(f: FullSubnet): Promise<Record<string, number>> {
  const { subnet, contributors, token } = f;
  const minFee = (await subnet.registrationPricing()).minFee;
  const floor = await subnet.registrationFee(); // full: the eviction floor
  let burned = 0n;
  let least = 2n ** 255n;
  let immunityRestarted = 0;
  for (const [i, c] of contributors.entries()) {
    await (await subnet.connect(c).deregister()).wait();
    const receipt = await (await subnet.connect(c).register(`sybil-${i}`)).wait();
    const [e] = events(subnet, receipt, "RegistrationFeeBurned");
    const fee = e ? e.args.fee : 0n;
    burned += fee;
    if (fee < least) least = fee;
    const slot = await subnet.contributorSlot(c.address);
    if ((await subnet.contributorAt(slot)).registeredAt === BigInt((await receipt!.getBlock()).timestamp))
      immunityRestarted++;
  }
  const feeAfter = await subnet.registrationFee();
  await commitAndReveal(f);
  const rewards = await closeAndFinalize(f);
  const paid = contributors.reduce((s, c) => s + (rewards.get(c.address) ?? 0n), 0n);
  const listAfter = (await subnet.evictionCandidates()).length;
  const [newcomer] = await fundedAccounts("subnet-guardrails/honest-newcomer", 1);
  await (await token.mint(newcomer.address, 100_000n * TTD)).wait();
  await (await token.connect(newcomer).approve(await subnet.getAddress(), ethers.MaxUint256)).wait();
  const refused = await revertName(subnet, () => subnet.connect(newcomer).register.staticCall("honest"));
  const immunityDays = Number(DEFAULT_SUBNET_PARAMS.immunityPeriod / DAY);
  return {
    "sybil.refresh.count": contributors.length,
    "sybil.refresh.burnedTtd": ttd(burned),
    "sybil.refresh.leastFeeTtd": ttd(least),
    "sybil.refresh.minFeeTtd": ttd(minFee),
    "sybil.refresh.evictionFloorTtd": ttd(floor),
    "sybil.refresh.immunityRestarted": immunityRestarted,
    "sybil.refresh.feeAfterTtd": ttd(feeAfter),
    "sybil.refresh.paidForRoundInFlightTtd": ttd(paid),
    "sybil.refresh.listAfterNextFinalization": listAfter,
    "sybil.refresh.newcomerLockedOut": refused === "SubnetFull" ? 1 : 0,
    "sybil.refresh.lockoutCostPerDayTtd": ttd(burned) / immunityDays,
  };
}

/** Runs every scenario in-process (the standalone ones from the same full subnet) and returns the keys. */
export async function subnetGuardrailMetrics(): Promise<Record<string, number>> {
  const base = await takeSnapshot();
  const out: Record<string, number> = {};
  try {
    Object.assign(out, await slashEscape());
    await base.restore();
    const f = await deployFullSubnet();
    const full = await takeSnapshot();
    Object.assign(out, (await tenEvictionsInOneDay(f)).metrics);
    await full.restore();
    Object.assign(out, await stalledRound(f));
    await full.restore();
    Object.assign(out, await sybilRefresh(f));
  } finally {
    await base.restore();
  }
  return out;
}

if (require.main === module) writeMetricsMain(OUT, subnetGuardrailMetrics);
