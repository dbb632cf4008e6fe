import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContractTransactionResponse, MaxUint256, Result, ZeroAddress, id } from "ethers";
import {
  ContributionBucket,
  MockStakeToken,
  Subnet,
  SubnetExtension__factory,
  Subnet__factory,
  TetradAccessManager,
  Treasury,
} from "../../typechain-types";
import { fundedAccounts } from "../../scripts/lib/chain/accounts";
import { DAY } from "../../scripts/lib/chain/constants";
import {
  DEFAULT_METRIC_WEIGHTS,
  DEFAULT_SUBNET_PARAMS,
  MAX_CONTRIBUTORS,
  SubnetParams,
  commitment,
  encodeSheet,
} from "../../scripts/lib/chain/poc";
import { deployStandaloneSubnet } from "../../scripts/lib/deploy/subnet-fixture";
import { finalizeRound, toPhase } from "../../scripts/lib/chain/rounds";
import { asParams } from "../utils/subnet-params";
import { owedBy } from "../utils/subnet-rounds";

const E = 10n ** 18n;
const BPS = 10_000n;
const P = DEFAULT_SUBNET_PARAMS;
const BOND = P.bond;
const MIN = P.minValidatorStake;
const METRICS = DEFAULT_METRIC_WEIGHTS.length;
const FUNDS = 1_000_000n * E;
const HOUR = 3_600n;

enum Phase {
  Commit,
  Reveal,
  Closed,
}

enum Reason {
  NoReveal,
  LowAgreement,
  Outbid,
  BelowMinimum,
  Inactive,
}

type Row = readonly number[];

interface Ctx {
  manager: TetradAccessManager;
  token: MockStakeToken;
  bucket: ContributionBucket;
  fund: Treasury;
  subnet: Subnet;
  subnetAddress: string;
  admin: HardhatEthersSigner;
  owner: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  contributors: HardhatEthersSigner[];
  validators: HardhatEthersSigner[];
}

interface FullCtx extends Ctx {
  full: HardhatEthersSigner[];
}

interface Sheet {
  validator: HardhatEthersSigner;
  rows: readonly Row[];
}

/** A row whose every metric is `v`: it folds to `v * 10,000` with any weights. */
const row = (v: number): number[] => Array<number>(METRICS).fill(v);

const saltFor = (account: string, round: bigint): string => id(`salt/${account}/${round}`);

async function fundAndApprove(c: Pick<Ctx, "token" | "subnetAddress">, accounts: HardhatEthersSigner[]) {
  for (const a of accounts) {
    await c.token.mint(a.address, FUNDS);
    await c.token.connect(a).approve(c.subnetAddress, MaxUint256);
  }
}

async function deployWith(params: SubnetParams): Promise<Ctx> {
  const signers = await ethers.getSigners();
  const [admin, owner, stranger] = signers;
  const contributors = signers.slice(3, 8);
  const validators = signers.slice(8, 14);
  const { manager, token, bucket, fund, subnet } = await deployStandaloneSubnet(
    admin,
    params,
    DEFAULT_METRIC_WEIGHTS,
    owner.address,
  );
  const subnetAddress = await subnet.getAddress();
  const c: Ctx = {
    manager,
    token,
    bucket,
    fund,
    subnet,
    subnetAddress,
    admin,
    owner,
    stranger,
    contributors,
    validators,
  };
  await fundAndApprove(c, [...contributors, ...validators, stranger]);
  // The mechanics below are exact to the wei without the registration fee and the keeper tip; both
  // have their own tests ("registration fee", "keeper tip") with the defaults.
  await subnet.connect(admin).setKeeperTip(0);
  await subnet.connect(admin).setRegistrationPricing(NO_FEE);
  return c;
}

/** Every ratio and count param at the bound it accepts (100%, one strike, a 64-round activity cutoff):
 *  the "accepts every bound exactly" tests of the constructor and `setParams` add durations and shares. */
const RATIO_BOUNDS = {
  kappa: 10_000,
  agreementThreshold: 10_000,
  maxStrikes: 1,
  activityCutoff: 64,
  relativeThreshold: 10_000,
  edgeShare: 10_000,
  edgeFloor: 10_000,
} as const satisfies Partial<SubnetParams>;

/** Registration pricing that charges nothing. */
const NO_FEE = { minFee: 0n, maxFee: 0n, interval: DAY, target: 4, evictionFloorBps: 0 };

async function commitSheets(c: Ctx, sheets: readonly Sheet[], metrics = METRICS): Promise<void> {
  const round = await c.subnet.round();
  for (const s of sheets) {
    const sheet = encodeSheet(s.rows, metrics);
    const salt = saltFor(s.validator.address, round);
    await c.subnet
      .connect(s.validator)
      .commit(commitment(c.subnetAddress, round, s.validator.address, salt, sheet));
  }
}

async function revealSheets(c: Ctx, sheets: readonly Sheet[], metrics = METRICS): Promise<void> {
  const round = await c.subnet.round();
  for (const s of sheets) {
    await c.subnet
      .connect(s.validator)
      .reveal(encodeSheet(s.rows, metrics), saltFor(s.validator.address, round));
  }
}

/** Commit, reveal, fund the bucket with `emission`, close and finalize one round. */
async function playRound(
  c: Ctx,
  sheets: readonly Sheet[],
  emission = 0n,
  maxSteps = 1_000,
): Promise<ContractTransactionResponse[]> {
  await commitSheets(c, sheets);
  await toPhase(c.subnet, "reveal");
  await revealSheets(c, sheets);
  if (emission > 0n) await c.token.mint(await c.bucket.getAddress(), emission);
  await toPhase(c.subnet, "closed");
  return finalizeRound(c.subnet, maxSteps);
}

/** Closes the current round and finalizes it without any reveal. */
async function skipRound(c: Ctx): Promise<ContractTransactionResponse> {
  await toPhase(c.subnet, "closed");
  const txs = await finalizeRound(c.subnet);
  return txs[txs.length - 1];
}

/** The subnet holds at least what it owes; with no stray transfer (`surplus`), exactly that. */
async function expectSolvent(c: Pick<Ctx, "subnet" | "token">, surplus = 0n): Promise<void> {
  const owed = await owedBy(c.subnet);
  const balance = await c.token.balanceOf(await c.subnet.getAddress());
  expect(balance).to.be.gte(owed);
  expect(balance).to.equal(owed + surplus);
}

/** The arguments of every `name` event the subnet emitted in `tx`. */
async function eventsOf(subnet: Subnet, tx: ContractTransactionResponse, name: string): Promise<Result[]> {
  const receipt = await tx.wait();
  const address = await subnet.getAddress();
  const out: Result[] = [];
  for (const log of receipt!.logs) {
    if (log.address !== address) continue;
    const parsed = subnet.interface.parseLog(log);
    if (parsed !== null && parsed.name === name) out.push(parsed.args);
  }
  return out;
}

/** A test of a state-changing flow: the books are checked after it. */
function flow(title: string, body: () => Promise<Pick<Ctx, "subnet" | "token">>): void {
  it(title, async () => {
    await expectSolvent(await body());
  });
}

/*//////////////////////////////////////////////////////////////
                              FIXTURES
//////////////////////////////////////////////////////////////*/

async function base(): Promise<Ctx> {
  return deployWith(P);
}

/** Contributors c0-c2 registered and validators v0-v2 staked (100, 200, 300 TTD) in round 1, which
 *  is finalized without reveals: round 2 is open and all three contributors are eligible. */
async function ready(): Promise<Ctx> {
  const c = await deployWith(P);
  for (const [i, a] of c.contributors.slice(0, 3).entries()) await c.subnet.connect(a).register(`c${i}`);
  for (const [i, v] of c.validators.slice(0, 3).entries())
    await c.subnet.connect(v).stake(BigInt(i + 1) * MIN);
  await skipRound(c);
  return c;
}

const IMMUNITY = 12n * HOUR;

/** 256 contributors registered in round 1 (12-hour immunity) and one validator (validators[0]). */
async function fullContributors(): Promise<FullCtx> {
  const c = await deployWith({ ...P, immunityPeriod: IMMUNITY });
  const full = await fundedAccounts("subnet-test/contributor", MAX_CONTRIBUTORS);
  await fundAndApprove(c, full);
  for (const [i, a] of full.entries()) await c.subnet.connect(a).register(`f${i}`);
  await c.subnet.connect(c.validators[0]).stake(MIN);
  return { ...c, full };
}

/** 64 validators staked MIN + i TTD (validator i in slot i). */
async function fullValidators(): Promise<FullCtx> {
  const c = await deployWith(P);
  const full = await fundedAccounts("subnet-test/validator", 64);
  await fundAndApprove(c, full);
  for (const [i, v] of full.entries()) await c.subnet.connect(v).stake(MIN + BigInt(i) * E);
  return { ...c, full };
}

/** The hand-computed round (validators v0, v1, v2 with stakes 100, 200, 300; contributors c0, c1, c2).
 *  Folded scores (weights 3000/2500/2500/2000):
 *    c0: v0 100,000  v1 200,000  v2 300,000 -> consensus 300,000 (v2 alone holds 50%)
 *    c1: v0 500,000  v1 400,000  v2 100,000 -> consensus 400,000 (v0 + v1 hold 50%)
 *    c2: v0  23,500  v1  26,500  v2       0 -> consensus  23,500 (v0 + v1 hold 50%)
 *  sum(min(score, consensus)) / sum(max(score, consensus)) per validator:
 *    v0 523,500 / 823,500   v1 623,500 / 726,500   v2 400,000 / 723,500 */
function handSheets(c: Ctx): Sheet[] {
  const [v0, v1, v2] = c.validators;
  return [
    { validator: v0, rows: [row(10), row(50), [1, 2, 3, 4]] },
    { validator: v1, rows: [row(20), row(40), [4, 3, 2, 1]] },
    { validator: v2, rows: [row(30), row(10), [0, 0, 0, 0]] },
  ];
}
const HAND_CONSENSUS = [300_000n, 400_000n, 23_500n];
const HAND_SUM = 723_500n;
const HAND_MIN = [523_500n, 623_500n, 400_000n];
const HAND_MAX = [823_500n, 726_500n, 723_500n];
const HAND_AGREEMENT = [6_357n, 8_582n, 5_528n];
const HAND_STAKES = [MIN, 2n * MIN, 3n * MIN];
/** Stake-weighted upper median of the agreements: 8,582 holds 2/6 of the stake, 6,357 reaches 3/6. */
const HAND_MEDIAN = 6_357n;
/** The first round's lagged consensus is all zero: it agrees 0 with the consensus. */
const HAND_LAGGED = 0n;
const HAND_POOL = 1_000n * E;

interface HandExpectation {
  contributorRewards: bigint[];
  dividends: bigint[];
  ownerReward: bigint;
  paid: bigint;
}

function handExpectation(): HandExpectation {
  const contributorPool = (HAND_POOL * BigInt(P.contributorShare)) / BPS;
  const contributorRewards = HAND_CONSENSUS.map((s) => (contributorPool * s) / HAND_SUM);
  // Every agreement is over 80% of the median (5,085.6) and its edge over the lagged consensus (0)
  // reaches half the median's: each sheet earns its stake's full share.
  const totalStake = HAND_STAKES.reduce((a, b) => a + b, 0n);
  const validatorPool = (HAND_POOL * BigInt(P.validatorShare)) / BPS;
  const dividends = HAND_STAKES.map((s) => (validatorPool * s) / totalStake);
  const ownerReward = (HAND_POOL * (BPS - BigInt(P.contributorShare) - BigInt(P.validatorShare))) / BPS;
  const paid = [...contributorRewards, ...dividends, ownerReward].reduce((a, b) => a + b, 0n);
  return { contributorRewards, dividends, ownerReward, paid };
}

/** `ready`, then the hand-computed round (`handSheets`, `HAND_POOL`) played in round 2: round 3 is open and
 *  every account can claim what `handExpectation()` says. */
async function handPlayed(): Promise<Ctx> {
  const c = await ready();
  await playRound(c, handSheets(c), HAND_POOL);
  return c;
}

/*//////////////////////////////////////////////////////////////
                               TESTS
//////////////////////////////////////////////////////////////*/

describe("Subnet", () => {
  describe("constructor", () => {
    async function deployArgs() {
      const c = await loadFixture(base);
      return {
        c,
        factory: new Subnet__factory(c.admin),
        authority: await c.manager.getAddress(),
        token: await c.token.getAddress(),
        bucket: await c.bucket.getAddress(),
        fund: await c.fund.getAddress(),
      };
    }

    flow("sets the immutables, owner, URI, round 1 and the initial params and weights", async () => {
      const c = await loadFixture(base);
      const s = c.subnet;
      expect(await s.token()).to.equal(await c.token.getAddress());
      expect(await s.bucket()).to.equal(await c.bucket.getAddress());
      expect(await s.protectionFund()).to.equal(await c.fund.getAddress());
      expect(await s.authority()).to.equal(await c.manager.getAddress());
      expect(await s.owner()).to.equal(c.owner.address);
      expect(await s.metadataURI()).to.equal("ipfs://tetrad/test-subnet");
      expect(await s.round()).to.equal(1n);
      expect(await s.MAX_CONTRIBUTORS()).to.equal(256n);
      expect(await s.MAX_VALIDATORS()).to.equal(64n);
      const [current, next] = await s.params();
      expect(asParams(current)).to.deep.equal(P);
      expect(asParams(next)).to.deep.equal(P);
      const [w, nw] = await s.metricWeights();
      expect(w).to.deep.equal(DEFAULT_METRIC_WEIGHTS.map(BigInt));
      expect(nw).to.deep.equal(DEFAULT_METRIC_WEIGHTS.map(BigInt));
      const deployTx = s.deploymentTransaction();
      expect(deployTx).to.not.equal(null);
      const receipt = await deployTx!.wait();
      const start = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
      expect(await s.roundStart()).to.equal(start);
      await expect(deployTx)
        .to.emit(s, "RoundStarted")
        .withArgs(1n, start, start + P.commitDuration, start + P.commitDuration + P.revealDuration);
      await expect(deployTx).to.emit(s, "MetricWeightsQueued").withArgs(DEFAULT_METRIC_WEIGHTS);
      await expect(deployTx).to.emit(s, "ParamsQueued");
      for (const n of [
        "contributorCount",
        "contributorSlotsUsed",
        "validatorCount",
        "validatorSlotsUsed",
        "totalBonds",
        "totalStake",
        "totalUnbonding",
        "totalClaimable",
        "pendingEmission",
      ] as const) {
        expect(await s[n](), n).to.equal(0n);
      }
      return c;
    });

    flow("reverts ZeroAddress for a zero owner or a zero protection fund", async () => {
      const { c, factory, authority, token, bucket, fund } = await deployArgs();
      await expect(
        factory.deploy(authority, token, bucket, fund, ZeroAddress, "u", P, DEFAULT_METRIC_WEIGHTS),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(
        factory.deploy(
          authority,
          token,
          bucket,
          ZeroAddress,
          c.owner.address,
          "u",
          P,
          DEFAULT_METRIC_WEIGHTS,
        ),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
      return c;
    });

    const badParams: [string, Partial<SubnetParams>][] = [
      ["commitDuration 0", { commitDuration: 0n }],
      ["revealDuration 0", { revealDuration: 0n }],
      ["commitDuration over 30 days", { commitDuration: 30n * DAY + 1n }],
      ["revealDuration over 30 days", { revealDuration: 30n * DAY + 1n }],
      ["unbondingDelay over 60 days", { unbondingDelay: 60n * DAY + 1n }],
      ["immunityPeriod over 360 days", { immunityPeriod: 360n * DAY + 1n }],
      ["kappa 0", { kappa: 0 }],
      ["kappa over 10,000", { kappa: 10_001 }],
      ["contributorShare + validatorShare over 10,000", { contributorShare: 8_501, validatorShare: 1_500 }],
      ["agreementThreshold over 10,000", { agreementThreshold: 10_001 }],
      ["maxStrikes 0", { maxStrikes: 0 }],
      ["activityCutoff 0", { activityCutoff: 0 }],
      ["activityCutoff over 64 rounds", { activityCutoff: 65 }],
      ["relativeThreshold over 10,000", { relativeThreshold: 10_001 }],
      ["edgeShare 0", { edgeShare: 0 }],
      ["edgeShare over 10,000", { edgeShare: 10_001 }],
      ["edgeFloor 0", { edgeFloor: 0 }],
      ["edgeFloor over 10,000", { edgeFloor: 10_001 }],
    ];
    for (const [name, patch] of badParams) {
      it(`reverts InvalidParams for ${name}`, async () => {
        const { c, factory, authority, token, bucket, fund } = await deployArgs();
        await expect(
          factory.deploy(authority, token, bucket, fund, c.owner.address, "u", { ...P, ...patch }, [10_000]),
        ).to.be.revertedWithCustomError(factory, "InvalidParams");
      });
    }

    flow("accepts every bound exactly", async () => {
      const { c, factory, authority, token, bucket, fund } = await deployArgs();
      const edge: SubnetParams = {
        commitDuration: 30n * DAY,
        revealDuration: 30n * DAY,
        immunityPeriod: 360n * DAY,
        unbondingDelay: 60n * DAY,
        ...RATIO_BOUNDS,
        contributorShare: 2_000,
        validatorShare: 8_000,
        bond: 0n,
        minValidatorStake: 0n,
      };
      const s = await factory.deploy(authority, token, bucket, fund, c.owner.address, "u", edge, [10_000]);
      const [current] = await s.params();
      expect(asParams(current)).to.deep.equal(edge);
      return c;
    });

    const badWeights: [string, number[], bigint, bigint][] = [
      ["no weights", [], 0n, 0n],
      ["nine weights", [1_250, 1_250, 1_250, 1_250, 1_250, 1_250, 1_250, 1_250, 0], 9n, 10_000n],
      ["a sum under 10,000", [5_000, 4_999], 2n, 9_999n],
      ["a sum over 10,000", [5_000, 5_001], 2n, 10_001n],
    ];
    for (const [name, weights, n, sum] of badWeights) {
      it(`reverts InvalidMetricWeights(${n}, ${sum}) for ${name}`, async () => {
        const { c, factory, authority, token, bucket, fund } = await deployArgs();
        await expect(factory.deploy(authority, token, bucket, fund, c.owner.address, "u", P, weights))
          .to.be.revertedWithCustomError(factory, "InvalidMetricWeights")
          .withArgs(n, sum);
      });
    }
  });

  describe("phases", () => {
    flow("phase() and roundTimes() follow the clock: Commit, Reveal, then Closed", async () => {
      const c = await loadFixture(base);
      const s = c.subnet;
      const start = await s.roundStart();
      const [t0, commitEnd, revealEnd] = await s.roundTimes();
      expect(t0).to.equal(start);
      expect(commitEnd).to.equal(start + P.commitDuration);
      expect(revealEnd).to.equal(start + P.commitDuration + P.revealDuration);
      expect(await s.phase()).to.equal(Phase.Commit);
      await time.increaseTo(commitEnd - 1n);
      expect(await s.phase()).to.equal(Phase.Commit);
      await time.increaseTo(commitEnd);
      expect(await s.phase()).to.equal(Phase.Reveal);
      await time.increaseTo(revealEnd - 1n);
      expect(await s.phase()).to.equal(Phase.Reveal);
      await time.increaseTo(revealEnd);
      expect(await s.phase()).to.equal(Phase.Closed);
      await time.increase(100n * DAY);
      expect(await s.phase()).to.equal(Phase.Closed);
      return c;
    });

    flow("finalizing starts the next round at the finalization time", async () => {
      const c = await loadFixture(base);
      const tx = await skipRound(c);
      const receipt = await tx.wait();
      const t = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
      expect(await c.subnet.round()).to.equal(2n);
      expect(await c.subnet.roundStart()).to.equal(t);
      expect(await c.subnet.phase()).to.equal(Phase.Commit);
      await expect(tx)
        .to.emit(c.subnet, "RoundStarted")
        .withArgs(2n, t, t + P.commitDuration, t + P.commitDuration + P.revealDuration);
      expect(await c.subnet.roundTimes()).to.deep.equal([
        t,
        t + P.commitDuration,
        t + P.commitDuration + P.revealDuration,
      ]);
      return c;
    });

    flow("commit reverts WrongPhase outside the commit phase", async () => {
      const c = await loadFixture(ready);
      const v = c.subnet.connect(c.validators[0]);
      await toPhase(c.subnet, "reveal");
      await expect(v.commit(id("x")))
        .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
        .withArgs(Phase.Reveal, Phase.Commit);
      await toPhase(c.subnet, "closed");
      await expect(v.commit(id("x")))
        .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
        .withArgs(Phase.Closed, Phase.Commit);
      return c;
    });

    flow("reveal reverts WrongPhase outside the reveal phase", async () => {
      const c = await loadFixture(ready);
      const sheets = handSheets(c).slice(0, 1);
      await commitSheets(c, sheets);
      const v = c.subnet.connect(c.validators[0]);
      const sheet = encodeSheet(sheets[0].rows, METRICS);
      const salt = saltFor(c.validators[0].address, await c.subnet.round());
      await expect(v.reveal(sheet, salt))
        .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
        .withArgs(Phase.Commit, Phase.Reveal);
      await toPhase(c.subnet, "closed");
      await expect(v.reveal(sheet, salt))
        .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
        .withArgs(Phase.Closed, Phase.Reveal);
      return c;
    });

    flow("finalizeRound reverts WrongPhase before the round is closed", async () => {
      const c = await loadFixture(base);
      await expect(c.subnet.finalizeRound(10))
        .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
        .withArgs(Phase.Commit, Phase.Closed);
      await toPhase(c.subnet, "reveal");
      await expect(c.subnet.finalizeRound(10))
        .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
        .withArgs(Phase.Reveal, Phase.Closed);
      return c;
    });

    flow(
      "register and stake revert WrongPhase(Closed, Commit) while closed; exits (deregister, unstake) do not",
      async () => {
        const c = await loadFixture(ready);
        await toPhase(c.subnet, "closed");
        const s = c.subnet;
        await expect(s.connect(c.contributors[3]).register("late"))
          .to.be.revertedWithCustomError(s, "WrongPhase")
          .withArgs(Phase.Closed, Phase.Commit);
        await expect(s.connect(c.validators[3]).stake(MIN))
          .to.be.revertedWithCustomError(s, "WrongPhase")
          .withArgs(Phase.Closed, Phase.Commit);
        await expect(s.connect(c.contributors[0]).deregister()).to.emit(s, "ContributorDeregistered");
        await expect(s.connect(c.validators[0]).unstake(MIN)).to.emit(s, "ValidatorExpelled");
        return c;
      },
    );

    flow(
      "register, deregister and unstake work in the reveal phase; stake does not (sheets are public)",
      async () => {
        const c = await loadFixture(ready);
        await toPhase(c.subnet, "reveal");
        await c.subnet.connect(c.contributors[0]).deregister();
        await c.subnet.connect(c.contributors[3]).register("late");
        // Neither a new permit nor a top-up once the sheets can be seen (ADV-16 in test/security).
        await expect(c.subnet.connect(c.validators[3]).stake(MIN))
          .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
          .withArgs(Phase.Reveal, Phase.Commit);
        await expect(c.subnet.connect(c.validators[0]).stake(E))
          .to.be.revertedWithCustomError(c.subnet, "WrongPhase")
          .withArgs(Phase.Reveal, Phase.Commit);
        await c.subnet.connect(c.validators[2]).unstake(E);
        expect(await c.subnet.contributorSlot(c.contributors[3].address)).to.equal(0n);
        expect((await c.subnet.validatorAt(3)).stake).to.equal(0n);
        expect((await c.subnet.validatorAt(2)).stake).to.equal(3n * MIN - E);
        return c;
      },
    );
  });

  describe("contributors", () => {
    flow("register pulls the bond, takes the next slot and emits ContributorRegistered", async () => {
      const c = await loadFixture(base);
      const [a, b] = c.contributors;
      const tx = c.subnet.connect(a).register("ipfs://a");
      await expect(tx).to.emit(c.subnet, "ContributorRegistered").withArgs(a.address, 0n, BOND, "ipfs://a");
      await expect(tx).to.changeTokenBalances(c.token, [a, c.subnet], [-BOND, BOND]);
      const t = BigInt(await time.latest());
      await expect(c.subnet.connect(b).register("ipfs://b"))
        .to.emit(c.subnet, "ContributorRegistered")
        .withArgs(b.address, 1n, BOND, "ipfs://b");
      expect(await c.subnet.connect(c.contributors[2]).register.staticCall("c")).to.equal(2n);
      expect(await c.subnet.contributorCount()).to.equal(2n);
      expect(await c.subnet.contributorSlotsUsed()).to.equal(2n);
      expect(await c.subnet.totalBonds()).to.equal(2n * BOND);
      expect(await c.subnet.contributorSlot(a.address)).to.equal(0n);
      expect(await c.subnet.contributorSlot(b.address)).to.equal(1n);
      const at = await c.subnet.contributorAt(0);
      expect(at.account).to.equal(a.address);
      expect(at.bond).to.equal(BOND);
      expect(at.registeredAt).to.equal(t);
      expect(at.lastScore).to.equal(0n);
      return c;
    });

    flow("register reverts AlreadyRegistered for a registered account", async () => {
      const c = await loadFixture(base);
      const a = c.contributors[0];
      await c.subnet.connect(a).register("a");
      await expect(c.subnet.connect(a).register("again"))
        .to.be.revertedWithCustomError(c.subnet, "AlreadyRegistered")
        .withArgs(a.address);
      return c;
    });

    flow("deregister pays the bond back, frees the slot and emits ContributorDeregistered", async () => {
      const c = await loadFixture(base);
      const [a, b] = c.contributors;
      await c.subnet.connect(a).register("a");
      await c.subnet.connect(b).register("b");
      const tx = c.subnet.connect(b).deregister();
      await expect(tx).to.emit(c.subnet, "ContributorDeregistered").withArgs(b.address, 1n);
      await expect(tx).to.changeTokenBalances(c.token, [b, c.subnet], [BOND, -BOND]);
      expect(await c.subnet.contributorCount()).to.equal(1n);
      expect(await c.subnet.contributorSlotsUsed()).to.equal(2n);
      expect(await c.subnet.totalBonds()).to.equal(BOND);
      expect((await c.subnet.contributorAt(1)).account).to.equal(ZeroAddress);
      await expect(c.subnet.contributorSlot(b.address))
        .to.be.revertedWithCustomError(c.subnet, "NotRegistered")
        .withArgs(b.address);
      return c;
    });

    flow("deregister reverts NotRegistered for an unknown account", async () => {
      const c = await loadFixture(base);
      await expect(c.subnet.connect(c.stranger).deregister())
        .to.be.revertedWithCustomError(c.subnet, "NotRegistered")
        .withArgs(c.stranger.address);
      return c;
    });

    flow("freed slots are reused lowest first; contributorSlotsUsed only grows", async () => {
      const c = await loadFixture(base);
      const [a, b, d, e, f] = c.contributors;
      for (const x of [a, b, d]) await c.subnet.connect(x).register("");
      await c.subnet.connect(d).deregister();
      await c.subnet.connect(a).deregister();
      await expect(c.subnet.connect(e).register("e"))
        .to.emit(c.subnet, "ContributorRegistered")
        .withArgs(e.address, 0n, BOND, "e");
      await expect(c.subnet.connect(f).register("f"))
        .to.emit(c.subnet, "ContributorRegistered")
        .withArgs(f.address, 2n, BOND, "f");
      await expect(c.subnet.connect(a).register("a"))
        .to.emit(c.subnet, "ContributorRegistered")
        .withArgs(a.address, 3n, BOND, "a");
      expect(await c.subnet.contributorCount()).to.equal(4n);
      expect(await c.subnet.contributorSlotsUsed()).to.equal(4n);
      expect(await c.subnet.totalBonds()).to.equal(4n * BOND);
      return c;
    });

    flow("deregister pays the bond and the rewards back", async () => {
      const c = await loadFixture(handPlayed);
      const c1 = c.contributors[1];
      const reward = handExpectation().contributorRewards[1];
      expect(await c.subnet.claimable(c1.address)).to.equal(reward);
      const claimableBefore = await c.subnet.totalClaimable();
      const tx = c.subnet.connect(c1).deregister();
      await expect(tx).to.changeTokenBalances(c.token, [c1, c.subnet], [BOND + reward, -(BOND + reward)]);
      await expect(tx).to.emit(c.subnet, "ContributorDeregistered").withArgs(c1.address, 1n);
      expect(await c.subnet.claimable(c1.address)).to.equal(0n);
      expect(await c.subnet.totalClaimable()).to.equal(claimableBefore - reward);
      return c;
    });
  });

  describe("full subnet (256 contributors)", () => {
    flow("fills all 256 slots; the 257th reverts SubnetFull while everyone is immune", async () => {
      const c = await loadFixture(fullContributors);
      expect(await c.subnet.contributorCount()).to.equal(256n);
      expect(await c.subnet.contributorSlotsUsed()).to.equal(256n);
      expect(await c.subnet.contributorSlot(c.full[255].address)).to.equal(255n);
      await expect(c.subnet.connect(c.contributors[0]).register("late")).to.be.revertedWithCustomError(
        c.subnet,
        "SubnetFull",
      );
      return c;
    });

    flow(
      "evicts only from the list of a scored round: past immunity but never scored, SubnetFull",
      async () => {
        const c = await loadFixture(fullContributors);
        const first = (await c.subnet.contributorAt(0)).registeredAt;
        await time.setNextBlockTimestamp(first + IMMUNITY);
        await expect(c.subnet.connect(c.contributors[0]).register("late")).to.be.revertedWithCustomError(
          c.subnet,
          "SubnetFull",
        );
        // A round finalized without sheets lists nobody either.
        await skipRound(c);
        await expect(c.subnet.connect(c.contributors[0]).register("late")).to.be.revertedWithCustomError(
          c.subnet,
          "SubnetFull",
        );
        expect(await c.subnet.evictionCandidates()).to.deep.equal([]);
        return c;
      },
    );

    flow(
      "once immunity passed and a round scored them, replaces the first of the equally lowest (slot 0)",
      async () => {
        const c = await loadFixture(fullContributors);
        await skipRound(c); // every contributor is eligible in round 2
        await playRound(c, [
          { validator: c.validators[0], rows: Array.from({ length: MAX_CONTRIBUTORS }, () => row(100)) },
        ]);
        expect((await c.subnet.evictionCandidates()).length).to.equal(16);
        expect((await c.subnet.evictionCandidates())[0]).to.equal(0n);
        const newcomer = c.contributors[0];
        const old = c.full[0];
        const tx = c.subnet.connect(newcomer).register("late");
        await expect(tx).to.emit(c.subnet, "ContributorReplaced").withArgs(old.address, 0n, newcomer.address);
        await expect(tx)
          .to.emit(c.subnet, "ContributorRegistered")
          .withArgs(newcomer.address, 0n, BOND, "late");
        await expect(tx).to.changeTokenBalances(c.token, [old, newcomer, c.subnet], [BOND, -BOND, 0n]);
        expect(await c.subnet.contributorSlot(newcomer.address)).to.equal(0n);
        await expect(c.subnet.contributorSlot(old.address))
          .to.be.revertedWithCustomError(c.subnet, "NotRegistered")
          .withArgs(old.address);
        expect(await c.subnet.contributorCount()).to.equal(256n);
        expect(await c.subnet.contributorSlotsUsed()).to.equal(256n);
        expect(await c.subnet.totalBonds()).to.equal(256n * BOND);
        return c;
      },
    );

    flow("without a bond, replacement and deregistration owe nothing and move no tokens", async () => {
      const c = await deployWith({ ...P, bond: 0n, immunityPeriod: IMMUNITY });
      const full = await fundedAccounts("subnet-test/contributor", MAX_CONTRIBUTORS);
      for (const [i, a] of full.entries()) await c.subnet.connect(a).register(`z${i}`);
      await c.subnet.connect(c.validators[0]).stake(MIN);
      await skipRound(c);
      // No emission: nobody has rewards, so nothing moves.
      await playRound(c, [
        { validator: c.validators[0], rows: Array.from({ length: MAX_CONTRIBUTORS }, () => row(100)) },
      ]);
      const newcomer = c.contributors[0];
      const tx = c.subnet.connect(newcomer).register("late");
      await expect(tx)
        .to.emit(c.subnet, "ContributorReplaced")
        .withArgs(full[0].address, 0n, newcomer.address);
      await expect(tx).to.not.emit(c.token, "Transfer");
      const leave = c.subnet.connect(newcomer).deregister();
      await expect(leave).to.emit(c.subnet, "ContributorDeregistered").withArgs(newcomer.address, 0n);
      await expect(leave).to.not.emit(c.token, "Transfer");
      expect(await c.subnet.contributorCount()).to.equal(255n);
      expect(await c.subnet.totalBonds()).to.equal(0n);
      return c;
    });

    flow("replaces the lowest-scored non-immune contributor, paying it bond + claimable", async () => {
      const c = await loadFixture(fullContributors);
      await skipRound(c); // every contributor is eligible in round 2
      const rows = Array.from({ length: MAX_CONTRIBUTORS }, () => row(100)); // 1,000,000 each
      rows[3] = [1, 0, 0, 0]; // 3,000
      rows[7] = [0, 1, 0, 0]; // 2,500: the lowest
      await playRound(c, [{ validator: c.validators[0], rows }], 1_000n * E, 64);
      expect((await c.subnet.contributorAt(7)).lastScore).to.equal(2_500n);
      expect((await c.subnet.contributorAt(3)).lastScore).to.equal(3_000n);
      expect((await c.subnet.contributorAt(0)).lastScore).to.equal(1_000_000n);
      const [n1, n2, n3] = c.contributors;

      const reward7 = await c.subnet.claimable(c.full[7].address);
      expect(reward7).to.be.gt(0n);
      let tx = c.subnet.connect(n1).register("n1");
      await expect(tx).to.emit(c.subnet, "ContributorReplaced").withArgs(c.full[7].address, 7n, n1.address);
      await expect(tx).to.changeTokenBalances(
        c.token,
        [c.full[7], n1, c.subnet],
        [BOND + reward7, -BOND, -reward7],
      );
      expect(await c.subnet.claimable(c.full[7].address)).to.equal(0n);
      const at7 = await c.subnet.contributorAt(7);
      expect(at7.account).to.equal(n1.address);
      expect(at7.lastScore).to.equal(0n);

      // Slot 7 now scores 0 but is immune: slot 3 is the lowest replaceable.
      const reward3 = await c.subnet.claimable(c.full[3].address);
      tx = c.subnet.connect(n2).register("n2");
      await expect(tx).to.emit(c.subnet, "ContributorReplaced").withArgs(c.full[3].address, 3n, n2.address);
      await expect(tx).to.changeTokenBalances(c.token, [c.full[3], c.subnet], [BOND + reward3, -reward3]);

      // The rest are equal (1,000,000): the first of them, slot 0.
      await expect(c.subnet.connect(n3).register("n3"))
        .to.emit(c.subnet, "ContributorReplaced")
        .withArgs(c.full[0].address, 0n, n3.address);
      expect(await c.subnet.contributorCount()).to.equal(256n);
      return c;
    });
  });

  describe("validators: stake", () => {
    flow("stake takes a permit: pulls the stake, emits Staked, counts it", async () => {
      const c = await loadFixture(base);
      const [v0, v1] = c.validators;
      const tx = c.subnet.connect(v0).stake(MIN);
      await expect(tx).to.emit(c.subnet, "Staked").withArgs(v0.address, 0n, MIN, MIN);
      await expect(tx).to.changeTokenBalances(c.token, [v0, c.subnet], [-MIN, MIN]);
      await expect(c.subnet.connect(v1).stake(MIN + 1n))
        .to.emit(c.subnet, "Staked")
        .withArgs(v1.address, 1n, MIN + 1n, MIN + 1n);
      expect(await c.subnet.validatorCount()).to.equal(2n);
      expect(await c.subnet.validatorSlotsUsed()).to.equal(2n);
      expect(await c.subnet.totalStake()).to.equal(2n * MIN + 1n);
      expect(await c.subnet.validatorSlot(v1.address)).to.equal(1n);
      const at = await c.subnet.validatorAt(1);
      expect(at.account).to.equal(v1.address);
      expect(at.stake).to.equal(MIN + 1n);
      expect(at.strikes).to.equal(0n);
      return c;
    });

    flow("stake reverts StakeTooLow(amount, min) below the minimum and ZeroAmount for 0", async () => {
      const c = await loadFixture(base);
      await expect(c.subnet.connect(c.validators[0]).stake(MIN - 1n))
        .to.be.revertedWithCustomError(c.subnet, "StakeTooLow")
        .withArgs(MIN - 1n, MIN);
      await expect(c.subnet.connect(c.validators[0]).stake(0n)).to.be.revertedWithCustomError(
        c.subnet,
        "ZeroAmount",
      );
      return c;
    });

    flow("stake adds any amount to an existing stake", async () => {
      const c = await loadFixture(base);
      const v = c.validators[0];
      await c.subnet.connect(v).stake(MIN);
      await expect(c.subnet.connect(v).stake(1n))
        .to.emit(c.subnet, "Staked")
        .withArgs(v.address, 0n, 1n, MIN + 1n);
      expect((await c.subnet.validatorAt(0)).stake).to.equal(MIN + 1n);
      expect(await c.subnet.validatorCount()).to.equal(1n);
      expect(await c.subnet.totalStake()).to.equal(MIN + 1n);
      return c;
    });

    flow("a stake that would overflow uint96 reverts InvalidParams", async () => {
      const c = await loadFixture(base);
      const v = c.validators[0];
      const huge = 2n ** 96n;
      await c.token.mint(v.address, huge);
      await expect(c.subnet.connect(v).stake(huge)).to.be.revertedWithCustomError(c.subnet, "InvalidParams");
      return c;
    });

    flow("a freed validator slot is reused lowest first", async () => {
      const c = await loadFixture(base);
      const [v0, v1, v2, v3] = c.validators;
      for (const v of [v0, v1, v2]) await c.subnet.connect(v).stake(MIN);
      await c.subnet.connect(v1).unstake(MIN);
      await expect(c.subnet.connect(v3).stake(MIN))
        .to.emit(c.subnet, "Staked")
        .withArgs(v3.address, 1n, MIN, MIN);
      expect(await c.subnet.validatorSlotsUsed()).to.equal(3n);
      expect(await c.subnet.validatorCount()).to.equal(3n);
      return c;
    });

    flow("holds up to 64 permits; an equal stake reverts StakeTooLow(amount, smallest + 1)", async () => {
      const c = await loadFixture(fullValidators);
      expect(await c.subnet.validatorCount()).to.equal(64n);
      expect(await c.subnet.validatorSlotsUsed()).to.equal(64n);
      const newcomer = c.validators[0];
      await expect(c.subnet.connect(newcomer).stake(MIN))
        .to.be.revertedWithCustomError(c.subnet, "StakeTooLow")
        .withArgs(MIN, MIN + 1n);
      await expect(c.subnet.connect(newcomer).stake(MIN - 1n))
        .to.be.revertedWithCustomError(c.subnet, "StakeTooLow")
        .withArgs(MIN - 1n, MIN);
      // An existing validator can still add to its stake.
      await c.subnet.connect(c.full[10]).stake(1n);
      return c;
    });

    flow("a larger stake outbids the smallest, whose stake starts unbonding", async () => {
      const c = await loadFixture(fullValidators);
      const newcomer = c.validators[0];
      const loser = c.full[0];
      const totalBefore = await c.subnet.totalStake();
      const tx = c.subnet.connect(newcomer).stake(MIN + 1n);
      await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(loser.address, 0n, Reason.Outbid);
      await expect(tx)
        .to.emit(c.subnet, "Staked")
        .withArgs(newcomer.address, 0n, MIN + 1n, MIN + 1n);
      const t = BigInt(await time.latest());
      await expect(tx)
        .to.emit(c.subnet, "Unbonded")
        .withArgs(loser.address, MIN, t + P.unbondingDelay);
      expect(await c.subnet.unbonding(loser.address)).to.deep.equal([MIN, t + P.unbondingDelay]);
      expect(await c.subnet.totalUnbonding()).to.equal(MIN);
      expect(await c.subnet.totalStake()).to.equal(totalBefore - MIN + MIN + 1n);
      expect(await c.subnet.validatorCount()).to.equal(64n);
      expect(await c.subnet.validatorSlot(newcomer.address)).to.equal(0n);
      await expect(c.subnet.validatorSlot(loser.address))
        .to.be.revertedWithCustomError(c.subnet, "NotValidator")
        .withArgs(loser.address);
      // The smallest is now the newcomer's MIN + 1 wei.
      await expect(c.subnet.connect(c.validators[1]).stake(MIN + 1n))
        .to.be.revertedWithCustomError(c.subnet, "StakeTooLow")
        .withArgs(MIN + 1n, MIN + 2n);
      return c;
    });
  });

  describe("validators: unstake and withdrawUnbonded", () => {
    flow("unstake reverts ZeroAmount, NotValidator and InsufficientStake(requested, stake)", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[0];
      await expect(c.subnet.connect(v).unstake(0n)).to.be.revertedWithCustomError(c.subnet, "ZeroAmount");
      await expect(c.subnet.connect(c.stranger).unstake(1n))
        .to.be.revertedWithCustomError(c.subnet, "NotValidator")
        .withArgs(c.stranger.address);
      await expect(c.subnet.connect(v).unstake(MIN + 1n))
        .to.be.revertedWithCustomError(c.subnet, "InsufficientStake")
        .withArgs(MIN + 1n, MIN);
      return c;
    });

    flow("a partial unstake keeps the permit and unbonds the amount", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[2]; // 300
      const tx = await c.subnet.connect(v).unstake(MIN);
      const t = BigInt(await time.latest());
      await expect(tx)
        .to.emit(c.subnet, "Unbonded")
        .withArgs(v.address, MIN, t + P.unbondingDelay);
      await expect(tx).to.not.emit(c.subnet, "ValidatorExpelled");
      expect((await c.subnet.validatorAt(2)).stake).to.equal(2n * MIN);
      expect(await c.subnet.totalStake()).to.equal(5n * MIN);
      expect(await c.subnet.totalUnbonding()).to.equal(MIN);
      expect(await c.subnet.unbonding(v.address)).to.deep.equal([MIN, t + P.unbondingDelay]);
      // Leaving exactly the minimum keeps the permit too.
      await c.subnet.connect(v).unstake(MIN);
      expect((await c.subnet.validatorAt(2)).stake).to.equal(MIN);
      // A second unbonding adds up and restarts the delay.
      const t2 = BigInt(await time.latest());
      expect(await c.subnet.unbonding(v.address)).to.deep.equal([2n * MIN, t2 + P.unbondingDelay]);
      return c;
    });

    flow("unstaking below the minimum expels (BelowMinimum) and unbonds the whole stake", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[1]; // 200
      const tx = await c.subnet.connect(v).unstake(MIN + 1n);
      const t = BigInt(await time.latest());
      await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(v.address, 1n, Reason.BelowMinimum);
      await expect(tx)
        .to.emit(c.subnet, "Unbonded")
        .withArgs(v.address, 2n * MIN, t + P.unbondingDelay);
      expect(await c.subnet.unbonding(v.address)).to.deep.equal([2n * MIN, t + P.unbondingDelay]);
      expect(await c.subnet.validatorCount()).to.equal(2n);
      expect(await c.subnet.totalStake()).to.equal(4n * MIN);
      expect((await c.subnet.validatorAt(1)).account).to.equal(ZeroAddress);
      await expect(c.subnet.validatorSlot(v.address))
        .to.be.revertedWithCustomError(c.subnet, "NotValidator")
        .withArgs(v.address);
      return c;
    });

    flow(
      "past MAX_UNBONDINGS parts, the newest absorbs the unbonding and keeps the later release time",
      async () => {
        const c = await loadFixture(ready);
        const v = c.validators[2]; // 300
        expect(await c.subnet.MAX_UNBONDINGS()).to.equal(8n);
        // A 20-day delay, then 8 parts of 1 TTD, an hour apart.
        await c.subnet.connect(c.admin).setParams({ ...P, unbondingDelay: 20n * DAY });
        await skipRound(c);
        const releases: bigint[] = [];
        for (let i = 0; i < 8; i++) {
          await time.increase(HOUR);
          await c.subnet.connect(v).unstake(E);
          releases.push(BigInt(await time.latest()) + 20n * DAY);
        }
        // The 9th joins the 8th, whose release moves to the later time.
        await c.subnet.connect(v).unstake(E);
        const ninth = BigInt(await time.latest()) + 20n * DAY;
        let parts = await c.subnet.unbondings(v.address);
        expect(parts.map((x) => [x.amount, x.releaseAt])).to.deep.equal([
          ...releases.slice(0, 7).map((r) => [E, r]),
          [2n * E, ninth],
        ]);
        // Under a shorter delay (15 days) a later unbonding would release earlier: the newest part keeps
        // its later time, so nothing leaves before it was due.
        await c.subnet.connect(c.admin).setParams(P);
        await skipRound(c);
        await c.subnet.connect(v).unstake(E);
        expect(BigInt(await time.latest()) + P.unbondingDelay).to.be.lt(ninth);
        parts = await c.subnet.unbondings(v.address);
        expect(parts).to.have.length(8);
        expect([parts[7].amount, parts[7].releaseAt]).to.deep.equal([3n * E, ninth]);
        expect(await c.subnet.unbonding(v.address)).to.deep.equal([10n * E, ninth]);
        expect(await c.subnet.totalUnbonding()).to.equal(10n * E);
        // Parts release one by one; the newest, with all three, at its (later) time.
        await time.increaseTo(releases[6]);
        await expect(c.subnet.connect(v).withdrawUnbonded()).to.changeTokenBalance(c.token, v, 7n * E);
        await time.increaseTo(ninth);
        await expect(c.subnet.connect(v).withdrawUnbonded()).to.changeTokenBalance(c.token, v, 3n * E);
        expect(await c.subnet.unbondings(v.address)).to.have.length(0);
        return c;
      },
    );

    flow("withdrawUnbonded: NothingToWithdraw, StillUnbonding(releaseAt), then pays", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[0];
      await expect(c.subnet.connect(v).withdrawUnbonded()).to.be.revertedWithCustomError(
        c.subnet,
        "NothingToWithdraw",
      );
      await c.subnet.connect(v).unstake(MIN);
      const [amount, releaseAt] = await c.subnet.unbonding(v.address);
      expect(amount).to.equal(MIN);
      await expect(c.subnet.connect(v).withdrawUnbonded())
        .to.be.revertedWithCustomError(c.subnet, "StillUnbonding")
        .withArgs(releaseAt);
      await time.setNextBlockTimestamp(releaseAt);
      const tx = c.subnet.connect(v).withdrawUnbonded();
      await expect(tx).to.emit(c.subnet, "UnbondedWithdrawn").withArgs(v.address, MIN);
      await expect(tx).to.changeTokenBalances(c.token, [v, c.subnet], [MIN, -MIN]);
      expect(await c.subnet.unbonding(v.address)).to.deep.equal([0n, 0n]);
      expect(await c.subnet.totalUnbonding()).to.equal(0n);
      await expect(c.subnet.connect(v).withdrawUnbonded()).to.be.revertedWithCustomError(
        c.subnet,
        "NothingToWithdraw",
      );
      return c;
    });

    flow("withdrawUnbonded reverts StillUnbonding one second before the release", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[0];
      await c.subnet.connect(v).unstake(MIN);
      const [, releaseAt] = await c.subnet.unbonding(v.address);
      await time.increaseTo(releaseAt - 2n);
      await time.setNextBlockTimestamp(releaseAt - 1n);
      await expect(c.subnet.connect(v).withdrawUnbonded({ gasLimit: 200_000 }))
        .to.be.revertedWithCustomError(c.subnet, "StillUnbonding")
        .withArgs(releaseAt);
      return c;
    });
  });

  describe("commit and reveal", () => {
    flow("commit reverts NotValidator for an account without a permit", async () => {
      const c = await loadFixture(ready);
      await expect(c.subnet.connect(c.stranger).commit(id("x")))
        .to.be.revertedWithCustomError(c.subnet, "NotValidator")
        .withArgs(c.stranger.address);
      return c;
    });

    flow("commit emits Committed and records the round", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[0];
      await expect(c.subnet.connect(v).commit(id("x")))
        .to.emit(c.subnet, "Committed")
        .withArgs(v.address, 2n, id("x"));
      expect((await c.subnet.validatorAt(0)).commitRound).to.equal(2n);
      return c;
    });

    flow("a later commit replaces the earlier one", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[0];
      const round = await c.subnet.round();
      const first = encodeSheet([row(1)], METRICS);
      const second = encodeSheet([row(2)], METRICS);
      const salt = saltFor(v.address, round);
      await c.subnet.connect(v).commit(commitment(c.subnetAddress, round, v.address, salt, first));
      await c.subnet.connect(v).commit(commitment(c.subnetAddress, round, v.address, salt, second));
      await toPhase(c.subnet, "reveal");
      await expect(c.subnet.connect(v).reveal(first, salt)).to.be.revertedWithCustomError(
        c.subnet,
        "CommitmentMismatch",
      );
      await expect(c.subnet.connect(v).reveal(second, salt))
        .to.emit(c.subnet, "Revealed")
        .withArgs(v.address, round, 1n);
      const at = await c.subnet.validatorAt(0);
      expect(at.revealRound).to.equal(round);
      expect(at.rows).to.equal(1n);
      return c;
    });

    flow("reveal reverts NotValidator, then NoCommitment without a commitment this round", async () => {
      const c = await loadFixture(ready);
      const [v0, v1] = c.validators;
      await c.subnet.connect(v0).commit(id("old"));
      await toPhase(c.subnet, "closed");
      await finalizeRound(c.subnet); // v0 committed in round 2 and did not reveal: expelled
      await c.subnet.connect(v0).stake(MIN);
      await toPhase(c.subnet, "reveal");
      await expect(c.subnet.connect(c.stranger).reveal("0x", id("s")))
        .to.be.revertedWithCustomError(c.subnet, "NotValidator")
        .withArgs(c.stranger.address);
      await expect(c.subnet.connect(v1).reveal("0x", id("s"))).to.be.revertedWithCustomError(
        c.subnet,
        "NoCommitment",
      );
      await expect(c.subnet.connect(v0).reveal("0x", id("s"))).to.be.revertedWithCustomError(
        c.subnet,
        "NoCommitment",
      );
      return c;
    });

    flow("a commitment from an earlier round cannot be revealed (NoCommitment)", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[0];
      const sheets: Sheet[] = [{ validator: v, rows: [row(1)] }];
      await playRound(c, sheets); // round 2, revealed
      await toPhase(c.subnet, "reveal"); // round 3: no commit
      await expect(
        c.subnet.connect(v).reveal(encodeSheet([row(1)], METRICS), saltFor(v.address, 2n)),
      ).to.be.revertedWithCustomError(c.subnet, "NoCommitment");
      return c;
    });

    flow("reveal reverts AlreadyRevealed the second time", async () => {
      const c = await loadFixture(ready);
      const sheets = handSheets(c).slice(0, 1);
      await commitSheets(c, sheets);
      await toPhase(c.subnet, "reveal");
      await revealSheets(c, sheets);
      await expect(revealSheets(c, sheets)).to.be.revertedWithCustomError(c.subnet, "AlreadyRevealed");
      return c;
    });

    flow("reveal reverts CommitmentMismatch for a wrong salt, sheet, validator or round", async () => {
      const c = await loadFixture(ready);
      const [v0, v1, v2] = c.validators;
      const round = await c.subnet.round();
      const sheet = encodeSheet([row(5), row(6)], METRICS);
      const salt = id("right");
      await c.subnet.connect(v0).commit(commitment(c.subnetAddress, round, v0.address, salt, sheet));
      // v1 commits what v0 would commit (another validator's address).
      await c.subnet.connect(v1).commit(commitment(c.subnetAddress, round, v0.address, salt, sheet));
      // v2 commits for the next round.
      await c.subnet.connect(v2).commit(commitment(c.subnetAddress, round + 1n, v2.address, salt, sheet));
      await toPhase(c.subnet, "reveal");
      await expect(c.subnet.connect(v0).reveal(sheet, id("wrong"))).to.be.revertedWithCustomError(
        c.subnet,
        "CommitmentMismatch",
      );
      await expect(
        c.subnet.connect(v0).reveal(encodeSheet([row(5), row(7)], METRICS), salt),
      ).to.be.revertedWithCustomError(c.subnet, "CommitmentMismatch");
      await expect(c.subnet.connect(v1).reveal(sheet, salt)).to.be.revertedWithCustomError(
        c.subnet,
        "CommitmentMismatch",
      );
      await expect(c.subnet.connect(v2).reveal(sheet, salt)).to.be.revertedWithCustomError(
        c.subnet,
        "CommitmentMismatch",
      );
      // The right one passes.
      await expect(c.subnet.connect(v0).reveal(sheet, salt))
        .to.emit(c.subnet, "Revealed")
        .withArgs(v0.address, round, 2n);
      return c;
    });

    flow(
      "reveal reverts MalformedScoresheet(length, metrics) for a partial row or more than 256 rows",
      async () => {
        const c = await loadFixture(ready);
        const v = c.validators[0];
        const round = await c.subnet.round();
        const partial = encodeSheet([row(1), row(2)], METRICS) + "0001"; // 18 bytes: not a multiple of 8
        const tooMany = "0x" + "00".repeat(2 * METRICS * 257); // 257 rows
        const salt = id("s");
        await c.subnet.connect(v).commit(commitment(c.subnetAddress, round, v.address, salt, partial));
        await c.subnet
          .connect(c.validators[1])
          .commit(commitment(c.subnetAddress, round, c.validators[1].address, salt, tooMany));
        await toPhase(c.subnet, "reveal");
        await expect(c.subnet.connect(v).reveal(partial, salt))
          .to.be.revertedWithCustomError(c.subnet, "MalformedScoresheet")
          .withArgs(18n, BigInt(METRICS));
        await expect(c.subnet.connect(c.validators[1]).reveal(tooMany, salt))
          .to.be.revertedWithCustomError(c.subnet, "MalformedScoresheet")
          .withArgs(BigInt(2 * METRICS * 257), BigInt(METRICS));
        return c;
      },
    );

    flow("a 256-row sheet is accepted", async () => {
      const c = await loadFixture(ready);
      const rows = Array.from({ length: 256 }, (_, j) => row(j));
      const sheets: Sheet[] = [{ validator: c.validators[0], rows }];
      await commitSheets(c, sheets);
      await toPhase(c.subnet, "reveal");
      await expect(revealSheets(c, sheets)).to.not.be.reverted;
      expect((await c.subnet.validatorAt(0)).rows).to.equal(256n);
      return c;
    });
  });

  describe("finalizeRound", () => {
    flow("reverts ZeroAmount for maxSteps 0", async () => {
      const c = await loadFixture(ready);
      await toPhase(c.subnet, "closed");
      await expect(c.subnet.finalizeRound(0)).to.be.revertedWithCustomError(c.subnet, "ZeroAmount");
      return c;
    });

    flow("a round without reveals pays nothing, carries the emission and expels the committers", async () => {
      const c = await loadFixture(ready);
      const bucketAddress = await c.bucket.getAddress();
      await c.token.mint(bucketAddress, 100n * E);
      await c.subnet.connect(c.validators[1]).commit(id("never revealed"));
      await toPhase(c.subnet, "closed");
      const round = await c.subnet.round();
      expect(await c.subnet.finalizeRound.staticCall(1)).to.equal(true);
      const tx = await c.subnet.finalizeRound(1);
      await expect(tx)
        .to.emit(c.subnet, "RoundFinalized")
        .withArgs(round, 100n * E, 0n, 0n);
      await expect(tx)
        .to.emit(c.subnet, "ValidatorExpelled")
        .withArgs(c.validators[1].address, 1n, Reason.NoReveal);
      await expect(tx).to.not.emit(c.subnet, "ConsensusScore");
      expect(await c.subnet.pendingEmission()).to.equal(100n * E);
      expect(await c.subnet.totalClaimable()).to.equal(0n);
      expect(await c.bucket.allocation(c.subnetAddress)).to.equal(0n);
      expect(await c.subnet.validatorCount()).to.equal(2n);
      expect((await c.subnet.unbonding(c.validators[1].address))[0]).to.equal(2n * MIN);
      // The validators that did not commit keep their permits.
      expect(await c.subnet.validatorSlot(c.validators[0].address)).to.equal(0n);
      expect(await c.subnet.validatorSlot(c.validators[2].address)).to.equal(2n);
      // The next empty round carries it further.
      await c.token.mint(bucketAddress, 50n * E);
      const tx2 = await skipRound(c);
      await expect(tx2)
        .to.emit(c.subnet, "RoundFinalized")
        .withArgs(round + 1n, 150n * E, 0n, 0n);
      expect(await c.subnet.pendingEmission()).to.equal(150n * E);
      return c;
    });

    flow("credits a hand-computed round exactly", async () => {
      const c = await loadFixture(ready);
      const round = await c.subnet.round();
      expect(await c.subnet.pendingEmission()).to.equal(0n);
      const txs = await playRound(c, handSheets(c), HAND_POOL);
      expect(txs.length).to.equal(1);
      const tx = txs[0];
      const x = handExpectation();
      expect(HAND_MIN.map((m, i) => (m * BPS) / HAND_MAX[i])).to.deep.equal(HAND_AGREEMENT);
      for (const [j, a] of c.contributors.slice(0, 3).entries()) {
        expect(await c.subnet.consensusScore(j), `consensus ${j}`).to.equal(HAND_CONSENSUS[j]);
        expect(await c.subnet.claimable(a.address), `contributor ${j}`).to.equal(x.contributorRewards[j]);
        expect((await c.subnet.contributorAt(j)).lastScore).to.equal(HAND_CONSENSUS[j]);
        await expect(tx)
          .to.emit(c.subnet, "ConsensusScore")
          .withArgs(round, a.address, HAND_CONSENSUS[j], x.contributorRewards[j]);
      }
      for (const [i, v] of c.validators.slice(0, 3).entries()) {
        expect(await c.subnet.claimable(v.address), `validator ${i}`).to.equal(x.dividends[i]);
        await expect(tx)
          .to.emit(c.subnet, "ValidatorDividend")
          .withArgs(round, v.address, HAND_AGREEMENT[i], x.dividends[i]);
        expect((await c.subnet.validatorAt(i)).strikes).to.equal(0n);
      }
      expect(await c.subnet.claimable(c.owner.address)).to.equal(x.ownerReward);
      expect(x.ownerReward).to.equal(50n * E);
      await expect(tx).to.emit(c.subnet, "RoundFinalized").withArgs(round, HAND_POOL, x.paid, 3n);
      await expect(tx).to.emit(c.subnet, "RoundAgreement").withArgs(round, HAND_MEDIAN, HAND_LAGGED);
      expect(await c.subnet.pendingEmission()).to.equal(HAND_POOL - x.paid);
      expect(await c.subnet.totalClaimable()).to.equal(x.paid);
      expect(HAND_POOL - x.paid).to.be.lt(10n); // rounding dust only
      expect(await c.subnet.round()).to.equal(round + 1n);
      return c;
    });

    flow("paging: returns false until done, finalization() progresses, same credits", async () => {
      const c = await loadFixture(ready);
      await commitSheets(c, handSheets(c));
      await toPhase(c.subnet, "reveal");
      await revealSheets(c, handSheets(c));
      await c.token.mint(await c.bucket.getAddress(), HAND_POOL);
      await toPhase(c.subnet, "closed");
      expect(await c.subnet.finalization()).to.deep.equal([0n, 0n]);
      const progress: [bigint, bigint][] = [
        [1n, 1n],
        [1n, 2n],
        [2n, 0n],
        [2n, 1n],
        [2n, 2n],
      ];
      for (const expected of progress) {
        expect(await c.subnet.finalizeRound.staticCall(1)).to.equal(false);
        await c.subnet.finalizeRound(1);
        expect(await c.subnet.finalization()).to.deep.equal(expected);
        expect(await c.subnet.phase()).to.equal(Phase.Closed);
        expect(await c.subnet.round()).to.equal(2n);
      }
      expect(await c.subnet.finalizeRound.staticCall(1)).to.equal(true);
      await c.subnet.finalizeRound(1);
      expect(await c.subnet.finalization()).to.deep.equal([0n, 0n]);
      expect(await c.subnet.round()).to.equal(3n);
      const x = handExpectation();
      for (const [j, a] of c.contributors.slice(0, 3).entries()) {
        expect(await c.subnet.claimable(a.address)).to.equal(x.contributorRewards[j]);
      }
      for (const [i, v] of c.validators.slice(0, 3).entries()) {
        expect(await c.subnet.claimable(v.address)).to.equal(x.dividends[i]);
      }
      expect(await c.subnet.claimable(c.owner.address)).to.equal(x.ownerReward);
      expect(await c.subnet.pendingEmission()).to.equal(HAND_POOL - x.paid);
      return c;
    });

    flow("paging with 2 steps: the consensus and credit stages can share a call", async () => {
      const c = await loadFixture(ready);
      const txs = await playRound(c, handSheets(c), HAND_POOL, 2);
      expect(txs.length).to.equal(3);
      const x = handExpectation();
      expect(await c.subnet.pendingEmission()).to.equal(HAND_POOL - x.paid);
      expect(await c.subnet.claimable(c.contributors[2].address)).to.equal(x.contributorRewards[2]);
      return c;
    });

    flow("RoundFinalized reports everything credited when finalization is paged", async () => {
      const c = await loadFixture(ready);
      const round = await c.subnet.round();
      const txs = await playRound(c, handSheets(c), HAND_POOL, 1);
      expect(txs.length).to.equal(6);
      const x = handExpectation();
      // The books are right: the pool went down by exactly what was credited...
      expect(await c.subnet.pendingEmission()).to.equal(HAND_POOL - x.paid);
      expect(await c.subnet.totalClaimable()).to.equal(x.paid);
      // ...and the event must say so (ISubnet: `paid` is what was credited, the rest is carried).
      await expect(txs[5]).to.emit(c.subnet, "RoundFinalized").withArgs(round, HAND_POOL, x.paid, 3n);
      return c;
    });

    flow("a committer that did not reveal is expelled (NoReveal) in a round with reveals", async () => {
      const c = await loadFixture(ready);
      const [v0, v1, v2] = c.validators;
      await c.subnet.connect(v2).commit(id("no reveal"));
      const sheets: Sheet[] = [
        { validator: v0, rows: [row(1), row(1), row(1)] },
        { validator: v1, rows: [row(1), row(1), row(1)] },
      ];
      const txs = await playRound(c, sheets, 100n * E);
      const tx = txs[txs.length - 1];
      await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(v2.address, 2n, Reason.NoReveal);
      const dividends = (await eventsOf(c.subnet, tx, "ValidatorDividend")).map((a) => a[1] as string);
      expect(dividends).to.deep.equal([v0.address, v1.address]);
      expect(await c.subnet.claimable(v2.address)).to.equal(0n);
      expect(await c.subnet.unbonding(v2.address)).to.deep.equal([
        3n * MIN,
        BigInt(await time.latest()) + P.unbondingDelay,
      ]);
      // v0 and v1 agree fully: they split the validator pool by stake (100 : 200).
      const validatorPool = (100n * E * BigInt(P.validatorShare)) / BPS;
      expect(await c.subnet.claimable(v0.address)).to.equal(validatorPool / 3n);
      expect(await c.subnet.claimable(v1.address)).to.equal((validatorPool * 2n) / 3n);
      // A validator that did not commit keeps its permit.
      expect(await c.subnet.validatorCount()).to.equal(2n);
      return c;
    });

    flow("contributors registered after the round started get nothing that round", async () => {
      const c = await loadFixture(ready);
      const late = c.contributors[3];
      await c.subnet.connect(late).register("late"); // slot 3, round 2
      const round = await c.subnet.round();
      const rows = [row(1), row(1), row(1), row(1)];
      const txs = await playRound(c, [{ validator: c.validators[0], rows }], 90n * E);
      const tx = txs[0];
      const contributorPool = (90n * E * BigInt(P.contributorShare)) / BPS;
      for (const a of c.contributors.slice(0, 3)) {
        expect(await c.subnet.claimable(a.address)).to.equal(contributorPool / 3n);
      }
      expect(await c.subnet.claimable(late.address)).to.equal(0n);
      expect(await c.subnet.consensusScore(3)).to.equal(0n);
      expect((await c.subnet.contributorAt(3)).lastScore).to.equal(0n);
      const scored = (await eventsOf(c.subnet, tx, "ConsensusScore")).map((a) => [
        a[0] as bigint,
        a[1] as string,
      ]);
      expect(scored).to.deep.equal(c.contributors.slice(0, 3).map((a) => [round, a.address]));
      // Next round it takes part.
      await playRound(c, [{ validator: c.validators[0], rows }], 80n * E);
      expect(await c.subnet.claimable(late.address)).to.equal(
        (80n * E * BigInt(P.contributorShare)) / BPS / 4n,
      );
      return c;
    });

    flow("rows beyond a short sheet count as zero", async () => {
      const c = await loadFixture(ready);
      const [v0, v1, v2] = c.validators; // 100, 200, 300
      // v2 (half the stake) reveals one row only; v0 and v1 score all three.
      const sheets: Sheet[] = [
        { validator: v0, rows: [row(10), row(10), row(10)] },
        { validator: v1, rows: [row(10), row(10), row(10)] },
        { validator: v2, rows: [row(10)] },
      ];
      await playRound(c, sheets, 100n * E);
      // c0: all score 100,000. c1, c2: 100,000 from v0 + v1 (300 = 50%), 0 from v2: upper median 100,000.
      expect(await c.subnet.consensusScore(0)).to.equal(100_000n);
      expect(await c.subnet.consensusScore(1)).to.equal(100_000n);
      expect(await c.subnet.consensusScore(2)).to.equal(100_000n);
      expect((await c.subnet.validatorAt(2)).rows).to.equal(1n);
      // v2 agrees on 1 of 3: min sum 100,000, max sum 300,000 -> 3,333 bps.
      // Now empty sheets from the majority (v1 and v2: 500 of 600 stake): they score every row 0.
      const sheets2: Sheet[] = [
        { validator: v0, rows: [row(10), row(10), row(10)] },
        { validator: v1, rows: [] },
        { validator: v2, rows: [] },
      ];
      await playRound(c, sheets2, 0n);
      // v0 (100) vs v1 + v2 (500): their zeros have 5/6 of the stake: consensus 0 everywhere.
      for (const j of [0, 1, 2]) expect(await c.subnet.consensusScore(j)).to.equal(0n);
      expect((await c.subnet.validatorAt(2)).rows).to.equal(0n);
      return c;
    });

    flow("all-zero scores pay nothing and carry the emission", async () => {
      const c = await loadFixture(ready);
      const round = await c.subnet.round();
      const sheets: Sheet[] = [{ validator: c.validators[0], rows: [row(0), row(0), row(0)] }];
      const txs = await playRound(c, sheets, 70n * E);
      const tx = txs[0];
      await expect(tx)
        .to.emit(c.subnet, "RoundFinalized")
        .withArgs(round, 70n * E, 0n, 1n);
      await expect(tx)
        .to.emit(c.subnet, "ValidatorDividend")
        .withArgs(round, c.validators[0].address, 10_000n, 0n);
      expect(await c.subnet.pendingEmission()).to.equal(70n * E);
      expect(await c.subnet.totalClaimable()).to.equal(0n);
      expect(await c.subnet.claimable(c.owner.address)).to.equal(0n);
      expect(await c.subnet.claimable(c.validators[0].address)).to.equal(0n);
      // The carried emission is next round's pool.
      const txs2 = await playRound(c, [{ validator: c.validators[0], rows: [row(1)] }], 30n * E);
      await expect(txs2[0])
        .to.emit(c.subnet, "RoundFinalized")
        .withArgs(round + 1n, 100n * E, 100n * E, 1n);
      expect(await c.subnet.claimable(c.contributors[0].address)).to.equal(80n * E);
      expect(await c.subnet.claimable(c.validators[0].address)).to.equal(15n * E);
      expect(await c.subnet.claimable(c.owner.address)).to.equal(5n * E);
      expect(await c.subnet.pendingEmission()).to.equal(0n);
      return c;
    });

    flow("tokens sent straight to the subnet are booked as emission at the next finalization", async () => {
      const c = await loadFixture(ready);
      await c.token.mint(c.subnetAddress, 40n * E);
      await expectSolvent(c, 40n * E);
      const round = await c.subnet.round();
      await expect(await skipRound(c))
        .to.emit(c.subnet, "RoundFinalized")
        .withArgs(round, 40n * E, 0n, 0n);
      expect(await c.subnet.pendingEmission()).to.equal(40n * E);
      return c;
    });

    flow(
      "strikes: agreement under the threshold maxStrikes rounds in a row expels (LowAgreement)",
      async () => {
        const c = await loadFixture(ready);
        const [v0, , v2] = c.validators; // v0 100, v2 300; v1 does not take part
        const truth = [row(10), row(10), row(10)];
        const good: Sheet = { validator: v2, rows: truth };
        // Exactly at the relative threshold (80% of the median agreement, v2's 10,000) is no strike.
        const half: Sheet = { validator: v0, rows: [row(8), row(8), row(8)] };
        // Far off: agreement 0.
        const bad: Sheet = { validator: v0, rows: [row(0), row(0), row(0)] };
        const strikes = async () => (await c.subnet.validatorAt(0)).strikes;

        // half: v0 scores 80,000 where the consensus (v2, 75% of the stake) is 100,000: 240,000 / 300,000.
        // Its edge over the lagged consensus (none yet: 0) is over half the median's: a full dividend,
        // its share of the active stake (v0 + v2; v1 never revealed).
        let round = await c.subnet.round();
        let txs = await playRound(c, [good, half], 10n * E);
        const validatorPool = (10n * E * BigInt(P.validatorShare)) / BPS;
        await expect(txs[0])
          .to.emit(c.subnet, "ValidatorDividend")
          .withArgs(round, v0.address, 8_000n, (validatorPool * MIN) / (4n * MIN));
        expect(await strikes()).to.equal(0n);
        await playRound(c, [good, bad]);
        expect(await strikes()).to.equal(1n);
        await playRound(c, [good, bad]);
        expect(await strikes()).to.equal(2n);
        await playRound(c, [good, half]); // a good round resets
        expect(await strikes()).to.equal(0n);
        await playRound(c, [good, bad]);
        await playRound(c, [good, bad]);
        expect(await strikes()).to.equal(2n);
        round = await c.subnet.round();
        txs = await playRound(c, [good, bad], 10n * E);
        const tx = txs[0];
        await expect(tx).to.emit(c.subnet, "ValidatorDividend").withArgs(round, v0.address, 0n, 0n);
        await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(v0.address, 0n, Reason.LowAgreement);
        // v1, which never revealed, has been idle for `activityCutoff` (7) rounds by now: expelled too.
        await expect(tx)
          .to.emit(c.subnet, "ValidatorExpelled")
          .withArgs(c.validators[1].address, 1n, Reason.Inactive);
        expect(await c.subnet.validatorCount()).to.equal(1n);
        expect((await c.subnet.unbonding(v0.address))[0]).to.equal(MIN);
        expect((await c.subnet.validatorAt(0)).account).to.equal(ZeroAddress);
        expect((await c.subnet.validatorAt(0)).strikes).to.equal(0n);
        return c;
      },
    );

    flow(
      "GUARD-13: a slash lands mid-finalization (the expelled sheet earns nothing), and a freed slot starts with no strikes",
      async () => {
        const c = await loadFixture(ready);
        const [v0, v1, v2] = c.validators;
        const truth = [row(10), row(10), row(10)];
        const sheets: Sheet[] = [
          { validator: v0, rows: [row(0), row(0), row(0)] }, // agreement 0: a strike
          { validator: v1, rows: truth },
          { validator: v2, rows: truth },
        ];
        await commitSheets(c, sheets);
        await toPhase(c.subnet, "reveal");
        await revealSheets(c, sheets);
        await toPhase(c.subnet, "closed");
        await c.subnet.finalizeRound(1); // mid-consensus: stakes are being read page by page
        // v1 is slashed below the minimum mid-finalization: expelled at once, judged as nobody.
        await expect(c.subnet.connect(c.admin).slash(v1.address, 150n * E))
          .to.emit(c.subnet, "ValidatorExpelled")
          .withArgs(v1.address, 1n, Reason.BelowMinimum);
        const txs = await finalizeRound(c.subnet, 1);
        const dividends = (
          await Promise.all(txs.map((t) => eventsOf(c.subnet, t, "ValidatorDividend")))
        ).flat();
        expect(dividends.map((d) => d[1])).to.not.include(v1.address);
        expect(dividends.map((d) => d[1])).to.include(v2.address);
        expect((await c.subnet.validatorAt(1)).account).to.equal(ZeroAddress);
        expect((await c.subnet.validatorAt(1)).strikes).to.equal(0n);
        expect((await c.subnet.validatorAt(0)).strikes).to.equal(1n);
        await expect(c.subnet.connect(c.admin).slash(v0.address, MIN))
          .to.emit(c.subnet, "ValidatorExpelled")
          .withArgs(v0.address, 0n, Reason.BelowMinimum);
        // Slot 0 is free; whoever takes it next must start with a clean record.
        const fresh = c.validators[3];
        await c.subnet.connect(fresh).stake(MIN);
        expect(await c.subnet.validatorSlot(fresh.address)).to.equal(0n);
        const at = await c.subnet.validatorAt(0);
        expect(at.account).to.equal(fresh.address);
        expect(at.strikes).to.equal(0n);
        return c;
      },
    );

    flow("sheets are folded with the metric weights in force", async () => {
      const c = await loadFixture(ready);
      await c.subnet.connect(c.admin).setMetricWeights([2_500, 7_500]);
      await skipRound(c); // round 3 scores two metrics
      const v = c.validators[0];
      const rows = [
        [1, 1],
        [4, 0],
        [0, 4],
      ];
      const round = await c.subnet.round();
      const sheet = encodeSheet(rows, 2);
      await c.subnet.connect(v).commit(commitment(c.subnetAddress, round, v.address, id("s"), sheet));
      await toPhase(c.subnet, "reveal");
      await expect(c.subnet.connect(v).reveal(sheet, id("s")))
        .to.emit(c.subnet, "Revealed")
        .withArgs(v.address, round, 3n);
      await toPhase(c.subnet, "closed");
      await finalizeRound(c.subnet);
      expect(await c.subnet.consensusScore(0)).to.equal(10_000n);
      expect(await c.subnet.consensusScore(1)).to.equal(10_000n);
      expect(await c.subnet.consensusScore(2)).to.equal(30_000n);
      return c;
    });
  });

  describe("claim", () => {
    flow("pays what is claimable in one call and emits Claimed; 0 when nothing", async () => {
      const c = await loadFixture(handPlayed);
      const x = handExpectation();
      const a = c.contributors[0];
      expect(await c.subnet.connect(a).claim.staticCall()).to.equal(x.contributorRewards[0]);
      const tx = c.subnet.connect(a).claim();
      await expect(tx).to.emit(c.subnet, "Claimed").withArgs(a.address, x.contributorRewards[0]);
      await expect(tx).to.changeTokenBalances(
        c.token,
        [a, c.subnet],
        [x.contributorRewards[0], -x.contributorRewards[0]],
      );
      expect(await c.subnet.claimable(a.address)).to.equal(0n);
      expect(await c.subnet.totalClaimable()).to.equal(x.paid - x.contributorRewards[0]);
      expect(await c.subnet.connect(a).claim.staticCall()).to.equal(0n);
      await expect(c.subnet.connect(a).claim()).to.not.emit(c.subnet, "Claimed");
      expect(await c.subnet.connect(c.stranger).claim.staticCall()).to.equal(0n);
      // The owner claims its share too.
      await expect(c.subnet.connect(c.owner).claim()).to.changeTokenBalance(c.token, c.owner, x.ownerReward);
      return c;
    });

    flow(
      "claimFor: anyone pays an account what it can claim (to the account); paused, it reverts",
      async () => {
        const c = await loadFixture(handPlayed);
        const x = handExpectation();
        const a = c.contributors[0];
        await c.subnet.connect(c.admin).pause();
        await expect(c.subnet.connect(c.stranger).claimFor(a.address)).to.be.revertedWithCustomError(
          c.subnet,
          "EnforcedPause",
        );
        await c.subnet.connect(c.admin).unpause();
        expect(await c.subnet.connect(c.stranger).claimFor.staticCall(a.address)).to.equal(
          x.contributorRewards[0],
        );
        const tx = c.subnet.connect(c.stranger).claimFor(a.address);
        await expect(tx).to.emit(c.subnet, "Claimed").withArgs(a.address, x.contributorRewards[0]);
        await expect(tx).to.changeTokenBalances(
          c.token,
          [a, c.stranger, c.subnet],
          [x.contributorRewards[0], 0n, -x.contributorRewards[0]],
        );
        expect(await c.subnet.claimable(a.address)).to.equal(0n);
        await expect(c.subnet.connect(c.stranger).claimFor(a.address)).to.not.emit(c.subnet, "Claimed");
        return c;
      },
    );

    flow("accumulates over rounds and pays everything at once", async () => {
      const c = await loadFixture(ready);
      const sheets: Sheet[] = [{ validator: c.validators[0], rows: [row(1)] }];
      await playRound(c, sheets, 10n * E);
      await playRound(c, sheets, 20n * E);
      await playRound(c, sheets, 30n * E);
      const a = c.contributors[0];
      expect(await c.subnet.claimable(a.address)).to.equal(48n * E);
      await expect(c.subnet.connect(a).claim()).to.changeTokenBalance(c.token, a, 48n * E);
      return c;
    });
  });

  describe("governance", () => {
    flow("every governance function reverts AccessManagedUnauthorized for a stranger", async () => {
      const c = await loadFixture(ready);
      const s = c.subnet.connect(c.stranger);
      const calls: [string, () => Promise<ContractTransactionResponse>][] = [
        ["setParams", () => s.setParams(P)],
        ["setMetricWeights", () => s.setMetricWeights([10_000])],
        ["slash", () => s.slash(c.validators[0].address, 1n)],
        ["pause", () => s.pause()],
        ["unpause", () => s.unpause()],
      ];
      for (const [name, call] of calls) {
        await expect(call(), name)
          .to.be.revertedWithCustomError(c.subnet, "AccessManagedUnauthorized")
          .withArgs(c.stranger.address);
      }
      return c;
    });

    flow("setParams is queued: params() shows (current, next); it applies at the next round", async () => {
      const c = await loadFixture(ready);
      const next: SubnetParams = { ...P, commitDuration: HOUR, revealDuration: 2n * HOUR, bond: 2n * BOND };
      await expect(c.subnet.connect(c.admin).setParams(next)).to.emit(c.subnet, "ParamsQueued");
      const [current, queued] = await c.subnet.params();
      expect(asParams(current)).to.deep.equal(P);
      expect(asParams(queued)).to.deep.equal(next);
      const [start, commitEnd] = await c.subnet.roundTimes();
      expect(commitEnd).to.equal(start + P.commitDuration);
      // The bond of this round is still the old one.
      const early = c.contributors[3];
      await expect(c.subnet.connect(early).register("early")).to.changeTokenBalance(c.token, early, -BOND);

      await skipRound(c);
      const [now, nowNext] = await c.subnet.params();
      expect(asParams(now)).to.deep.equal(next);
      expect(asParams(nowNext)).to.deep.equal(next);
      const [start2, commitEnd2, revealEnd2] = await c.subnet.roundTimes();
      expect(commitEnd2).to.equal(start2 + HOUR);
      expect(revealEnd2).to.equal(start2 + 3n * HOUR);
      const late = c.contributors[4];
      await expect(c.subnet.connect(late).register("late")).to.changeTokenBalance(c.token, late, -2n * BOND);
      // A contributor gets back the bond it paid.
      await expect(c.subnet.connect(early).deregister()).to.changeTokenBalance(c.token, early, BOND);
      return c;
    });

    flow(
      "setParams reverts InvalidParams for each field out of bounds; the bounds themselves pass",
      async () => {
        const c = await loadFixture(ready);
        const MAX_PHASE = 30n * DAY;
        const bad: [string, SubnetParams][] = [
          ["zero commit", { ...P, commitDuration: 0n }],
          ["zero reveal", { ...P, revealDuration: 0n }],
          ["commit over 30 days", { ...P, commitDuration: MAX_PHASE + 1n }],
          ["reveal over 30 days", { ...P, revealDuration: MAX_PHASE + 1n }],
          ["unbonding under 15 days (GovernancePath)", { ...P, unbondingDelay: 15n * DAY - 1n }],
          ["unbonding over 60 days", { ...P, unbondingDelay: 2n * MAX_PHASE + 1n }],
          ["immunity over 360 days", { ...P, immunityPeriod: 12n * MAX_PHASE + 1n }],
          ["zero kappa", { ...P, kappa: 0 }],
          ["kappa over 100%", { ...P, kappa: 10_001 }],
          ["shares over 100%", { ...P, contributorShare: 8_501, validatorShare: 1_500 }],
          ["agreement threshold over 100%", { ...P, agreementThreshold: 10_001 }],
          ["zero maxStrikes", { ...P, maxStrikes: 0 }],
          ["zero activity cutoff", { ...P, activityCutoff: 0 }],
          ["activity cutoff over 64", { ...P, activityCutoff: 65 }],
          ["relative threshold over 100%", { ...P, relativeThreshold: 10_001 }],
          ["zero edge share", { ...P, edgeShare: 0 }],
          ["edge share over 100%", { ...P, edgeShare: 10_001 }],
          ["zero edge floor", { ...P, edgeFloor: 0 }],
          ["edge floor over 100%", { ...P, edgeFloor: 10_001 }],
        ];
        for (const [name, params] of bad) {
          await expect(c.subnet.connect(c.admin).setParams(params), name).to.be.revertedWithCustomError(
            c.subnet,
            "InvalidParams",
          );
        }
        const edge: SubnetParams = {
          ...P,
          commitDuration: MAX_PHASE,
          revealDuration: MAX_PHASE,
          unbondingDelay: 2n * MAX_PHASE,
          immunityPeriod: 12n * MAX_PHASE,
          ...RATIO_BOUNDS,
          contributorShare: 8_500,
          validatorShare: 1_500,
        };
        await expect(c.subnet.connect(c.admin).setParams(edge)).to.emit(c.subnet, "ParamsQueued");
        expect(asParams((await c.subnet.params())[1])).to.deep.equal(edge);
        return c;
      },
    );

    flow("setMetricWeights is queued: metricWeights() shows (current, next)", async () => {
      const c = await loadFixture(ready);
      await expect(c.subnet.connect(c.admin).setMetricWeights([6_000, 4_000]))
        .to.emit(c.subnet, "MetricWeightsQueued")
        .withArgs([6_000, 4_000]);
      expect(await c.subnet.metricWeights()).to.deep.equal([
        DEFAULT_METRIC_WEIGHTS.map(BigInt),
        [6_000n, 4_000n],
      ]);
      await skipRound(c);
      expect(await c.subnet.metricWeights()).to.deep.equal([
        [6_000n, 4_000n],
        [6_000n, 4_000n],
      ]);
      return c;
    });

    flow("setMetricWeights reverts InvalidMetricWeights(count, sum)", async () => {
      const c = await loadFixture(ready);
      await expect(c.subnet.connect(c.admin).setMetricWeights([]))
        .to.be.revertedWithCustomError(c.subnet, "InvalidMetricWeights")
        .withArgs(0n, 0n);
      await expect(c.subnet.connect(c.admin).setMetricWeights([5_000, 4_000]))
        .to.be.revertedWithCustomError(c.subnet, "InvalidMetricWeights")
        .withArgs(2n, 9_000n);
      await expect(c.subnet.connect(c.admin).setMetricWeights(Array<number>(9).fill(1_000)))
        .to.be.revertedWithCustomError(c.subnet, "InvalidMetricWeights")
        .withArgs(9n, 8_000n);
      return c;
    });

    flow("slash takes from the stake to the protection fund", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[2]; // 300
      const fund = await c.fund.getAddress();
      const tx = c.subnet.connect(c.admin).slash(v.address, 50n * E);
      await expect(tx)
        .to.emit(c.subnet, "Slashed")
        .withArgs(v.address, 50n * E, fund);
      await expect(tx).to.changeTokenBalances(c.token, [c.subnet, c.fund], [-50n * E, 50n * E]);
      await expect(tx).to.not.emit(c.subnet, "ValidatorExpelled");
      expect((await c.subnet.validatorAt(2)).stake).to.equal(250n * E);
      expect(await c.subnet.totalStake()).to.equal(550n * E);
      return c;
    });

    flow("slash below the minimum expels; the rest of the stake unbonds", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[2]; // 300
      const tx = c.subnet.connect(c.admin).slash(v.address, 250n * E);
      await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(v.address, 2n, Reason.BelowMinimum);
      await expect(tx)
        .to.emit(c.subnet, "Slashed")
        .withArgs(v.address, 250n * E, await c.fund.getAddress());
      expect((await c.subnet.unbonding(v.address))[0]).to.equal(50n * E);
      expect(await c.subnet.totalStake()).to.equal(3n * MIN);
      expect(await c.subnet.totalUnbonding()).to.equal(50n * E);
      expect(await c.token.balanceOf(await c.fund.getAddress())).to.equal(250n * E);
      return c;
    });

    flow("slash takes the stake, then the unbonding stake, up to the amount", async () => {
      const c = await loadFixture(ready);
      const v = c.validators[1]; // 200
      await c.subnet.connect(v).unstake(60n * E); // 140 staked, 60 unbonding
      const tx = c.subnet.connect(c.admin).slash(v.address, 180n * E);
      await expect(tx)
        .to.emit(c.subnet, "Slashed")
        .withArgs(v.address, 180n * E, await c.fund.getAddress());
      await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(v.address, 1n, Reason.BelowMinimum);
      expect((await c.subnet.unbonding(v.address))[0]).to.equal(20n * E);
      expect(await c.subnet.totalUnbonding()).to.equal(20n * E);
      // More than is left: takes the rest.
      await expect(c.subnet.connect(c.admin).slash(v.address, 1_000n * E))
        .to.emit(c.subnet, "Slashed")
        .withArgs(v.address, 20n * E, await c.fund.getAddress());
      expect((await c.subnet.unbonding(v.address))[0]).to.equal(0n);
      expect(await c.token.balanceOf(await c.fund.getAddress())).to.equal(200n * E);
      // Nothing left to take.
      await expect(c.subnet.connect(c.admin).slash(v.address, 1n)).to.be.revertedWithCustomError(
        c.subnet,
        "NothingToWithdraw",
      );
      return c;
    });

    flow("slash reverts NothingToWithdraw for an account with nothing and ZeroAmount for 0", async () => {
      const c = await loadFixture(ready);
      await expect(c.subnet.connect(c.admin).slash(c.stranger.address, 1n)).to.be.revertedWithCustomError(
        c.subnet,
        "NothingToWithdraw",
      );
      await expect(
        c.subnet.connect(c.admin).slash(c.validators[0].address, 0n),
      ).to.be.revertedWithCustomError(c.subnet, "ZeroAmount");
      return c;
    });

    flow(
      "GUARD-71: pause blocks register, stake, finalization and claims; exits return bonds and stake, never rewards",
      async () => {
        const c = await loadFixture(handPlayed);
        await expect(c.subnet.connect(c.admin).pause()).to.emit(c.subnet, "Paused").withArgs(c.admin.address);
        const s = c.subnet;
        await expect(s.connect(c.contributors[3]).register("x")).to.be.revertedWithCustomError(
          s,
          "EnforcedPause",
        );
        await expect(s.connect(c.validators[3]).stake(MIN)).to.be.revertedWithCustomError(s, "EnforcedPause");
        await expect(s.connect(c.validators[0]).stake(1n)).to.be.revertedWithCustomError(s, "EnforcedPause");
        await expect(s.connect(c.contributors[0]).claim()).to.be.revertedWithCustomError(s, "EnforcedPause");
        // Exits: deregister (its bond; the rewards wait for the unpause), unstake, withdrawUnbonded.
        const reward = await s.claimable(c.contributors[1].address);
        expect(reward).to.be.gt(0n);
        await expect(s.connect(c.contributors[1]).deregister()).to.changeTokenBalance(
          c.token,
          c.contributors[1],
          BOND,
        );
        expect(await s.claimable(c.contributors[1].address)).to.equal(reward);
        await s.connect(c.validators[2]).unstake(MIN);
        await time.increase(P.unbondingDelay);
        await expect(s.connect(c.validators[2]).withdrawUnbonded()).to.changeTokenBalance(
          c.token,
          c.validators[2],
          MIN,
        );
        // Finalization (new credits, new rounds) waits for the unpause, and so do claims.
        await toPhase(s, "closed");
        await expect(s.finalizeRound(1_000)).to.be.revertedWithCustomError(s, "EnforcedPause");
        await expect(s.connect(c.contributors[0]).claim()).to.be.revertedWithCustomError(s, "EnforcedPause");
        await expect(s.connect(c.admin).unpause()).to.emit(s, "Unpaused").withArgs(c.admin.address);
        await finalizeRound(s);
        await expect(s.connect(c.contributors[0]).claim()).to.emit(s, "Claimed");
        await expect(s.connect(c.contributors[1]).claim()).to.emit(s, "Claimed");
        return c;
      },
    );

    flow("exits stay open during a pause that outlasts the round (ISubnet.pause)", async () => {
      const c = await loadFixture(ready);
      await c.subnet.connect(c.admin).pause();
      // The round closes while paused and waits for the unpause; exits do not wait for it.
      await toPhase(c.subnet, "closed");
      await expect(c.subnet.finalizeRound(1_000)).to.be.revertedWithCustomError(c.subnet, "EnforcedPause");
      // "Exits stay open": a contributor can still leave and a validator can still unstake.
      await expect(
        c.subnet.connect(c.contributors[0]).deregister.staticCall(),
      ).to.not.be.revertedWithCustomError(c.subnet, "WrongPhase");
      await expect(
        c.subnet.connect(c.validators[2]).unstake.staticCall(MIN),
      ).to.not.be.revertedWithCustomError(c.subnet, "WrongPhase");
      await expect(c.subnet.connect(c.contributors[0]).deregister()).to.changeTokenBalance(
        c.token,
        c.contributors[0],
        BOND,
      );
      // Pin the unstake's block time: the release is exactly that time plus the delay (the next
      // block's time is not always the latest plus one second, e.g. under load).
      const unstakeAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(unstakeAt);
      await expect(c.subnet.connect(c.validators[2]).unstake(MIN))
        .to.emit(c.subnet, "Unbonded")
        .withArgs(c.validators[2].address, MIN, unstakeAt + P.unbondingDelay);
      return c;
    });

    flow("unpause reverts ExpectedPause when not paused", async () => {
      const c = await loadFixture(base);
      await expect(c.subnet.connect(c.admin).unpause()).to.be.revertedWithCustomError(
        c.subnet,
        "ExpectedPause",
      );
      return c;
    });
  });

  describe("owner", () => {
    flow("setMetadataURI: owner only (NotOwner), emits MetadataURIUpdated", async () => {
      const c = await loadFixture(base);
      await expect(c.subnet.connect(c.stranger).setMetadataURI("x"))
        .to.be.revertedWithCustomError(c.subnet, "NotOwner")
        .withArgs(c.stranger.address);
      await expect(c.subnet.connect(c.admin).setMetadataURI("x"))
        .to.be.revertedWithCustomError(c.subnet, "NotOwner")
        .withArgs(c.admin.address);
      await expect(c.subnet.connect(c.owner).setMetadataURI("ipfs://new"))
        .to.emit(c.subnet, "MetadataURIUpdated")
        .withArgs("ipfs://new");
      expect(await c.subnet.metadataURI()).to.equal("ipfs://new");
      return c;
    });

    flow("transferOwnership: owner only, not to zero; the new owner gets the owner share", async () => {
      const c = await loadFixture(ready);
      await expect(c.subnet.connect(c.stranger).transferOwnership(c.stranger.address))
        .to.be.revertedWithCustomError(c.subnet, "NotOwner")
        .withArgs(c.stranger.address);
      await expect(c.subnet.connect(c.owner).transferOwnership(ZeroAddress)).to.be.revertedWithCustomError(
        c.subnet,
        "ZeroAddress",
      );
      await expect(c.subnet.connect(c.owner).transferOwnership(c.stranger.address))
        .to.emit(c.subnet, "OwnerUpdated")
        .withArgs(c.stranger.address);
      expect(await c.subnet.owner()).to.equal(c.stranger.address);
      await expect(c.subnet.connect(c.owner).setMetadataURI("x"))
        .to.be.revertedWithCustomError(c.subnet, "NotOwner")
        .withArgs(c.owner.address);
      await playRound(c, handSheets(c), HAND_POOL);
      expect(await c.subnet.claimable(c.stranger.address)).to.equal(handExpectation().ownerReward);
      expect(await c.subnet.claimable(c.owner.address)).to.equal(0n);
      return c;
    });
  });

  describe("liveness, discipline and dividends for information", () => {
    const T = [row(10), row(10), row(10)]; // every contributor at 100,000
    const validatorPool = (pool: bigint) => (pool * BigInt(P.validatorShare)) / BPS;

    flow(
      "a skipped round keeps the last sheet in force: kappa counts its stake, it earns nothing",
      async () => {
        const c = await loadFixture(ready);
        const [v0, v1, v2] = c.validators; // 100, 200, 300
        await playRound(
          c,
          [0, 1, 2].map((i) => ({ validator: c.validators[i], rows: T })),
        );
        // v2 (half the stake) is offline; v1 (a third) scores c0 at 600,000 and the others 0. Among the
        // revealers alone v1 would hold 2/3 and set the consensus; v2's standing sheet keeps it honest.
        const round = await c.subnet.round();
        const before = await c.subnet.claimable(v2.address);
        const [tx] = await playRound(
          c,
          [
            { validator: v0, rows: T },
            { validator: v1, rows: [row(60), row(0), row(0)] },
          ],
          60n * E,
        );
        for (const j of [0, 1, 2]) expect(await c.subnet.consensusScore(j), `c${j}`).to.equal(100_000n);
        await expect(tx)
          .to.emit(c.subnet, "RoundFinalized")
          .withArgs(round, 60n * E, 52_500n * 10n ** 15n, 2n);
        // v0 earns its share of the ACTIVE stake (100 of 600); v2's share is carried, v1 is struck.
        await expect(tx)
          .to.emit(c.subnet, "ValidatorDividend")
          .withArgs(round, v0.address, 10_000n, validatorPool(60n * E) / 6n);
        await expect(tx).to.emit(c.subnet, "ValidatorDividend").withArgs(round, v1.address, 1_250n, 0n);
        expect((await c.subnet.validatorAt(1)).strikes).to.equal(1n);
        expect(await c.subnet.claimable(v2.address)).to.equal(before);
        expect(await c.subnet.pendingEmission()).to.equal(7_500n * 10n ** 15n); // v2's 4.5 and v1's 3 carried
        return c;
      },
    );

    flow(
      "a sheet older than activityCutoff rounds stops counting and its idle permit is expelled",
      async () => {
        const c = await loadFixture(ready);
        const [v0, v1, v2] = c.validators; // 100, 200, 300
        // v2 scores c0 at 120,000 and then goes silent; v0 + v1 (300 of 600) score it 100,000.
        await playRound(c, [
          { validator: v0, rows: T },
          { validator: v1, rows: T },
          { validator: v2, rows: [row(12), row(10), row(10)] },
        ]);
        const revealed = (await c.subnet.validatorAt(2)).revealRound;
        for (let k = 1n; k < BigInt(P.activityCutoff); k++) {
          await playRound(c, [
            { validator: v0, rows: T },
            { validator: v1, rows: T },
          ]);
          // Still in force: v2 holds half the stake, the upper median is its 120,000.
          expect(await c.subnet.consensusScore(0), `round ${revealed + k}`).to.equal(120_000n);
          expect((await c.subnet.validatorAt(2)).account).to.equal(v2.address);
        }
        const round = await c.subnet.round();
        expect(round - revealed).to.equal(BigInt(P.activityCutoff));
        const [tx] = await playRound(c, [
          { validator: v0, rows: T },
          { validator: v1, rows: T },
        ]);
        expect(await c.subnet.consensusScore(0)).to.equal(100_000n);
        await expect(tx).to.emit(c.subnet, "ValidatorExpelled").withArgs(v2.address, 2n, Reason.Inactive);
        expect((await c.subnet.unbonding(v2.address))[0]).to.equal(3n * MIN);
        expect(await c.subnet.validatorCount()).to.equal(2n);
        return c;
      },
    );

    flow("a contributor registered after a standing sheet's round scores 0 on it", async () => {
      const c = await loadFixture(ready);
      const [v0, v1, v2] = c.validators; // 100, 200, 300
      const late = c.contributors[3];
      // v2's sheet scores slot 3, still free, at 400,000; then v2 goes silent.
      await playRound(c, [
        { validator: v0, rows: T },
        { validator: v1, rows: T },
        { validator: v2, rows: [...T, row(40)] },
      ]);
      await c.subnet.connect(late).register("late"); // slot 3, during the next round
      expect(await c.subnet.contributorSlot(late.address)).to.equal(3n);
      await playRound(c, [
        { validator: v0, rows: T },
        { validator: v1, rows: T },
      ]);
      await playRound(c, [
        { validator: v0, rows: [...T, row(10)] },
        { validator: v1, rows: [...T, row(10)] },
      ]);
      // Counted, v2's 400,000 would hold half the stake and be the upper median; it scored an earlier
      // occupant (nobody), so it counts 0 and v0 + v1's 100,000 holds half.
      expect(await c.subnet.consensusScore(3)).to.equal(100_000n);
      return c;
    });

    flow(
      "nobody reveals but sheets stand: contributors are paid by them, the validators' pool is carried",
      async () => {
        const c = await loadFixture(ready);
        await playRound(
          c,
          [0, 1, 2].map((i) => ({ validator: c.validators[i], rows: T })),
        );
        const round = await c.subnet.round();
        const [tx] = await playRound(c, [], 90n * E);
        await expect(tx)
          .to.emit(c.subnet, "RoundFinalized")
          .withArgs(round, 90n * E, 76_500n * 10n ** 15n, 0n);
        for (const a of c.contributors.slice(0, 3))
          expect(await c.subnet.claimable(a.address)).to.equal(24n * E);
        expect(await c.subnet.pendingEmission()).to.equal(validatorPool(90n * E));
        return c;
      },
    );

    flow("a sheet under 80% of the median agreement takes a strike and earns nothing", async () => {
      const c = await loadFixture(ready);
      const [v0, v1, v2] = c.validators;
      const round = await c.subnet.round();
      // v0 at 70% of everyone: agreement 7,000, over the 5,000 floor but under 80% of the median 10,000.
      const [tx] = await playRound(
        c,
        [
          { validator: v0, rows: [row(7), row(7), row(7)] },
          { validator: v1, rows: T },
          { validator: v2, rows: T },
        ],
        60n * E,
      );
      await expect(tx).to.emit(c.subnet, "RoundAgreement").withArgs(round, 10_000n, 0n);
      await expect(tx).to.emit(c.subnet, "ValidatorDividend").withArgs(round, v0.address, 7_000n, 0n);
      await expect(tx)
        .to.emit(c.subnet, "ValidatorDividend")
        .withArgs(round, v1.address, 10_000n, validatorPool(60n * E) / 3n);
      expect((await c.subnet.validatorAt(0)).strikes).to.equal(1n);
      return c;
    });

    flow(
      "copying last round's consensus earns only the dividend's part not paid for information",
      async () => {
        const c = await loadFixture(ready);
        const [v0, v1, v2] = c.validators; // v0 copies the last consensus, v1 and v2 measure
        const play = (copied: readonly Row[], measured: readonly Row[]) =>
          playRound(
            c,
            [
              { validator: v0, rows: copied },
              { validator: v1, rows: measured },
              { validator: v2, rows: measured },
            ],
            60n * E,
          );
        // The copier's edge over the lagged consensus is 0: it earns the part (1 - phi) of its stake's
        // dividend (v0: 100 of 600) that does not pay for information, phi = min(1, medianEdge / edgeFloor).
        const copierReward = (pool: bigint, phi: bigint) =>
          (validatorPool(pool) * (MIN * (BPS - phi))) / (6n * MIN * BPS);
        await play(T, T);
        // c0 rises to 110,000: the lagged consensus (T) agrees 300,000 / 310,000 = 9,677 with it, the
        // median sheet 10,000. Median edge 323: phi = 3,230 (edgeFloor 1,000). The measuring validators'
        // edge (323) is over edgeShare (10%) of the median's: full dividends.
        let round = await c.subnet.round();
        const up = [row(11), row(10), row(10)];
        let [tx] = await play(T, up);
        let phi = (323n * BPS) / BigInt(P.edgeFloor);
        expect(phi).to.equal(3_230n);
        const paid3 = copierReward(60n * E, phi);
        await expect(tx).to.emit(c.subnet, "RoundAgreement").withArgs(round, 10_000n, 9_677n);
        await expect(tx).to.emit(c.subnet, "ValidatorDividend").withArgs(round, v0.address, 9_677n, paid3);
        await expect(tx)
          .to.emit(c.subnet, "ValidatorDividend")
          .withArgs(round, v1.address, 10_000n, validatorPool(60n * E) / 3n);
        expect((await c.subnet.validatorAt(0)).strikes).to.equal(0n);
        // c0 moves less, to 112,000 (the last metric at 12): lagged 310,000 / 312,000 = 9,935, median edge
        // 65: phi = 650, the copier keeps 93.5% of its share. The pool: 60 TTD and what the copier did not
        // earn last round, carried.
        round = await c.subnet.round();
        [tx] = await play(up, [[11, 11, 11, 12], row(10), row(10)]);
        const lagged = (310_000n * BPS) / 312_000n;
        phi = ((BPS - lagged) * BPS) / BigInt(P.edgeFloor);
        expect(phi).to.equal(650n);
        const pool = 60n * E + validatorPool(60n * E) / 6n - paid3;
        await expect(tx).to.emit(c.subnet, "RoundAgreement").withArgs(round, 10_000n, lagged);
        await expect(tx)
          .to.emit(c.subnet, "ValidatorDividend")
          .withArgs(round, v0.address, lagged, copierReward(pool, phi));
        return c;
      },
    );

    flow(
      "a contributor that leaves mid-round is scored and paid for it; its slot's next occupant has no history",
      async () => {
        const c = await loadFixture(ready);
        await playRound(c, [{ validator: c.validators[2], rows: T }]);
        expect(await c.subnet.consensusScore(1)).to.equal(100_000n);
        // Round 3: c1 leaves in the reveal phase, after the sheets scored it; c3 takes its slot.
        const [, c1, , c3] = c.contributors;
        await commitSheets(c, [{ validator: c.validators[2], rows: T }]);
        await toPhase(c.subnet, "reveal");
        await revealSheets(c, [{ validator: c.validators[2], rows: T }]);
        await c.subnet.connect(c1).deregister();
        await c.subnet.connect(c3).register("c3");
        expect(await c.subnet.contributorSlot(c3.address)).to.equal(1n);
        await c.token.mint(await c.bucket.getAddress(), 1_000n * E);
        await toPhase(c.subnet, "closed");
        const txs = await finalizeRound(c.subnet);
        const scores = (await Promise.all(txs.map((t) => eventsOf(c.subnet, t, "ConsensusScore")))).flat();
        const paid = scores.find((e) => e[1] === c1.address);
        expect(paid?.[2]).to.equal(100_000n);
        expect(paid?.[3]).to.be.gt(0n);
        expect(await c.subnet.claimable(c1.address)).to.equal(paid?.[3]);
        expect(scores.find((e) => e[1] === c3.address)).to.equal(undefined);
        // Round 4: c3 is scored; last round's lane was c1's, which is not c3's history (lagged 0).
        expect((await c.subnet.contributorAt(1)).lastScore).to.equal(0n);
        return c;
      },
    );
  });

  describe("extension (registry, exits and governance by delegatecall)", () => {
    flow(
      "every entry point of the extension itself reverts NotDelegated: it runs only inside the subnet",
      async () => {
        const c = await loadFixture(ready);
        const address = await c.subnet.extension();
        expect(address).to.not.equal(ZeroAddress);
        expect(await ethers.provider.getCode(address)).to.not.equal("0x");
        // Called directly, the extension would act on its own empty storage: the admin (who holds every
        // governance role on the subnet) and the owner are refused like anyone else.
        const x = SubnetExtension__factory.connect(address, c.admin);
        const calls: [string, () => Promise<ContractTransactionResponse>][] = [
          ["register", () => x.connect(c.stranger).register("x")],
          ["deregister", () => x.connect(c.contributors[0]).deregister()],
          ["unstake", () => x.connect(c.validators[0]).unstake(1n)],
          ["withdrawUnbonded", () => x.connect(c.validators[0]).withdrawUnbonded()],
          ["slash", () => x.slash(c.validators[0].address, 1n)],
          ["setParams", () => x.setParams(P)],
          ["setMetricWeights", () => x.setMetricWeights([10_000])],
          ["setRegistrationPricing", () => x.setRegistrationPricing(NO_FEE)],
          ["setKeeperTip", () => x.setKeeperTip(0)],
          ["pause", () => x.pause()],
          ["unpause", () => x.unpause()],
          ["setMetadataURI", () => x.connect(c.owner).setMetadataURI("x")],
          ["transferOwnership", () => x.connect(c.owner).transferOwnership(c.stranger.address)],
        ];
        for (const [name, call] of calls) {
          await expect(call(), name).to.be.revertedWithCustomError(c.subnet, "NotDelegated");
        }
        // The subnet's own state is untouched, and the same calls through the subnet work.
        expect(await c.subnet.paused()).to.equal(false);
        await expect(c.subnet.connect(c.admin).pause()).to.emit(c.subnet, "Paused");
        return c;
      },
    );
  });

  describe("registration fee (demand price, burned) and keeper tip", () => {
    const TTD_TENTH = E / 10n;
    const YEAR = 365n * DAY;
    /** Target 1 registration a year, so that n registrations move the price by (n + 1) / 2. */
    const PRICING = { minFee: TTD_TENTH, maxFee: 100n * E, interval: YEAR, target: 1, evictionFloorBps: 0 };
    const PRICING_OUT = [TTD_TENTH, 100n * E, YEAR, 1n, 0n];

    flow(
      "each registration burns the interval's price; each interval moves it by (n + target) / (2 target), and each idle one halves it, down to minFee",
      async () => {
        const c = await loadFixture(ready);
        // Round 2 opened a day after deployment: the NO_FEE interval that saw the fixture's registrations
        // is over, so the new pricing starts from 0 registrations; its one-year interval holds all below.
        await expect(c.subnet.connect(c.admin).setRegistrationPricing(PRICING))
          .to.emit(c.subnet, "RegistrationPricingSet")
          .withArgs(PRICING_OUT);
        expect(await c.subnet.registrationPricing()).to.deep.equal(PRICING_OUT);
        expect(await c.subnet.registrationFee(), "raised to minFee").to.equal(TTD_TENTH);

        const x = c.contributors[3];
        const supply = await c.token.totalSupply();
        for (let i = 0; i < 7; i++) {
          const tx = c.subnet.connect(x).register(`x${i}`);
          await expect(tx).to.emit(c.subnet, "RegistrationFeeBurned").withArgs(x.address, TTD_TENTH);
          await expect(tx).to.changeTokenBalances(c.token, [x, c.subnet], [-(BOND + TTD_TENTH), BOND]);
          if (i < 6) await c.subnet.connect(x).deregister();
        }
        expect(await c.token.totalSupply(), "7 fees burned").to.equal(supply - 7n * TTD_TENTH);
        expect(await c.subnet.registrationFee(), "the interval's price stands").to.equal(TTD_TENTH);

        await time.increase(YEAR);
        expect(await c.subnet.registrationFee(), "(7 + 1) / 2 = 4x").to.equal(4n * TTD_TENTH);
        await time.increase(YEAR);
        expect(await c.subnet.registrationFee(), "an idle interval halves it").to.equal(2n * TTD_TENTH);
        await time.increase(YEAR);
        expect(await c.subnet.registrationFee()).to.equal(TTD_TENTH);
        await time.increase(YEAR);
        expect(await c.subnet.registrationFee(), "never under minFee").to.equal(TTD_TENTH);
        return c;
      },
    );

    flow(
      "the price is capped at maxFee; after 96 idle intervals or more it is minFee (O(1) in time elapsed)",
      async () => {
        const c = await loadFixture(ready);
        const capped = { ...PRICING, maxFee: 3n * TTD_TENTH };
        await c.subnet.connect(c.admin).setRegistrationPricing(capped);
        const x = c.contributors[3];
        for (let i = 0; i < 7; i++) {
          await c.subnet.connect(x).register(`x${i}`);
          if (i < 6) await c.subnet.connect(x).deregister();
        }
        await time.increase(YEAR);
        expect(await c.subnet.registrationFee(), "4x, capped").to.equal(3n * TTD_TENTH);
        await time.increase(100n * YEAR);
        expect(
          await c.subnet.registrationFee(),
          "101 intervals: halved to nothing, raised to minFee",
        ).to.equal(TTD_TENTH);
        // A lower maxFee clamps the standing price at once.
        await c.subnet
          .connect(c.admin)
          .setRegistrationPricing({ ...capped, minFee: 0n, maxFee: TTD_TENTH / 2n });
        expect(await c.subnet.registrationFee()).to.equal(TTD_TENTH / 2n);
        return c;
      },
    );

    flow(
      "setRegistrationPricing reverts InvalidPricing for each field out of bounds; the bounds themselves pass",
      async () => {
        const c = await loadFixture(ready);
        const bad: [string, typeof PRICING][] = [
          ["minFee > maxFee", { ...PRICING, minFee: PRICING.maxFee + 1n }],
          ["zero interval", { ...PRICING, interval: 0n }],
          ["interval over a year", { ...PRICING, interval: YEAR + 1n }],
          ["zero target", { ...PRICING, target: 0 }],
          ["eviction floor over 100x", { ...PRICING, evictionFloorBps: 1_000_001 }],
        ];
        for (const [name, pricing] of bad) {
          await expect(
            c.subnet.connect(c.admin).setRegistrationPricing(pricing),
            name,
          ).to.be.revertedWithCustomError(c.subnet, "InvalidPricing");
        }
        const edge = { minFee: E, maxFee: E, interval: YEAR, target: 65_535, evictionFloorBps: 1_000_000 };
        await expect(c.subnet.connect(c.admin).setRegistrationPricing(edge)).to.emit(
          c.subnet,
          "RegistrationPricingSet",
        );
        expect(await c.subnet.registrationFee()).to.equal(E);
        await expect(c.subnet.connect(c.stranger).setRegistrationPricing(edge))
          .to.be.revertedWithCustomError(c.subnet, "AccessManagedUnauthorized")
          .withArgs(c.stranger.address);
        return c;
      },
    );

    flow(
      "setKeeperTip: at most MAX_KEEPER_TIP_BPS (1%), InvalidKeeperTip(bps) above, KeeperTipSet",
      async () => {
        const c = await loadFixture(ready);
        expect(await c.subnet.MAX_KEEPER_TIP_BPS()).to.equal(100n);
        await expect(c.subnet.connect(c.admin).setKeeperTip(101))
          .to.be.revertedWithCustomError(c.subnet, "InvalidKeeperTip")
          .withArgs(101n);
        await expect(c.subnet.connect(c.admin).setKeeperTip(100))
          .to.emit(c.subnet, "KeeperTipSet")
          .withArgs(100n);
        expect(await c.subnet.keeperTipBps()).to.equal(100n);
        await expect(c.subnet.connect(c.stranger).setKeeperTip(0))
          .to.be.revertedWithCustomError(c.subnet, "AccessManagedUnauthorized")
          .withArgs(c.stranger.address);
        return c;
      },
    );
  });

  describe("views", () => {
    flow(
      "contributorAt, contributorSlot, validatorAt, validatorSlot, unbonding, consensusScore, claimable",
      async () => {
        const c = await loadFixture(ready);
        const free = await c.subnet.contributorAt(5);
        expect(free.account).to.equal(ZeroAddress);
        expect(free.bond).to.equal(0n);
        expect(await c.subnet.contributorAt(255)).to.deep.equal([ZeroAddress, 0n, 0n, 0n]);
        await expect(c.subnet.contributorAt(256)).to.be.reverted;
        await expect(c.subnet.contributorSlot(c.stranger.address))
          .to.be.revertedWithCustomError(c.subnet, "NotRegistered")
          .withArgs(c.stranger.address);
        expect(await c.subnet.contributorSlot(c.contributors[2].address)).to.equal(2n);
        const v = await c.subnet.validatorAt(2);
        expect(v.account).to.equal(c.validators[2].address);
        expect(v.stake).to.equal(3n * MIN);
        expect(v.commitRound).to.equal(0n);
        expect(v.revealRound).to.equal(0n);
        expect(v.rows).to.equal(0n);
        expect(v.strikes).to.equal(0n);
        expect(await c.subnet.validatorAt(63)).to.deep.equal([ZeroAddress, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
        await expect(c.subnet.validatorAt(64)).to.be.reverted;
        await expect(c.subnet.validatorSlot(c.stranger.address))
          .to.be.revertedWithCustomError(c.subnet, "NotValidator")
          .withArgs(c.stranger.address);
        expect(await c.subnet.validatorSlot(c.validators[1].address)).to.equal(1n);
        expect(await c.subnet.unbonding(c.stranger.address)).to.deep.equal([0n, 0n]);
        expect(await c.subnet.consensusScore(0)).to.equal(0n);
        expect(await c.subnet.consensusScore(255)).to.equal(0n);
        expect(await c.subnet.claimable(c.stranger.address)).to.equal(0n);
        expect(await c.subnet.finalization()).to.deep.equal([0n, 0n]);
        return c;
      },
    );
  });
});
