/**
 * Reconciliation of a run to the wei, from the chain's own events and balances against the schedule
 * reference (scripts/lib/models/schedule.ts): the supply is the schedule's cumulative amount at the last
 * distribution; every distribution minted exactly the schedule's emission of its period, split by the
 * shares in force; the buckets' receipts add up to what was minted; each bucket's receipts are found
 * again in what it paid out plus what it still holds; and every token is in a known place.
 */
import { Core } from "../deploy/handles";
import { BUCKET_NAMES, Bucket, Shares } from "../chain/constants";
import { cumulative, emitted, split } from "../models/schedule";
import { MarketLedger, MarketResult, reconcileMarket } from "./market";
import { sumBig } from "./metrics";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Reconciliation {
  ok: boolean;
  checks: Check[];
  supply: bigint;
  /** `cumulative(schedule, lastDistribution)` from the TypeScript reference. */
  scheduleCumulative: bigint;
  totalEmitted: bigint;
  lastDistribution: bigint;
  distributions: number;
  /** Sum of `Distributed.minted`. */
  minted: bigint;
  /**
   * Burned: registration fees (`RegistrationFeeBurned`) and, with a market, launch costs
   * (`SubnetLaunched`) and fee burns (`FeePaid`): minted = supply + burned.
   */
  burned: bigint;
  /** The subnet market's part (with a market). */
  market?: Omit<MarketLedger, "checks" | "holdings">;
  /** What each of the five buckets received (`Distributed.amounts`). */
  received: bigint[];
  /** The same, recomputed from the schedule and the shares in force at each distribution. */
  expected: bigint[];
  /** Per contribution bucket: credited by its subnet's rounds, carried in the subnet, left in the bucket. */
  contribution: { credited: bigint; carried: bigint; inBucket: bigint }[];
  /**
   * Capital: paid to stakers, owed to them now, not yet streamed, the accumulator's carry (division
   * remainders not yet credited, whole wei) and the per-account floors that stay in the pool.
   */
  capital: {
    claimed: bigint;
    pending: bigint;
    unstreamed: bigint;
    carry: bigint;
    floors: bigint;
    inPool: bigint;
  };
  /** Protection fund: owner share collected from subnets, grants paid, balance. */
  protection: { ownerShare: bigint; granted: bigint; balance: bigint };
  /** Where the supply is: contracts and the sum of all agents' wallets. */
  holdings: { label: string; amount: bigint }[];
}

export interface ReconcileInput {
  core: Core;
  /** First block of the run (events are read from here). */
  fromBlock: number;
  /** Every externally owned account of the run (agents, deployer) and the DAO's contracts. */
  holders: string[];
  /** Capital stakers (their `pendingRewards`). */
  stakers: string[];
  /** The subnet market, if the run had one: its subnets, wallets and the agents' tally. */
  market?: MarketResult;
}

/** Reads the run's history and balances back from the chain and checks them. */
export async function reconcile(input: ReconcileInput): Promise<Reconciliation> {
  const { core, fromBlock } = input;
  const { token, controller, pool, protectionFund, buckets, subnets, schedule } = core;
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const supply = await token.totalSupply();
  // Registration fees are burned: the supply is what was minted less what was burned.
  let burned = 0n;
  for (const subnet of subnets) {
    for (const e of await subnet.queryFilter(subnet.filters.RegistrationFeeBurned(), fromBlock, "latest")) {
      burned += e.args.fee;
    }
  }
  const ledger = input.market ? await reconcileMarket(core, fromBlock, input.market, burned) : null;
  if (ledger) burned += ledger.launchBurned + ledger.feesBurned + ledger.registrationBurned;
  const lastDistribution = await controller.lastDistribution();
  const scheduleCumulative = cumulative(schedule, lastDistribution);
  const totalEmitted = await controller.totalEmitted();

  // Distributions and share changes in chain order; each distribution is checked against the reference.
  const distributed = await controller.queryFilter(controller.filters.Distributed(), fromBlock, "latest");
  const updates = await controller.queryFilter(controller.filters.SharesUpdated(), fromBlock, "latest");
  const order = (e: { blockNumber: number; index: number }) => e.blockNumber * 1e6 + e.index;
  let shares: Shares = (updates.length > 0 ? updates[0].args.oldShares : await controller.shares()).map(
    Number,
  ) as Shares;
  const events = [
    ...distributed.map((e) => ({ at: order(e), kind: "d" as const, e })),
    ...updates.map((e) => ({ at: order(e), kind: "u" as const, e })),
  ].sort((a, b) => a.at - b.at);
  const received = [0n, 0n, 0n, 0n, 0n];
  const expected = [0n, 0n, 0n, 0n, 0n];
  let minted = 0n;
  let wrongMints = 0;
  let wrongSplits = 0;
  for (const item of events) {
    if (item.kind === "u") {
      shares = item.e.args.newShares.map(Number) as Shares;
      continue;
    }
    const { from, to, amounts } = item.e.args;
    minted += item.e.args.minted;
    const should = emitted(schedule, from, to);
    if (should !== item.e.args.minted) wrongMints++;
    const parts = split(should, shares);
    amounts.forEach((a, i) => {
      received[i] += a;
      expected[i] += parts[i];
      if (a !== parts[i]) wrongSplits++;
    });
  }

  check(
    "supply + burned = schedule",
    supply + burned === scheduleCumulative,
    `totalSupply ${supply} wei + burned ${burned} wei (registration fees${ledger ? ", launch costs, fee burns" : ""}), cumulative(schedule, lastDistribution) ${scheduleCumulative} wei`,
  );
  check(
    "controller's total = supply + burned",
    totalEmitted === supply + burned,
    `totalEmitted ${totalEmitted} wei`,
  );
  check(
    "minted = supply + burned",
    minted === supply + burned,
    `sum of ${distributed.length} Distributed.minted: ${minted} wei`,
  );
  check(
    "buckets = minted",
    sumBig(received) === minted,
    `sum of the five buckets' receipts ${sumBig(received)} wei`,
  );
  check(
    "each distribution = schedule",
    wrongMints === 0 && wrongSplits === 0,
    `${distributed.length} distributions, ${updates.length} SharesUpdated (deployment included): ${wrongMints} mint(s) and ${wrongSplits} bucket amount(s) off the reference`,
  );
  check(
    "bucket totals = reference",
    received.every((r, i) => r === expected[i]),
    BUCKET_NAMES.map((n, i) => `${n} ${received[i]}`).join(", "),
  );

  // Contribution buckets: received = credited by rounds + carried in the subnet + left in the bucket.
  const contribution: Reconciliation["contribution"] = [];
  for (const [i, subnet] of subnets.entries()) {
    const finalized = await subnet.queryFilter(subnet.filters.RoundFinalized(), fromBlock, "latest");
    // Rounds credit their `paid`, and keepers their tips.
    const tips = await subnet.queryFilter(subnet.filters.KeeperTipped(), fromBlock, "latest");
    const credited = sumBig(finalized.map((e) => e.args.paid)) + sumBig(tips.map((e) => e.args.amount));
    const carried = await subnet.pendingEmission();
    const inBucket = await token.balanceOf(buckets[i]);
    contribution.push({ credited, carried, inBucket });
    // With a market, launched subnets pulled their part of the bucket (their own check: market.ts).
    const launched = ledger?.pulled[i] ?? 0n;
    check(
      `${BUCKET_NAMES[i]} bucket paid out`,
      received[i] === credited + carried + inBucket + launched,
      `received ${received[i]} = credited ${credited} + carried ${carried} + in bucket ${inBucket}${ledger ? ` + pulled by launched subnets ${launched}` : ""}`,
    );
  }

  // Capital: received = claimed + in the pool (owed, unstreamed, accumulator carry and floors).
  const paid = await pool.queryFilter(pool.filters.RewardPaid(), fromBlock, "latest");
  const claimed = sumBig(paid.map((e) => e.args.amount));
  const inPool = await token.balanceOf(pool);
  const pending = sumBig(await Promise.all(input.stakers.map((s) => pool.pendingRewards(s))));
  const unstreamed = await pool.rewardsUnstreamed();
  const carry = (await pool.rewardCarry()) / 10n ** 18n;
  const floors = inPool - pending - unstreamed - carry;
  check(
    "capital bucket paid out",
    received[Bucket.Capital] === claimed + inPool && floors >= 0n,
    `received ${received[Bucket.Capital]} = claimed ${claimed} + in pool ${inPool} (owed ${pending}, unstreamed ${unstreamed}, accumulator carry ${carry}, per-account floors ${floors})`,
  );

  // Protection fund: its bucket + the subnets' owner share it collected - grants = balance.
  const fund = await protectionFund.getAddress();
  let ownerShare = 0n;
  for (const subnet of subnets) {
    ownerShare += sumBig(
      (await subnet.queryFilter(subnet.filters.Claimed(fund), fromBlock, "latest")).map((e) => e.args.amount),
    );
  }
  const granted = sumBig(
    (await protectionFund.queryFilter(protectionFund.filters.Released(), fromBlock, "latest")).map(
      (e) => e.args.amount,
    ),
  );
  const balance = await token.balanceOf(fund);
  const leftovers = ledger?.toProtectionFund ?? 0n;
  check(
    "protection fund",
    balance === received[Bucket.Protection] + ownerShare - granted + leftovers,
    `balance ${balance} = received ${received[Bucket.Protection]} + owner share ${ownerShare} - grants ${granted}${ledger ? ` + retired subnets' leftovers ${leftovers}` : ""}`,
  );

  // Every token is somewhere known.
  const holdings: { label: string; amount: bigint }[] = [
    { label: "emission controller", amount: await token.balanceOf(controller) },
    ...(await Promise.all(
      buckets.map(async (b, i) => ({ label: `${BUCKET_NAMES[i]} bucket`, amount: await token.balanceOf(b) })),
    )),
    ...(await Promise.all(
      subnets.map(async (s, i) => ({ label: `${BUCKET_NAMES[i]} subnet`, amount: await token.balanceOf(s) })),
    )),
    { label: "capital pool", amount: inPool },
    { label: "protection fund", amount: balance },
    {
      label: "wallets (agents, deployer, DAO)",
      amount: sumBig(await Promise.all(input.holders.map((h) => token.balanceOf(h)))),
    },
    ...(ledger?.holdings ?? []),
  ];
  const held = sumBig(holdings.map((h) => h.amount));
  check("every token accounted for", held === supply, `balances add up to ${held} wei`);
  if (ledger) checks.push(...ledger.checks);

  return {
    ok: checks.every((c) => c.ok),
    checks,
    supply,
    scheduleCumulative,
    totalEmitted,
    lastDistribution,
    distributions: distributed.length,
    minted,
    burned,
    ...(ledger
      ? {
          market: {
            launchBurned: ledger.launchBurned,
            feesSetAside: ledger.feesSetAside,
            feesBurned: ledger.feesBurned,
            registrationBurned: ledger.registrationBurned,
            pulled: ledger.pulled,
            toProtectionFund: ledger.toProtectionFund,
          },
        }
      : {}),
    received,
    expected,
    contribution,
    capital: { claimed, pending, unstreamed, carry, floors, inPool },
    protection: { ownerShare, granted, balance },
    holdings,
  };
}
