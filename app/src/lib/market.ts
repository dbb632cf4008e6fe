/** Reads of the subnet market: the launch cost, each bucket's gauge and live subnets, your gauge power. */
import { erc20Abi, type Address } from "viem";
import {
  contributionBucketAbi,
  emissionControllerAbi,
  subnetAbi,
  subnetFactoryAbi,
  tetradAbi,
} from "../generated/abis";
import { readAll, useApp, useChainQuery } from "./app";
import { SUBNETS, contractNames } from "./deployment";
import {
  periodTiming,
  launchSettingsOf,
  subnetListing,
  type Ballot,
  type LaunchBounds,
  type LaunchPricing,
  type LaunchSettings,
  type SubnetListing,
} from "../../../scripts/lib/shared/market";

const ZERO: Address = "0x0000000000000000000000000000000000000000";

/** One live subnet of a bucket. */
export interface MarketSubnet extends SubnetListing<Address> {
  uri: string;
}

/** One bucket's gauge. */
export interface BucketView {
  index: number;
  key: (typeof SUBNETS)[number]["key"];
  address: Address;
  /** The bucket's share of all emission, basis points. */
  emissionShare: number;
  genesis: bigint;
  maxSubnets: number;
  maxVotes: number;
  lookback: bigint;
  capBps: number;
  feeBurnBps: number;
  floorSum: number;
  subnets: MarketSubnet[];
  /** The genesis subnet's settings and metric weights: where a launch form starts. */
  base: { settings: LaunchSettings; weights: number[] };
}

export interface MarketView {
  cost: bigint;
  pricing: LaunchPricing;
  bounds: LaunchBounds;
  launched: bigint;
  buckets: BucketView[];
}

/** The whole market, refreshed every few seconds and after every transaction. */
export function useMarket() {
  const { contracts } = useApp();
  const known = contractNames(contracts);
  return useChainQuery(["market"], async (c): Promise<MarketView> => {
    const factory = { address: contracts.SubnetFactory, abi: subnetFactoryAbi } as const;
    const [[cost, pricing, bounds, launched], shares] = await Promise.all([
      readAll(c, factory, ["launchCost", "launchPricing", "launchBounds", "launched"]),
      c.readContract({
        address: contracts.EmissionController,
        abi: emissionControllerAbi,
        functionName: "shares",
      }),
    ]);
    const buckets = await Promise.all(
      SUBNETS.map(async (s, index): Promise<BucketView> => {
        const bucket = { address: contracts[s.bucket], abi: contributionBucketAbi } as const;
        const genesisSubnet = { address: contracts[s.subnet], abi: subnetAbi } as const;
        const [[listings, weights, params, genesis], [[current], [metricWeights]]] = await Promise.all([
          readAll(c, bucket, ["listings", "weights", "gaugeParams", "genesis"]),
          readAll(c, genesisSubnet, ["params", "metricWeights"]),
        ]);
        const subnets = await Promise.all(
          listings.map(async (l): Promise<MarketSubnet> => {
            const sn = { address: l.subnet, abi: subnetAbi } as const;
            const [[name, owner, uri, fees, lifecycle], votes] = await Promise.all([
              readAll(c, sn, ["name", "owner", "metadataURI", "fees", "lifecycle"]),
              c.readContract({ ...bucket, functionName: "votesOf", args: [BigInt(l.id)] }),
            ]);
            const reads = { name, owner, fees, lifecycle };
            return { ...subnetListing(l, weights, votes, reads, known), uri };
          }),
        );
        return {
          index,
          key: s.key,
          address: contracts[s.bucket],
          emissionShare: Number(shares[index] ?? 0),
          genesis,
          maxSubnets: Number(params.maxSubnets),
          maxVotes: Number(params.maxVotes),
          lookback: BigInt(params.lookback),
          capBps: Number(params.capBps),
          feeBurnBps: Number(params.feeBurnBps),
          floorSum: subnets.reduce((sum, x) => sum + x.floor, 0),
          subnets,
          base: { settings: launchSettingsOf(current), weights: metricWeights.map(Number) },
        };
      }),
    );
    return {
      cost,
      pricing: {
        minCost: pricing.minCost,
        maxCost: pricing.maxCost,
        decayPeriod: Number(pricing.decayPeriod),
      },
      bounds: {
        maxOwnerShareBps: Number(bounds.maxOwnerShareBps),
        minBond: bounds.minBond,
        maxBond: bounds.maxBond,
        minValidatorStake: bounds.minValidatorStake,
      },
      launched,
      buckets,
    };
  });
}

/** Your place in one bucket's gauge. */
export interface MyGauge {
  /** Power a vote (or a poke) would apply this period. */
  power: bigint;
  /** Your ballot, the power it applies and the period that power was read in. */
  ballot: Ballot;
  ballotPower: bigint;
  ballotPeriod: bigint;
}

/** The connected wallet's TTD, delegated votes and gauge ballots (one per bucket). */
export function useMyGauges() {
  const { contracts, account } = useApp();
  const me = account ?? ZERO;
  return useChainQuery(["my-gauges", me], async (c) => {
    const token = { address: contracts.Tetrad, abi: tetradAbi } as const;
    const [balance, votes, gauges] = await Promise.all([
      c.readContract({ address: contracts.Tetrad, abi: erc20Abi, functionName: "balanceOf", args: [me] }),
      c.readContract({ ...token, functionName: "getVotes", args: [me] }),
      Promise.all(
        SUBNETS.map(async (s): Promise<MyGauge> => {
          const bucket = { address: contracts[s.bucket], abi: contributionBucketAbi } as const;
          const [power, [ballotPower, ballotPeriod, ids, bps]] = await Promise.all([
            c.readContract({ ...bucket, functionName: "votingPower", args: [me] }),
            c.readContract({ ...bucket, functionName: "ballotOf", args: [me] }),
          ]);
          return {
            power,
            ballot: { ids: ids.map(Number), bps: bps.map(Number) },
            ballotPower,
            ballotPeriod,
          };
        }),
      ),
    ]);
    return { balance, votes, gauges };
  });
}

/** The gauge's period now for a bucket (the chain's clock, ticking locally). */
export function bucketTiming(b: BucketView, now: bigint) {
  return periodTiming(b.genesis, now);
}
