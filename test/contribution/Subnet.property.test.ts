/**
 * Property tests of contracts/contribution/Subnet.sol (fast-check) on standalone subnets
 * (scripts/lib/deploy/subnet-fixture.ts), each run on a fresh chain snapshot.
 *
 *  (a) Random subnets (2-12 contributors, some joining a round late, leaving and coming back; 1-8
 *      validators with random stakes; 1-4 metrics with random valid weights; random kappa, shares,
 *      agreement threshold and strikes) play three rounds of random sheets (truth, noisy, random,
 *      zero, short or long), random commit-without-reveal, random emission and random page sizes. Each round: the pool is the carried emission
 *      plus what was minted into the bucket; every account's claimable increase, every event, the
 *      consensus scores, the strikes and the expulsions equal the bigint reference
 *      (scripts/lib/models/poc-reference.ts); the sum of the claimable increases equals
 *      `RoundFinalized.paid` (and the reference's paid), pool - paid stays in `pendingEmission`
 *      (carried), and the subnet stays solvent.
 *  (b) Honest validators (one truth sheet, optionally each with its own noise) hold more than half of
 *      the stake and colluders report arbitrary sheets: at kappa = 50% every contributor's
 *      `consensusScore` lies between the lowest and the highest honest folded score.
 *  (c) In (b) without noise, an honest validator's dividend is never lower than a colluder's of equal
 *      stake.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { fundedAccounts } from "../../scripts/lib/chain/accounts";
import { MAX_METRIC_VALUE, fold } from "../../scripts/lib/models/consensus";
import { DEFAULT_SUBNET_PARAMS, SubnetParams } from "../../scripts/lib/chain/poc";
import { finalizeRound } from "../../scripts/lib/models/poc-reference";
import { Rng } from "../../scripts/lib/chain/random";
import { deployStandaloneSubnet, StandaloneSubnet } from "../../scripts/lib/deploy/subnet-fixture";
import {
  ClaimBook,
  SheetPlan,
  commitAndReveal,
  expectOutcome,
  expectSolvent,
  finalizeInPages,
  toPhase,
} from "../utils/subnet-rounds";
import { runs } from "../utils/coverage";

const TTD = 10n ** 18n;
const MAX_N = 12; // contributors
const MAX_V = 8; // validators
const MAX_ROWS = MAX_N + 2; // sheets may run past the last contributor
const MAX_M = 4; // metrics
const ROUNDS = 3;
/**
 * A passing property takes ~10-20 s; a failing one could shrink for many minutes (each run deploys a
 * subnet). Past this budget fast-check stops and reports the smallest counterexample found so far.
 */
const SHRINK_BUDGET_MS = 120_000;

/*//////////////////////////////////////////////////////////////
                            ARBITRARIES
//////////////////////////////////////////////////////////////*/

/**
 * Cell values come from a seeded generator (fast-check draws the seeds): counterexamples stay short
 * and shrinking works on the structure (sizes, styles, stakes, pages). Values: 4 in 5 uniform, else
 * one of 0, 1, 32,768, 65,535 (ties and extremes).
 */
function matrix(seed: number, cell: (rng: Rng) => number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: MAX_ROWS }, () => Array.from({ length: MAX_M }, () => cell(rng)));
}
const value = (rng: Rng): number =>
  rng.next() < 0.8 ? rng.int(0, MAX_METRIC_VALUE) : [0, 1, 32_768, MAX_METRIC_VALUE][rng.int(0, 3)];
const noise =
  (amplitude: number) =>
  (rng: Rng): number =>
    rng.int(-amplitude, amplitude);
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** 1-4 metric weights summing to 10,000 (zeros allowed). */
const weightsArb = fc
  .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: MAX_M })
  .map((parts) => {
    const sum = parts.reduce((a, b) => a + b, 0) || 1;
    const weights = parts.map((p) => Math.floor((p * 10_000) / sum));
    weights[0] += 10_000 - weights.reduce((a, b) => a + b, 0);
    return weights;
  });

const paramsArb: fc.Arbitrary<SubnetParams> = fc
  .record({
    kappa: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constant(5_000)),
    contributorShare: fc.integer({ min: 0, max: 10_000 }),
    validatorShare: fc.integer({ min: 0, max: 10_000 }),
    // 10,000: only an exact match (agreement 10,000) escapes a strike; 0: nobody takes one
    agreementThreshold: fc.oneof(
      fc.integer({ min: 0, max: 10_000 }),
      fc.constantFrom(0, 9_000, 9_900, 10_000),
    ),
    maxStrikes: fc.integer({ min: 1, max: 3 }),
  })
  .map((p) => ({
    ...DEFAULT_SUBNET_PARAMS,
    ...p,
    validatorShare: Math.min(p.validatorShare, 10_000 - p.contributorShare),
  }));

const stakeArb = fc.bigInt({ min: DEFAULT_SUBNET_PARAMS.minValidatorStake, max: 3000n * TTD });

type Style = "truth" | "noisy" | "random" | "zero";
interface Move {
  action: "reveal" | "silent" | "skip";
  style: Style;
  rows: number; // rows of a noisy, random or zero sheet (0 to MAX_ROWS)
  seed: number;
}
const moveArb: fc.Arbitrary<Move> = fc.record({
  action: fc.oneof(
    { arbitrary: fc.constant<Move["action"]>("reveal"), weight: 5 },
    { arbitrary: fc.constantFrom<Move["action"][]>("silent", "skip"), weight: 1 },
  ),
  style: fc.constantFrom<Style[]>("truth", "noisy", "noisy", "random", "zero"),
  rows: fc.integer({ min: 0, max: MAX_ROWS }),
  seed: seedArb,
});

interface RoundPlan {
  emission: bigint;
  maxSteps: number;
  truthSeed: number;
  moves: Move[]; // by validator slot
  /** A contributor (index) that leaves at the round's start if registered, else (re)joins. */
  churn: number | null;
}
const roundArb: fc.Arbitrary<RoundPlan> = fc.record({
  emission: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 100_000n * TTD })),
  maxSteps: fc.integer({ min: 1, max: MAX_N + 1 }),
  truthSeed: seedArb,
  moves: fc.array(moveArb, { minLength: MAX_V, maxLength: MAX_V }),
  churn: fc.option(fc.integer({ min: 0, max: MAX_N - 1 }), { freq: 2 }),
});

interface Scenario {
  params: SubnetParams;
  weights: number[];
  joins: number[]; // per contributor: the round it registers in (1 or 2)
  stakes: bigint[];
  rounds: RoundPlan[];
}
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  params: paramsArb,
  weights: weightsArb,
  joins: fc.array(fc.constantFrom(1, 1, 1, 2), { minLength: 2, maxLength: MAX_N }),
  stakes: fc.array(stakeArb, { minLength: 1, maxLength: MAX_V }),
  rounds: fc.array(roundArb, { minLength: ROUNDS, maxLength: ROUNDS }),
});

const clamp = (x: number): number => Math.min(MAX_METRIC_VALUE, Math.max(0, x));
const cut = (rows: number[][], count: number, metrics: number): number[][] =>
  rows.slice(0, count).map((r) => r.slice(0, metrics));

/** A validator's sheet for the round (`metrics` values a row). */
function sheetOf(move: Move, truth: number[][], n: number, metrics: number): number[][] {
  switch (move.style) {
    case "truth":
      return cut(truth, n, metrics);
    case "noisy": {
      const e = matrix(move.seed, noise(3000));
      return cut(
        truth.map((row, j) => row.map((x, m) => clamp(x + e[j][m]))),
        move.rows,
        metrics,
      );
    }
    case "random":
      return cut(matrix(move.seed, value), move.rows, metrics);
    case "zero":
      return cut(
        matrix(0, () => 0),
        move.rows,
        metrics,
      );
  }
}

/*//////////////////////////////////////////////////////////////
                               TESTS
//////////////////////////////////////////////////////////////*/

describe("Subnet (properties)", function () {
  this.timeout(300_000);
  let deployer: HardhatEthersSigner;
  let contributors: HardhatEthersSigner[];
  let validators: HardhatEthersSigner[];

  before(async () => {
    [deployer] = await ethers.getSigners();
    contributors = await fundedAccounts("poc-property/contributor", MAX_N);
    validators = await fundedAccounts("poc-property/validator", MAX_V);
  });

  /** A standalone subnet with `n` contributors and validators holding `stakes` funded and approved. */
  async function setUp(
    params: SubnetParams,
    weights: number[],
    n: number,
    stakes: readonly bigint[],
  ): Promise<StandaloneSubnet> {
    const system = await deployStandaloneSubnet(deployer, params, weights);
    const address = await system.subnet.getAddress();
    for (const a of [...contributors.slice(0, n), ...validators.slice(0, stakes.length)]) {
      await (await system.token.mint(a.address, 10_000n * TTD)).wait();
      await (await system.token.connect(a).approve(address, ethers.MaxUint256)).wait();
    }
    return system;
  }

  /** Plays a scenario, holding every round to the reference. */
  async function play(s: Scenario): Promise<void> {
    const { params, weights } = s;
    const n = s.joins.length;
    const { token, bucket, subnet } = await setUp(params, weights, n, s.stakes);
    const subnetAddress = await subnet.getAddress();
    const everyone = [deployer, ...contributors.slice(0, n), ...validators.slice(0, s.stakes.length)].map(
      (a) => a.address,
    );
    const book = new ClaimBook();
    const joined = new Map<number, { account: string; round: bigint }>(); // by contributor slot
    const permits = new Map<number, { signer: HardhatEthersSigner; stake: bigint; strikes: number }>();
    let pending = 0n;

    for (const [r, plan] of s.rounds.entries()) {
      const round = await subnet.round();
      expect(round).to.equal(BigInt(r + 1));
      const join = async (i: number): Promise<void> => {
        await (await subnet.connect(contributors[i]).register(`c${i}`)).wait();
        const slot = Number(await subnet.contributorSlot(contributors[i].address));
        expect(joined.has(slot), "a free slot").to.equal(false);
        joined.set(slot, { account: contributors[i].address, round });
      };
      for (const [i, at] of s.joins.entries()) if (at === r + 1) await join(i);
      if (plan.churn !== null && plan.churn < n) {
        // Leaving pays back the bond and everything credited; a slot freed is reused lowest first.
        const who = contributors[plan.churn];
        const slot = [...joined].find(([, c]) => c.account === who.address)?.[0];
        if (slot !== undefined) {
          const balance = await token.balanceOf(who.address);
          await (await subnet.connect(who).deregister()).wait();
          expect((await token.balanceOf(who.address)) - balance).to.equal(params.bond + book.of(who.address));
          book.clear(who.address);
          joined.delete(slot);
        } else if (s.joins[plan.churn] <= r + 1) {
          await join(plan.churn);
        }
      }
      if (r === 0) {
        for (const [i, stake] of s.stakes.entries()) {
          await (await subnet.connect(validators[i]).stake(stake)).wait();
          const slot = Number(await subnet.validatorSlot(validators[i].address));
          permits.set(slot, { signer: validators[i], stake, strikes: 0 });
        }
      }
      const plans: (SheetPlan & { slot: number })[] = [];
      for (const [slot, p] of permits) {
        const move = plan.moves[slot];
        if (move.action === "skip") continue;
        plans.push({
          slot,
          validator: p.signer,
          rows: sheetOf(move, matrix(plan.truthSeed, value), n, weights.length),
          reveal: move.action === "reveal",
        });
      }
      await commitAndReveal(subnet, plans, weights.length);
      if (plan.emission > 0n) await (await token.mint(await bucket.getAddress(), plan.emission)).wait();
      await toPhase(subnet, "closed");

      const pool = pending + plan.emission;
      const outcome = finalizeRound({
        pool,
        params,
        weights,
        owner: deployer.address,
        contributors: [...joined]
          .filter(([, c]) => c.round < round)
          .map(([slot, c]) => ({ slot, account: c.account })),
        revealed: plans
          .filter((p) => p.reveal)
          .map((p) => {
            const { stake, strikes } = permits.get(p.slot)!;
            return { slot: p.slot, account: p.validator.address, stake, rows: p.rows, strikes };
          }),
        unrevealed: plans
          .filter((p) => !p.reveal)
          .map((p) => ({ slot: p.slot, account: p.validator.address })),
      });
      const before = await Promise.all(everyone.map((a) => subnet.claimable(a)));
      const record = await finalizeInPages(subnet, plan.maxSteps);
      const after = await Promise.all(everyone.map((a) => subnet.claimable(a)));
      const credited = after.reduce((acc, x, i) => acc + x - before[i], 0n);

      await expectOutcome(subnet, record, outcome, pool, plans.filter((p) => p.reveal).length);
      book.credit(outcome);
      await book.expectMatches(subnet, everyone, `round ${round}`);
      expect(credited, `round ${round}: tokens credited = RoundFinalized.paid`).to.equal(
        record.finalized.paid,
      );
      expect(credited, `round ${round}: tokens credited = reference`).to.equal(outcome.paid);
      pending = pool - credited;
      expect(await subnet.pendingEmission(), `round ${round}: carried`).to.equal(pending);
      expect(pending).to.equal(outcome.carried);
      await expectSolvent(subnet, await token.balanceOf(subnetAddress), true);

      for (const v of outcome.validators) permits.get(v.slot)!.strikes = v.strikes;
      for (const x of outcome.expelled) permits.delete(x.slot);
      expect(await subnet.validatorCount()).to.equal(BigInt(permits.size));
    }
  }

  /** Runs `body` on a fresh snapshot of the chain, restored afterwards. */
  async function isolated<T>(body: () => Promise<T>): Promise<T> {
    const snapshot = await takeSnapshot();
    try {
      return await body();
    } finally {
      await snapshot.restore();
    }
  }

  it("(a) credits every round exactly as the reference; pool - paid is carried", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, (s) => isolated(() => play(s))),
      { numRuns: runs(50), interruptAfterTimeLimit: SHRINK_BUDGET_MS },
    );
  });

  it("(b, c) a coalition under half the stake cannot move consensus out of the honest range nor out-earn", async () => {
    const colluderSheet = fc.record({
      rows: fc.integer({ min: 0, max: MAX_ROWS }),
      seed: seedArb,
      inflate: fc.integer({ min: -1, max: MAX_N - 1 }), // a friend's row at the maximum (-1: none)
    });
    const arb = fc
      .record({
        weights: weightsArb,
        n: fc.integer({ min: 2, max: MAX_N }),
        shared: stakeArb, // one honest validator and one colluder hold exactly this
        honestExtra: fc.array(stakeArb, { minLength: 1, maxLength: MAX_V - 2 }),
        colluderExtra: fc.array(stakeArb, { maxLength: MAX_V - 3 }),
        truthSeed: seedArb,
        noiseSeed: fc.option(seedArb), // null: every honest validator reports the truth exactly
        colluders: fc.array(colluderSheet, { minLength: MAX_V, maxLength: MAX_V }),
        emission: fc.bigInt({ min: 1n, max: 100_000n * TTD }),
        maxSteps: fc.integer({ min: 1, max: MAX_N + 1 }),
      })
      .map((x) => ({ ...x, colluderExtra: x.colluderExtra.slice(0, MAX_V - 2 - x.honestExtra.length) }))
      .filter((x) => x.honestExtra.reduce((a, b) => a + b, 0n) > x.colluderExtra.reduce((a, b) => a + b, 0n));

    await fc.assert(
      fc.asyncProperty(arb, (x) =>
        isolated(async () => {
          const metrics = x.weights.length;
          const honestStakes = [x.shared, ...x.honestExtra];
          const colluderStakes = [x.shared, ...x.colluderExtra];
          const stakes = [...honestStakes, ...colluderStakes]; // validator i holds stakes[i]
          const { token, bucket, subnet } = await setUp(DEFAULT_SUBNET_PARAMS, x.weights, x.n, stakes);
          for (const c of contributors.slice(0, x.n)) await (await subnet.connect(c).register("c")).wait();
          for (const [i, stake] of stakes.entries())
            await (await subnet.connect(validators[i]).stake(stake)).wait();
          await toPhase(subnet, "closed");
          await finalizeInPages(subnet, x.maxSteps); // nobody revealed; everyone eligible from round 2

          const truth = cut(matrix(x.truthSeed, value), x.n, metrics);
          const sheets = stakes.map((_, i): number[][] => {
            if (i < honestStakes.length) {
              if (x.noiseSeed === null) return truth;
              const e = matrix(x.noiseSeed + i, noise(2000));
              return truth.map((row, j) => row.map((v, m) => clamp(v + e[j][m])));
            }
            const c = x.colluders[i];
            return matrix(c.seed, value)
              .slice(0, c.rows)
              .map((row, j) => row.slice(0, metrics).map((v) => (j === c.inflate ? MAX_METRIC_VALUE : v)));
          });
          await commitAndReveal(
            subnet,
            sheets.map((rows, i) => ({ validator: validators[i], rows, reveal: true })),
            metrics,
          );
          await (await token.mint(await bucket.getAddress(), x.emission)).wait();
          await toPhase(subnet, "closed");
          const record = await finalizeInPages(subnet, x.maxSteps);

          // (b) every consensus score is within the honest validators' folded scores.
          for (let j = 0; j < x.n; j++) {
            const honest = sheets.slice(0, honestStakes.length).map((rows) => fold(rows[j], x.weights));
            const lo = honest.reduce((a, b) => (a < b ? a : b));
            const hi = honest.reduce((a, b) => (a > b ? a : b));
            const score = await subnet.consensusScore(j);
            expect(score, `contributor ${j}: consensus <= highest honest`).to.be.lte(hi);
            expect(score, `contributor ${j}: consensus >= lowest honest`).to.be.gte(lo);
          }
          // The reference agrees on the consensus and on every dividend.
          const outcome = finalizeRound({
            pool: x.emission,
            params: DEFAULT_SUBNET_PARAMS,
            weights: x.weights,
            owner: deployer.address,
            contributors: contributors.slice(0, x.n).map((c, slot) => ({ slot, account: c.address })),
            revealed: stakes.map((stake, i) => ({
              slot: i,
              account: validators[i].address,
              stake,
              rows: sheets[i],
              strikes: 0,
            })),
            unrevealed: [],
          });
          await expectOutcome(subnet, record, outcome, x.emission, stakes.length);

          // (c) the honest validator earns at least as much as the colluder of the same stake.
          if (x.noiseSeed === null) {
            const honest = await subnet.claimable(validators[0].address);
            const colluder = await subnet.claimable(validators[honestStakes.length].address);
            expect(honest, "honest dividend >= colluder dividend (equal stakes)").to.be.gte(colluder);
            expect(record.dividends[0].agreement, "the honest sheet is the consensus").to.equal(10_000n);
          }
        }),
      ),
      { numRuns: runs(50), interruptAfterTimeLimit: SHRINK_BUDGET_MS },
    );
  });
});
