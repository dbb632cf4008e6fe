/**
 * The agent-based economy simulation on the real contracts (the in-process Hardhat network, or anvil).
 *
 * Setup: the core stage of the deployment (`config.deploy`); the deployer, still the AccessManager's admin, onboards the validators and
 * contributors with grants from the protection fund as the fund fills up (a launch programme, about a
 * wave a day), then hands everything to the DAO (the governance stage).
 *
 * Each simulated day is one scoring round of every subnet and one distribution:
 *  1. morning (commit phase): capital stakers enter, top up, withdraw, claim or exit; contributors and
 *     validators claim; expelled validators whose stake has unbonded withdraw and stake again; the DAO
 *     proposes, votes, queues or executes; every active validator commits its scoresheet;
 *  2. the clock jumps to the reveal phase: validators reveal (a lazy one sometimes forgets);
 *  3. the clock jumps to the round's close: `distribute()`, then `finalizeRound` on every subnet;
 *  4. the day's metrics are read back from the chain (events and views).
 * Honest validators measure the truth with a small error; lazy ones skip rounds, forget to reveal or
 * reveal a copy of yesterday's honest sheet; the colluding coalition measures honestly but scores its
 * friends at the maximum. Mid-run a proposal moves emission from capital to compute.
 *
 * Everything is drawn from one seeded PRNG and block times are pinned (see chain.ts), so a seed gives
 * the same run, to the wei.
 */
import { ethers, network } from "hardhat";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { MaxUint256 } from "ethers";
import { MockStakeToken, Subnet } from "../../../typechain-types";
import { fundedAccounts } from "../chain/accounts";
import { BUCKET_NAMES, Bucket, Shares } from "../chain/constants";
import { fold } from "../models/consensus";
import { Core, Governance, SystemStages } from "../deploy/handles";
import { Proposal, buildProposal, execute, propose, queue } from "../chain/governance";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS, commitment, encodeSheet } from "../chain/poc";
import { finalizeRound } from "../chain/rounds";
import { cumulative } from "../models/schedule";
import {
  BEHAVIOUR,
  ContributorProfile,
  SimRng,
  StakerPlan,
  VALIDATOR_KINDS,
  ValidatorKind,
  ballot,
  colludedSheet,
  dailyTruth,
  extraStake,
  flatSheet,
  friendCount,
  makeContributors,
  makeStakers,
  observe,
  roundPlan,
  stakerActions,
  validatorKinds,
} from "./agents";
import { ProgressSink, ScenarioSize, silentProgress } from "./cli";
import { PinnedClock, pinBlockTimestamps } from "./chain";
import { gini } from "./metrics";
import { Market, MarketResult } from "./market";
import { MARKET } from "./market-agents";
import { Reconciliation, reconcile } from "./reconcile";

/** The three contribution buckets, in the controller's order. */
export const CONTRIBUTION_BUCKETS = [Bucket.Code, Bucket.Community, Bucket.Compute] as const;

/** The mid-run proposal: compute is scarce, move six points of emission from capital to compute. */
export const PROPOSED_SHARES: Shares = [2400, 2400, 3000, 1800, 400];
export const PROPOSAL_TITLE = "Move 6% of emission from capital to compute";

/** OpenZeppelin's `IGovernor.ProposalState` names. */
export const PROPOSAL_STATES = [
  "pending",
  "active",
  "canceled",
  "defeated",
  "succeeded",
  "queued",
  "expired",
  "executed",
] as const;

export interface SimConfig extends ScenarioSize {
  progress?: ProgressSink;
  /** How to deploy the system (deploy/stages.ts `stages(hre)`: scripts/lib does not import deploy/). */
  deploy: SystemStages;
}

export interface ContributorAgent {
  bucket: number;
  index: number;
  signer: HardhatEthersSigner;
  profile: ContributorProfile;
  bond: bigint;
  /** Slot in the subnet, -1 until registered. */
  slot: number;
  registeredDay: number;
  /** Credited by the subnet (ConsensusScore rewards). */
  earned: bigint;
  claimed: bigint;
  /** Sum of its folded true scores over the rounds it was eligible for. */
  output: bigint;
}

export interface ValidatorAgent {
  bucket: number;
  index: number;
  kind: ValidatorKind;
  signer: HardhatEthersSigner;
  stake: bigint;
  status: "pending" | "active" | "unbonding";
  releaseAt: bigint;
  earned: bigint;
  claimed: bigint;
  reveals: number;
  agreementSum: number;
  expelledNoReveal: number;
  expelledLowAgreement: number;
  /** Expelled for revealing no sheet for `activityCutoff` rounds (ISubnet.ExpelReason.Inactive). */
  expelledInactive: number;
  round?: { sheet: string; salt: string; reveal: boolean; rows: number[][] };
}

export interface StakerAgent {
  index: number;
  signer: HardhatEthersSigner;
  plan: StakerPlan;
  onboarded: boolean;
  everStaked: boolean;
  wallet: bigint;
  staked: bigint;
  nextEntry: number;
  claimed: bigint;
  /** pendingRewards at the end of the last day. */
  pending: bigint;
  deposits: number;
  exits: number;
}

/** One simulated day, read back from the chain at its end. */
export interface DayRow {
  /** 1-based: the end of day `day`. */
  day: number;
  /** Seconds from the schedule's start to the last distribution. */
  elapsed: bigint;
  supply: bigint;
  /** `cumulative(schedule, lastDistribution)` from scripts/lib/models/schedule.ts. */
  scheduleCumulative: bigint;
  /** Registration fees burned by the subnets so far (supply + burned = the schedule's cumulative). */
  burned: bigint;
  minted: bigint;
  /** Minted to each of the five buckets this day. */
  emission: bigint[];
  /** Shares in force at the end of the day (basis points). */
  shares: number[];
  /** Gini of cumulative rewards per participant: code, community, compute (contributors), capital (stakers). */
  gini: number[];
  capitalStaked: bigint;
  stakersIn: number;
  /** Credited to contributors this day, per contribution bucket. */
  contributorRewards: bigint[];
  /** Each subnet's carried emission (`pendingEmission`) after finalization. */
  carried: bigint[];
  /** Sheets revealed per subnet this round. */
  reveals: number[];
  /** Validator dividends this day: honest, lazy, colluding. */
  dividends: bigint[];
  /** Validators holding a permit at the end of the day: honest, lazy, colluding. */
  activeValidators: number[];
  expelled: number;
  protectionFund: bigint;
  proposal: string;
  transactions: number;
}

/** One subnet's scoring round as the coalition measurement sees it (see coalition.ts). */
export interface RoundTrace {
  /** 1-based day. */
  day: number;
  bucket: number;
  /** The validators whose sheets were revealed this round: kind and stake. */
  revealers: { kind: ValidatorKind; stake: bigint }[];
  /** Every validator of the subnet has been onboarded (the coalition holds its nominal share of the permits). */
  onboarded: boolean;
  /** Folded true scores of the eligible contributors: the coalition's friends, and everyone. */
  friendsTruth: bigint;
  totalTruth: bigint;
  /** Consensus scores published by the subnet (ConsensusScore events). */
  friendsScore: bigint;
  totalScore: bigint;
  /** Contributor rewards credited this round. */
  friendsReward: bigint;
  totalReward: bigint;
}

export interface GovernanceOutcome {
  title: string;
  deployedDay: number | null;
  proposedDay: number | null;
  proposer: string | null;
  queuedDay: number | null;
  executedDay: number | null;
  state: string;
  sharesBefore: number[];
  sharesAfter: number[];
  votesFor: bigint;
  votesAgainst: bigint;
  votesAbstain: bigint;
  quorum: bigint;
  voters: number;
}

export interface SimResult {
  config: ScenarioSize;
  rows: DayRow[];
  /** Every subnet's round, day by day. */
  rounds: RoundTrace[];
  contributors: ContributorAgent[];
  validators: ValidatorAgent[];
  stakers: StakerAgent[];
  governance: GovernanceOutcome;
  reconciliation: Reconciliation;
  /** The subnet market (with `subnets` > 0). */
  market?: MarketResult;
  /** Transactions sent by the run (deployment included). */
  transactions: number;
  /** Wall-clock milliseconds of the run (not part of the deterministic output). */
  wallMs: number;
  /** The node, addresses and absolute times (differ between processes; not part of the deterministic output). */
  environment: {
    /** The node's `web3_clientVersion` (`HardhatNetwork/...` in-process, `anvil/v1.7.1`). */
    client: string;
    token: string;
    controller: string;
    pool: string;
    governor: string | null;
    scheduleStart: bigint;
  };
}

/** A TTD holder who may vote: its bucket decides its stance on a share change. */
interface Holder {
  signer: HardhatEthersSigner;
  bucket: number;
  label: string;
}

/** Subnet finalization page size: the largest finalization stays under ~10.5M gas. */
function finalizeSteps(validators: number): number {
  return Math.max(48, Math.floor(3072 / validators));
}

/**
 * Runs a scenario on Hardhat's selected network: the in-process one, or anvil (scripts/simulate.ts
 * `--chain anvil`). On anvil, for the run: automine off, so that the pinned clock mines each
 * transaction's block itself (see chain.ts), and a block timestamp interval of one second, so that
 * what a transaction is estimated against (the pending block) has the time it will be mined at, as
 * on Hardhat. Leaves the chain where it ends (callers snapshot and revert if they need to).
 */
export async function runSimulation(config: SimConfig): Promise<SimResult> {
  const send = (method: string, params: unknown[] = []) => network.provider.request({ method, params });
  const client = (await send("web3_clientVersion")) as string;
  const anvil = client.toLowerCase().startsWith("anvil");
  if (anvil) {
    await send("evm_setAutomine", [false]);
    await send("anvil_setBlockTimestampInterval", [1]);
  }
  const clock = pinBlockTimestamps(network.provider, { mineTransactions: anvil });
  try {
    const sim = new Simulation(config, clock, client);
    return await sim.run();
  } finally {
    clock.restore();
    if (anvil) {
      await send("anvil_removeBlockTimestampInterval");
      await send("evm_setAutomine", [true]);
    }
  }
}

class Simulation {
  private readonly rng: SimRng;
  private readonly progress: ProgressSink;
  private core!: Core;
  private dao: Governance | null = null;
  private lp!: MockStakeToken;
  private deployer!: HardhatEthersSigner;
  private subnetAddresses: string[] = [];
  private readonly contributors: ContributorAgent[] = [];
  private readonly validators: ValidatorAgent[] = [];
  private readonly stakers: StakerAgent[] = [];
  private byAddress = new Map<string, ContributorAgent | ValidatorAgent>();
  private onboarding: (ContributorAgent | ValidatorAgent)[] = [];
  /** Yesterday's first honest sheet per subnet: what a lazy validator copies. */
  private lastHonest: (number[][] | null)[] = [null, null, null];
  private friends: Set<number>[] = [new Set(), new Set(), new Set()];
  private proposal: Proposal | null = null;
  /** The subnet market, with `subnets` > 0 (market.ts). */
  private market: Market | null = null;
  private proposalId: bigint | null = null;
  private voted = new Set<string>();
  private primed = new Set<string>();
  private readonly rows: DayRow[] = [];
  private readonly rounds: RoundTrace[] = [];
  /** The day's folded true score per contributor slot and subnet (eligible contributors only). */
  private truthToday: bigint[][] = [[], [], []];
  private readonly gov: GovernanceOutcome = {
    title: PROPOSAL_TITLE,
    deployedDay: null,
    proposedDay: null,
    proposer: null,
    queuedDay: null,
    executedDay: null,
    state: "governance not deployed",
    sharesBefore: [],
    sharesAfter: [...PROPOSED_SHARES],
    votesFor: 0n,
    votesAgainst: 0n,
    votesAbstain: 0n,
    quorum: 0n,
    voters: 0,
  };

  constructor(
    private readonly config: SimConfig,
    private readonly clock: PinnedClock,
    private readonly client: string,
  ) {
    this.rng = new SimRng(config.seed);
    this.progress = config.progress ?? silentProgress;
  }

  async run(): Promise<SimResult> {
    const started = Date.now();
    const txStart = this.clock.transactions;
    const fromBlock = await ethers.provider.getBlockNumber();
    await this.setup();
    const { days } = this.config;
    this.progress.update(0, days);
    for (let d = 0; d < days; d++) {
      await this.day(d);
      this.progress.update(d + 1, days, `${this.clock.transactions - txStart} tx`);
    }
    this.progress.finish();
    const market = this.market ? await this.market.result() : undefined;
    const reconciliation = await reconcile({
      market,
      core: this.core,
      fromBlock: fromBlock + 1,
      holders: [
        this.deployer.address,
        ...(this.dao ? [await this.dao.timelock.getAddress(), await this.dao.governor.getAddress()] : []),
        ...this.contributors.map((c) => c.signer.address),
        ...this.validators.map((v) => v.signer.address),
        ...this.stakers.map((s) => s.signer.address),
      ],
      stakers: this.stakers.map((s) => s.signer.address),
    });
    return {
      config: {
        days: this.config.days,
        contributors: this.config.contributors,
        validators: this.config.validators,
        stakers: this.config.stakers,
        seed: this.config.seed,
        ...(this.config.subnets
          ? { subnets: this.config.subnets, launchDecay: this.config.launchDecay ?? 14 }
          : {}),
      },
      rows: this.rows,
      market,
      rounds: this.rounds,
      contributors: this.contributors,
      validators: this.validators,
      stakers: this.stakers,
      governance: this.gov,
      reconciliation,
      transactions: this.clock.transactions - txStart,
      wallMs: Date.now() - started,
      environment: {
        client: this.client,
        token: await this.core.token.getAddress(),
        controller: await this.core.controller.getAddress(),
        pool: await this.core.pool.getAddress(),
        governor: this.dao ? await this.dao.governor.getAddress() : null,
        scheduleStart: this.core.schedule.start,
      },
    };
  }

  /*//////////////////////////////////////////////////////////////
                              SETUP
  //////////////////////////////////////////////////////////////*/

  private async setup(): Promise<void> {
    const { contributors, validators, stakers, days } = this.config;
    [this.deployer] = await ethers.getSigners();
    this.core = await this.config.deploy.core(this.deployer);
    if (!this.core.mockStakingToken)
      throw new Error("simulation: the capital pool needs the mock staking token (faucet)");
    this.lp = this.core.mockStakingToken;
    this.subnetAddresses = await Promise.all(this.core.subnets.map((s) => s.getAddress()));
    this.gov.sharesBefore = (await this.core.controller.shares()).map(Number);

    const minStake = DEFAULT_SUBNET_PARAMS.minValidatorStake;
    const wei = 10n ** 18n;
    for (const b of CONTRIBUTION_BUCKETS) {
      const name = BUCKET_NAMES[b];
      const kinds = validatorKinds(this.rng, validators);
      const colluders = kinds.filter((k) => k === "colluding").length;
      const profiles = makeContributors(this.rng, contributors, friendCount(contributors, colluders));
      const cSigners = await fundedAccounts(`tetrad-sim/${name}/contributor`, contributors);
      const vSigners = await fundedAccounts(`tetrad-sim/${name}/validator`, validators);
      profiles.forEach((profile, index) =>
        this.contributors.push({
          bucket: b,
          index,
          signer: cSigners[index],
          profile,
          bond: DEFAULT_SUBNET_PARAMS.bond,
          slot: -1,
          registeredDay: -1,
          earned: 0n,
          claimed: 0n,
          output: 0n,
        }),
      );
      kinds.forEach((kind, index) =>
        this.validators.push({
          bucket: b,
          index,
          kind,
          signer: vSigners[index],
          stake: minStake + extraStake(this.rng) * wei,
          status: "pending",
          releaseAt: 0n,
          earned: 0n,
          claimed: 0n,
          reveals: 0,
          agreementSum: 0,
          expelledNoReveal: 0,
          expelledLowAgreement: 0,
          expelledInactive: 0,
        }),
      );
    }
    for (const a of [...this.contributors, ...this.validators]) this.byAddress.set(a.signer.address, a);

    // Onboarding waves: per bucket, one validator and its share of the contributors.
    const perWave = Math.ceil(contributors / validators);
    const waves = Math.max(validators, Math.ceil(contributors / perWave));
    for (let w = 0; w < waves; w++) {
      for (const b of CONTRIBUTION_BUCKETS) {
        const v = this.validators.find((x) => x.bucket === b && x.index === w);
        if (v) this.onboarding.push(v);
        for (const c of this.contributors) {
          if (c.bucket === b && c.index >= w * perWave && c.index < (w + 1) * perWave)
            this.onboarding.push(c);
        }
      }
    }

    const plans = makeStakers(this.rng, stakers, days);
    const sSigners = await fundedAccounts("tetrad-sim/staker", stakers);
    plans.forEach((plan, index) =>
      this.stakers.push({
        index,
        signer: sSigners[index],
        plan,
        onboarded: false,
        everStaked: false,
        wallet: 0n,
        staked: 0n,
        nextEntry: plan.entryDay,
        claimed: 0n,
        pending: 0n,
        deposits: 0,
        exits: 0,
      }),
    );

    if (this.config.subnets) {
      this.market = new Market(
        this.core,
        this.deployer,
        {
          subnets: this.config.subnets,
          launchDecay: this.config.launchDecay ?? 14,
          days,
          seed: this.config.seed,
        },
        this.clock,
        {
          holders: this.holderAgents(),
          sellers: [
            ...this.stakers.map((s) =>
              s.plan.kind === "mercenary"
                ? { signer: s.signer, share: 1, short: 1 }
                : { signer: s.signer, share: 0, short: MARKET.shortSellShare },
            ),
            ...this.contributors.map((c) => ({ signer: c.signer, share: MARKET.minerSellShare, short: 1 })),
          ],
        },
      );
      await this.market.setup();
    }
  }

  /** Every agent that may come to hold TTD, onboarded or not (the market's voting panel is drawn from them). */
  private holderAgents(): { signer: HardhatEthersSigner; label: string }[] {
    return [
      ...this.stakers.map((s) => ({ signer: s.signer, label: `staker ${s.index} (${s.plan.kind})` })),
      ...this.contributors.map((c) => ({
        signer: c.signer,
        label: `${BUCKET_NAMES[c.bucket]} contributor ${c.index}`,
      })),
      ...this.validators.map((v) => ({
        signer: v.signer,
        label: `${BUCKET_NAMES[v.bucket]} validator ${v.index} (${v.kind})`,
      })),
    ];
  }

  /*//////////////////////////////////////////////////////////////
                               A DAY
  //////////////////////////////////////////////////////////////*/

  private async day(d: number): Promise<void> {
    const txBefore = this.clock.transactions;
    const startBlock = await ethers.provider.getBlockNumber();

    // Morning: the commit phase of every subnet's round.
    await this.keeper(d);
    await this.onboard(d);
    await this.capital(d);
    await this.claims();
    await this.restake();
    await this.governance(d);
    await this.market?.morning(d);
    const rounds = await Promise.all(this.core.subnets.map((s) => s.round()));
    for (const [i, subnet] of this.core.subnets.entries()) await this.commit(i, subnet, rounds[i], d);

    await this.warpTo("reveal");
    for (const v of this.validators) {
      if (v.round?.reveal)
        await this.core.subnets[v.bucket].connect(v.signer).reveal(v.round.sheet, v.round.salt);
    }
    await this.market?.midday();

    await this.warpTo("closed");
    await this.core.controller.distribute();
    const finalizeFrom = (await ethers.provider.getBlockNumber()) + 1;
    for (const subnet of this.core.subnets)
      await finalizeRound(subnet, finalizeSteps(this.config.validators));
    await this.market?.evening(d, startBlock + 1);

    await this.record(d, startBlock + 1, finalizeFrom, this.clock.transactions - txBefore);
  }

  /** Pays the subnets' owner share (owner: the protection fund) into the fund. */
  private async keeper(d: number): Promise<void> {
    if (this.dao !== null && d % 7 !== 0) return;
    const fund = await this.core.protectionFund.getAddress();
    for (const subnet of this.core.subnets) {
      if ((await subnet.claimable(fund)) > 0n) await subnet.claimFor(fund);
    }
  }

  /** Grants from the protection fund while it can pay them, in wave order; then the DAO takes over. */
  private async onboard(d: number): Promise<void> {
    if (this.dao !== null) return;
    const { token, protectionFund } = this.core;
    let balance = await token.balanceOf(protectionFund);
    while (this.onboarding.length > 0) {
      const agent = this.onboarding[0];
      const subnet = this.core.subnets[agent.bucket].connect(agent.signer);
      // A contributor's grant covers its bond and the registration fee it burns.
      const amount = "kind" in agent ? agent.stake : agent.bond + (await subnet.registrationFee());
      if (amount > balance) break;
      this.onboarding.shift();
      balance -= amount;
      await protectionFund.connect(this.deployer).release(token, agent.signer.address, amount);
      await token.connect(agent.signer).approve(this.subnetAddresses[agent.bucket], MaxUint256);
      await token.connect(agent.signer).delegate(agent.signer.address);
      if ("kind" in agent) {
        await subnet.stake(amount);
        agent.status = "active";
      } else {
        await subnet.register(`ipfs://tetrad-sim/${BUCKET_NAMES[agent.bucket]}/${agent.index}`);
        agent.slot = Number(await subnet.contributorSlot(agent.signer.address));
        agent.registeredDay = d;
        if (agent.profile.friend) this.friends[agent.bucket].add(agent.slot);
      }
    }
    if (this.onboarding.length === 0) {
      this.dao = await this.config.deploy.governance(this.core);
      this.gov.deployedDay = d;
      this.gov.state = "not proposed";
      this.proposal = buildProposal(
        PROPOSAL_TITLE,
        "GPU capacity is the bottleneck of the network: pay compute providers more, from the capital bucket.",
        [{ kind: "setShares", controller: await this.core.controller.getAddress(), shares: PROPOSED_SHARES }],
      );
    }
  }

  /** Capital stakers: faucet, approve and delegate on their first day, then their daily actions. */
  private async capital(d: number): Promise<void> {
    const { pool, token } = this.core;
    const poolAddress = await pool.getAddress();
    for (const s of this.stakers) {
      if (!s.onboarded) {
        if (d < s.plan.entryDay) continue;
        await this.lp.connect(s.signer).mint(s.signer.address, s.plan.budget);
        await this.lp.connect(s.signer).approve(poolAddress, MaxUint256);
        await token.connect(s.signer).delegate(s.signer.address);
        s.wallet = s.plan.budget;
        s.onboarded = true;
      }
      const { actions, nextEntry } = stakerActions(this.rng, s.plan, s, d);
      s.nextEntry = nextEntry;
      const p = pool.connect(s.signer);
      for (const a of actions) {
        switch (a.kind) {
          case "deposit":
            await p.deposit(a.amount);
            s.wallet -= a.amount;
            s.staked += a.amount;
            s.everStaked = true;
            s.deposits++;
            break;
          case "withdraw":
            await p.withdraw(a.amount);
            s.wallet += a.amount;
            s.staked -= a.amount;
            break;
          case "claim":
            await p.claim();
            s.pending = 0n;
            break;
          case "exit":
            await p.exit();
            s.wallet += s.staked;
            s.staked = 0n;
            s.pending = 0n;
            s.exits++;
            break;
        }
      }
    }
  }

  /** Contributors and validators claim what the subnets credited them, now and then. */
  private async claims(): Promise<void> {
    for (const c of this.contributors) {
      if (c.earned > c.claimed && this.rng.chance(BEHAVIOUR.contributorClaim)) {
        await this.core.subnets[c.bucket].connect(c.signer).claim();
        c.claimed = c.earned;
      }
    }
    for (const v of this.validators) {
      if (v.earned > v.claimed && this.rng.chance(BEHAVIOUR.validatorClaim)) {
        await this.core.subnets[v.bucket].connect(v.signer).claim();
        v.claimed = v.earned;
      }
    }
  }

  /** Expelled validators take their stake back once it has unbonded and stake it again. */
  private async restake(): Promise<void> {
    const now = await this.clock.latest();
    for (const v of this.validators) {
      if (v.status !== "unbonding" || now < v.releaseAt) continue;
      const subnet = this.core.subnets[v.bucket].connect(v.signer);
      await subnet.withdrawUnbonded();
      await subnet.stake(v.stake);
      v.status = "active";
    }
  }

  /** The DAO: propose mid-run, vote while the vote is open, queue, execute when due. */
  private async governance(d: number): Promise<void> {
    if (this.dao === null || this.proposal === null) return;
    const { governor } = this.dao;
    const { token } = this.core;
    const proposeDay = Math.max(Math.floor(this.config.days * 0.4), (this.gov.deployedDay ?? 0) + 1);
    if (this.proposalId === null) {
      // The day before, holders claim what they earned: only votes held a lookback before the
      // snapshot count, and the snapshot's lookback point is the proposal itself (issue 15).
      if (d >= proposeDay - 1) await this.claimToVote();
      if (d < proposeDay) return;
      // The holder with the most votes proposes, once it passes the threshold.
      const holders = this.holders();
      const votes: bigint[] = [];
      // As the Governor counts them: held for its vote lookback too (issue 15).
      const now = (await this.clock.latest()) - 1n;
      for (const h of holders) votes.push(await governor.getVotes(h.signer.address, now));
      let best = 0;
      votes.forEach((v, i) => (v > votes[best] ? (best = i) : undefined));
      if (holders.length === 0 || votes[best] < (await governor.proposalThreshold())) return;
      this.proposalId = await propose(governor, holders[best].signer, this.proposal);
      this.gov.proposedDay = d;
      this.gov.proposer = holders[best].label;
      this.gov.state = "pending";
      return;
    }
    const id = this.proposalId;
    const state = PROPOSAL_STATES[Number(await governor.state(id))];
    this.gov.state = state;
    if (state === "active") {
      const snapshot = await governor.proposalSnapshot(id);
      const deadline = await governor.proposalDeadline(id);
      for (const h of this.holders()) {
        if (this.voted.has(h.signer.address) || !this.rng.chance(BEHAVIOUR.turnout)) continue;
        this.voted.add(h.signer.address);
        if ((await token.getPastVotes(h.signer.address, snapshot)) === 0n) continue;
        const delta = PROPOSED_SHARES[h.bucket] - this.gov.sharesBefore[h.bucket];
        const support = ballot(this.rng, delta);
        // Each vote is mined a second after the block before: when the deadline falls this morning,
        // the vote closes while they are cast, and a late ballot is not sent (it would revert). The
        // draws above still happen, so that runs which never meet this draw the same numbers.
        if ((await this.clock.latest()) + 1n > deadline) continue;
        await governor.connect(h.signer).castVote(id, support);
        this.gov.voters++;
      }
    } else if (state === "succeeded") {
      await queue(governor, this.proposal);
      this.gov.queuedDay = d;
      this.gov.state = "queued";
    } else if (state === "queued") {
      if ((await this.clock.latest()) >= (await governor.proposalEta(id))) {
        await execute(governor, this.proposal);
        this.gov.executedDay = d;
        this.gov.state = "executed";
      }
    }
    if (state !== "pending") {
      const [against, forVotes, abstain] = await governor.proposalVotes(id);
      this.gov.votesAgainst = against;
      this.gov.votesFor = forVotes;
      this.gov.votesAbstain = abstain;
      this.gov.quorum = await governor.quorum(await governor.proposalSnapshot(id));
    }
  }

  /**
   * The day before the proposal, holders claim what they earned so that it counts: the Governor
   * takes the lesser of the votes at the snapshot and a vote lookback earlier (issue 15), and with
   * the lookback equal to the voting delay that earlier point is the proposal itself.
   */
  private async claimToVote(): Promise<void> {
    for (const s of this.stakers) {
      if (!s.everStaked || this.primed.has(s.signer.address)) continue;
      this.primed.add(s.signer.address);
      if (this.rng.chance(BEHAVIOUR.claimToVote)) {
        await this.core.pool.connect(s.signer).claim();
        s.pending = 0n;
      }
    }
    for (const a of [...this.contributors, ...this.validators]) {
      if (a.earned === a.claimed || this.primed.has(a.signer.address)) continue;
      this.primed.add(a.signer.address);
      if (this.rng.chance(BEHAVIOUR.claimToVote)) {
        await this.core.subnets[a.bucket].connect(a.signer).claim();
        a.claimed = a.earned;
      }
    }
  }

  /** Everyone who holds (delegated) TTD: onboarded stakers, contributors and validators. */
  private holders(): Holder[] {
    const out: Holder[] = [];
    for (const s of this.stakers) {
      if (s.onboarded)
        out.push({ signer: s.signer, bucket: Bucket.Capital, label: `staker ${s.index} (${s.plan.kind})` });
    }
    for (const c of this.contributors) {
      if (c.slot >= 0) {
        out.push({
          signer: c.signer,
          bucket: c.bucket,
          label: `${BUCKET_NAMES[c.bucket]} contributor ${c.index}`,
        });
      }
    }
    for (const v of this.validators) {
      if (v.status !== "pending") {
        out.push({
          signer: v.signer,
          bucket: v.bucket,
          label: `${BUCKET_NAMES[v.bucket]} validator ${v.index} (${v.kind})`,
        });
      }
    }
    return out;
  }

  /** The day's truth in subnet `i`, and every active validator's commitment. */
  private async commit(i: number, subnet: Subnet, round: bigint, d: number): Promise<void> {
    const members = this.contributors.filter((c) => c.bucket === CONTRIBUTION_BUCKETS[i] && c.slot >= 0);
    const slots = members.reduce((m, c) => Math.max(m, c.slot + 1), 0);
    const truth: number[][] = Array.from({ length: slots }, () => Array<number>(BEHAVIOUR.metrics).fill(0));
    this.truthToday[i] = Array<bigint>(slots).fill(0n);
    for (const c of members) {
      truth[c.slot] = dailyTruth(this.rng, c.profile);
      if (c.registeredDay < d) {
        const score = fold(truth[c.slot], DEFAULT_METRIC_WEIGHTS);
        c.output += score;
        this.truthToday[i][c.slot] = score;
      }
    }
    let honestToday: number[][] | null = null;
    for (const v of this.validators) {
      if (v.bucket !== CONTRIBUTION_BUCKETS[i]) continue;
      v.round = undefined;
      if (v.status !== "active") continue;
      const plan = roundPlan(this.rng, v.kind);
      if (plan === "skip") continue;
      let rows: number[][];
      if (v.kind === "honest") {
        rows = observe(this.rng, truth);
        honestToday ??= rows;
      } else if (v.kind === "colluding") {
        rows = colludedSheet(observe(this.rng, truth), this.friends[i]);
      } else {
        rows = (this.lastHonest[i] ?? flatSheet(slots)).map((r) => [...r]);
      }
      const sheet = encodeSheet(rows, BEHAVIOUR.metrics);
      const salt = this.rng.bytes32();
      await subnet
        .connect(v.signer)
        .commit(commitment(this.subnetAddresses[i], round, v.signer.address, salt, sheet));
      v.round = { sheet, salt, reveal: plan === "reveal", rows };
    }
    if (honestToday !== null) this.lastHonest[i] = honestToday;
  }

  /** Jumps to the start of every subnet's reveal phase, or past every round's close: one warp. */
  private async warpTo(phase: "reveal" | "closed"): Promise<void> {
    const times = await Promise.all(this.core.subnets.map((s) => s.roundTimes()));
    const target = times.reduce((m, [, commitEnd, revealEnd]) => {
      const t = phase === "reveal" ? commitEnd : revealEnd;
      return t > m ? t : m;
    }, 0n);
    const now = await this.clock.latest();
    if (target > now) await this.clock.warp(target - now);
  }

  /*//////////////////////////////////////////////////////////////
                              METRICS
  //////////////////////////////////////////////////////////////*/

  private async record(
    d: number,
    fromBlock: number,
    finalizeFrom: number,
    transactions: number,
  ): Promise<void> {
    const { controller, token, pool, protectionFund, subnets, schedule } = this.core;

    const emission = [0n, 0n, 0n, 0n, 0n];
    let minted = 0n;
    for (const e of await controller.queryFilter(controller.filters.Distributed(), fromBlock, "latest")) {
      minted += e.args.minted;
      e.args.amounts.forEach((a, k) => (emission[k] += a));
    }

    const contributorRewards = [0n, 0n, 0n];
    const reveals = [0, 0, 0];
    const dividends = [0n, 0n, 0n];
    let expelled = 0;
    for (const [i, subnet] of subnets.entries()) {
      const trace: RoundTrace = {
        day: d + 1,
        bucket: CONTRIBUTION_BUCKETS[i],
        revealers: this.validators
          .filter((v) => v.bucket === CONTRIBUTION_BUCKETS[i] && v.round?.reveal)
          .map((v) => ({ kind: v.kind, stake: v.stake })),
        onboarded: this.validators.every(
          (v) => v.bucket !== CONTRIBUTION_BUCKETS[i] || v.status !== "pending",
        ),
        friendsTruth: 0n,
        totalTruth: 0n,
        friendsScore: 0n,
        totalScore: 0n,
        friendsReward: 0n,
        totalReward: 0n,
      };
      this.truthToday[i].forEach((t, slot) => {
        trace.totalTruth += t;
        if (this.friends[i].has(slot)) trace.friendsTruth += t;
      });
      for (const e of await subnet.queryFilter(subnet.filters.ConsensusScore(), finalizeFrom, "latest")) {
        const c = this.byAddress.get(e.args.contributor) as ContributorAgent;
        c.earned += e.args.reward;
        contributorRewards[i] += e.args.reward;
        trace.totalScore += e.args.score;
        trace.totalReward += e.args.reward;
        if (c.profile.friend) {
          trace.friendsScore += e.args.score;
          trace.friendsReward += e.args.reward;
        }
      }
      this.rounds.push(trace);
      for (const e of await subnet.queryFilter(subnet.filters.ValidatorDividend(), finalizeFrom, "latest")) {
        const v = this.byAddress.get(e.args.validator) as ValidatorAgent;
        v.earned += e.args.reward;
        v.reveals++;
        v.agreementSum += Number(e.args.agreementBps);
        dividends[VALIDATOR_KINDS.indexOf(v.kind)] += e.args.reward;
      }
      for (const e of await subnet.queryFilter(subnet.filters.RoundFinalized(), finalizeFrom, "latest")) {
        reveals[i] += Number(e.args.reveals);
      }
      for (const e of await subnet.queryFilter(subnet.filters.ValidatorExpelled(), finalizeFrom, "latest")) {
        const v = this.byAddress.get(e.args.validator) as ValidatorAgent;
        v.status = "unbonding";
        v.releaseAt = (await subnet.unbonding(v.signer.address)).releaseAt;
        // ISubnet.ExpelReason: 0 NoReveal, 1 LowAgreement, 4 Inactive (Outbid and BelowMinimum do not occur here).
        if (e.args.reason === 0n) v.expelledNoReveal++;
        else if (e.args.reason === 4n) v.expelledInactive++;
        else v.expelledLowAgreement++;
        expelled++;
      }
    }
    for (const e of await pool.queryFilter(pool.filters.RewardPaid(), fromBlock, "latest")) {
      const s = this.stakers.find((x) => x.signer.address === e.args.user);
      if (s) s.claimed += e.args.amount;
    }
    // What a staker is owed moves only while it has stake (claims and exits set it to 0 above).
    for (const s of this.stakers) if (s.staked > 0n) s.pending = await pool.pendingRewards(s.signer.address);

    const giniOf = (b: number) =>
      gini(this.contributors.filter((c) => c.bucket === b && c.slot >= 0).map((c) => c.earned));
    const capitalEarned = this.stakers.filter((s) => s.everStaked).map((s) => s.claimed + s.pending);
    const lastDistribution = await controller.lastDistribution();
    const activeValidators = VALIDATOR_KINDS.map(
      (k) => this.validators.filter((v) => v.kind === k && v.status === "active").length,
    );
    let burned = 0n;
    for (const subnet of this.core.subnets) {
      for (const e of await subnet.queryFilter(subnet.filters.RegistrationFeeBurned(), 0, "latest"))
        burned += e.args.fee;
    }
    // The market's burns: launch costs, fee burns, launched subnets' registration fees.
    burned += this.market?.burned ?? 0n;
    this.rows.push({
      day: d + 1,
      elapsed: lastDistribution - schedule.start,
      supply: await token.totalSupply(),
      scheduleCumulative: cumulative(schedule, lastDistribution),
      burned,
      minted,
      emission,
      shares: (await controller.shares()).map(Number),
      gini: [...CONTRIBUTION_BUCKETS.map(giniOf), gini(capitalEarned)],
      capitalStaked: await pool.totalStaked(),
      stakersIn: this.stakers.filter((s) => s.staked > 0n).length,
      contributorRewards,
      carried: await Promise.all(subnets.map((s) => s.pendingEmission())),
      reveals,
      dividends,
      activeValidators,
      expelled,
      protectionFund: await token.balanceOf(protectionFund),
      proposal: this.gov.state,
      transactions,
    });
  }
}
