/**
 * The plain-words table of Tetrad reverts, shared by the Hardhat tasks (`errors.ts`, over ethers) and
 * the web app (over viem): from a decoded revert (an error name and its arguments) to one line such as
 *
 *     insufficient balance: you have 3.0 mLP, need 12.5
 *     proposal 0x12ab… is Pending, voting opens at 2026-02-01 09:00:00 UTC (in 23h)
 *
 * Dependency-free on purpose (no ethers, no viem): the app must not bundle ethers, the tasks must not
 * bundle viem, and both must say the same thing for the same revert.
 */
import { PHASES, PROPOSAL_STATES } from "./governance";

export { PHASES, PROPOSAL_STATES };

/** A token's display units. */
export interface Units {
  symbol: string;
  decimals: number;
}

/** What the caller knows that the revert data does not; every field is optional. */
export interface ErrorContext {
  /** The account the action is for: its address is called "you" in messages. */
  account?: string;
  /** The token the amounts of the reverted call are in (default: 18 decimals, no symbol). */
  units?: Units;
  /** Chain time (seconds) to say "in 23h" / "3h ago"; without it, times are absolute. */
  now?: bigint;
  /** The subnet round the call was for (explains WrongPhase). */
  round?: { round: bigint; commitEnd: bigint; revealEnd: bigint };
  /** The proposal the call was for (explains GovernorUnexpectedProposalState and Timelock states). */
  proposal?: { snapshot?: bigint; deadline?: bigint; eta?: bigint };
}

/** A decoded revert: a custom error, `Error(string)` or `Panic(uint256)`. */
export interface DecodedRevert {
  name: string;
  /** `Name(type,type)`. */
  signature: string;
  selector: string;
  args: readonly unknown[];
  /** The revert of another contract this one carries as a `bytes` argument (`PermitFailed`'s reason), decoded. */
  inner?: DecodedRevert;
}

/** Solidity panic codes (0.8), as the compiler documents them. */
export const PANIC_REASONS: Record<number, string> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "corrupt storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialized function",
};

/** `formatUnits` without a library: `1500000000000000000n, 18` -> `1.5` (always a fractional part). */
export function formatUnits(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  let frac = (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  if (frac === "") frac = "0";
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** A uint256 as 32-byte hex (`0x` + 64 digits). */
function toHex32(v: bigint): string {
  return "0x" + v.toString(16).padStart(64, "0");
}

/** The same address whatever its case (checksummed or not); false when either is not an address. */
function sameAddress(a: string, b: string): boolean {
  const re = /^0x[0-9a-fA-F]{40}$/;
  return re.test(a) && re.test(b) && a.toLowerCase() === b.toLowerCase();
}

/*//////////////////////////////////////////////////////////////
                            FORMATTING
//////////////////////////////////////////////////////////////*/

/**
 * An amount in `units` (`12.5`, `1,234.0`), with the symbol when known: exact, or cut to
 * `maxDecimals` fraction digits with a trailing `…` when it has more.
 */
export function formatAmount(wei: bigint, units?: Units, withSymbol = true, maxDecimals?: number): string {
  const negative = wei < 0n;
  const [whole, exact] = formatUnits(negative ? -wei : wei, units?.decimals ?? 18).split(".");
  const frac =
    maxDecimals !== undefined && exact.length > maxDecimals
      ? `${exact.slice(0, Math.max(1, maxDecimals))}…`
      : exact;
  const text = `${negative ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
  return withSymbol && units?.symbol ? `${text} ${units.symbol}` : text;
}

/** `3h 20m`, `2d 4h`, `45s`: a duration in seconds, two largest units. */
export function formatDuration(seconds: bigint): string {
  const s = Number(seconds < 0n ? -seconds : seconds);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), "d"],
    [Math.floor(s / 3600) % 24, "h"],
    [Math.floor(s / 60) % 60, "m"],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return `${s}s`;
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(" ");
}

/** `2026-01-31 12:00:00 UTC`, plus ` (in 3h 20m)` / ` (2d 4h ago)` when `now` is known. */
export function formatTimestamp(timestamp: bigint, now?: bigint): string {
  const ms = Number(timestamp) * 1000;
  const iso = Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
  const abs = iso ? iso.replace("T", " ").replace(/\.\d+Z$/, " UTC") : `timestamp ${timestamp}`;
  if (now === undefined) return abs;
  if (timestamp === now) return `${abs} (now)`;
  return timestamp > now
    ? `${abs} (in ${formatDuration(timestamp - now)})`
    : `${abs} (${formatDuration(now - timestamp)} ago)`;
}

/** `0x12ab…` for a proposal id (a uint256 hash), or the number itself when it is small. */
export function shortId(id: bigint): string {
  return id < 1_000_000n ? id.toString() : `${toHex32(id).slice(0, 6)}…`;
}

/** The states set in a Governor `expectedStates` bitmap (`bytes32`, bit i = state i). */
export function statesOf(bitmap: bigint): string[] {
  return PROPOSAL_STATES.filter((_, i) => (bitmap >> BigInt(i)) & 1n);
}

function big(v: unknown): bigint {
  return typeof v === "bigint" ? v : BigInt(String(v));
}

function who(address: unknown, ctx: ErrorContext): string {
  const a = String(address);
  return ctx.account && sameAddress(a, ctx.account) ? "you" : a;
}

/*//////////////////////////////////////////////////////////////
                             MESSAGES
//////////////////////////////////////////////////////////////*/

function proposalState(id: bigint, current: number, expected: bigint, ctx: ErrorContext): string {
  const state = PROPOSAL_STATES[current] ?? `in state ${current}`;
  const p = ctx.proposal ?? {};
  const at = (t: bigint) => formatTimestamp(t, ctx.now);
  const subject = `proposal ${shortId(id)}`;
  const wanted = statesOf(expected);
  const needs = wanted.length > 0 ? ` (this needs it ${wanted.join(" or ")})` : "";
  switch (state) {
    case "Pending":
      return p.snapshot !== undefined
        ? `${subject} is Pending, voting opens at ${at(p.snapshot + 1n)}`
        : `${subject} is Pending: voting has not opened yet`;
    case "Active":
      return p.deadline !== undefined
        ? `${subject} is Active, voting ends at ${at(p.deadline)}`
        : `${subject} is Active: voting is still open`;
    case "Canceled":
      return `${subject} was Canceled`;
    case "Defeated":
      return `${subject} was Defeated (no quorum, or no more votes for than against)`;
    case "Succeeded":
      return `${subject} has Succeeded and is not queued yet${needs}`;
    case "Queued":
      return p.eta !== undefined
        ? `${subject} is Queued, executable at ${at(p.eta)}${needs}`
        : `${subject} is already Queued${needs}`;
    case "Expired":
      return `${subject} has Expired`;
    case "Executed":
      return `${subject} was already Executed`;
    default:
      return `${subject} is ${state}${needs}`;
  }
}

function wrongPhase(current: number, required: number, ctx: ErrorContext): string {
  const r = ctx.round;
  const at = (t: bigint) => formatTimestamp(t, ctx.now);
  const cur = PHASES[current] ?? String(current);
  const req = PHASES[required] ?? String(required);
  if (req === "commit") {
    if (cur === "closed") {
      return r
        ? `the commit window is closed (round ${r.round} ended at ${at(r.revealEnd)} and awaits finalization)`
        : "the commit window is closed (the round awaits finalization)";
    }
    return r
      ? `the commit window is closed (round ${r.round} is in its reveal phase until ${at(r.revealEnd)})`
      : "the commit window is closed (the round is in its reveal phase)";
  }
  if (req === "reveal") {
    if (cur === "commit") {
      return r
        ? `the reveal window is not open yet (it opens at ${at(r.commitEnd)})`
        : "the reveal window is not open yet";
    }
    return r
      ? `the reveal window is closed (it closed at ${at(r.revealEnd)})`
      : "the reveal window is closed";
  }
  if (req === "closed") {
    return r
      ? `round ${r.round} is not over yet: it can be finalized from ${at(r.revealEnd)}`
      : `the round is not over yet (it is in its ${cur} phase)`;
  }
  return `the subnet is in its ${cur} phase, this needs the ${req} phase`;
}

/** One line for a decoded revert, in the words a user of the protocol would use. */
export function describeRevert(err: DecodedRevert, ctx: ErrorContext = {}): string {
  const a = err.args;
  const amount = (v: unknown) => formatAmount(big(v), ctx.units);
  const bare = (v: unknown) => formatAmount(big(v), ctx.units, false);
  const at = (v: unknown) => formatTimestamp(big(v), ctx.now);
  switch (err.name) {
    // ----- built-ins -----
    case "Error":
      return `reverted: ${String(a[0])}`;
    case "Panic": {
      const code = Number(big(a[0]));
      return `the contract panicked: ${PANIC_REASONS[code] ?? "unknown panic"} (code 0x${code.toString(16)})`;
    }

    // ----- ERC20 and permits (OpenZeppelin) -----
    case "ERC20InsufficientBalance":
      return `insufficient balance: ${who(a[0], ctx) === "you" ? "you have" : `${String(a[0])} has`} ${amount(a[1])}, need ${bare(a[2])}`;
    case "ERC20InsufficientAllowance":
      return `insufficient allowance: ${String(a[0])} may spend ${amount(a[1])}, needs ${bare(a[2])} (approve it first)`;
    case "ERC20InvalidReceiver":
      return `cannot send tokens to ${String(a[0])}`;
    case "ERC20InvalidSender":
      return `cannot send tokens from ${String(a[0])}`;
    case "ERC20InvalidSpender":
      return `cannot approve ${String(a[0])} as a spender`;
    case "ERC20InvalidApprover":
      return `cannot approve from ${String(a[0])}`;
    case "ERC20ExceededCap":
      return `minting would exceed the token's cap (${bare(a[1])})`;
    case "ERC2612ExpiredSignature":
      return `the permit signature expired at ${at(a[0])}: sign a new one`;
    case "ERC2612InvalidSigner":
      return `the permit was signed by ${String(a[0])}, not by the owner ${String(a[1])}`;
    case "InvalidAccountNonce":
      return `the signature's nonce is stale (the account's current nonce is ${String(a[1])}): sign again`;
    case "VotesExpiredSignature":
      return `the delegation signature expired at ${at(a[0])}: sign a new one`;
    case "PermitFailed": {
      const why = err.inner ? `: ${describeRevert(err.inner, ctx)}` : "";
      const whose = who(a[0], ctx) === "you" ? "your" : `${String(a[0])}'s`;
      return (
        `the token refused the permit${why}; the contract may spend ${amount(a[2])} of ${whose} tokens ` +
        `and needs ${bare(a[1])} (sign a new permit, or approve it first)`
      );
    }
    case "ECDSAInvalidSignature":
    case "ECDSAInvalidSignatureLength":
    case "ECDSAInvalidSignatureS":
      return "the signature is invalid";
    case "ERC5805FutureLookup":
      return `votes cannot be read at ${at(a[0])}: it is in the future`;

    // ----- access, pause, reentrancy (OpenZeppelin) -----
    case "AccessManagedUnauthorized":
      return `${who(a[0], ctx) === "you" ? "you are" : `${String(a[0])} is`} not allowed to call this: only governance (an executed proposal) or a role holder can`;
    case "AccessManagedRequiredDelay":
      return `this call must be scheduled in the AccessManager first (delay ${formatDuration(big(a[1]))})`;
    case "AccessManagerUnauthorizedAccount":
      return `${who(a[0], ctx) === "you" ? "you do" : `${String(a[0])} does`} not hold AccessManager role ${String(a[1])}`;
    case "AccessManagerUnauthorizedCall":
      return `${who(a[0], ctx) === "you" ? "you are" : `${String(a[0])} is`} not allowed to call ${String(a[2])} on ${String(a[1])}`;
    case "AccessControlUnauthorizedAccount":
      return `${who(a[0], ctx) === "you" ? "you do" : `${String(a[0])} does`} not hold the Timelock role ${String(a[1])}`;
    case "EnforcedPause":
      return "the contract is paused (by the guardian or governance); withdrawals and exits stay open";
    case "ExpectedPause":
      return "the contract is not paused";
    case "ReentrancyGuardReentrantCall":
      return "reentrant call refused";
    case "SafeERC20FailedOperation":
      return `a transfer of token ${String(a[0])} failed`;
    case "FailedCall":
      return "a call made by the contract failed";

    // ----- governance (OpenZeppelin Governor, Timelock, TetradGovernor) -----
    case "GovernorUnexpectedProposalState":
      return proposalState(big(a[0]), Number(big(a[1])), big(a[2]), ctx);
    case "GovernorNonexistentProposal":
      return `there is no proposal ${shortId(big(a[0]))}`;
    case "GovernorAlreadyCastVote":
      return `${who(a[0], ctx) === "you" ? "you have" : `${String(a[0])} has`} already voted on this proposal`;
    case "GovernorInsufficientProposerVotes":
      return `not enough votes to propose: ${who(a[0], ctx) === "you" ? "you have" : `${String(a[0])} has`} ${formatAmount(big(a[1]))}, the threshold is ${formatAmount(big(a[2]))} (delegate to yourself first)`;
    case "GovernorInvalidVoteType":
      return "invalid vote: use for, against or abstain";
    case "GovernorInvalidProposalLength":
      return "the proposal's targets, values and calldatas differ in length";
    case "GovernorRestrictedProposer":
      return `${String(a[0])} may not make this proposal (its description restricts the proposer)`;
    case "GovernorOnlyExecutor":
      return "only governance (the Timelock) can call this";
    case "GovernorUnableToCancel":
      return `${who(a[1], ctx) === "you" ? "you" : String(a[1])} cannot cancel proposal ${shortId(big(a[0]))} (only its proposer, while Pending, or the guardian)`;
    case "GovernorInvalidSignature":
      return `the vote signature is not ${String(a[0])}'s`;
    case "GovernorAlreadyQueuedProposal":
      return `proposal ${shortId(big(a[0]))} is already queued`;
    case "GovernorProposalQueueingNotRequired":
      return `proposal ${shortId(big(a[0]))} does not need queueing`;
    case "InvalidProposalThresholdBps":
      return `a proposal threshold of ${String(a[0])} bps is above the 10% cap`;
    case "InvalidQuorum":
      return `a quorum of ${String(a[0])}% is above the 50% cap`;
    case "GovernancePathTooLong":
      return `a voting path (delay + period + late-quorum extension) of ${formatDuration(big(a[0]))} is over the ${formatDuration(big(a[1]))} cap: unbonding must outlast any slash proposal`;
    case "TimelockDelayTooLong":
      return `a Timelock delay of ${formatDuration(big(a[0]))} is over the ${formatDuration(big(a[1]))} cap: unbonding must outlast any slash proposal`;
    case "InvalidVoteLookback":
      return `a vote lookback of ${formatDuration(big(a[0]))} is outside 1 to 30 days`;
    case "InvalidQuorumFloor":
      return `a quorum floor of ${amount(a[0])} is above half the supply`;
    case "TimelockUnexpectedOperationState":
      return ctx.proposal?.eta !== undefined
        ? `the Timelock operation is not ready: it can run from ${at(ctx.proposal.eta)}`
        : "the Timelock operation is not ready (not scheduled, still waiting for its delay, or already done)";
    case "TimelockUnexecutedPredecessor":
      return "the Timelock operation waits for another one to run first";
    case "TimelockUnauthorizedCaller":
      return "only the Timelock itself can call this";
    case "TimelockInsufficientDelay":
      return `a Timelock delay of ${formatDuration(big(a[0]))} is under the minimum ${formatDuration(big(a[1]))}`;

    // ----- token and emission -----
    case "TetradUnauthorizedMinter":
      return "only the emission controller can mint TTD";
    case "InvalidShares":
      return `bucket shares must sum to 10,000 basis points (these sum to ${String(a[0])})`;
    case "InvalidRecipient":
      return `${String(a[0])} cannot be a bucket recipient`;
    case "ShareStepTooLarge":
      return `bucket ${String(a[0])} would move from ${String(a[1])} to ${String(a[2])} bps: at most ${String(a[3])} bps per change`;
    case "SharesChangedTooRecently":
      return `the shares changed less than 30 days ago: the next change is possible from ${at(a[0])}`;
    case "InvalidMaxShareStep":
      return `a share step of ${String(a[0])} bps is above 10,000 or loosens by more than 500 bps at once`;
    case "InvalidMaxReleaseBps":
      return `a release limit of ${String(a[0])} bps is above 10,000 or loosens by more than 500 bps at once`;
    case "ReleaseLimitExceeded":
      return `the fund can release ${amount(a[1])} now (its 30-day limit), not ${bare(a[0])}`;
    case "HookOutOfGas":
      return `the transaction ran out of gas in the emission hook of ${String(a[0])}: send it with more gas`;
    case "InvalidRange":
      return `invalid time range ${String(a[0])}-${String(a[1])}`;

    // ----- capital pool -----
    case "ZeroAmount":
      return "the amount must be more than zero";
    case "BelowMinDeposit":
      return `the deposit is under the pool's minimum: ${amount(a[0])} received, the minimum is ${bare(a[1])}`;
    case "InsufficientStake":
      return `you have ${amount(a[1])} staked, cannot take ${bare(a[0])}`;
    case "WithdrawLocked":
      return `withdrawals are locked until ${at(a[0])}`;
    case "InvalidRewardsDuration":
      return `a reward stream of ${formatDuration(big(a[0]))} is outside 1 hour to 365 days`;
    case "InvalidWithdrawLock":
      return `a withdraw lock of ${formatDuration(big(a[0]))} is over the 30-day cap`;
    case "UnrecoverableToken":
      return `the pool cannot recover its own stake or reward token (${String(a[0])})`;
    case "AmountTooLarge":
      return `the amount ${bare(a[0])} is too large`;
    case "ZeroAddress":
    case "ZeroRecipient":
      return "the address must not be zero";

    // ----- buckets and subnets -----
    case "InvalidFloors":
      return "floors must name distinct subnets (at most the bucket's limit) with basis points summing to at most 10,000";

    // ----- the subnet market: factory, gauge, fees -----
    case "UnknownBucket":
      return `there is no contribution bucket ${String(a[0])} (0 code, 1 community, 2 compute)`;
    case "CostAboveMax":
      return `the launch cost is now ${amount(a[0])}, above your limit of ${bare(a[1])} (another launch doubled it): try again, or raise the limit`;
    case "OutOfBounds":
      return "the subnet's settings are out of the launch bounds: an owner share over the cap, a bond out of range, or a validator stake floor too low";
    case "InvalidLaunchSettings":
      return "invalid launch pricing or bounds: min cost above zero and at most the max, a decay period of 1 second to 365 days, min bond at most max bond, an owner share cap of at most 10,000";
    case "InvalidName":
      return "a subnet name must be 1 to 32 bytes";
    case "InvalidVote":
      return "invalid ballot: distinct live subnets, at most the bucket's limit of subnets, each share above zero, shares summing to at most 10,000";
    case "InvalidGaugeParams":
      return "invalid gauge settings: 1-32 subnets, 1-16 per ballot, a lookback of 1 hour to 30 days, immunity of at most 180 days, a cap of 500-10,000 bps, a fee burn of at most 10,000 bps";
    case "BucketFull":
      return "the bucket is full and every subnet in it has a floor or is still immune: no slot can be freed yet";
    case "AlreadyListed":
      return `${String(a[0])} is already live in this bucket`;
    case "NotListed":
      return `${String(a[0])} is not a live subnet of this bucket`;
    case "IdsExhausted":
      return "this bucket has used all its gauge ids (65,535 subnets joined it)";
    case "SubnetRetired":
      return "the subnet has left its bucket: it takes no new stake, registration, commitment or fee (exits and claims stay open)";
    case "NotBucket":
      return `only the subnet's bucket can do this, not ${String(a[0])}`;
    case "AlreadyInitialized":
      return "the subnet is already set up (or is the implementation, which never is)";
    case "CloneArgumentsTooLong":
      return "the subnet's name is too long for its clone";
    case "WrongPhase":
      return wrongPhase(Number(big(a[0])), Number(big(a[1])), ctx);
    case "NotValidator":
      return `${who(a[0], ctx) === "you" ? "you are" : `${String(a[0])} is`} not a validator of this subnet (stake at least the minimum to take a permit)`;
    case "NotRegistered":
      return "not registered in this subnet";
    case "AlreadyRegistered":
      return "already registered in this subnet";
    case "SubnetFull":
      return "the subnet is full (256 contributors) and nobody can be replaced yet (new contributors are immune for a while)";
    case "StakeTooLow":
      return `a stake of ${amount(a[0])} is too low: it takes at least ${bare(a[1])} to hold a validator permit`;
    case "NoCommitment":
      return "no commitment from this validator this round: commit first";
    case "AlreadyRevealed":
      return "already revealed this round";
    case "CommitmentMismatch":
      return "the revealed sheet and salt do not match the commitment";
    case "MalformedScoresheet":
      return `malformed scoresheet: ${String(a[0])} bytes for ${String(a[1])} metrics`;
    case "NothingToWithdraw":
      return "nothing to withdraw";
    case "StillUnbonding":
      return `the stake is still unbonding: it can be withdrawn from ${at(a[0])}`;
    case "NotOwner":
      return "only the subnet's owner can do this";
    case "InvalidPricing":
      return "invalid registration pricing: minFee at most maxFee, an interval of 1 second to 365 days, a target of at least 1, an eviction floor of at most 1,000,000 bps";
    case "InvalidKeeperTip":
      return `a keeper tip of ${String(a[0])} bps is over the 100 bps cap`;
    case "NotDelegated":
      return "the subnet's extension runs only inside the subnet: call the subnet itself";
    case "InvalidParams":
      return (
        "invalid subnet settings: durations and delays within their caps (unbonding 15-60 days: longer than any slash proposal takes), kappa 1-10,000, shares summing to at most 10,000, " +
        "agreementThreshold and relativeThreshold at most 10,000, maxStrikes at least 1, activityCutoff 1-64 rounds, " +
        "edgeShare and edgeFloor 1-10,000 basis points"
      );
    case "InvalidMetricWeights":
      return `metric weights must be 1-8 values summing to 10,000 basis points (got ${String(a[0])} summing to ${String(a[1])})`;
    case "InvalidKappa":
      return `kappa ${String(a[0])} is outside 1-10,000 basis points`;

    // ----- rarer ones: deployment, AccessManager scheduling, internals -----
    case "AccessManagerAlreadyScheduled":
      return "this AccessManager operation is already scheduled";
    case "AccessManagerNotScheduled":
      return "this AccessManager operation is not scheduled";
    case "AccessManagerNotReady":
      return "this AccessManager operation is not ready yet (its delay has not passed)";
    case "AccessManagerExpired":
      return "this AccessManager operation has expired: schedule it again";
    case "AccessManagerLockedRole":
      return `AccessManager role ${String(a[0])} is locked (the public role cannot be changed)`;
    case "AccessManagerLockedFunction":
      return `function ${String(a[0])} of the AccessManager is locked`;
    case "AccessManagerBadConfirmation":
    case "AccessControlBadConfirmation":
      return "an account can only renounce its own role";
    case "AccessManagerUnauthorizedCancel":
      return `${who(a[0], ctx) === "you" ? "you" : String(a[0])} cannot cancel this scheduled operation`;
    case "AccessManagerUnauthorizedConsume":
      return `${String(a[0])} cannot consume a scheduled operation`;
    case "AccessManagerInvalidInitialAdmin":
      return "the AccessManager needs an initial admin";
    case "AccessManagedInvalidAuthority":
      return `${String(a[0])} is not an AccessManager`;
    case "AddressEmptyCode":
      return `there is no contract at ${String(a[0])}`;
    case "InsufficientBalance":
      return `the contract's ETH balance is too low: it has ${formatAmount(big(a[0]))} ETH, needs ${formatAmount(big(a[1]))}`;
    case "SafeCastOverflowedUintDowncast":
    case "SafeCastOverflowedIntDowncast":
      return `the value ${String(a[1])} does not fit in ${String(a[0])} bits`;
    case "SafeCastOverflowedIntToUint":
      return `the negative value ${String(a[0])} cannot be made unsigned`;
    case "SafeCastOverflowedUintToInt":
      return `the value ${String(a[0])} does not fit in a signed integer`;
    case "SafeERC20FailedDecreaseAllowance":
      return `cannot lower ${String(a[0])}'s allowance by ${bare(a[2])}: it is ${amount(a[1])}`;
    case "FailedDeployment":
      return "a contract deployment failed";
    case "MissingPrecompile":
      return `the precompile at ${String(a[0])} is missing on this chain`;
    case "CheckpointUnorderedInsertion":
      return "vote checkpoints out of order (the token's clock went back)";
    case "ERC20ExceededSafeSupply":
      return `the supply would exceed what votes can count (${bare(a[1])})`;
    case "ERC20InvalidCap":
      return `invalid token cap ${bare(a[0])}`;
    case "InvalidShortString":
    case "StringTooLong":
      return "a name is too long for the EIP-712 domain";
    case "TetradZeroMinter":
      return "the token needs a minter";
    case "CapMismatch":
      return `the token's cap (${bare(a[0])}) differs from the schedule's total (${bare(a[1])})`;
    case "MinterMismatch":
      return `the token's minter is ${String(a[0])}, not this emission controller`;
    case "InvalidScheduleParams":
      return "invalid emission schedule settings";
    case "InvalidValidatorSet":
      return `the consensus got ${String(a[0])} scoresheets for ${String(a[1])} stakes`;
    case "ERC6372InconsistentClock":
      return "the Governor's clock and the token's differ";
    case "GovernorDisabledDeposit":
      return "the Governor does not accept ETH";
    case "GovernorInvalidQuorumFraction":
      return `invalid quorum ${String(a[0])}/${String(a[1])}`;
    case "GovernorInvalidVoteParams":
      return "this vote type takes no parameters";
    case "GovernorInvalidVotingPeriod":
      return `invalid voting period ${formatDuration(big(a[0]))}`;
    case "GovernorPreventLateQuorumVoteExtensionTooLarge":
      return `a late-quorum extension of ${formatDuration(big(a[0]))} is too long`;
    case "GovernorProposalQueueingFailed":
      return `queueing proposal ${shortId(big(a[0]))} failed`;
    case "TimelockInvalidOperationLength":
      return "the Timelock operation's targets, payloads and values differ in length";

    default:
      return `the contract reverted with ${err.name}(${a.map((v) => String(v)).join(", ")})`;
  }
}

/*//////////////////////////////////////////////////////////////
                      FINDING THE REVERT
//////////////////////////////////////////////////////////////*/

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * The revert data (`0x` + selector + arguments) in an error from ethers, viem, wagmi, a wallet, Hardhat's
 * in-process network or a JSON-RPC node, searched through the usual nesting (`data`, `error`, `info`,
 * `cause`, `revert`, `errors`). `"0x"` when the call reverted without data; undefined when none is found.
 */
export function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let empty = false;
  const visit = (e: unknown, depth: number): string | undefined => {
    if (!isRecord(e) || seen.has(e) || depth > 10) return undefined;
    seen.add(e);
    // viem's ContractFunctionRevertedError keeps the bytes in `raw` (its `data` is already decoded).
    const data = typeof e.raw === "string" && HEX.test(e.raw) ? e.raw : e.data;
    if (typeof data === "string" && HEX.test(data)) {
      if (data.length >= 10) return data;
      if (data === "0x") empty = true;
    }
    for (const k of ["data", "error", "info", "cause", "revert", "errors"] as const) {
      const v = e[k];
      for (const item of Array.isArray(v) ? v : [v]) {
        const found = visit(item, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return visit(error, 0) ?? (empty ? "0x" : undefined);
}

/** The first useful line of an error that carries no revert data. */
export function plainMessage(error: unknown): string {
  let text: string;
  if (isRecord(error) && typeof error.shortMessage === "string") text = error.shortMessage;
  else if (error instanceof Error) text = error.message;
  else if (isRecord(error) && typeof error.message === "string") text = error.message;
  else text = String(error);
  return (text.split("\n")[0] ?? "")
    .trim()
    .replace(/^VM Exception while processing transaction: /, "")
    .replace(/^Error: /, "")
    .replace(/^reverted with reason string '(.*)'$/, "reverted: $1");
}

/** One line for an error whose revert (if any) `decode` could not or did not name. */
export function explainUndecoded(error: unknown): string {
  const data = revertData(error);
  if (data === "0x") return "the transaction reverted without a reason";
  if (data !== undefined)
    return `the transaction reverted with an unknown error (selector ${data.slice(0, 10)})`;
  return plainMessage(error);
}
