/**
 * `status`: a readable summary of the deployment on the selected network: emission against the
 * schedule, the split and the buckets' balances, the subnets and their rounds, the account's balances,
 * stakes, rewards and votes, and the proposals still open.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, isAddress, ZeroAddress } from "ethers";
import { BUCKET_NAMES } from "../../lib/chain/constants";
import { PHASES, PROPOSAL_STATES, Units, shortId } from "../../lib/chain/errors";
import { fmt, table } from "../../lib/chain/format";
import { Standing, bpsText, sheetStanding } from "../../lib/shared/standing";
import {
  Ballot,
  LaunchPricing,
  MARKET_BUCKETS,
  NetIssuance,
  ballotText,
  formatBpsText,
  gaugePoolText,
  netIssuance,
} from "../../lib/shared/market";
import type { CommonArgs } from "./args";
import { Session, TaskError, log, open } from "./context";
import { BucketMarket, genesisNames, readBucketMarket, readLaunch } from "./market";

/** `status` arguments. */
export interface StatusArgs extends CommonArgs {
  /** Whose balances to show (default: the signer). */
  account?: string;
}

/** One subnet's state. */
export interface SubnetStatus {
  name: string;
  address: string;
  contributors: bigint;
  validators: bigint;
  totalStake: bigint;
  round: bigint;
  phase: (typeof PHASES)[number];
  commitEnd: bigint;
  revealEnd: bigint;
  pendingEmission: bigint;
  /** The validator rules in force this round (basis points; cutoff in rounds). */
  rules: {
    agreementThreshold: number;
    relativeThreshold: number;
    maxStrikes: number;
    activityCutoff: number;
    edgeShare: number;
    edgeFloor: number;
  };
}

/** The account's position in one subnet. */
export interface MySubnet {
  name: string;
  contributorSlot?: bigint;
  validatorStake: bigint;
  /** When the account holds a validator permit: its strikes and its sheet's standing. */
  validator?: { strikes: number; maxStrikes: number; standing: Standing };
  unbonding: bigint;
  releaseAt: bigint;
  claimable: bigint;
}

/** A proposal as `status` lists it. */
export interface ProposalStatus {
  index: number;
  id: bigint;
  state: (typeof PROPOSAL_STATES)[number];
  snapshot: bigint;
  deadline: bigint;
  eta: bigint;
  votes: { for: bigint; against: bigint; abstain: bigint };
  title?: string;
}

/** The subnet market: what a launch costs now, and each bucket's gauge and live subnets. */
export interface MarketStatus {
  launchCost: bigint;
  pricing: LaunchPricing;
  launched: bigint;
  buckets: BucketMarket[];
}

/** The account's gauge ballot in one bucket. */
export interface MyBallot {
  bucket: (typeof MARKET_BUCKETS)[number];
  /** Its power this period (what a vote or a poke now would apply). */
  powerNow: bigint;
  /** The power its ballot applies, and the period that was read in. */
  power: bigint;
  period: bigint;
  ballot: Ballot;
}

/** Everything `status` prints, for programs. */
export interface StatusReport {
  network: string;
  chainId: bigint;
  block: number;
  now: bigint;
  emission: {
    supply: bigint;
    scheduleSoFar: bigint;
    pending: bigint;
    scheduleTotal: bigint;
    scheduleStart: bigint;
    scheduleEnd: bigint;
    lastDistribution: bigint;
    shares: number[];
    recipients: string[];
    balances: bigint[];
    /** Minted (the controller's total), burned (launches, fees, registrations), net issuance. */
    issuance: NetIssuance;
  };
  market: MarketStatus;
  pool: { totalStaked: bigint; rate: bigint; finish: bigint };
  subnets: SubnetStatus[];
  account: {
    address: string;
    ttd: bigint;
    votes: bigint;
    delegate: string;
    stakeToken: bigint;
    poolStake: bigint;
    poolPending: bigint;
    subnets: MySubnet[];
    ballots: MyBallot[];
  };
  proposals: { total: number; open: ProposalStatus[] };
}

const OPEN_STATES = new Set(["Pending", "Active", "Succeeded", "Queued"]);
const SUBNETS = ["code", "community", "compute"] as const;

/** An amount of `units` for tables: 4 decimals, thousands separated (scripts/lib/chain/format.ts). */
function amountCell(wei: bigint, units: Units): string {
  const scaled =
    units.decimals <= 18
      ? wei * 10n ** BigInt(18 - units.decimals)
      : wei / 10n ** BigInt(units.decimals - 18);
  return fmt(scaled);
}

function percent(part: bigint, whole: bigint): string {
  if (whole === 0n) return "0.00%";
  return `${(Number((part * 1_000_000n) / whole) / 10_000).toFixed(2)}%`;
}

/** Collects the report for `args.account` (default: the signer) without printing anything. */
export async function collectStatus(s: Session, args: StatusArgs): Promise<StatusReport> {
  const { hre } = s;
  const c = s.contracts;
  let account = s.me;
  if (args.account) {
    if (!isAddress(args.account)) throw new TaskError(`--account: "${args.account}" is not an address`);
    account = getAddress(args.account);
  }
  const provider = hre.ethers.provider;
  const latest = await provider.getBlock("latest");
  const now = BigInt(latest?.timestamp ?? 0);

  const [supply, scheduleStart, scheduleEnd, scheduleTotal, pending, last, sharesRaw, minted] =
    await Promise.all([
      c.token.totalSupply(),
      c.controller.scheduleStart(),
      c.controller.scheduleEnd(),
      c.controller.scheduleTotal(),
      c.controller.pendingEmission(),
      c.controller.lastDistribution(),
      c.controller.shares(),
      c.controller.totalEmitted(),
    ]);
  const scheduleSoFar = now <= scheduleStart ? 0n : await c.controller.emittedBetween(scheduleStart, now);
  const recipients = await Promise.all(
    [0, 1, 2, 3, 4].map(async (b) => (await c.controller.recipient(b)).account),
  );
  const balances = await Promise.all(recipients.map((r) => c.token.balanceOf(r)));
  const [totalStaked, [rate, finish]] = await Promise.all([c.pool.totalStaked(), c.pool.rewardStream()]);

  const subnets: SubnetStatus[] = [];
  const mine: MySubnet[] = [];
  for (const [i, subnet] of c.subnets.entries()) {
    const [contributors, validators, totalStake, round, [, commitEnd, revealEnd], pendingEmission, [p]] =
      await Promise.all([
        subnet.contributorCount(),
        subnet.validatorCount(),
        subnet.totalStake(),
        subnet.round(),
        subnet.roundTimes(),
        subnet.pendingEmission(),
        subnet.params(),
      ]);
    const phase = now < commitEnd ? "commit" : now < revealEnd ? "reveal" : "closed";
    subnets.push({
      name: SUBNETS[i],
      address: await subnet.getAddress(),
      contributors,
      validators,
      totalStake,
      round,
      phase,
      commitEnd,
      revealEnd,
      pendingEmission,
      rules: {
        agreementThreshold: Number(p.agreementThreshold),
        relativeThreshold: Number(p.relativeThreshold),
        maxStrikes: Number(p.maxStrikes),
        activityCutoff: Number(p.activityCutoff),
        edgeShare: Number(p.edgeShare),
        edgeFloor: Number(p.edgeFloor),
      },
    });
    const [slot, vSlot, [unbonding, releaseAt], claimable] = await Promise.all([
      subnet.contributorSlot(account).catch(() => undefined),
      subnet.validatorSlot(account).catch(() => undefined),
      subnet.unbonding(account),
      subnet.claimable(account),
    ]);
    const v = vSlot === undefined ? undefined : await subnet.validatorAt(vSlot);
    const validator =
      v === undefined
        ? undefined
        : {
            strikes: Number(v.strikes),
            maxStrikes: Number(p.maxStrikes),
            standing: sheetStanding({
              round,
              activityCutoff: p.activityCutoff,
              commitRound: v.commitRound,
              revealRound: v.revealRound,
              joinRound: v.joinRound,
              phase,
            }),
          };
    mine.push({
      name: SUBNETS[i],
      contributorSlot: slot,
      validatorStake: v?.stake ?? 0n,
      validator,
      unbonding,
      releaseAt,
      claimable,
    });
  }

  // The market: the launch cost, each bucket's gauge, and the account's ballots.
  const launch = await readLaunch(s);
  const buckets = await Promise.all(MARKET_BUCKETS.map((_, i) => readBucketMarket(s, i)));
  const ballots: MyBallot[] = [];
  for (const [i, bucket] of c.buckets.entries()) {
    const [[power, period, ids, bps], powerNow] = await Promise.all([
      bucket.ballotOf(account),
      bucket.votingPower(account),
    ]);
    if (ids.length === 0 && powerNow === 0n) continue;
    ballots.push({
      bucket: MARKET_BUCKETS[i],
      powerNow,
      power,
      period,
      ballot: { ids: ids.map(Number), bps: bps.map(Number) },
    });
  }

  const [ttd, votes, delegate, stakeToken, poolStake, poolPending] = await Promise.all([
    c.token.balanceOf(account),
    c.token.getVotes(account),
    c.token.delegates(account),
    c.stakingToken.balanceOf(account),
    c.pool.balanceOf(account),
    c.pool.pendingRewards(account),
  ]);

  // Proposals: the Governor's list (GovernorStorage), titles from ProposalCreated when the node serves logs.
  const total = Number(await c.governor.proposalCount());
  const titles = new Map<bigint, string>();
  try {
    const events = await c.governor.queryFilter(
      c.governor.filters.ProposalCreated(),
      s.deployment.startBlock ?? 0,
    );
    for (const e of events) {
      const first = String(e.args.description).split("\n")[0].replace(/^#\s*/, "");
      titles.set(e.args.proposalId, first);
    }
  } catch {
    /* a node that limits log ranges: no titles */
  }
  const open_: ProposalStatus[] = [];
  for (let i = total - 1; i >= 0 && open_.length < 20; i--) {
    const { proposalId: id } = await c.governor.proposalDetailsAt(i);
    const state = PROPOSAL_STATES[Number(await c.governor.state(id))];
    if (!OPEN_STATES.has(state)) continue;
    const [snapshot, deadline, eta, [against, forVotes, abstain]] = await Promise.all([
      c.governor.proposalSnapshot(id),
      c.governor.proposalDeadline(id),
      c.governor.proposalEta(id),
      c.governor.proposalVotes(id),
    ]);
    open_.unshift({
      index: i + 1,
      id,
      state,
      snapshot,
      deadline,
      eta,
      votes: { for: forVotes, against, abstain },
      title: titles.get(id),
    });
  }

  return {
    network: hre.network.name,
    chainId: s.chainId,
    block: latest?.number ?? 0,
    now,
    emission: {
      supply,
      scheduleSoFar,
      pending,
      scheduleTotal,
      scheduleStart,
      scheduleEnd,
      lastDistribution: last,
      shares: sharesRaw.map(Number),
      recipients,
      balances,
      issuance: netIssuance(minted, supply),
    },
    market: {
      launchCost: launch.cost,
      pricing: launch.pricing,
      launched: launch.launched,
      buckets,
    },
    pool: { totalStaked, rate, finish },
    subnets,
    account: {
      address: account,
      ttd,
      votes,
      delegate,
      stakeToken,
      poolStake,
      poolPending,
      subnets: mine,
      ballots,
    },
    proposals: { total, open: open_ },
  };
}

/** Prints the status report of the deployment and the account; returns it. */
export async function status(args: StatusArgs, hre: HardhatRuntimeEnvironment): Promise<StatusReport> {
  const s = await open(hre, args.from);
  const r = await collectStatus(s, args);
  const { ttd, stake } = s;
  const t = (x: bigint) => s.timeText(x, r.now);
  const T = (x: bigint) => `${amountCell(x, ttd)} ${ttd.symbol}`;
  const e = r.emission;

  log(`Tetrad on ${r.network} (chain ${r.chainId}), block ${r.block}, ${t(r.now)}`);
  log("");
  log("Emission");
  log(
    `  supply            ${T(e.supply)}  (${percent(e.supply, e.scheduleTotal)} of the ${T(e.scheduleTotal)} cap)`,
  );
  log(`  schedule so far   ${T(e.scheduleSoFar)}  since ${t(e.scheduleStart)}; ends ${t(e.scheduleEnd)}`);
  log(
    `  net issuance      ${T(e.issuance.net)}  = minted ${T(e.issuance.minted)} - burned ${T(e.issuance.burned)} ` +
      "(launch costs, the burn share of fees, registration fees)",
  );
  log(
    `  undistributed     ${T(e.pending)}  ` +
      (e.pending > 0n ? "(anyone can mint it: npx hardhat distribute)" : "(up to date)") +
      `; last distribution ${t(e.lastDistribution)}`,
  );
  log("");
  log(
    table(
      ["bucket", "share", "recipient", `balance (${ttd.symbol})`],
      e.shares.map((share, i) => [
        BUCKET_NAMES[i] + (i === 4 ? " fund" : ""),
        `${(share / 100).toFixed(2)}%`,
        e.recipients[i],
        amountCell(e.balances[i], ttd),
      ]),
    )
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n"),
  );
  log("");
  const perDay = r.pool.rate * 86_400n;
  log(
    `Capital pool: ${amountCell(r.pool.totalStaked, stake)} ${stake.symbol} staked; ` +
      (r.pool.finish > r.now
        ? `streaming ${T(perDay)} a day until ${t(r.pool.finish)}`
        : "no reward stream running (it restarts with the next distribution)"),
  );
  log("");
  log("Subnets");
  log(
    table(
      [
        "subnet",
        "contributors",
        "validators",
        `stake (${ttd.symbol})`,
        "round",
        "phase",
        "phase ends",
        "next pool",
      ],
      r.subnets.map((x) => [
        x.name,
        `${x.contributors}/256`,
        `${x.validators}/64`,
        amountCell(x.totalStake, ttd),
        x.round.toString(),
        x.phase,
        x.phase === "commit" ? t(x.commitEnd) : x.phase === "reveal" ? t(x.revealEnd) : "awaits finalization",
        amountCell(x.pendingEmission, ttd),
      ]),
    )
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n"),
  );
  for (const x of r.subnets) {
    const v = x.rules;
    log(
      `  ${x.name} validators: struck under ${bpsText(v.agreementThreshold)} agreement or ${bpsText(v.relativeThreshold)} ` +
        `of the median, expelled after ${v.maxStrikes} strikes; sheets in force ${v.activityCutoff} rounds ` +
        `(activityCutoff); full dividend from ${bpsText(v.edgeShare)} of the median edge (edgeShare), ` +
        `all of it for edge from a median edge of ${bpsText(v.edgeFloor)} (edgeFloor)`,
    );
  }
  log("");
  const market = r.market;
  log(
    `Subnet market: launch cost now ${T(market.launchCost)} (doubles with each launch, decays back over ` +
      `${Math.round(market.pricing.decayPeriod / 86_400)} days, ${T(market.pricing.minCost)} at least); ` +
      `${market.launched} launched so far (subnet:launch)`,
  );
  const short = (x: string) => `${x.slice(0, 6)}…${x.slice(-4)}`;
  for (const b of market.buckets) {
    log(
      `  ${b.name} bucket: period ${b.timing.period} (next starts ${t(b.timing.next)}); ` +
        `${b.listings.length}/${b.params.maxSubnets} live subnets, cap ${formatBpsText(b.params.capBps)} each, ` +
        `${formatBpsText(b.params.feeBurnBps)} of fees burned; ` +
        gaugePoolText(b.listings.reduce((sum, x) => sum + x.floor, 0)) +
        (b.unallocated > 0n ? `; ${T(b.unallocated)} carried (no votes or floors to place it)` : ""),
    );
    log(
      table(
        [
          "id",
          "subnet",
          "owner",
          "floor",
          "share",
          "votes now",
          "votes next",
          `fees (${ttd.symbol})`,
          "burned",
          "lifecycle",
        ],
        b.listings.map((x) => [
          `#${x.id}`,
          x.label.length > 24 ? short(x.label) : x.label,
          short(x.owner),
          formatBpsText(x.floor),
          formatBpsText(x.shareBps),
          amountCell(x.votes.current, ttd),
          amountCell(x.votes.next, ttd),
          amountCell(x.fees.paid, ttd),
          amountCell(x.fees.burned, ttd),
          x.lifecycle,
        ]),
      )
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n"),
    );
  }
  log("");
  const a = r.account;
  const delegateText =
    a.delegate === ZeroAddress
      ? "not delegated (gov:delegate to vote)"
      : a.delegate === a.address
        ? "yourself"
        : a.delegate;
  log(`Account ${a.address}${a.address === s.me ? "" : " (not the signer)"}`);
  log(
    `  ${ttd.symbol.padEnd(6)} ${T(a.ttd)}; voting power ${T(a.votes)}; votes delegated to ${delegateText}`,
  );
  log(
    `  ${stake.symbol.padEnd(6)} ${amountCell(a.stakeToken, stake)} ${stake.symbol} in the wallet, ` +
      `${amountCell(a.poolStake, stake)} ${stake.symbol} in the capital pool; pending rewards ${T(a.poolPending)}`,
  );
  for (const m of a.subnets) {
    const parts: string[] = [];
    if (m.contributorSlot !== undefined) parts.push(`contributor slot ${m.contributorSlot}`);
    if (m.validator !== undefined) {
      const st = m.validator.standing;
      parts.push(
        `validator stake ${T(m.validatorStake)}, strikes ${m.validator.strikes}/${m.validator.maxStrikes}, ` +
          (st.activeUntil === undefined
            ? "no sheet revealed yet"
            : `sheet of round ${st.lastRevealed} active until round ${st.activeUntil}`),
      );
      if (st.warning !== undefined) parts.push(`WARNING: ${st.warning}`);
    } else if (m.validatorStake > 0n) parts.push(`validator stake ${T(m.validatorStake)}`);
    if (m.unbonding > 0n) parts.push(`unbonding ${T(m.unbonding)} (withdrawable ${t(m.releaseAt)})`);
    if (m.claimable > 0n) parts.push(`claimable ${T(m.claimable)}`);
    if (parts.length > 0) log(`  ${m.name} subnet: ${parts.join("; ")}`);
  }
  const names = genesisNames(s);
  for (const b of a.ballots) {
    const listings = r.market.buckets.find((x) => x.name === b.bucket)?.listings ?? [];
    log(
      `  ${b.bucket} gauge: power this period ${T(b.powerNow)}; ballot ${ballotText(b.ballot, listings, names)}` +
        (b.ballot.ids.length > 0 ? ` with ${T(b.power)} (read in period ${b.period})` : "") +
        (b.ballot.ids.length > 0 && b.power !== b.powerNow ? " (stale: vote again or gauge:poke)" : ""),
    );
  }
  log("");
  if (r.proposals.open.length === 0) {
    log(`Proposals: none open (${r.proposals.total} in all)`);
  } else {
    log(`Proposals: ${r.proposals.open.length} open (${r.proposals.total} in all)`);
    for (const p of r.proposals.open) {
      const when =
        p.state === "Pending"
          ? `voting opens ${t(p.snapshot + 1n)}`
          : p.state === "Active"
            ? `voting ends ${t(p.deadline)}`
            : p.state === "Queued"
              ? `executable ${t(p.eta)}`
              : "succeeded: queue it (gov:queue)";
      log(`  #${p.index} ${shortId(p.id)} ${p.state}: ${p.title ?? "(no title)"}`);
      log(
        `      for ${amountCell(p.votes.for, ttd)}, against ${amountCell(p.votes.against, ttd)}, ` +
          `abstain ${amountCell(p.votes.abstain, ttd)}; ${when}`,
      );
    }
  }
  return r;
}
