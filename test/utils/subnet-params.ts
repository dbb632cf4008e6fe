/** A subnet's `params()` struct as the `SubnetParams` the deployment and the tests write. No tests here. */
import { Subnet } from "../../typechain-types";
import { SubnetParams } from "../../scripts/lib/chain/poc";

/** One of the two structs `Subnet.params()` returns (the current parameters, or the next round's). */
export type ParamsOut = Awaited<ReturnType<Subnet["params"]>>[0];

/** `p` with the small fields as numbers (the contract returns every field as a bigint). */
export function asParams(p: ParamsOut): SubnetParams {
  return {
    commitDuration: p.commitDuration,
    revealDuration: p.revealDuration,
    immunityPeriod: p.immunityPeriod,
    unbondingDelay: p.unbondingDelay,
    kappa: Number(p.kappa),
    contributorShare: Number(p.contributorShare),
    validatorShare: Number(p.validatorShare),
    agreementThreshold: Number(p.agreementThreshold),
    maxStrikes: Number(p.maxStrikes),
    activityCutoff: Number(p.activityCutoff),
    relativeThreshold: Number(p.relativeThreshold),
    edgeShare: Number(p.edgeShare),
    edgeFloor: Number(p.edgeFloor),
    bond: p.bond,
    minValidatorStake: p.minValidatorStake,
  };
}
