/**
 * The subnet market's tasks: `subnet:launch` (burn the launch cost, get a subnet), `gauge:vote` (split
 * your voting power among a bucket's subnets), `gauge:poke` (re-read a voter's power) and `subnet:pay`
 * (pay a subnet's service fee, with an EIP-2612 permit). Also what `status` reads of the market.
 * The pure rules (ballots, launch bounds, periods, fee references) are scripts/lib/shared/market.ts,
 * shared with the web app.
 */
import * as fs from "fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ContractTransactionReceipt, getAddress, isAddress } from "ethers";
import { ContributionBucket, ContributionBucket__factory, Subnet__factory } from "../../../typechain-types";
import { signPermit } from "../../lib/chain/permit";
import {
  Ballot,
  PeriodTiming,
  LaunchBounds,
  LaunchPricing,
  MARKET_BUCKETS,
  MarketError,
  applyOverrides,
  ballotText,
  bucketIndex,
  periodTiming,
  feeRef,
  feeSplit,
  launchCostText,
  launchProblems,
  launchSettingsOf,
  lifecycleName,
  noPowerReason,
  ownerShareBps,
  parseBallot,
  parseWeights,
  powerRuleText,
  refText,
  subnetListing,
  SubnetListing,
  voteAppliesText,
  withOwnerShare,
  formatBpsText,
} from "../../lib/shared/market";
import type { CommonArgs } from "./args";
import { Session, TaskError, log, open, parseAmount, subnetOf } from "./context";

/*//////////////////////////////////////////////////////////////
                        READING THE MARKET
//////////////////////////////////////////////////////////////*/

/** One live subnet of a bucket. */
export interface MarketListing extends SubnetListing {
  bucket: number;
  addedAt: bigint;
}

/** One bucket's gauge and its live subnets. */
export interface BucketMarket {
  index: number;
  name: (typeof MARKET_BUCKETS)[number];
  address: string;
  listings: MarketListing[];
  params: {
    maxSubnets: number;
    maxVotes: number;
    lookback: bigint;
    immunity: bigint;
    capBps: number;
    feeBurnBps: number;
  };
  timing: PeriodTiming;
  unallocated: bigint;
}

/** Names of the deployment's genesis subnets by lowercase address (`code subnet`...). */
export function genesisNames(s: Session): Record<string, string> {
  const c = s.deployment.contracts;
  return {
    [c.CodeSubnet.toLowerCase()]: "code subnet",
    [c.CommunitySubnet.toLowerCase()]: "community subnet",
    [c.ComputeSubnet.toLowerCase()]: "compute subnet",
  };
}

/** Reads bucket `index`'s gauge: its settings, its period, and every live subnet with its share and fees. */
export async function readBucketMarket(s: Session, index: number): Promise<BucketMarket> {
  const bucket = s.contracts.buckets[index];
  const [list, weights, p, genesis, unallocated, now] = await Promise.all([
    bucket.listings(),
    bucket.weights(),
    bucket.gaugeParams(),
    bucket.genesis(),
    bucket.unallocated(),
    s.now(),
  ]);
  const known = genesisNames(s);
  const listings = await Promise.all(
    list.map(async (l): Promise<MarketListing> => {
      const subnet = Subnet__factory.connect(l.subnet, s.signer);
      const [name, owner, fees, lifecycle, votes] = await Promise.all([
        subnet.name(),
        subnet.owner(),
        subnet.fees(),
        subnet.lifecycle(),
        bucket.votesOf(l.id),
      ]);
      const reads = { name, owner, fees, lifecycle };
      return { bucket: index, ...subnetListing(l, weights, votes, reads, known), addedAt: l.addedAt };
    }),
  );
  return {
    index,
    name: MARKET_BUCKETS[index],
    address: await bucket.getAddress(),
    listings,
    params: {
      maxSubnets: Number(p.maxSubnets),
      maxVotes: Number(p.maxVotes),
      lookback: p.lookback,
      immunity: p.immunity,
      capBps: Number(p.capBps),
      feeBurnBps: Number(p.feeBurnBps),
    },
    timing: periodTiming(genesis, now),
    unallocated,
  };
}

/** The factory's launch cost now, its pricing and bounds, and how many subnets it launched. */
export async function readLaunch(
  s: Session,
): Promise<{ cost: bigint; pricing: LaunchPricing; bounds: LaunchBounds; launched: bigint }> {
  const { factory } = s.contracts;
  const [cost, p, b, launched] = await Promise.all([
    factory.launchCost(),
    factory.launchPricing(),
    factory.launchBounds(),
    factory.launched(),
  ]);
  return {
    cost,
    pricing: { minCost: p.minCost, maxCost: p.maxCost, decayPeriod: Number(p.decayPeriod) },
    bounds: {
      maxOwnerShareBps: Number(b.maxOwnerShareBps),
      minBond: b.minBond,
      maxBond: b.maxBond,
      minValidatorStake: b.minValidatorStake,
    },
    launched,
  };
}

/** A shared-rule failure (MarketError) as a TaskError; anything else as it is. */
async function plain<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MarketError) throw new TaskError(e.message);
    throw e;
  }
}

function bucketArg(text: string | undefined): number {
  if (!text) throw new TaskError("--bucket is required: code, community or compute");
  try {
    return bucketIndex(text);
  } catch (e) {
    throw new TaskError(`--bucket: ${(e as Error).message}`);
  }
}

async function requireBalance(s: Session, amount: bigint, what: string): Promise<void> {
  const balance = await s.contracts.token.balanceOf(s.me);
  if (balance < amount) {
    throw new TaskError(
      `insufficient balance: you have ${s.ttdText(balance)}, need ${s.ttdText(amount)} (${what})`,
    );
  }
}

/*//////////////////////////////////////////////////////////////
                              LAUNCH
//////////////////////////////////////////////////////////////*/

/** `subnet:launch` arguments. */
export interface LaunchArgs extends CommonArgs {
  /** code, community or compute. */
  bucket: string;
  name: string;
  uri: string;
  /** Settings overrides: a JSON object, inline or a file's path (`{"bond": "20", "ownerShare": 300}`). */
  params?: string;
  /** Metric weights, basis points summing to 10,000 (`3000,2500,2500,2000`). */
  weights?: string;
  /** Most TTD to burn (default: the cost now; the allowance given to the factory is this). */
  maxCost?: string;
}

/** What a launch gave. */
export interface LaunchResult {
  subnet: string;
  id: number;
  bucket: number;
  cost: bigint;
  /** The subnet a full bucket retired to make room, if any. */
  retired?: string;
}

/** `--params`: inline JSON or the path of a JSON file; an object of settings. */
function readOverrides(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  let json = text.trim();
  if (!json.startsWith("{")) {
    if (!fs.existsSync(json)) throw new TaskError(`--params: "${text}" is neither a JSON object nor a file`);
    json = fs.readFileSync(json, "utf8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new TaskError(`--params: not JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new TaskError('--params: expected a JSON object of settings, e.g. {"bond": "20"}');
  return parsed as Record<string, unknown>;
}

/**
 * Launches a subnet owned by the signer in a bucket: its settings start from the bucket's genesis
 * subnet (durations, thresholds, bond, metric weights) with the owner share at its cap, then
 * `--params` and `--weights`; the factory's bounds are checked first. Shows the cost, approves the
 * factory for exactly the cost (or `--max-cost`), launches, and prints the subnet and its gauge id.
 */
export async function launch(args: LaunchArgs, hre: HardhatRuntimeEnvironment): Promise<LaunchResult> {
  const s = await open(hre, args.from);
  const index = bucketArg(args.bucket);
  const { factory, token, subnets, buckets } = s.contracts;
  const [{ cost, pricing, bounds }, [current], [weightsNow]] = await Promise.all([
    readLaunch(s),
    subnets[index].params(),
    subnets[index].metricWeights(),
  ]);
  const settings = await plain(() =>
    applyOverrides(
      withOwnerShare(launchSettingsOf(current), bounds.maxOwnerShareBps),
      readOverrides(args.params),
      s.ttd.decimals,
    ),
  );
  const weights = args.weights ? await plain(() => parseWeights(args.weights ?? "")) : weightsNow.map(Number);
  const problems = launchProblems(args.name ?? "", settings, weights, bounds, s.ttd);
  if (problems.length > 0) throw new TaskError(problems.join("; "));

  log(`launch cost now: ${launchCostText(cost, pricing, s.ttd)}`);
  const maxCost = args.maxCost ? parseAmount(args.maxCost, s.ttd, "--max-cost") : cost;
  if (cost > maxCost)
    throw new TaskError(`the launch cost is ${s.ttdText(cost)}, above --max-cost ${s.ttdText(maxCost)}`);
  await requireBalance(s, cost, "the launch cost, burned");
  const market = await readBucketMarket(s, index);
  if (market.listings.some((l) => l.name.toLowerCase() === args.name.toLowerCase()))
    log(
      `  note: a live subnet of the ${market.name} bucket is already named "${args.name}" (tasks will need its address)`,
    );
  const factoryAddress = await factory.getAddress();
  if ((await token.allowance(s.me, factoryAddress)) < maxCost) {
    await s.send(() => token.approve(factoryAddress, maxCost));
    log(`  approved the factory for ${s.ttdText(maxCost)}`);
  }
  const receipt = await s.send(() =>
    factory.launch(index, args.name, args.uri ?? "", settings, weights, maxCost),
  );
  let result: LaunchResult | undefined;
  let retired: string | undefined;
  for (const entry of receipt.logs) {
    const fromFactory = factory.interface.parseLog(entry);
    if (fromFactory?.name === "SubnetLaunched") {
      result = {
        subnet: String(fromFactory.args.subnet),
        id: Number(fromFactory.args.id),
        bucket: index,
        cost: fromFactory.args.cost as bigint,
      };
    }
    const fromBucket = buckets[index].interface.parseLog(entry);
    if (fromBucket?.name === "SubnetRetired") retired = String(fromBucket.args.subnet);
  }
  if (!result) throw new TaskError(`the launch (tx ${receipt.hash}) logged no SubnetLaunched event`);
  log(
    `launched "${args.name}" in the ${market.name} bucket: subnet ${result.subnet}, gauge id ${result.id}, ` +
      `${s.ttdText(result.cost)} burned (tx ${receipt.hash})`,
  );
  log(
    `  owner share ${formatBpsText(ownerShareBps(settings))}, contributor bond ${s.ttdText(settings.bond)}, ` +
      `validator stake floor ${s.ttdText(settings.minValidatorStake)}, metric weights ${weights.join(",")}`,
  );
  if (retired) log(`  the bucket was full: it retired ${retired}, the weakest subnet past its immunity`);
  log(
    `  next: holders vote for it with gauge:vote --bucket ${market.name} --votes ${result.id}:<bps>; ` +
      `users pay it with subnet:pay --subnet ${result.subnet} --amount <TTD>`,
  );
  return { ...result, retired };
}

/*//////////////////////////////////////////////////////////////
                              GAUGE
//////////////////////////////////////////////////////////////*/

/** `gauge:vote` arguments. */
export interface VoteArgs extends CommonArgs {
  bucket: string;
  /** `id:bps` / `name:bps` / `address:bps` pairs (`4:5000,alpha:25%`), or `none` to withdraw. */
  votes: string;
}

/** What a vote recorded. */
export interface VoteResult {
  period: bigint;
  power: bigint;
  ballot: Ballot;
  /** The period it is in force from, and when that starts. */
  appliesFrom: bigint;
  appliesAt: bigint;
}

/** Prints the signer's power in a bucket's current period (and why it is zero, if it is). */
async function showPower(s: Session, bucket: ContributionBucket, market: BucketMarket): Promise<bigint> {
  const [power, votesNow] = await Promise.all([bucket.votingPower(s.me), s.contracts.token.getVotes(s.me)]);
  log(
    `your voting power in period ${market.timing.period} of the ${market.name} bucket: ${s.ttdText(power)}`,
  );
  log(`  (${powerRuleText(market.params.lookback)})`);
  const why = noPowerReason(power, votesNow, market.timing);
  if (why) log(`  it is zero: ${why}`);
  return power;
}

/** The period of the block `receipt` is in, and when a ballot cast in it applies, in words. */
async function appliesAfter(
  s: Session,
  bucket: ContributionBucket,
  receipt: ContractTransactionReceipt,
): Promise<{ timing: PeriodTiming; when: string }> {
  const at = BigInt((await receipt.getBlock()).timestamp);
  const timing = periodTiming(await bucket.genesis(), at);
  return { timing, when: voteAppliesText(timing, (t) => s.timeText(t, at)) };
}

/** Replaces the signer's ballot in a bucket; it is in force from the next period and carries over. */
export async function vote(args: VoteArgs, hre: HardhatRuntimeEnvironment): Promise<VoteResult> {
  const s = await open(hre, args.from);
  const index = bucketArg(args.bucket);
  const bucket = s.contracts.buckets[index];
  const market = await readBucketMarket(s, index);
  const ballot = await plain(() => parseBallot(args.votes ?? "", market.listings, market.params.maxVotes));
  await showPower(s, bucket, market);
  const receipt = await s.send(() => bucket.vote(ballot.ids, ballot.bps));
  let power = 0n;
  let period = market.timing.period;
  for (const entry of receipt.logs) {
    const parsed = bucket.interface.parseLog(entry);
    if (parsed?.name === "Voted") {
      power = parsed.args.power as bigint;
      period = parsed.args.period as bigint;
    }
  }
  // The vote's own block decides its period (a vote sent at a period's edge lands in the next one).
  const { timing, when } = await appliesAfter(s, bucket, receipt);
  log(
    `voted in the ${market.name} bucket with ${s.ttdText(power)}: ${ballotText(ballot, market.listings, genesisNames(s))}; ` +
      `${when} (tx ${receipt.hash})`,
  );
  log(
    "  the ballot carries over to later periods; its power is re-read when you vote again or anyone pokes it (gauge:poke)",
  );
  return { period, power, ballot, appliesFrom: timing.period + 1n, appliesAt: timing.next };
}

/** `gauge:poke` arguments. */
export interface PokeArgs extends CommonArgs {
  /** Whose ballot (default: the signer). */
  voter?: string;
  /** One bucket (default: every bucket where the voter has a ballot). */
  bucket?: string;
}

/** One bucket's poke. */
export interface PokeResult {
  bucket: number;
  before: bigint;
  after: bigint;
  period: bigint;
}

/**
 * Re-reads a voter's power for the current period and re-applies its ballot from the next (anyone may):
 * a wallet emptied or undelegated since its vote stops counting, a grown one counts more.
 */
export async function poke(args: PokeArgs, hre: HardhatRuntimeEnvironment): Promise<PokeResult[]> {
  const s = await open(hre, args.from);
  let voter = s.me;
  if (args.voter) {
    if (!isAddress(args.voter)) throw new TaskError(`--voter: "${args.voter}" is not an address`);
    voter = getAddress(args.voter);
  }
  const indices = args.bucket ? [bucketArg(args.bucket)] : [0, 1, 2];
  const results: PokeResult[] = [];
  for (const index of indices) {
    const bucket = s.contracts.buckets[index];
    const [before, readIn, ids] = await bucket.ballotOf(voter);
    if (ids.length === 0) {
      if (args.bucket)
        throw new TaskError(`${voter} has no ballot in the ${MARKET_BUCKETS[index]} bucket: nothing to poke`);
      continue;
    }
    const receipt = await s.send(() => bucket.poke(voter));
    let after = 0n;
    let period = 0n;
    for (const entry of receipt.logs) {
      const parsed = bucket.interface.parseLog(entry);
      if (parsed?.name === "Voted") {
        after = parsed.args.power as bigint;
        period = parsed.args.period as bigint;
      }
    }
    const { when } = await appliesAfter(s, bucket, receipt);
    log(
      `poked ${voter === s.me ? "your ballot" : voter} in the ${MARKET_BUCKETS[index]} bucket: power ${s.ttdText(before)} ` +
        `(read in period ${readIn}) -> ${s.ttdText(after)} (period ${period}); ` +
        `${when} (tx ${receipt.hash})`,
    );
    results.push({ bucket: index, before, after, period });
  }
  if (results.length === 0)
    throw new TaskError(`${voter} has no gauge ballot in any bucket: nothing to poke`);
  return results;
}

/*//////////////////////////////////////////////////////////////
                               FEES
//////////////////////////////////////////////////////////////*/

/** `subnet:pay` arguments. */
export interface PayArgs extends CommonArgs {
  subnet: string;
  amount: string;
  /** What the payment is for: text of at most 32 bytes, or a 0x… 32-byte hash. */
  ref?: string;
  /** Approve then pay even though TTD supports permits. */
  noPermit: boolean;
}

/** How a fee was paid. */
export interface PayResult {
  amount: bigint;
  burned: bigint;
  method: "permit" | "approve" | "allowance";
  ref: string;
}

/**
 * Pays a subnet's service fee in TTD: the bucket's burn share is burned, the rest goes to the subnet's
 * next finalized round. One transaction with an EIP-2612 permit (TTD signs them), else approve + pay.
 */
export async function pay(args: PayArgs, hre: HardhatRuntimeEnvironment): Promise<PayResult> {
  const s = await open(hre, args.from);
  const ref = await plain(() => feeRef(args.ref ?? ""));
  const target = await subnetOf(s, args.subnet);
  const amount = parseAmount(args.amount, s.ttd);
  const lifecycle = lifecycleName(await target.subnet.lifecycle());
  if (lifecycle !== "live")
    throw new TaskError(`the ${target.label} is ${lifecycle}: it takes no fees (it left its bucket)`);
  const bucket = ContributionBucket__factory.connect(await target.subnet.bucket(), s.signer);
  const split = feeSplit(amount, await bucket.feeBurnBps());
  await requireBalance(s, amount, "the fee");
  const { token } = s.contracts;
  let method: PayResult["method"];
  let hash: string;
  if ((await token.allowance(s.me, target.address)) >= amount) {
    method = "allowance";
    hash = (await s.send(() => target.subnet.payFee(amount, ref))).hash;
  } else if (!args.noPermit) {
    method = "permit";
    const deadline = (await s.now()) + 3600n;
    const sig = await signPermit(token, s.signer, target.address, amount, deadline);
    hash = (await s.send(() => target.subnet.payFeeWithPermit(amount, ref, deadline, sig.v, sig.r, sig.s)))
      .hash;
  } else {
    method = "approve";
    await s.send(() => token.approve(target.address, amount));
    hash = (await s.send(() => target.subnet.payFee(amount, ref))).hash;
  }
  const [paid, burned] = await target.subnet.fees();
  const refShown = refText(ref);
  log(
    `paid ${s.ttdText(amount)} to the ${target.label}${refShown ? ` (ref ${JSON.stringify(refShown)})` : ""}: ` +
      `${s.ttdText(split.burned)} burned at its next finalization, ${s.ttdText(split.toRound)} to its next round's contributors and validators ` +
      `(${method === "permit" ? "EIP-2612 permit" : method === "approve" ? "approve + pay" : "existing allowance"}, tx ${hash})`,
  );
  log(
    `  the ${target.label} has taken ${s.ttdText(paid)} in fees, ${s.ttdText(burned)} of it burned or to burn`,
  );
  return { amount, burned: split.burned, method, ref };
}
