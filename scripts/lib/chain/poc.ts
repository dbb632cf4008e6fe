/**
 * Proof of contribution helpers shared by the validator client, scripts and tests: scoresheet
 * encoding, commitments, default subnet settings.
 */
import { AbiCoder, BytesLike, concat, keccak256, toBeHex, zeroPadValue } from "ethers";
import { DAY } from "./constants";
import { MAX_METRIC_VALUE, MAX_METRICS } from "../models/consensus";
import type { SubnetParamsOf } from "../shared/subnet-params";

export const MAX_CONTRIBUTORS = 256;

/** A subnet's settings, as the contract's `ISubnet.Params` struct. */
export type SubnetParams = SubnetParamsOf<bigint, bigint>;

/** One round a day: 20 hours to commit, 4 to reveal; 80/15/5 split; kappa 50%. */
export const DEFAULT_SUBNET_PARAMS: SubnetParams = {
  commitDuration: 20n * 3600n,
  revealDuration: 4n * 3600n,
  immunityPeriod: 7n * DAY,
  unbondingDelay: 15n * DAY, // GovernancePath.MIN_UNBONDING_DELAY: longer than any slash proposal takes
  kappa: 5000,
  contributorShare: 8000,
  validatorShare: 1500,
  agreementThreshold: 5000,
  maxStrikes: 3,
  activityCutoff: 7,
  relativeThreshold: 8000,
  edgeShare: 1000,
  edgeFloor: 1000,
  bond: 10n * 10n ** 18n,
  minValidatorStake: 100n * 10n ** 18n,
};

/** Computational intensity, data quality, model accuracy gain, usage. */
export const DEFAULT_METRIC_WEIGHTS = [3000, 2500, 2500, 2000];

/**
 * Encodes a scoresheet: for each contributor slot in order, one big-endian uint16 per metric.
 * Throws a RangeError naming the first bad cell.
 */
export function encodeSheet(rows: readonly (readonly number[])[], metrics: number): string {
  if (!Number.isInteger(metrics) || metrics < 1 || metrics > MAX_METRICS) {
    throw new RangeError(`metrics must be 1-${MAX_METRICS}, got ${metrics}`);
  }
  if (rows.length > MAX_CONTRIBUTORS)
    throw new RangeError(`at most ${MAX_CONTRIBUTORS} rows, got ${rows.length}`);
  const cells: string[] = [];
  rows.forEach((row, j) => {
    if (row.length !== metrics) throw new RangeError(`row ${j}: ${row.length} values for ${metrics} metrics`);
    row.forEach((v, m) => {
      if (!Number.isInteger(v) || v < 0 || v > MAX_METRIC_VALUE) {
        throw new RangeError(`row ${j}, metric ${m}: ${v} is not an integer in 0-${MAX_METRIC_VALUE}`);
      }
      cells.push(zeroPadValue(toBeHex(v), 2));
    });
  });
  return cells.length === 0 ? "0x" : concat(cells);
}

/** `keccak256(abi.encode(subnet, round, validator, salt, keccak256(sheet)))`, as `Subnet.reveal` checks. */
export function commitment(
  subnet: string,
  round: bigint,
  validator: string,
  salt: BytesLike,
  sheet: BytesLike,
): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address", "uint64", "address", "bytes32", "bytes32"],
      [subnet, round, validator, salt, keccak256(sheet)],
    ),
  );
}
