/**
 * Deployment parameters per network (`deploy/parameters.json`), validated and resolved into the typed
 * values the Ignition module (`deploy/modules/Tetrad.ts`) deploys with.
 */
import * as fs from "fs";
import * as path from "path";
import { isAddress, parseEther } from "ethers";
import { Shares } from "../../scripts/lib/chain/constants";
import { SubnetParams } from "../../scripts/lib/chain/poc";
import { ScheduleParams } from "../../scripts/lib/models/schedule";
import type { SubnetParamsOf } from "../../scripts/lib/shared/subnet-params";

export const PARAMETERS_FILE = path.join(__dirname, "..", "parameters.json");

/** One network's parameters as written in the JSON file (amounts are decimal strings in token units). */
export interface NetworkParameters {
  stakingToken: string | null;
  guardian: string | null;
  schedule: { start: number | null; interval: number; initialAmount: string; decrease: string };
  shares: number[];
  pool: { rewardsDuration: number; minDeposit: string; withdrawLock: number };
  /** Durations in seconds, amounts as decimal strings. */
  subnet: SubnetParamsOf<number, string>;
  metricWeights: number[];
  /** Each genesis subnet's floor in its bucket (bps); what holders' votes do not place goes to it too. */
  genesisFloorBps: number;
  governance: {
    votingDelay: number;
    votingPeriod: number;
    proposalThresholdBps: number;
    quorumPercent: number;
    lateQuorumExtension: number;
    timelockDelay: number;
    voteLookback: number;
    quorumFloor: string;
    maxFundReleaseBps: number;
  };
}

interface ParametersFile {
  defaults: NetworkParameters;
  networks: Record<string, Partial<NetworkParameters>>;
}

/** Everything the Ignition module needs, resolved: no nulls, amounts in wei. */
export interface SystemConfig {
  /** An existing stake token, or undefined to deploy MockStakeToken. */
  stakingToken?: string;
  guardian?: string;
  schedule: ScheduleParams;
  shares: Shares;
  pool: { rewardsDuration: bigint; minDeposit: bigint; withdrawLock: bigint };
  subnet: SubnetParams;
  metricWeights: number[];
  genesisFloorBps: number;
  governance: {
    votingDelay: bigint;
    votingPeriod: bigint;
    proposalThresholdBps: bigint;
    quorumPercent: bigint;
    lateQuorumExtension: bigint;
    timelockDelay: bigint;
    /** Votes count only if also held this long before the snapshot (at least a day). */
    voteLookback: bigint;
    /** Least quorum in TTD (wei), whatever the supply. */
    quorumFloor: bigint;
    /** The protection fund's release limit: bps of its holdings per 30 days. */
    maxFundReleaseBps: bigint;
  };
}

export class ParametersError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Field-by-field merge of a network's overrides into the defaults (objects merge, the rest replaces). */
function merge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) {
    if (k.startsWith("$")) continue;
    out[k] = merge((base as Record<string, unknown>)[k], v);
  }
  return out as T;
}

/** Reads the parameters of `network` (the defaults when the file does not name it). */
export function loadNetworkParameters(network: string, file = PARAMETERS_FILE): NetworkParameters {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as ParametersFile;
  if (!isObject(parsed.defaults)) throw new ParametersError(`${file}: no "defaults" object`);
  return merge(parsed.defaults, parsed.networks?.[network] ?? {});
}

function seconds(name: string, v: number, max = 2 ** 32 - 1): bigint {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new ParametersError(`${name} must be a whole number of seconds, got ${v}`);
  return BigInt(v);
}

function bps(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 10_000)
    throw new ParametersError(`${name} must be basis points (0-10000), got ${v}`);
  return v;
}

function amount(name: string, v: string): bigint {
  try {
    const wei = parseEther(v);
    if (wei < 0n) throw new Error("negative");
    return wei;
  } catch {
    throw new ParametersError(
      `${name} must be a non-negative decimal amount such as "12.5", got ${JSON.stringify(v)}`,
    );
  }
}

function address(name: string, v: string | null): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isAddress(v))
    throw new ParametersError(`${name} must be an address or null, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Validates `p` and resolves it; `now` fills a null schedule start. Errors name the field
 * (the contracts would revert on most of them too, but later and less clearly).
 */
export function resolveConfig(p: NetworkParameters, now: bigint): SystemConfig {
  if (p.shares.length !== 5)
    throw new ParametersError(`shares must list 5 basis-point values, got ${p.shares.length}`);
  const shares = p.shares.map((s, i) => bps(`shares[${i}]`, s)) as Shares;
  const sum = shares.reduce((a, b) => a + b, 0);
  if (sum !== 10_000) throw new ParametersError(`shares must sum to 10000, got ${sum}`);
  if (p.metricWeights.length < 1 || p.metricWeights.length > 8)
    throw new ParametersError(`metricWeights must list 1-8 values, got ${p.metricWeights.length}`);
  const metricWeights = p.metricWeights.map((w, i) => bps(`metricWeights[${i}]`, w));
  const s = p.subnet;
  const g = p.governance;
  return {
    stakingToken: address("stakingToken", p.stakingToken),
    guardian: address("guardian", p.guardian),
    schedule: {
      start:
        p.schedule.start === null
          ? now
          : seconds("schedule.start", p.schedule.start, Number.MAX_SAFE_INTEGER),
      interval: seconds("schedule.interval", p.schedule.interval),
      initialAmount: amount("schedule.initialAmount", p.schedule.initialAmount),
      decrease: amount("schedule.decrease", p.schedule.decrease),
    },
    shares,
    pool: {
      rewardsDuration: seconds("pool.rewardsDuration", p.pool.rewardsDuration),
      minDeposit: amount("pool.minDeposit", p.pool.minDeposit),
      withdrawLock: seconds("pool.withdrawLock", p.pool.withdrawLock),
    },
    subnet: {
      commitDuration: seconds("subnet.commitDuration", s.commitDuration),
      revealDuration: seconds("subnet.revealDuration", s.revealDuration),
      immunityPeriod: seconds("subnet.immunityPeriod", s.immunityPeriod),
      unbondingDelay: seconds("subnet.unbondingDelay", s.unbondingDelay),
      kappa: bps("subnet.kappa", s.kappa),
      contributorShare: bps("subnet.contributorShare", s.contributorShare),
      validatorShare: bps("subnet.validatorShare", s.validatorShare),
      agreementThreshold: bps("subnet.agreementThreshold", s.agreementThreshold),
      maxStrikes: s.maxStrikes,
      activityCutoff: s.activityCutoff,
      relativeThreshold: bps("subnet.relativeThreshold", s.relativeThreshold),
      edgeShare: bps("subnet.edgeShare", s.edgeShare),
      edgeFloor: bps("subnet.edgeFloor", s.edgeFloor),
      bond: amount("subnet.bond", s.bond),
      minValidatorStake: amount("subnet.minValidatorStake", s.minValidatorStake),
    },
    metricWeights,
    genesisFloorBps: bps("genesisFloorBps", p.genesisFloorBps),
    governance: {
      votingDelay: seconds("governance.votingDelay", g.votingDelay, 2 ** 48 - 1),
      votingPeriod: seconds("governance.votingPeriod", g.votingPeriod),
      proposalThresholdBps: BigInt(bps("governance.proposalThresholdBps", g.proposalThresholdBps)),
      quorumPercent: BigInt(g.quorumPercent),
      lateQuorumExtension: seconds("governance.lateQuorumExtension", g.lateQuorumExtension, 2 ** 48 - 1),
      timelockDelay: seconds("governance.timelockDelay", g.timelockDelay, Number.MAX_SAFE_INTEGER),
      voteLookback: seconds("governance.voteLookback", g.voteLookback),
      quorumFloor: amount("governance.quorumFloor", g.quorumFloor),
      maxFundReleaseBps: BigInt(bps("governance.maxFundReleaseBps", g.maxFundReleaseBps)),
    },
  };
}

/** Number of transactions the module sends before the token, and from the token to the controller. */
export function controllerNonceOffset(config: Pick<SystemConfig, "stakingToken">): {
  token: number;
  controller: number;
} {
  // manager, [mock stake token], protection fund, then the token; then pool, three buckets, controller.
  const token = config.stakingToken ? 2 : 3;
  return { token, controller: token + 5 };
}
