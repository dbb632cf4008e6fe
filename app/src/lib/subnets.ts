/** Reads of the three subnets shared by Contribute and Validate. */
import type { Address } from "viem";
import { contributionBucketAbi, emissionControllerAbi, subnetAbi } from "../generated/abis";
import { maybe, readAll, useApp, useChainQuery } from "./app";
import { SUBNETS } from "./deployment";
import { PHASES } from "../../../scripts/lib/shared/governance";

export const ZERO: Address = "0x0000000000000000000000000000000000000000";

export function useSubnets() {
  const { contracts, account } = useApp();
  const me = account ?? ZERO;
  return useChainQuery(["subnets", me], async (c) => {
    const shares = await c.readContract({
      address: contracts.EmissionController,
      abi: emissionControllerAbi,
      functionName: "shares",
    });
    return Promise.all(
      SUBNETS.map(async (s, i) => {
        const address = contracts[s.subnet];
        const sn = { address, abi: subnetAbi } as const;
        const [
          [params, metrics, contributors, validators, round, phase, times],
          claimable,
          totalStake,
          weights,
        ] = await Promise.all([
          readAll(c, sn, [
            "params",
            "metricWeights",
            "contributorCount",
            "validatorCount",
            "round",
            "phase",
            "roundTimes",
          ]),
          c.readContract({ ...sn, functionName: "claimable", args: [me] }),
          c.readContract({ ...sn, functionName: "totalStake" }),
          c.readContract({
            address: contracts[s.bucket],
            abi: contributionBucketAbi,
            functionName: "weights",
          }),
        ]);
        const contributorSlot = await maybe(
          c.readContract({ ...sn, functionName: "contributorSlot", args: [me] }),
        );
        const validatorSlot = await maybe(
          c.readContract({ ...sn, functionName: "validatorSlot", args: [me] }),
        );
        const validator =
          validatorSlot !== undefined
            ? await c.readContract({ ...sn, functionName: "validatorAt", args: [validatorSlot] })
            : undefined;
        const [unbondingAmount, releaseAt] = await c.readContract({
          ...sn,
          functionName: "unbonding",
          args: [me],
        });
        const at = weights[0].findIndex((a) => a.toLowerCase() === address.toLowerCase());
        return {
          ...s,
          address,
          params: params[0],
          metricWeights: metrics[0].map(Number),
          contributors: Number(contributors),
          validators: Number(validators),
          round,
          phase: PHASES[phase] ?? "closed",
          commitEnd: times[1],
          revealEnd: times[2],
          claimable,
          totalStake,
          weight: at >= 0 ? Number(weights[1][at]) : 0,
          bucketShare: Number(shares[i]),
          contributorSlot,
          validatorSlot,
          validator,
          unbonding: { amount: unbondingAmount, releaseAt },
        };
      }),
    );
  });
}

export type SubnetView = NonNullable<ReturnType<typeof useSubnets>["data"]>[number];

/** Names of the first subnets' metrics (deploy/parameters.json); other subnets show "metric n". */
export const METRIC_NAMES = ["computational intensity", "data quality", "model accuracy gain", "usage"];
