/**
 * The subnet market in the simulation (issue 16): owners launch subnets through the factory, users pay
 * their fees, holders vote the gauges, a keeper pokes stale ballots; read back day by day from the
 * chain, and reconciled to the wei (minted - burned = supply, every burn found again in the agents'
 * own tally).
 *
 * Where the TTD comes from: the chain mints it only as emission, so the market's buyers (owners for a
 * launch and its stakes, users for fees) buy it from a desk (an OTC market maker), which buys from the
 * sellers: the mercenary capital stakers, and the launched subnets' contributors and owners, who claim
 * and sell what they earn. Prices are not modelled: a trade is a transfer at the desk.
 *
 * Each launched subnet runs a minimal set: its owner stakes and runs the one validator (honest scores),
 * `MARKET.contributorsPerSubnet` contributors register; a round lasts `MARKET.roundDays` days, so a
 * subnet costs a few transactions a week. At each of the day's three checkpoints (morning, reveal
 * phase, after the distribution) every launched subnet does what its round's phase calls for: commit,
 * reveal or finalize. A retired subnet winds down: its last round is finalized, then its contributors
 * deregister (bond and rewards back) and its owner unstakes and withdraws after the unbonding delay.
 *
 * Decisions come from the market's own PRNG (seeded from the run's seed), so the other agents draw
 * the same numbers with or without a market.
 */
import { ethers } from "hardhat";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ContractTransactionResponse, Interface, Log, MaxUint256, TransactionReceipt } from "ethers";
import { ContributionBucket, Subnet, Subnet__factory } from "../../../typechain-types";
import { fundedAccounts } from "../chain/accounts";
import { BUCKET_NAMES, DAY } from "../chain/constants";
import { Core } from "../deploy/handles";
import { DEFAULT_SUBNET_PARAMS, SubnetParams, commitment, encodeSheet } from "../chain/poc";
import { SimRng } from "./agents";
import { PinnedClock } from "./chain";
import {
  GaugeBallot,
  MARKET,
  dailyDemand,
  drawQuality,
  expectedShare,
  informedBallot,
  launchCostModel,
  launchProbability,
  measuredOutput,
  randomBallot,
} from "./market-agents";
import { spearman, sumBig, ttdNumber } from "./metrics";

/** The gauge's vote period (ContributionBucket: 7 days from the bucket's deployment). */
const GAUGE_PERIOD = 7n * DAY;
/** Days of fee revenue the demand~emission correlation compares with the last day's emission share. */
export const REVENUE_WINDOW_DAYS = 30;

/** How big the market is. */
export interface MarketConfig {
  /** Most live launched subnets per bucket (the genesis subnet aside); 0: no market. */
  subnets: number;
  /** The factory's decay period, in days (governance sets it at the start if it is not the default). */
  launchDecay: number;
  days: number;
  seed: number;
}

/** Who the market finds among the simulation's agents. */
export interface MarketPeople {
  /** Holders who may vote the gauges (the panel is drawn from them). */
  holders: { signer: HardhatEthersSigner; label: string }[];
  /**
   * Who sells to the desk (capital stakers, genesis contributors), and what share of the TTD it holds:
   * `share` as a rule, `short` when the desk holds less than `MARKET.deskReserveDays` of sales.
   */
  sellers: { signer: HardhatEthersSigner; share: number; short: number }[];
}

export interface MarketContributor {
  signer: HardhatEthersSigner;
  skill: number;
  slot: number;
  /** Registration fee it paid, from its own balance (the agents' tally). */
  registrationFee: bigint;
  left: boolean;
}

export type MarketValidatorStatus = "active" | "expelled" | "unbonding" | "withdrawn";

export interface MarketSubnet {
  /** Launch order, from 0. */
  index: number;
  /** Contribution bucket (0 code, 1 community, 2 compute). */
  bucket: number;
  /** Gauge id in its bucket. */
  id: number;
  address: string;
  name: string;
  /** Latent usefulness: demand for its service is proportional to it. */
  quality: number;
  launchedDay: number;
  /** Day its bucket retired it (a launch replaced it), null while live. */
  retiredDay: number | null;
  /** Day its last round closed (lifecycle Retired). */
  closedDay: number | null;
  launchCost: bigint;
  owner: HardhatEthersSigner;
  contract: Subnet;
  contributors: MarketContributor[];
  validator: MarketValidatorStatus;
  stake: bigint;
  releaseAt: bigint;
  round: bigint;
  commitEnd: bigint;
  revealEnd: bigint;
  sealed: { round: bigint; sheet: string; salt: string } | null;
  revealed: bigint;
  /** Fees paid to it, read back from FeePaid, in total and per day (index: day - 1... by day number). */
  feesPaid: bigint;
  feesBurned: bigint;
  feesByDay: Map<number, bigint>;
  /** Demand accrued since its users last paid. */
  owed: bigint;
  /** Demand its users could not pay (the desk had no TTD to sell them). */
  unmet: bigint;
  /** Emission it pulled from its bucket. */
  pulled: bigint;
  /** Share of all emission at the end of each day (basis points, fractional), while live. */
  shareByDay: Map<number, number>;
  rounds: number;
}

/** One day of the market, read back from the chain at its end. */
export interface MarketDayRow {
  day: number;
  /** Live launched subnets per contribution bucket. */
  live: number[];
  launched: number;
  retired: number;
  /** What a launch would burn at the end of the day. */
  launchCost: bigint;
  fees: bigint;
  feesBurned: bigint;
  launchBurned: bigint;
  /** Registration fees burned by launched subnets. */
  registrationBurned: bigint;
  /** Every burn of the day (launch, fees, registrations in every subnet): minted - supply change. */
  burned: bigint;
  minted: bigint;
  /** minted - burned: the change of the supply (negative when burns beat the emission). */
  netIssuance: bigint;
  supply: bigint;
  /** Share of all emission going to the genesis subnets, and to launched subnets (basis points). */
  genesisShareBps: number;
  marketShareBps: number;
  unmet: bigint;
  /** TTD the desk holds at the end of the day (its ledger). */
  desk: bigint;
  transactions: number;
}

/** A holder of the voting panel. */
export interface MarketVoter {
  signer: HardhatEthersSigner;
  label: string;
  kind: "informed" | "random";
  votes: number;
  pokes: number;
}

/** The agents' own account of what was burned (compared with the chain's events). */
export interface MarketTally {
  /** Launch costs, recomputed by the owners with the factory's pricing rule. */
  launch: bigint;
  /** Fee burns: the bucket's burn share of each fee a user paid. */
  fees: bigint;
  /** Registration fees: what each contributor's balance lost beyond its bond. */
  registration: bigint;
  /** Fees paid, and demand the users could not pay. */
  feesPaid: bigint;
  unmet: bigint;
  /** The desk's ledger: bought from sellers, sold to buyers, and its balance by that ledger. */
  bought: bigint;
  sold: bigint;
  /** Who the desk bought from: stakers and genesis contributors, launched subnets' contributors, their owners. */
  sellers: { holders: bigint; miners: bigint; owners: bigint };
}

export interface MarketResult {
  config: MarketConfig;
  subnets: MarketSubnet[];
  rows: MarketDayRow[];
  voters: MarketVoter[];
  tally: MarketTally;
  /** Launches an owner wanted but the desk could not fund, and launches into a full bucket. */
  launchesUnfunded: number;
  pokes: number;
  /** Addresses of the market's wallets (desk, users, owners, contributors). */
  wallets: string[];
  factory: string;
  /** Spearman rank correlation of fee revenue (last REVENUE_WINDOW_DAYS days) and emission share at the last day. */
  demandEmissionRankCorrelation: number;
}

/** A transaction's receipt (automine: mined when sent). */
async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("market: no receipt");
  return receipt;
}

/** The settings every launched subnet chooses: rounds of `roundDays`, bond and stake at the bounds. */
export function marketSubnetParams(): SubnetParams {
  const reveal = BigInt(MARKET.revealHours) * 3600n;
  return {
    ...DEFAULT_SUBNET_PARAMS,
    commitDuration: BigInt(MARKET.roundDays) * DAY - reveal,
    revealDuration: reveal,
    bond: MARKET.bond,
    minValidatorStake: MARKET.minValidatorStake,
  };
}

export class Market {
  private readonly rng: SimRng;
  private desk!: HardhatEthersSigner;
  private users: HardhatEthersSigner[] = [];
  private voters: MarketVoter[] = [];
  private readonly subnets: MarketSubnet[] = [];
  private readonly byAddress = new Map<string, MarketSubnet>();
  private readonly rows: MarketDayRow[] = [];
  private readonly approved = new Set<string>();
  private readonly ballots = new Map<string, GaugeBallot>();
  private readonly genesis: bigint[] = [];
  private readonly lastPeriod: bigint[] = [-1n, -1n, -1n];
  private maxVotes = 16;
  private immunity = 0n;
  private capBps = 5000;
  private feeBurnBps = 0n;
  private pricing!: { minCost: bigint; maxCost: bigint; decayPeriod: bigint };
  private lastCost = 0n;
  private lastLaunch = 0n;
  private supply = 0n;
  private lastMinted = 0n;
  private burnedSoFar = 0n;
  private launchesUnfunded = 0;
  private pokes = 0;
  private readonly tally: MarketTally = {
    launch: 0n,
    fees: 0n,
    registration: 0n,
    feesPaid: 0n,
    unmet: 0n,
    bought: 0n,
    sold: 0n,
    sellers: { holders: 0n, miners: 0n, owners: 0n },
  };
  /** Today's counts, for the day's row. */
  private today = { launched: 0, txStart: 0 };

  constructor(
    private readonly core: Core,
    private readonly deployer: HardhatEthersSigner,
    private readonly config: MarketConfig,
    private readonly clock: PinnedClock,
    private readonly people: MarketPeople,
  ) {
    this.rng = new SimRng((config.seed ^ 0x6d61726b) >>> 0);
  }

  /** Registration, fee and launch burns so far (supply + burned = the schedule's cumulative). */
  get burned(): bigint {
    return this.burnedSoFar;
  }

  /**
   * Governance's part, done by the deployer while it is still the AccessManager's admin: each genesis
   * subnet keeps a floor of `MARKET.genesisFloorBps`, the rest of its bucket goes by the gauge; a
   * bucket holds the genesis subnet and `subnets` launched ones (a launch into a full bucket retires
   * the weakest past its immunity). Then the market's accounts.
   */
  async setup(): Promise<void> {
    const { buckets, subnets, factory, token } = this.core;
    const live = Math.min(32, this.config.subnets + 1);
    for (const [i, bucket] of buckets.entries()) {
      const b = bucket.connect(this.deployer);
      await b.setFloors([await subnets[i].getAddress()], [MARKET.genesisFloorBps]);
      const p = await b.gaugeParams();
      await b.setGaugeParams({
        maxSubnets: live,
        maxVotes: p.maxVotes,
        lookback: p.lookback,
        immunity: p.immunity,
        capBps: p.capBps,
        feeBurnBps: p.feeBurnBps,
      });
      this.genesis.push(await bucket.genesis());
      this.maxVotes = Number(p.maxVotes);
      this.immunity = p.immunity;
      this.capBps = Number(p.capBps);
    }
    this.feeBurnBps = await buckets[0].feeBurnBps();
    const current = await factory.launchPricing();
    const decay = BigInt(this.config.launchDecay) * DAY;
    if (current.decayPeriod !== decay) {
      await factory.connect(this.deployer).setLaunchPricing({
        minCost: current.minCost,
        maxCost: current.maxCost,
        decayPeriod: decay,
      });
    }
    const pricing = await factory.launchPricing();
    this.pricing = { minCost: pricing.minCost, maxCost: pricing.maxCost, decayPeriod: pricing.decayPeriod };
    [this.desk] = await fundedAccounts("tetrad-sim/market/desk", 1);
    this.users = await fundedAccounts("tetrad-sim/market/user", MARKET.users);
    const panel = this.rng.shuffle(this.people.holders).slice(0, MARKET.panel);
    const randoms = Math.round(panel.length * MARKET.randomVoterShare);
    this.voters = panel.map((h, i) => ({
      signer: h.signer,
      label: h.label,
      kind: i < randoms ? "random" : "informed",
      votes: 0,
      pokes: 0,
    }));
    this.supply = await token.totalSupply();
  }

  /*//////////////////////////////////////////////////////////////
                          THE DAY'S CHECKPOINTS
  //////////////////////////////////////////////////////////////*/

  /** Morning: sales to the desk, launches, fees, gauge votes, then every subnet's round. */
  async morning(d: number): Promise<void> {
    this.today = { launched: 0, txStart: this.clock.transactions };
    await this.sell(d);
    await this.fees(d);
    await this.launches(d);
    await this.votes(d);
    await this.rounds();
    await this.windDown(d);
  }

  /** The genesis subnets' reveal phase: launched subnets reveal (or commit, or finalize) as due. */
  async midday(): Promise<void> {
    await this.rounds();
  }

  /** After the distribution: finalize what closed, then read the day back from the chain. */
  async evening(d: number, fromBlock: number): Promise<void> {
    await this.rounds();
    await this.read(d, fromBlock);
  }

  /*//////////////////////////////////////////////////////////////
                                THE DESK
  //////////////////////////////////////////////////////////////*/

  /** `from` sells everything it holds to the desk (or `share` of it). */
  private async sellAll(
    from: HardhatEthersSigner,
    who: keyof MarketTally["sellers"],
    share = 1,
  ): Promise<void> {
    const balance = await this.core.token.balanceOf(from.address);
    const amount = (balance * BigInt(Math.round(share * 1000))) / 1000n;
    if (amount === 0n) return;
    await this.core.token.connect(from).transfer(this.desk.address, amount);
    this.tally.bought += amount;
    this.tally.sellers[who] += amount;
  }

  /** `from` sells `amount` back to the desk. */
  private async sellBack(from: HardhatEthersSigner, amount: bigint): Promise<void> {
    await this.core.token.connect(from).transfer(this.desk.address, amount);
    this.tally.bought += amount;
    this.tally.sellers.owners += amount;
  }

  /** The desk sells `amount` to `to`. */
  private async buy(to: string, amount: bigint): Promise<void> {
    await this.core.token.connect(this.desk).transfer(to, amount);
    this.tally.sold += amount;
  }

  private deskBalance(): bigint {
    return this.tally.bought - this.tally.sold;
  }

  /**
   * Sellers (mercenary stakers, genesis contributors) sell their share weekly; launched subnets'
   * contributors and owners claim and sell all they earn.
   */
  private async sell(d: number): Promise<void> {
    // The price is not modelled; a desk running short stands for a rising price that draws more sellers.
    const recent = sumBig(this.rows.slice(-7).map((r) => r.fees));
    const short = this.deskBalance() * 7n < recent * BigInt(MARKET.deskReserveDays);
    for (const [i, s] of this.people.sellers.entries()) {
      const share = short ? s.short : s.share;
      if ((d + i) % MARKET.sellerEvery === 0 && share > 0) await this.sellAll(s.signer, "holders", share);
    }
    for (const s of this.subnets) {
      if (s.closedDay !== null) continue;
      if ((d + s.index) % MARKET.sellEvery !== 0) continue;
      for (const c of s.contributors) {
        if (c.left) continue;
        if ((await s.contract.claimable(c.signer.address)) > 0n) await s.contract.connect(c.signer).claim();
        await this.sellAll(c.signer, "miners");
      }
      if ((d + s.index) % (2 * MARKET.sellEvery) === 0) {
        if ((await s.contract.claimable(s.owner.address)) > 0n) await s.contract.connect(s.owner).claim();
        await this.sellAll(s.owner, "owners");
      }
    }
  }

  /*//////////////////////////////////////////////////////////////
                                LAUNCHES
  //////////////////////////////////////////////////////////////*/

  private live(bucket: number): MarketSubnet[] {
    return this.subnets.filter((s) => s.bucket === bucket && s.retiredDay === null);
  }

  /**
   * Each bucket may get a would-be owner a day (`MARKET.arrival`); it launches with a chance that
   * grows as the setup (launch cost, validator stake, bonds) falls below the emission it expects over
   * `MARKET.horizonDays`: its usefulness against the live subnets', of the bucket's gauge part.
   */
  private async launches(d: number): Promise<void> {
    const { controller, factory, buckets } = this.core;
    const shares = (await controller.shares()).map(Number);
    const daily = this.lastMinted > 0n ? this.lastMinted : this.core.schedule.initialAmount;
    for (const b of this.rng.shuffle([0, 1, 2])) {
      if (!this.rng.chance(MARKET.arrival)) continue;
      const quality = drawQuality(this.rng);
      let rivals = this.live(b);
      if (rivals.length >= this.config.subnets) {
        // Full: the launch would retire the live subnet with the fewest votes past its immunity.
        const now = (await this.clock.latest()) + 1n;
        const listings = await buckets[b].listings();
        const weakest = await this.weakest(buckets[b], listings, now);
        if (weakest === null) continue;
        rivals = rivals.filter((s) => s.address !== weakest);
      }
      const gauge = (daily * BigInt(shares[b]) * BigInt(10_000 - MARKET.genesisFloorBps)) / 10n ** 8n;
      const share = expectedShare(
        quality,
        rivals.map((s) => s.quality),
        this.capBps,
      );
      const expected = (gauge * BigInt(MARKET.horizonDays) * BigInt(Math.round(share * 1e6))) / 1_000_000n;
      const cost = await factory.launchCost();
      const setup =
        cost + MARKET.minValidatorStake + BigInt(MARKET.contributorsPerSubnet) * (MARKET.bond + 10n ** 18n);
      if (!this.rng.chance(launchProbability(setup, expected))) continue;
      // (A margin for the quote's slippage and registration fees above their floor.)
      if (this.deskBalance() < setup + setup / 10n) {
        this.launchesUnfunded++;
        continue;
      }
      await this.launch(d, b, quality, cost);
    }
  }

  /** The live subnet a launch into this full bucket retires (as ContributionBucket picks it), or null. */
  private async weakest(
    bucket: ContributionBucket,
    listings: Awaited<ReturnType<ContributionBucket["listings"]>>,
    now: bigint,
  ): Promise<string | null> {
    let best: string | null = null;
    let fewest = 0n;
    for (const l of listings) {
      if (l.floor > 0n || l.addedAt + this.immunity > now) continue;
      const [current] = await bucket.votesOf(l.id);
      if (best === null || current < fewest) [best, fewest] = [l.subnet, current];
    }
    return best;
  }

  private async launch(d: number, b: number, quality: number, cost: bigint): Promise<void> {
    const { factory, token, buckets } = this.core;
    const index = this.subnets.length;
    const [owner, ...team] = await fundedAccounts(
      `tetrad-sim/market/subnet-${index}`,
      1 + MARKET.contributorsPerSubnet,
    );
    const factoryAddress = await factory.getAddress();
    // The quote moves by the second (decay): the owner accepts up to 0.1% more and sells back the rest.
    const maxCost = cost + cost / 1000n;
    await this.buy(owner.address, maxCost + MARKET.minValidatorStake);
    await token.connect(owner).approve(factoryAddress, maxCost);
    const name = `${BUCKET_NAMES[b]}-${index}`;
    const receipt = await mined(
      factory
        .connect(owner)
        .launch(b, name, `ipfs://tetrad-sim/market/${index}`, marketSubnetParams(), [10_000], maxCost),
    );
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    if (block === null) throw new Error("market: launch block not found");
    const launched = this.parse(receipt.logs, factory.interface, "SubnetLaunched")[0];
    const paid = launched.args.cost as bigint;
    // The owner's own account of the cost: the factory's rule applied to the last launch it saw.
    const model = launchCostModel({
      ...this.pricing,
      lastCost: this.lastCost,
      lastLaunch: this.lastLaunch,
      now: BigInt(block.timestamp),
    });
    this.tally.launch += model;
    this.lastCost = paid;
    this.lastLaunch = BigInt(block.timestamp);
    // The cost decays by the second: the owner sells back what the quote left over.
    if (paid < maxCost) await this.sellBack(owner, maxCost - paid);
    for (const r of this.parse(receipt.logs, buckets[b].interface, "SubnetRetired")) {
      const gone = this.byAddress.get((r.args.subnet as string).toLowerCase());
      if (gone) gone.retiredDay = d;
    }
    const address = launched.args.subnet as string;
    const contract = Subnet__factory.connect(address, owner);
    const s: MarketSubnet = {
      index,
      bucket: b,
      id: Number(launched.args.id),
      address,
      name,
      quality,
      launchedDay: d,
      retiredDay: null,
      closedDay: null,
      launchCost: paid,
      owner,
      contract,
      contributors: [],
      validator: "active",
      stake: MARKET.minValidatorStake,
      releaseAt: 0n,
      round: 0n,
      commitEnd: 0n,
      revealEnd: 0n,
      sealed: null,
      revealed: 0n,
      feesPaid: 0n,
      feesBurned: 0n,
      feesByDay: new Map(),
      owed: 0n,
      unmet: 0n,
      pulled: 0n,
      shareByDay: new Map(),
      rounds: 0,
    };
    this.subnets.push(s);
    this.byAddress.set(address.toLowerCase(), s);
    this.today.launched++;
    await this.readRound(s);
    // The owner runs the validator; its team registers.
    await token.connect(owner).approve(address, MARKET.minValidatorStake);
    await contract.stake(MARKET.minValidatorStake);
    for (const [k, signer] of team.entries()) {
      const fee = await contract.registrationFee();
      const funds = MARKET.bond + fee;
      await this.buy(signer.address, funds);
      await token.connect(signer).approve(address, funds);
      const r = await mined(contract.connect(signer).register(`ipfs://tetrad-sim/market/${index}/${k}`));
      const registered = this.parse(r.logs, contract.interface, "ContributorRegistered")[0];
      const left = await token.balanceOf(signer.address);
      const c: MarketContributor = {
        signer,
        skill: this.rng.uniform(0.3, 1),
        slot: Number(registered.args.slot),
        registrationFee: funds - left - MARKET.bond,
        left: false,
      };
      this.tally.registration += c.registrationFee;
      s.contributors.push(c);
    }
  }

  /** The logs of `event` emitted by contracts of interface `iface` in `logs`, parsed. */
  private parse(
    logs: readonly Log[],
    iface: Interface,
    event: string,
  ): { address: string; args: Record<string, unknown> }[] {
    const out: { address: string; args: Record<string, unknown> }[] = [];
    for (const log of logs) {
      const parsed = (() => {
        try {
          return iface.parseLog({ topics: [...log.topics], data: log.data });
        } catch {
          return null;
        }
      })();
      if (parsed && parsed.name === event) {
        const args: Record<string, unknown> = {};
        parsed.fragment.inputs.forEach((input, i) => (args[input.name] = parsed.args[i]));
        out.push({ address: log.address, args });
      }
    }
    return out;
  }

  /*//////////////////////////////////////////////////////////////
                                  FEES
  //////////////////////////////////////////////////////////////*/

  /**
   * Demand accrues every day with each live subnet's usefulness; its users pay what accrued every
   * `MARKET.feeEvery` days (`payFee`), buying TTD from the desk when short.
   */
  private async fees(d: number): Promise<void> {
    const { token } = this.core;
    // In a random order each day: when the desk runs short, no subnet's users are always served first.
    for (const s of this.rng.shuffle(this.subnets)) {
      if (s.retiredDay !== null) continue;
      s.owed += dailyDemand(this.rng, s.quality, d - s.launchedDay);
      if ((d + s.index) % MARKET.feeEvery !== 0 || s.owed === 0n) continue;
      const user = this.users[s.index % this.users.length];
      let balance = await token.balanceOf(user.address);
      if (balance < s.owed) {
        const want = s.owed * BigInt(MARKET.userTopUp) - balance;
        const amount = want < this.deskBalance() ? want : this.deskBalance();
        if (amount > 0n) await this.buy(user.address, amount);
        balance += amount;
      }
      const pay = balance < s.owed ? balance : s.owed;
      s.unmet += s.owed - pay;
      this.tally.unmet += s.owed - pay;
      s.owed = 0n;
      if (pay === 0n) continue;
      const key = `${user.address}/${s.address}`;
      if (!this.approved.has(key)) {
        await token.connect(user).approve(s.address, MaxUint256);
        this.approved.add(key);
      }
      await s.contract.connect(user).payFee(pay, ethers.zeroPadValue(ethers.toBeHex(d + 1), 32));
      this.tally.feesPaid += pay;
      this.tally.fees += (pay * this.feeBurnBps) / 10_000n;
    }
  }

  /*//////////////////////////////////////////////////////////////
                               GAUGE VOTES
  //////////////////////////////////////////////////////////////*/

  /** Fees each live subnet of `bucket` earned over the last `days` days (read back from FeePaid). */
  private observed(bucket: number, d: number, days: number): { id: number; fees: bigint }[] {
    return this.live(bucket).map((s) => {
      let fees = 0n;
      for (let k = Math.max(1, d + 1 - days); k <= d; k++) fees += s.feesByDay.get(k) ?? 0n;
      return { id: s.id, fees };
    });
  }

  /**
   * On the first morning of each gauge period, the panel votes: informed holders by the fees they saw
   * over the last period, random ones keep their ballot or draw a new one; the keeper (the desk, as
   * anyone may) pokes ballots whose power has drifted.
   */
  private async votes(d: number): Promise<void> {
    const now = (await this.clock.latest()) + 1n;
    for (const [b, bucket] of this.core.buckets.entries()) {
      const period = (now - this.genesis[b]) / GAUGE_PERIOD;
      if (period <= this.lastPeriod[b]) continue;
      this.lastPeriod[b] = period;
      const live = this.live(b);
      if (live.length === 0) continue;
      const seen = this.observed(b, d, 7);
      const liveIds = new Set(live.map((s) => s.id));
      for (const v of this.voters) {
        const power = await bucket.votingPower(v.signer.address);
        if (power === 0n) continue;
        const key = `${b}/${v.signer.address}`;
        const held = this.ballots.get(key);
        let ballot: GaugeBallot | null = null;
        if (v.kind === "informed") {
          ballot = informedBallot(this.rng, seen, this.maxVotes);
        } else if (
          held === undefined ||
          held.ids.some((id) => !liveIds.has(id)) ||
          this.rng.chance(MARKET.randomRevote)
        ) {
          ballot = randomBallot(
            this.rng,
            live.map((s) => s.id),
            this.maxVotes,
          );
        }
        if (ballot !== null && ballot.ids.length > 0) {
          await bucket.connect(v.signer).vote(ballot.ids, ballot.bps);
          this.ballots.set(key, ballot);
          v.votes++;
          continue;
        }
        if (held === undefined) continue;
        // Kept ballot: poke it if the voter's power has moved since it was read.
        const [applied] = await bucket.ballotOf(v.signer.address);
        const drift = applied > power ? applied - power : power - applied;
        if (
          drift * 1000n >
          (applied > power ? applied : power) * BigInt(Math.round(MARKET.pokeDrift * 1000))
        ) {
          await bucket.connect(this.desk).poke(v.signer.address);
          v.pokes++;
          this.pokes++;
        }
      }
    }
  }

  /*//////////////////////////////////////////////////////////////
                                 ROUNDS
  //////////////////////////////////////////////////////////////*/

  private async readRound(s: MarketSubnet): Promise<void> {
    const [, commitEnd, revealEnd] = await s.contract.roundTimes();
    s.round = await s.contract.round();
    s.commitEnd = commitEnd;
    s.revealEnd = revealEnd;
  }

  /** Every launched subnet does what its round's phase calls for: finalize, commit, reveal. */
  private async rounds(): Promise<void> {
    for (const s of this.subnets) {
      if (s.closedDay !== null) continue;
      let now = (await this.clock.latest()) + 1n;
      if (now >= s.revealEnd) {
        await this.finalize(s);
        if (s.closedDay !== null) continue;
        now = (await this.clock.latest()) + 1n;
      }
      if (s.validator !== "active") continue;
      if (now < s.commitEnd && s.sealed?.round !== s.round) {
        await this.commit(s);
      } else if (
        now >= s.commitEnd &&
        now < s.revealEnd &&
        s.sealed?.round === s.round &&
        s.revealed !== s.round
      ) {
        await s.contract.connect(s.owner).reveal(s.sealed.sheet, s.sealed.salt);
        s.revealed = s.round;
      }
    }
  }

  /** The owner's validator measures its contributors (one metric) and commits its sheet. */
  private async commit(s: MarketSubnet): Promise<void> {
    const slots = s.contributors.reduce((m, c) => (c.left ? m : Math.max(m, c.slot + 1)), 0);
    const rows = Array.from({ length: slots }, () => [0]);
    for (const c of s.contributors) if (!c.left) rows[c.slot] = [measuredOutput(this.rng, c.skill)];
    const sheet = encodeSheet(rows, 1);
    const salt = this.rng.bytes32();
    await s.contract.connect(s.owner).commit(commitment(s.address, s.round, s.owner.address, salt, sheet));
    s.sealed = { round: s.round, sheet, salt };
  }

  /** Finalizes the closed round (the owner keeps it going); notes an expulsion or the last round. */
  private async finalize(s: MarketSubnet): Promise<void> {
    const day = this.rows.length;
    for (;;) {
      const receipt = await mined(s.contract.connect(s.owner).finalizeRound(1_000));
      for (const e of this.parse(receipt.logs, s.contract.interface, "ValidatorExpelled")) {
        if ((e.args.validator as string) === s.owner.address) {
          s.validator = "unbonding";
          s.releaseAt = (await s.contract.unbonding(s.owner.address)).releaseAt;
        }
      }
      if (this.parse(receipt.logs, s.contract.interface, "Retired").length > 0) s.closedDay = day;
      if (this.parse(receipt.logs, s.contract.interface, "RoundFinalized").length > 0) break;
    }
    s.rounds++;
    if (s.closedDay === null) await this.readRound(s);
  }

  /**
   * Retired subnets wind down: contributors deregister (bond and rewards back) and sell; the owner
   * claims, unstakes, and withdraws once unbonded, then sells. Everything stays withdrawable.
   */
  private async windDown(d: number): Promise<void> {
    for (const s of this.subnets) {
      if (s.closedDay === null) continue;
      for (const c of s.contributors) {
        if (c.left) continue;
        await s.contract.connect(c.signer).deregister();
        c.left = true;
        await this.sellAll(c.signer, "miners");
      }
      if (s.validator === "active") {
        if ((await s.contract.claimable(s.owner.address)) > 0n) await s.contract.connect(s.owner).claim();
        await s.contract.connect(s.owner).unstake(s.stake);
        s.validator = "unbonding";
        s.releaseAt = (await s.contract.unbonding(s.owner.address)).releaseAt;
        await this.sellAll(s.owner, "owners");
      } else if (s.validator === "unbonding" && (await this.clock.latest()) + 1n >= s.releaseAt) {
        await s.contract.connect(s.owner).withdrawUnbonded();
        if ((await s.contract.claimable(s.owner.address)) > 0n) await s.contract.connect(s.owner).claim();
        s.validator = "withdrawn";
        await this.sellAll(s.owner, "owners");
      }
    }
    void d;
  }

  /*//////////////////////////////////////////////////////////////
                               THE DAY READ
  //////////////////////////////////////////////////////////////*/

  /** Reads the day back: launches, retirements, fees, burns, pulls, mint and the emission shares. */
  private async read(d: number, fromBlock: number): Promise<void> {
    const { token, controller, factory, buckets } = this.core;
    const factoryAddress = (await factory.getAddress()).toLowerCase();
    const controllerAddress = (await controller.getAddress()).toLowerCase();
    const bucketAddresses = await Promise.all(buckets.map(async (b) => (await b.getAddress()).toLowerCase()));
    const logs = await ethers.provider.getLogs({
      fromBlock,
      toBlock: "latest",
      address: [factoryAddress, controllerAddress, ...bucketAddresses, ...this.subnets.map((s) => s.address)],
    });
    const row: MarketDayRow = {
      day: d + 1,
      live: [0, 1, 2].map((b) => this.live(b).length),
      launched: 0,
      retired: 0,
      launchCost: await factory.launchCost(),
      fees: 0n,
      feesBurned: 0n,
      launchBurned: 0n,
      registrationBurned: 0n,
      burned: 0n,
      minted: 0n,
      netIssuance: 0n,
      supply: await token.totalSupply(),
      genesisShareBps: 0,
      marketShareBps: 0,
      unmet: 0n,
      desk: this.deskBalance(),
      transactions: 0,
    };
    const subnetIface = Subnet__factory.createInterface();
    for (const log of logs) {
      const address = log.address.toLowerCase();
      if (address === factoryAddress) {
        const e = this.parse([log], factory.interface, "SubnetLaunched")[0];
        if (e) {
          row.launched++;
          row.launchBurned += e.args.cost as bigint;
        }
      } else if (address === controllerAddress) {
        const e = this.parse([log], controller.interface, "Distributed")[0];
        if (e) row.minted += e.args.minted as bigint;
      } else if (bucketAddresses.includes(address)) {
        const iface = buckets[0].interface;
        const pulled = this.parse([log], iface, "Pulled")[0];
        const s = pulled && this.byAddress.get((pulled.args.subnet as string).toLowerCase());
        if (s) s.pulled += pulled.args.amount as bigint;
        const retired = this.parse([log], iface, "SubnetRetired")[0];
        if (retired && this.byAddress.has((retired.args.subnet as string).toLowerCase())) row.retired++;
      } else {
        const s = this.byAddress.get(address);
        if (!s) continue;
        const fee = this.parse([log], subnetIface, "FeePaid")[0];
        if (fee) {
          const amount = fee.args.amount as bigint;
          s.feesPaid += amount;
          s.feesByDay.set(d + 1, (s.feesByDay.get(d + 1) ?? 0n) + amount);
          row.fees += amount;
        }
        // A fee's burn share is burned when the subnet's next finalization starts (FeesBurned).
        const feeBurn = this.parse([log], subnetIface, "FeesBurned")[0];
        if (feeBurn) {
          const burned = feeBurn.args.amount as bigint;
          s.feesBurned += burned;
          row.feesBurned += burned;
        }
        const reg = this.parse([log], subnetIface, "RegistrationFeeBurned")[0];
        if (reg) row.registrationBurned += reg.args.fee as bigint;
      }
    }
    row.netIssuance = row.supply - this.supply;
    row.burned = row.minted - row.netIssuance;
    this.supply = row.supply;
    this.lastMinted = row.minted;
    this.burnedSoFar += row.launchBurned + row.feesBurned + row.registrationBurned;
    row.unmet = sumBig(this.subnets.map((s) => s.unmet)) - sumBig(this.rows.map((r) => r.unmet));
    // Emission shares now: the bucket's share of the mint times the subnet's share of the bucket.
    const shares = (await controller.shares()).map(Number);
    for (const [b, bucket] of buckets.entries()) {
      const [addresses, bps] = await bucket.weights();
      addresses.forEach((a, k) => {
        const share = (shares[b] * Number(bps[k])) / 10_000;
        const s = this.byAddress.get(a.toLowerCase());
        if (s) {
          s.shareByDay.set(d + 1, share);
          row.marketShareBps += share;
        } else {
          row.genesisShareBps += share;
        }
      });
    }
    row.transactions = this.clock.transactions - this.today.txStart;
    this.rows.push(row);
  }

  /*//////////////////////////////////////////////////////////////
                                 RESULT
  //////////////////////////////////////////////////////////////*/

  /** Every wallet the market created (for the reconciliation's holdings). */
  wallets(): string[] {
    return [
      this.desk.address,
      ...this.users.map((u) => u.address),
      ...this.subnets.flatMap((s) => [s.owner.address, ...s.contributors.map((c) => c.signer.address)]),
    ];
  }

  async result(): Promise<MarketResult> {
    return {
      config: this.config,
      subnets: this.subnets,
      rows: this.rows,
      voters: this.voters,
      tally: this.tally,
      launchesUnfunded: this.launchesUnfunded,
      pokes: this.pokes,
      wallets: this.wallets(),
      factory: await this.core.factory.getAddress(),
      demandEmissionRankCorrelation: demandEmissionCorrelation(this.subnets, this.rows.length),
    };
  }
}

/** Fee revenue of `s` over the `window` days up to `lastDay`. */
export function revenue(s: MarketSubnet, lastDay: number, window = REVENUE_WINDOW_DAYS): bigint {
  let sum = 0n;
  for (let k = Math.max(1, lastDay - window + 1); k <= lastDay; k++) sum += s.feesByDay.get(k) ?? 0n;
  return sum;
}

/**
 * Spearman rank correlation, across every bucket's live launched subnets, between the fees each
 * earned over the last `REVENUE_WINDOW_DAYS` days and its share of all emission at the last day.
 */
export function demandEmissionCorrelation(subnets: readonly MarketSubnet[], lastDay: number): number {
  const live = subnets.filter((s) => s.retiredDay === null);
  return spearman(
    live.map((s) => ttdNumber(revenue(s, lastDay))),
    live.map((s) => s.shareByDay.get(lastDay) ?? 0),
  );
}

/*//////////////////////////////////////////////////////////////
                           RECONCILIATION
//////////////////////////////////////////////////////////////*/

/** What the market adds to the run's reconciliation, all read from the chain. */
export interface MarketLedger {
  /**
   * Launch costs (SubnetLaunched), fee burns done (FeesBurned: a fee's burn share is burned when its
   * subnet's next finalization starts) and launched subnets' registration fees.
   */
  launchBurned: bigint;
  feesBurned: bigint;
  /** Fee burn shares still set aside in the subnets, burned at their next finalization. */
  feesSetAside: bigint;
  registrationBurned: bigint;
  /** What launched subnets pulled from each contribution bucket. */
  pulled: bigint[];
  /** What retired subnets' last rounds left to the protection fund. */
  toProtectionFund: bigint;
  holdings: { label: string; amount: bigint }[];
  checks: { name: string; ok: boolean; detail: string }[];
}

/**
 * The market's side of the reconciliation, from the chain's events and balances: every launched
 * subnet found from the factory's SubnetLaunched events; each one's intake (emission pulled, fees kept)
 * found again in what it credited, carries, holds unbooked or left to the protection fund; every burn
 * kind against the agents' own tally; and the token's burns (Transfer to the zero address) against
 * the sum of the burn events.
 */
export async function reconcileMarket(
  core: Core,
  fromBlock: number,
  market: MarketResult,
  otherBurns: bigint,
): Promise<MarketLedger> {
  const checks: MarketLedger["checks"] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const { factory, buckets, token } = core;
  const launched = await factory.queryFilter(factory.filters.SubnetLaunched(), fromBlock, "latest");
  const launchBurned = sumBig(launched.map((e) => e.args.cost));
  const bucketAddresses = await Promise.all(buckets.map((b) => b.getAddress()));
  const pulled = [0n, 0n, 0n];
  let feesPaid = 0n;
  let feesBurned = 0n;
  let feesBurnedYet = 0n;
  let feesSetAside = 0n;
  let registrationBurned = 0n;
  let toProtectionFund = 0n;
  let intake = 0n;
  let booked = 0n;
  let held = 0n;
  const parts = { claimable: 0n, carried: 0n, stakes: 0n, bonds: 0n, unbooked: 0n };
  for (const e of launched) {
    const s = Subnet__factory.connect(e.args.subnet, ethers.provider);
    const b = bucketAddresses.indexOf(e.args.bucket);
    const pulls = await buckets[b].queryFilter(buckets[b].filters.Pulled(e.args.subnet), fromBlock, "latest");
    const p = sumBig(pulls.map((x) => x.args.amount));
    pulled[b] += p;
    const fees = await s.queryFilter(s.filters.FeePaid(), fromBlock, "latest");
    const paid = sumBig(fees.map((x) => x.args.amount));
    const burned = sumBig(fees.map((x) => x.args.burned));
    feesPaid += paid;
    feesBurned += burned;
    // Burn shares are burned as the next finalization starts; the rest waits in the subnet.
    const feeBurns = await s.queryFilter(s.filters.FeesBurned(), fromBlock, "latest");
    const toBurn = await s.feesToBurn();
    feesBurnedYet += sumBig(feeBurns.map((x) => x.args.amount));
    feesSetAside += toBurn;
    const regs = await s.queryFilter(s.filters.RegistrationFeeBurned(), fromBlock, "latest");
    registrationBurned += sumBig(regs.map((x) => x.args.fee));
    const rounds = await s.queryFilter(s.filters.RoundFinalized(), fromBlock, "latest");
    const tips = await s.queryFilter(s.filters.KeeperTipped(), fromBlock, "latest");
    const retired = await s.queryFilter(s.filters.Retired(), fromBlock, "latest");
    const left = sumBig(retired.map((x) => x.args.leftover));
    toProtectionFund += left;
    const credited = sumBig(rounds.map((x) => x.args.paid)) + sumBig(tips.map((x) => x.args.amount));
    const carried = await s.pendingEmission();
    const balance = await token.balanceOf(e.args.subnet);
    const bonds = await s.totalBonds();
    const stakes = (await s.totalStake()) + (await s.totalUnbonding());
    const claimable = await s.totalClaimable();
    const accounted = bonds + stakes + claimable + carried + toBurn;
    parts.claimable += claimable;
    parts.carried += carried;
    parts.stakes += stakes;
    parts.bonds += bonds;
    parts.unbooked += balance - accounted;
    intake += p + paid - burned;
    booked += credited + carried + (balance - accounted) + left;
    held += balance;
  }
  check(
    "launched subnets paid out",
    intake === booked,
    `${launched.length} launched subnets: pulled ${sumBig(pulled)} + fees kept ${feesPaid - feesBurned} = credited + carried + unbooked + left to the fund ${booked} wei`,
  );
  const setAside = feesBurned - feesBurnedYet;
  check(
    "fee burn shares = burned + set aside",
    setAside === feesSetAside,
    `FeePaid burn shares ${feesBurned} wei = FeesBurned ${feesBurnedYet} + set aside for the next finalizations ${feesSetAside} wei`,
  );
  check(
    "launch burns = the owners' tally",
    launchBurned === market.tally.launch,
    `SubnetLaunched costs ${launchBurned} wei; the owners' pricing rule ${market.tally.launch} wei`,
  );
  check(
    "fee burns = the users' tally",
    feesBurned === market.tally.fees && feesPaid === market.tally.feesPaid,
    `FeePaid: ${feesPaid} paid, ${feesBurned} burned; the users: ${market.tally.feesPaid} paid, ${market.tally.fees} burned (wei)`,
  );
  check(
    "registration burns = the contributors' tally",
    registrationBurned === market.tally.registration,
    `RegistrationFeeBurned in launched subnets ${registrationBurned} wei; the contributors' balances ${market.tally.registration} wei`,
  );
  const zero = await token.queryFilter(
    token.filters.Transfer(undefined, ethers.ZeroAddress),
    fromBlock,
    "latest",
  );
  const tokenBurns = sumBig(zero.map((x) => x.args.value));
  const all = launchBurned + feesBurnedYet + registrationBurned + otherBurns;
  check(
    "token burns = launch + fee + registration burns",
    tokenBurns === all,
    `Transfer to the zero address ${tokenBurns} wei; launch ${launchBurned} + fees ${feesBurnedYet} + registrations ${registrationBurned + otherBurns} = ${all} wei`,
  );
  const desk = market.wallets[0];
  const deskBalance = await token.balanceOf(desk);
  check(
    "the desk's ledger",
    deskBalance === market.tally.bought - market.tally.sold,
    `balance ${deskBalance} wei = bought ${market.tally.bought} - sold ${market.tally.sold}`,
  );
  const wallets = sumBig(await Promise.all(market.wallets.map((w) => token.balanceOf(w))));
  return {
    launchBurned,
    feesBurned: feesBurnedYet,
    feesSetAside,
    registrationBurned,
    pulled,
    toProtectionFund,
    holdings: [
      {
        label: `launched subnets (claimable ${parts.claimable}, carried ${parts.carried}, stakes ${parts.stakes}, bonds ${parts.bonds}, fees not yet booked ${parts.unbooked})`,
        amount: held,
      },
      { label: "market wallets (desk, users, owners, their contributors)", amount: wallets },
    ],
    checks,
  };
}
