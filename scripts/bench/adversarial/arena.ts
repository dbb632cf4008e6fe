/**
 * The arena of the consensus-attack bench (`npm run bench:adversarial`, scenarios in ./scenarios.ts,
 * asserted by test/security/Consensus.attacks.test.ts): one standalone subnet on the in-process Hardhat
 * network, honest and sybil contributors whose true quality the arena knows (and drifts, seeded), and
 * validators that each follow a strategy. A round is driven commit -> reveal -> close -> paged
 * finalization with a fixed emission minted to the subnet (it books any unaccounted balance as
 * emission), and the finalization's events (ConsensusScore, ValidatorDividend, ValidatorExpelled,
 * RoundFinalized) are read back into a RoundRecord: the sybils' share of the contributor rewards next
 * to their true share, each validator's agreement and dividend, the expulsions.
 *
 * Sheets: 4 metrics (the default weights); a validator that means "score x" writes x on every metric,
 * so the folded score is x * 10,000 and `consensusScore(slot) / 10,000` is the consensus in sheet units.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { solidityPackedKeccak256 } from "ethers";
import { Subnet, MockStakeToken } from "../../../typechain-types";
import { fundedAccounts } from "../../lib/chain/accounts";
import {
  DEFAULT_METRIC_WEIGHTS,
  DEFAULT_SUBNET_PARAMS,
  SubnetParams,
  commitment,
  encodeSheet,
} from "../../lib/chain/poc";
import { Rng } from "../../lib/chain/random";
import { finalizeRound, toPhase } from "../../lib/chain/rounds";
import { deployStandaloneSubnet } from "../../lib/deploy/subnet-fixture";

export const METRICS = DEFAULT_METRIC_WEIGHTS.length;
export const MAX_SCORE = 65_535;
/** Fold of a row whose every metric is x: x * FOLD (the weights sum to 10,000). */
export const FOLD = 10_000;
export const TTD = 10n ** 18n;
/** Emission of one round (minted to the subnet before it is finalized). */
export const ROUND_EMISSION = 1_000n * TTD;
/** True quality of honest contributors: uniform in this range at the start, clamped to it by drift. */
export const QUALITY_RANGE: readonly [number, number] = [2_000, 20_000];
const DRIFT_CLAMP: readonly [number, number] = [200, 20_000];

/** What a strategy sees when it writes its sheet (everything public, plus the arena's truth). */
export interface RoundView {
  /** 1-based round of the run (round 1 of the run is the subnet's round 2: round 1 registers). */
  readonly index: number;
  /** True quality per contributor slot this round. */
  readonly truth: readonly number[];
  readonly sybil: readonly boolean[];
  /** The consensus published by the last finalization, in sheet units (`consensusScore / 10,000`). */
  readonly prevConsensus: readonly number[];
  /** Each validator's last revealed sheet (by name), from the arena's record of the reveals. */
  readonly prevSheets: ReadonlyMap<string, readonly number[]>;
  /** Validators (by name) that committed earlier in this round's commit phase (commits are public). */
  readonly committed: ReadonlySet<string>;
  /** Stake (TTD) of a validator still holding its permit, 0 otherwise. */
  stakeOf(name: string): number;
  /** Per-round randomness (noise), seeded. */
  readonly rng: Rng;
}

/** A sheet (one score per contributor slot, in sheet units, any real: rounded and clamped), or null: skip. */
export type Strategy = (view: RoundView) => number[] | null;

export interface ValidatorSpec {
  name: string;
  /** Group for the metrics ("honest", "coalition", "copier", ...). */
  group: string;
  /** Stake in TTD. */
  stake: number;
  strategy: Strategy;
}

export interface ArenaConfig {
  label: string;
  seed: number;
  honestContributors: number;
  sybils: number;
  /** Sybils' share of the total true quality at the start. */
  sybilShare: number;
  /** Multiplicative drift of every true quality per round: uniform in [1 - drift, 1 + drift]. */
  drift: number;
  /** In commit order: a strategy sees who committed before it. */
  validators: ValidatorSpec[];
  /** Settings changed from DEFAULT_SUBNET_PARAMS. */
  params?: Partial<SubnetParams>;
}

export interface RoundRecord {
  index: number;
  chainRound: number;
  pool: bigint;
  /** Sybils' share of the contributor rewards, percent (null when no contributor was paid). */
  sybilRewardPct: number | null;
  sybilTruePct: number;
  /** sybilRewardPct - sybilTruePct, percentage points (0 when nothing was paid). */
  excessPp: number;
  contributorPaid: bigint;
  dividends: Map<string, { agreementBps: number; reward: bigint }>;
  expelled: { name: string; reason: number }[];
  revealed: string[];
  /** Published consensus after this round, sheet units. */
  consensus: number[];
  /** RoundAgreement: the stake-weighted median agreement and the lagged consensus's (bps), if computed. */
  medianBps: number | null;
  laggedBps: number | null;
}

interface Seat {
  spec: ValidatorSpec;
  signer: HardhatEthersSigner;
  active: boolean;
}

export class Arena {
  readonly rounds: RoundRecord[] = [];
  private truth: number[];
  private prevConsensus: number[];
  private readonly prevSheets = new Map<string, number[]>();
  private readonly byAddress = new Map<string, Seat>();

  private constructor(
    readonly config: ArenaConfig,
    readonly subnet: Subnet,
    readonly token: MockStakeToken,
    private readonly seats: Seat[],
    readonly sybil: boolean[],
    private readonly slotOf: Map<string, number>,
    private readonly rng: Rng,
  ) {
    const honest = Array.from({ length: config.honestContributors }, () =>
      uniform(rng, QUALITY_RANGE[0], QUALITY_RANGE[1]),
    );
    const honestSum = honest.reduce((a, b) => a + b, 0);
    const sybilEach =
      config.sybils === 0 ? 0 : (honestSum * config.sybilShare) / (1 - config.sybilShare) / config.sybils;
    this.truth = [...honest, ...Array.from({ length: config.sybils }, () => sybilEach)];
    this.prevConsensus = this.truth.map(() => 0);
    for (const s of seats) this.byAddress.set(s.signer.address.toLowerCase(), s);
  }

  /** Deploys the subnet, registers the contributors (honest slots first, then sybils) and stakes. */
  static async open(config: ArenaConfig): Promise<Arena> {
    const [deployer] = await ethers.getSigners();
    const { subnet, token } = await deployStandaloneSubnet(deployer, {
      ...DEFAULT_SUBNET_PARAMS,
      ...config.params,
    });
    const address = await subnet.getAddress();
    const n = config.honestContributors + config.sybils;
    const contributors = await fundedAccounts("adversarial/contributor", n);
    const validators = await fundedAccounts("adversarial/validator", config.validators.length);
    const bond = DEFAULT_SUBNET_PARAMS.bond;
    for (const [j, c] of contributors.entries()) {
      // The bond and the registration fee (burned; priced by demand).
      const cost = bond + (await subnet.registrationFee());
      await (await token.mint(c.address, cost)).wait();
      await (await token.connect(c).approve(address, cost)).wait();
      await (await subnet.connect(c).register(`adversarial://${config.label}/${j}`)).wait();
    }
    const seats: Seat[] = [];
    for (const [i, spec] of config.validators.entries()) {
      const signer = validators[i];
      const amount = BigInt(Math.round(spec.stake * 1e6)) * 10n ** 12n;
      await (await token.mint(signer.address, amount)).wait();
      await (await token.connect(signer).approve(address, amount)).wait();
      await (await subnet.connect(signer).stake(amount)).wait();
      seats.push({ spec, signer, active: true });
    }
    // Round 1 only registers: contributors score from the next round on. Nobody commits; it closes empty.
    await toPhase(subnet, "closed");
    await finalizeRound(subnet);
    const sybil = Array.from({ length: n }, (_, j) => j >= config.honestContributors);
    const slotOf = new Map<string, number>();
    for (const [j, c] of contributors.entries()) {
      const slot = Number(await subnet.contributorSlot(c.address));
      if (slot !== j) throw new Error(`contributor ${j} took slot ${slot}`); // truth is indexed by slot
      slotOf.set(c.address.toLowerCase(), slot);
    }
    return new Arena(config, subnet, token, seats, sybil, slotOf, new Rng(config.seed));
  }

  /** Total stake (TTD) of the validators holding a permit, optionally only of `group`. */
  stakeOfGroup(group?: string): number {
    return this.seats
      .filter((s) => s.active && (group === undefined || s.spec.group === group))
      .reduce((a, s) => a + s.spec.stake, 0);
  }

  /** Names of the validators of `group`. */
  members(group: string): string[] {
    return this.seats.filter((s) => s.spec.group === group).map((s) => s.spec.name);
  }

  stake(name: string): number {
    return this.seat(name).spec.stake;
  }

  /**
   * Plays one round: drift (from the run's second round on), commits in order, reveals, mints
   * `emission`, closes, waits `finalizeDelay` seconds more, finalizes; returns the round's record.
   */
  async play(options: { emission?: bigint; finalizeDelay?: number } = {}): Promise<RoundRecord> {
    const index = this.rounds.length + 1;
    if (index > 1 && this.config.drift > 0) {
      const d = this.config.drift;
      this.truth = this.truth.map((t) => clamp(t * uniform(this.rng, 1 - d, 1 + d), DRIFT_CLAMP));
    }
    const subnet = this.subnet;
    const address = await subnet.getAddress();
    const chainRound = await subnet.round();
    const committed = new Set<string>();
    const view: RoundView = {
      index,
      truth: this.truth,
      sybil: this.sybil,
      prevConsensus: this.prevConsensus,
      prevSheets: this.prevSheets,
      committed,
      stakeOf: (name) => {
        const s = this.seat(name);
        return s.active ? s.spec.stake : 0;
      },
      rng: this.rng,
    };
    const opened: { seat: Seat; rows: number[]; sheet: string; salt: string }[] = [];
    for (const seat of this.seats) {
      if (!seat.active) continue;
      const wanted = seat.spec.strategy(view);
      if (wanted === null) continue;
      if (wanted.length !== this.truth.length) throw new Error(`${seat.spec.name}: ${wanted.length} rows`);
      const rows = wanted.map((x) => Math.min(MAX_SCORE, Math.max(0, Math.round(x))));
      const sheet = encodeSheet(
        rows.map((x) => Array<number>(METRICS).fill(x)),
        METRICS,
      );
      const salt = solidityPackedKeccak256(
        ["string", "uint256"],
        [`${this.config.label}/${seat.spec.name}`, chainRound],
      );
      const c = commitment(address, chainRound, seat.signer.address, salt, sheet);
      await (await subnet.connect(seat.signer).commit(c)).wait();
      committed.add(seat.spec.name);
      opened.push({ seat, rows, sheet, salt });
    }
    await toPhase(subnet, "reveal");
    for (const o of opened) await (await subnet.connect(o.seat.signer).reveal(o.sheet, o.salt)).wait();
    await (await this.token.mint(address, options.emission ?? ROUND_EMISSION)).wait();
    await toPhase(subnet, "closed");
    if (options.finalizeDelay) await time.increase(options.finalizeDelay);

    const txs = await finalizeRound(subnet);
    const blocks: number[] = [];
    for (const tx of txs) {
      const receipt = await tx.wait();
      if (receipt) blocks.push(receipt.blockNumber);
    }
    const from = Math.min(...blocks);
    const to = Math.max(...blocks);
    const [finalized, agreement, scores, dividends, expelled] = await Promise.all([
      subnet.queryFilter(subnet.filters.RoundFinalized, from, to),
      subnet.queryFilter(subnet.filters.RoundAgreement, from, to),
      subnet.queryFilter(subnet.filters.ConsensusScore, from, to),
      subnet.queryFilter(subnet.filters.ValidatorDividend, from, to),
      subnet.queryFilter(subnet.filters.ValidatorExpelled, from, to),
    ]);

    let paid = 0n;
    let sybilPaid = 0n;
    for (const e of scores) {
      paid += e.args.reward;
      const slot = this.slotOf.get(e.args.contributor.toLowerCase());
      if (slot === undefined) throw new Error(`unknown contributor ${e.args.contributor}`);
      if (this.sybil[slot]) sybilPaid += e.args.reward;
    }
    const trueTotal = this.truth.reduce((a, b) => a + b, 0);
    const sybilTrue = this.truth.reduce((a, t, j) => a + (this.sybil[j] ? t : 0), 0);
    const sybilTruePct = (100 * sybilTrue) / trueTotal;
    const sybilRewardPct = paid === 0n ? null : Number((sybilPaid * 10n ** 12n) / paid) / 1e10;

    const record: RoundRecord = {
      index,
      chainRound: Number(chainRound),
      pool: finalized[0]?.args.pool ?? 0n,
      sybilRewardPct,
      sybilTruePct,
      excessPp: sybilRewardPct === null ? 0 : sybilRewardPct - sybilTruePct,
      contributorPaid: paid,
      dividends: new Map(
        dividends.map((e) => [
          this.nameOf(e.args.validator),
          { agreementBps: Number(e.args.agreementBps), reward: e.args.reward },
        ]),
      ),
      expelled: expelled.map((e) => ({ name: this.nameOf(e.args.validator), reason: Number(e.args.reason) })),
      revealed: opened.map((o) => o.seat.spec.name),
      consensus: [],
      medianBps: agreement.length ? Number(agreement[0].args.medianBps) : null,
      laggedBps: agreement.length ? Number(agreement[0].args.laggedBps) : null,
    };
    for (const x of record.expelled) this.seat(x.name).active = false;
    for (const o of opened) this.prevSheets.set(o.seat.spec.name, o.rows);
    this.prevConsensus = await Promise.all(
      this.truth.map(async (_, j) => Number(await subnet.consensusScore(j)) / FOLD),
    );
    record.consensus = this.prevConsensus;
    this.rounds.push(record);
    return record;
  }

  /** Plays `count` rounds with the default emission. */
  async playMany(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.play();
  }

  /** Sum of `name`'s dividends over the rounds whose index passes `counted` (TTD, as a float). */
  dividendOf(name: string, counted: (index: number) => boolean = () => true): number {
    let sum = 0n;
    for (const r of this.rounds) if (counted(r.index)) sum += r.dividends.get(name)?.reward ?? 0n;
    return Number((sum * 10n ** 6n) / TTD) / 1e6;
  }

  /** Dividends per staked TTD of `names` together (sum of dividends over sum of stakes). */
  dividendPerStake(names: readonly string[], counted?: (index: number) => boolean): number {
    const stake = names.reduce((a, n) => a + this.stake(n), 0);
    return names.reduce((a, n) => a + this.dividendOf(n, counted), 0) / stake;
  }

  /** The run's index of the round in which `name` was expelled, or undefined. */
  expelledAt(name: string): number | undefined {
    return this.rounds.find((r) => r.expelled.some((x) => x.name === name))?.index;
  }

  private seat(name: string): Seat {
    const s = this.seats.find((x) => x.spec.name === name);
    if (!s) throw new Error(`no validator ${name}`);
    return s;
  }

  private nameOf(address: string): string {
    const s = this.byAddress.get(address.toLowerCase());
    if (!s) throw new Error(`unknown validator ${address}`);
    return s.spec.name;
  }
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

function clamp(x: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(hi, Math.max(lo, x));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
