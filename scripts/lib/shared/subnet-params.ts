/**
 * `ISubnet.Params`, a subnet's settings, defined once: the deployment file, the chain helpers, the
 * finalization model and the launch form hold the same fields, each with its own types for the durations
 * and the amounts (JSON numbers and decimal strings, bigints, plain numbers). Dependency-free, shared with
 * the web app.
 */

/** The fields of `ISubnet.Params` that are basis points or small counts: plain numbers wherever they are held. */
export interface SubnetRules {
  kappa: number;
  contributorShare: number;
  validatorShare: number;
  agreementThreshold: number;
  maxStrikes: number;
  activityCutoff: number;
  relativeThreshold: number;
  edgeShare: number;
  edgeFloor: number;
}

/** `ISubnet.Params`, with `Duration` for its four durations (seconds) and `Amount` for its two TTD amounts. */
export interface SubnetParamsOf<Duration, Amount> extends SubnetRules {
  commitDuration: Duration;
  revealDuration: Duration;
  immunityPeriod: Duration;
  unbondingDelay: Duration;
  bond: Amount;
  minValidatorStake: Amount;
}
