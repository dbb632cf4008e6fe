/**
 * The governance guardrails of issue 15 (item 4), measured as an attacker would try them on the
 * in-process Hardhat network with the default parameters (deploy/parameters.json):
 * - `twoBlockLoan`: 450,000 TTD borrowed one second before a proposal's snapshot and repaid one second
 *   after, the borrower holding nothing when it votes, against 300,000 TTD of holders voting Against;
 * - `maxFundDrain30d`: a captured DAO (the Timelock doing whatever it likes, with no guardian) takes what
 *   it can from the protection fund in 30 days, loosening the limit as fast as it may;
 * - `maxShareShift30d`: the same DAO moves the bucket shares toward `setShares(0,0,0,10000,0)` with itself
 *   as the capital recipient, every day for 30 days;
 * - `bootstrap`: a DAO deployed at genesis, where a single early claimer proposes and votes alone.
 *
 * `guardrailMetrics()` returns the flat keys (`governance.<attack>.<metric>`, amounts in whole TTD);
 * `npx hardhat run scripts/bench/guardrails.ts` also writes them to reports/guardrails.json. The tests
 * GUARD-41..44 (test/governance/Guardrails.test.ts) run the same attacks and fail if a hole reopens.
 */
import hre, { ethers, network } from "hardhat";
import { promises as fs } from "fs";
import * as path from "path";
import { mine, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { toBeHex } from "ethers";
import { deployCore, deployGovernance } from "../../deploy/stages";
import { Bucket, DAY, DEFAULT_GOVERNANCE } from "../lib/chain/constants";
import { Vote, buildProposal, propose } from "../lib/chain/governance";
import { Core, Governance } from "../lib/deploy/handles";

const TTD = 10n ** 18n;
const WINDOW = 30n * DAY;
const BORROWED = 450_000n * TTD;
const AGAINST = 300_000n * TTD;
const OUT = path.join("reports", "guardrails.json");

/** Whole TTD (rounded down) as a number. */
const whole = (wei: bigint): number => Number(wei / TTD);

async function impersonate(address: string): Promise<HardhatEthersSigner> {
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [address] });
  await network.provider.request({ method: "hardhat_setBalance", params: [address, toBeHex(10n ** 20n)] });
  return ethers.getSigner(address);
}

/** Whether `call` reverts (the state is left as it was). */
async function reverts(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch {
    return true;
  }
}

/**
 * `who` alone in the capital pool earns the emission: it deposits 1 LP (minted from the mock), the
 * emission is distributed `accrual` later and `who` claims what the pool streamed it `stream` after that.
 */
async function earnAlone(
  core: Core,
  who: HardhatEthersSigner,
  accrual: bigint,
  stream: bigint,
): Promise<void> {
  const lp = core.mockStakingToken!;
  await (await lp.mint(who.address, ethers.parseEther("1"))).wait();
  await (await lp.connect(who).approve(await core.pool.getAddress(), ethers.MaxUint256)).wait();
  await (await core.pool.connect(who).deposit(ethers.parseEther("1"))).wait();
  await time.increase(accrual);
  await (await core.controller.distribute()).wait();
  await time.increase(stream);
  await (await core.pool.connect(who).claim()).wait();
}

interface World {
  core: Core;
  dao: Governance;
  lender: HardhatEthersSigner;
  attacker: HardhatEthersSigner;
  accomplice: HardhatEthersSigner;
  defenders: HardhatEthersSigner[];
}

/**
 * 240 days of emission with a lender alone in the capital pool; it pays two defenders 150,000 TTD each
 * and an accomplice 5,000 TTD (above the proposal threshold); then the DAO is deployed without a
 * guardian (as after the guardian's term) and the holders delegate and wait out the lookback.
 */
async function deployWorld(): Promise<World> {
  const [deployer, lender, attacker, accomplice, d1, d2] = await ethers.getSigners();
  const core = await deployCore(hre, deployer);
  await earnAlone(core, lender, 240n * DAY, 8n * DAY);
  const { token } = core;
  for (const d of [d1, d2]) await (await token.connect(lender).transfer(d.address, AGAINST / 2n)).wait();
  await (await token.connect(lender).transfer(accomplice.address, 5_000n * TTD)).wait();
  if ((await token.balanceOf(lender.address)) < BORROWED) throw new Error("guardrails: the lender is short");
  const dao = await deployGovernance(hre, core);
  for (const who of [d1, d2, accomplice, attacker])
    await (await token.connect(who).delegate(who.address)).wait();
  await time.increase(DEFAULT_GOVERNANCE.voteLookback + 1n);
  await mine(1);
  return { core, dao, lender, attacker, accomplice, defenders: [d1, d2] };
}

/** The borrowed votes' weight, what the snapshot alone would have counted, and the outcome. */
export async function twoBlockLoan(w: World): Promise<Record<string, number>> {
  const { core, dao, lender, attacker, accomplice, defenders } = w;
  const { token, controller } = core;
  const { governor } = dao;
  const p = buildProposal("Capital to me", "The attack.", [
    {
      kind: "call",
      target: await controller.getAddress(),
      data: controller.interface.encodeFunctionData("setRecipient", [
        Bucket.Capital,
        attacker.address,
        false,
      ]),
      summary: "capital bucket to the attacker",
    },
  ]);
  const id = await propose(governor, accomplice, p);
  const snapshot = await governor.proposalSnapshot(id);
  // The loan: received one second before the snapshot, repaid one second after it.
  await time.setNextBlockTimestamp(snapshot - 1n);
  await (await token.connect(lender).transfer(attacker.address, BORROWED)).wait();
  await time.setNextBlockTimestamp(snapshot + 1n);
  await (await token.connect(attacker).transfer(lender.address, BORROWED)).wait();
  for (const d of defenders) await (await governor.connect(d).castVote(id, Vote.Against)).wait();
  const held = await token.balanceOf(attacker.address);
  const receipt = await (await governor.connect(attacker).castVote(id, Vote.For)).wait();
  const cast = receipt!.logs.map((l) => governor.interface.parseLog(l)).find((e) => e?.name === "VoteCast");
  const weight: bigint = cast!.args.weight;
  await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
  const state = await governor.state(id);
  const [against, forVotes] = await governor.proposalVotes(id);
  return {
    "governance.twoBlockLoan.weight": whole(weight),
    "governance.twoBlockLoan.borrowed": whole(BORROWED),
    "governance.twoBlockLoan.heldWhenVoting": whole(held),
    "governance.twoBlockLoan.votesAtSnapshot": whole(await token.getPastVotes(attacker.address, snapshot)),
    "governance.twoBlockLoan.for": whole(forVotes),
    "governance.twoBlockLoan.against": whole(against),
    "governance.twoBlockLoan.passed": state === 4n ? 1 : 0, // ProposalState.Succeeded
  };
}

/** A captured DAO takes what it can from the protection fund for 30 days (no distribution meanwhile). */
export async function fundDrain(w: World): Promise<Record<string, number>> {
  const { core, dao, attacker } = w;
  const fund = core.protectionFund;
  const token = await core.token.getAddress();
  const dao_ = await impersonate(await dao.timelock.getAddress());
  const before = await core.token.balanceOf(await fund.getAddress());
  const start = BigInt(await time.latest());
  const everything = await reverts(() =>
    fund.connect(dao_).release.staticCall(token, attacker.address, before),
  );
  // Loosen as fast as the fund allows: straight to 100% fails; +MAX_LOOSENING_BPS is scheduled.
  const toAll = !(await reverts(() => fund.connect(dao_).setMaxReleaseBps.staticCall(10_000n)));
  const loosened = (await fund.maxReleaseBps()) + (await fund.MAX_LOOSENING_BPS());
  await (await fund.connect(dao_).setMaxReleaseBps(loosened)).wait();
  let taken = 0n;
  for (let t = start; t < start + WINDOW; t += DAY / 4n) {
    if (BigInt(await time.latest()) < t) await time.increaseTo(t);
    const available = await fund.releasable(token);
    if (available === 0n) continue;
    await (await fund.connect(dao_).release(token, attacker.address, available)).wait();
    taken += available;
  }
  return {
    "governance.maxFundDrain30d.pct": Number((taken * 10_000n) / before) / 100,
    "governance.maxFundDrain30d.ttd": whole(taken),
    "governance.maxFundDrain30d.fundTtd": whole(before),
    "governance.maxFundDrain30d.wholeFundInOneCall": everything ? 0 : 1,
    "governance.maxFundDrain30d.loosenToAllAtOnce": toAll ? 1 : 0,
    "governance.maxFundReleaseBps": Number(DEFAULT_GOVERNANCE.maxFundReleaseBps),
  };
}

/**
 * A captured DAO points the capital bucket at itself and moves the shares toward (0,0,0,10000,0) every
 * six hours for 30 days; returns the largest move of a share from its value at the start, and what the
 * attacker is paid over those 30 days.
 */
export async function shareShift(w: World): Promise<Record<string, number>> {
  const { core, dao, attacker } = w;
  const { controller, token } = core;
  const dao_ = await impersonate(await dao.timelock.getAddress());
  await (await controller.connect(dao_).setRecipient(Bucket.Capital, attacker.address, false)).wait();
  const first = (await controller.shares()).map(Number);
  const target = [0, 0, 0, 10_000, 0];
  const allAtOnce = !(await reverts(() => controller.connect(dao_).setShares.staticCall(target as never)));
  const toAll = !(await reverts(() => controller.connect(dao_).setMaxShareStep.staticCall(10_000n)));
  const step = await controller.maxShareStep();
  await (
    await controller.connect(dao_).setMaxShareStep(step + (await controller.MAX_SHARE_STEP_LOOSENING()))
  ).wait();
  const start = BigInt(await time.latest());
  let shift = 0;
  for (let t = start; t < start + WINDOW; t += DAY / 4n) {
    if (BigInt(await time.latest()) < t) await time.increaseTo(t);
    const now = (await controller.shares()).map(Number);
    const step_ = Number(await controller.maxShareStep());
    // The largest move toward the target the step allows: capital up, the others down in order.
    const up = Math.min(step_, 10_000 - now[Bucket.Capital]);
    const next = [...now];
    next[Bucket.Capital] += up;
    let rest = up;
    for (let i = 0; i < 5 && rest > 0; i++) {
      if (i === Bucket.Capital) continue;
      const d = Math.min(rest, step_, next[i]);
      next[i] -= d;
      rest -= d;
    }
    if (up === 0 || (await reverts(() => controller.connect(dao_).setShares.staticCall(next as never))))
      continue;
    await (await controller.connect(dao_).setShares(next as never)).wait();
    const moved = Math.max(...next.map((v, i) => Math.abs(v - first[i])));
    shift = Math.max(shift, moved);
  }
  await time.increaseTo(start + WINDOW);
  await (await controller.distribute()).wait();
  return {
    "governance.maxShareShift30d.bps": shift,
    "governance.maxShareShift30d.allAtOnce": allAtOnce ? 1 : 0,
    "governance.maxShareShift30d.loosenToAllAtOnce": toAll ? 1 : 0,
    "governance.maxShareShift30d.attackerPaidTtd": whole(await token.balanceOf(attacker.address)),
  };
}

/**
 * The DAO deployed at genesis (supply 0): one early claimer alone in the capital pool claims its first
 * week, proposes and votes alone. Returns the least For votes that pass (the quorum at the snapshot).
 */
export async function bootstrap(): Promise<Record<string, number>> {
  const [deployer, claimer] = await ethers.getSigners();
  const core = await deployCore(hre, deployer);
  const { governor } = await deployGovernance(hre, core);
  const genesisQuorum = await governor.quorum((await time.latest()) - 1);
  await earnAlone(core, claimer, 7n * DAY, 7n * DAY);
  await (await core.token.connect(claimer).delegate(claimer.address)).wait();
  await time.increase(DEFAULT_GOVERNANCE.voteLookback + 1n);
  const p = buildProposal("Early capture", "Alone.", [
    {
      kind: "grant",
      fund: await core.protectionFund.getAddress(),
      token: await core.token.getAddress(),
      to: claimer.address,
      amount: 1n,
    },
  ]);
  const id = await propose(governor, claimer, p);
  const snapshot = await governor.proposalSnapshot(id);
  await time.increaseTo(snapshot + 1n);
  await (await governor.connect(claimer).castVote(id, Vote.For)).wait();
  const votes = await governor.getVotes(claimer.address, snapshot);
  await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
  const quorum = await governor.quorum(snapshot);
  return {
    "governance.bootstrap.minTtdToPass": whole(quorum),
    "governance.bootstrap.quorumFloorTtd": whole(DEFAULT_GOVERNANCE.quorumFloor),
    "governance.bootstrap.genesisQuorumTtd": whole(genesisQuorum),
    "governance.bootstrap.quorumFractionTtd": whole(
      ((await core.token.getPastTotalSupply(snapshot)) * DEFAULT_GOVERNANCE.quorumPercent) / 100n,
    ),
    "governance.bootstrap.earlyClaimerVotesTtd": whole(votes),
    "governance.bootstrap.earlyClaimerPassed": (await governor.state(id)) === 4n ? 1 : 0,
  };
}

/** Runs every attack in-process (each from the same chain state) and returns the flat keys. */
export async function guardrailMetrics(): Promise<Record<string, number>> {
  const base = await takeSnapshot();
  const out: Record<string, number> = {};
  try {
    const w = await deployWorld();
    const world = await takeSnapshot();
    Object.assign(out, await twoBlockLoan(w));
    await world.restore();
    Object.assign(out, await fundDrain(w));
    await world.restore();
    Object.assign(out, await shareShift(w));
    await base.restore();
    Object.assign(out, await bootstrap());
    out["governance.voteLookbackSeconds"] = Number(DEFAULT_GOVERNANCE.voteLookback);
  } finally {
    await base.restore();
  }
  return out;
}

export { deployWorld };

/** Runs `measure` and writes its flat keys to `out` (a reports/*.json), printing each: a bench's main. */
export function writeMetricsMain(out: string, measure: () => Promise<Record<string, number>>): void {
  (async () => {
    const metrics = await measure();
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, JSON.stringify(metrics, null, 2) + "\n");
    for (const [k, v] of Object.entries(metrics)) console.log(`${k} = ${v}`);
    console.log(`wrote ${out}`);
  })().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}

if (require.main === module) writeMetricsMain(OUT, guardrailMetrics);
