/**
 * Governance tasks: `gov:delegate`, `gov:propose`, `gov:vote`, `gov:queue`, `gov:execute`.
 * Proposals are built from the typed actions of scripts/lib/chain/governance.ts.
 */
import { readFile } from "fs/promises";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ZeroAddress, getAddress, isAddress, isHexString } from "ethers";
import { IERC20Metadata__factory, Subnet__factory, TetradGovernor } from "../../../typechain-types";
import { Shares } from "../../lib/chain/constants";
import { Deployment, subnetAddress } from "../../lib/deploy/deployments";
import {
  ErrorContext,
  PROPOSAL_STATES,
  Units,
  describeRevert,
  formatAmount,
  shortId,
} from "../../lib/chain/errors";
import { Action, Proposal, Vote, buildProposal, proposalId, toCalls } from "../../lib/chain/governance";
import { SubnetParams } from "../../lib/chain/poc";
import type { CommonArgs } from "./args";
import { Session, TaskError, log, open, parseAmount } from "./context";

/*//////////////////////////////////////////////////////////////
                               PROPOSALS
//////////////////////////////////////////////////////////////*/

/** A proposal's id, index and timeline. */
export interface ProposalInfo {
  id: bigint;
  /** 1-based position in the Governor's list (GovernorStorage). */
  index?: number;
  state: number;
  snapshot: bigint;
  deadline: bigint;
  eta: bigint;
}

/** Reads a proposal's state and timeline; throws when the Governor has no such proposal. */
export async function proposalInfo(governor: TetradGovernor, id: bigint): Promise<ProposalInfo> {
  const snapshot = await governor.proposalSnapshot(id);
  if (snapshot === 0n) throw new TaskError(`there is no proposal ${shortId(id)}`);
  const [state, deadline, eta] = await Promise.all([
    governor.state(id),
    governor.proposalDeadline(id),
    governor.proposalEta(id),
  ]);
  return { id, state: Number(state), snapshot, deadline, eta };
}

/**
 * Resolves `--proposal`: a full id (decimal or 0x hex), `latest`, or a position in the Governor's list
 * (`3` or `#3`, 1-based, as `status` shows them).
 */
export async function resolveProposal(governor: TetradGovernor, text: string): Promise<bigint> {
  const t = String(text).trim();
  const count = await governor.proposalCount();
  if (t.toLowerCase() === "latest") {
    if (count === 0n) throw new TaskError("there are no proposals yet");
    return (await governor.proposalDetailsAt(count - 1n)).proposalId;
  }
  const index = /^#?\d{1,6}$/.test(t) ? BigInt(t.replace("#", "")) : undefined;
  if (index !== undefined && (t.startsWith("#") || index <= count)) {
    if (index < 1n || index > count) {
      throw new TaskError(
        `--proposal ${t}: there ${count === 1n ? "is 1 proposal" : `are ${count} proposals`}`,
      );
    }
    return (await governor.proposalDetailsAt(index - 1n)).proposalId;
  }
  if (!/^\d+$/.test(t) && !isHexString(t)) {
    throw new TaskError(`--proposal: "${t}" is not a proposal id (a number, 0x hex, #index or latest)`);
  }
  return BigInt(t);
}

/** The error context of a proposal (for the decoder's messages). */
function proposalCtx(p: ProposalInfo, now: bigint): ErrorContext {
  return { now, proposal: { snapshot: p.snapshot, deadline: p.deadline, eta: p.eta } };
}

/** Throws the decoder's plain sentence unless the proposal is in one of `wanted` states. */
function requireState(p: ProposalInfo, now: bigint, me: string, ...wanted: number[]): void {
  if (wanted.includes(p.state)) return;
  const bitmap = wanted.reduce((acc, st) => acc | (1n << BigInt(st)), 0n);
  throw new TaskError(
    describeRevert(
      {
        name: "GovernorUnexpectedProposalState",
        signature: "GovernorUnexpectedProposalState(uint256,uint8,bytes32)",
        selector: "",
        args: [p.id, BigInt(p.state), bitmap],
      },
      { account: me, ...proposalCtx(p, now) },
    ),
  );
}

const STATE = Object.fromEntries(PROPOSAL_STATES.map((name, i) => [name, i])) as Record<
  (typeof PROPOSAL_STATES)[number],
  number
>;

/*//////////////////////////////////////////////////////////////
                                DELEGATE
//////////////////////////////////////////////////////////////*/

/** `gov:delegate` arguments. */
export interface DelegateArgs extends CommonArgs {
  /** Delegate to this address (default: yourself). */
  to?: string;
}

/** Delegates the signer's TTD votes (to itself by default): TTD votes only once delegated. */
export async function delegate(
  args: DelegateArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ delegatee: string; votes: bigint }> {
  const s = await open(hre, args.from);
  const { token } = s.contracts;
  let to = s.me;
  if (args.to !== undefined && args.to !== "") {
    if (!isAddress(args.to)) throw new TaskError(`--to: "${args.to}" is not an address`);
    to = getAddress(args.to);
  }
  const [current, balance] = await Promise.all([token.delegates(s.me), token.balanceOf(s.me)]);
  if (current === to) {
    log(
      `your votes already go to ${to === s.me ? "yourself" : to}; voting power ${s.ttdText(await token.getVotes(to))}`,
    );
    return { delegatee: to, votes: await token.getVotes(to) };
  }
  const receipt = await s.send(() => token.delegate(to));
  const votes = await token.getVotes(to);
  log(
    `delegated the votes of your ${s.ttdText(balance)} to ${to === s.me ? "yourself" : to} (tx ${receipt.hash}); ` +
      `its voting power is now ${s.ttdText(votes)}`,
  );
  log("  votes count for proposals made from the next second on (each proposal reads them at its snapshot)");
  if (balance === 0n) log("  you hold no TTD yet: the delegation applies to what you receive later");
  return { delegatee: to, votes };
}

/*//////////////////////////////////////////////////////////////
                                PROPOSE
//////////////////////////////////////////////////////////////*/

/** `gov:propose` arguments. */
export interface ProposeArgs extends CommonArgs {
  /** `2400,2400,2400,2400,400`: bucket shares (code, community, compute, capital, protection) in bps. */
  shares?: string;
  /** Metric weights in bps for `--subnet`, e.g. `3000,2500,2500,2000`. */
  metricWeights?: string;
  subnet?: string;
  /** A JSON file of actions (see {@link parseActions}). */
  actions?: string;
  title?: string;
  /** The rationale, in Markdown. */
  description?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses `1,2,3` into integers in [0, 10,000]. */
function bpsList(text: string, name: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const values = parts.map(Number);
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v > 10_000) {
      throw new TaskError(`${name}: "${parts[i]}" is not basis points (an integer in 0-10,000)`);
    }
  });
  return values;
}

function sumCheck(values: number[], name: string): void {
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum !== 10_000) throw new TaskError(`${name} must sum to 10,000 basis points (these sum to ${sum})`);
}

const BUCKETS: Record<string, keyof Deployment["contracts"]> = {
  code: "CodeBucket",
  community: "CommunityBucket",
  compute: "ComputeBucket",
};

/**
 * Parses a JSON file of actions for a proposal, in human units, resolving names to the deployment's
 * addresses. The file is an array of actions, or `{ "title", "description", "actions": [...] }`:
 *
 *     { "kind": "setShares", "shares": [2400, 2400, 2400, 2400, 400] }
 *     { "kind": "setMetricWeights", "subnet": "code", "weights": [3000, 2500, 2500, 2000] }
 *     { "kind": "setSubnetParams", "subnet": "code", "params": { "bond": "20", "commitDuration": 72000 } }
 *     { "kind": "setSubnetWeights", "bucket": "code", "subnets": ["code", "0x…"], "weights": [6000, 4000] }
 *     { "kind": "grant", "to": "0x…", "amount": "1000", "token": "0x… (default TTD)" }
 *     { "kind": "slash", "subnet": "code", "validator": "0x…", "amount": "50" }
 *     { "kind": "setPoolSettings", "rewardsDuration": 604800, "minDeposit": "0.01", "withdrawLock": 0 }
 *     { "kind": "call", "target": "0x…", "data": "0x…", "value": "0", "summary": "what it does" }
 *
 * Amounts are in token units (TTD; the stake token for `minDeposit`; `grant`'s token), durations in
 * seconds; subnet settings not given keep the value queued on chain.
 */
export async function parseActions(
  s: Session,
  json: unknown,
): Promise<{ actions: Action[]; title?: string; description?: string }> {
  let list: unknown = json;
  let title: string | undefined;
  let description: string | undefined;
  if (isRecord(json)) {
    list = json.actions;
    if (typeof json.title === "string") title = json.title;
    if (typeof json.description === "string") description = json.description;
  }
  if (!Array.isArray(list))
    throw new TaskError('actions file: expected an array of actions (or { "actions": [...] })');
  const d = s.deployment;
  const actions: Action[] = [];
  for (const [i, raw] of (list as unknown[]).entries()) {
    const at = `actions[${i}]`;
    if (!isRecord(raw)) throw new TaskError(`${at}: expected an object with a "kind"`);
    const str = (k: string): string => {
      const v = raw[k];
      if (typeof v === "number") return String(v);
      if (typeof v !== "string" || v === "") throw new TaskError(`${at}.${k}: missing`);
      return v;
    };
    const address = (k: string): string => {
      const v = str(k);
      if (!isAddress(v)) throw new TaskError(`${at}.${k}: "${v}" is not an address`);
      return getAddress(v);
    };
    const subnet = (k: string): string => {
      try {
        return getAddress(subnetAddress(d, str(k)));
      } catch (e) {
        throw new TaskError(`${at}.${k}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    const ints = (k: string): number[] => {
      const v = raw[k];
      if (!Array.isArray(v)) throw new TaskError(`${at}.${k}: expected an array of basis points`);
      return bpsList(v.join(","), `${at}.${k}`);
    };
    const seconds = (k: string): bigint | undefined => {
      const v = raw[k];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
        throw new TaskError(`${at}.${k}: expected seconds`);
      return BigInt(v);
    };
    /** An amount in `units`; `0` only where `zero` allows it. */
    const amountOf = (k: string, units: Units, zero = false): bigint =>
      zero && /^0*(\.0*)?$/.test(str(k).trim()) ? 0n : parseAmount(str(k), units, `${at}.${k}`);
    switch (raw.kind) {
      case "setShares": {
        const shares = ints("shares");
        if (shares.length !== 5)
          throw new TaskError(
            `${at}.shares: expected 5 values (code, community, compute, capital, protection)`,
          );
        sumCheck(shares, `${at}.shares`);
        actions.push({
          kind: "setShares",
          controller: d.contracts.EmissionController,
          shares: shares as Shares,
        });
        break;
      }
      case "setMetricWeights": {
        const weights = ints("weights");
        sumCheck(weights, `${at}.weights`);
        actions.push({ kind: "setMetricWeights", subnet: subnet("subnet"), weights });
        break;
      }
      case "setSubnetParams": {
        const target = subnet("subnet");
        const given = raw.params;
        if (!isRecord(given)) throw new TaskError(`${at}.params: expected an object of subnet settings`);
        const [, next] = await Subnet__factory.connect(target, s.signer)
          .params()
          .catch(() => {
            throw new TaskError(`${at}.subnet: ${target} is not a subnet (cannot read its settings)`);
          });
        const params: SubnetParams = {
          commitDuration: next.commitDuration,
          revealDuration: next.revealDuration,
          immunityPeriod: next.immunityPeriod,
          unbondingDelay: next.unbondingDelay,
          kappa: Number(next.kappa),
          contributorShare: Number(next.contributorShare),
          validatorShare: Number(next.validatorShare),
          agreementThreshold: Number(next.agreementThreshold),
          maxStrikes: Number(next.maxStrikes),
          activityCutoff: Number(next.activityCutoff),
          relativeThreshold: Number(next.relativeThreshold),
          edgeShare: Number(next.edgeShare),
          edgeFloor: Number(next.edgeFloor),
          bond: next.bond,
          minValidatorStake: next.minValidatorStake,
        };
        for (const [k, v] of Object.entries(given)) {
          const where = `${at}.params.${k}`;
          if (k === "bond" || k === "minValidatorStake") {
            if (typeof v !== "string" && typeof v !== "number")
              throw new TaskError(`${where}: expected an amount of TTD`);
            params[k] = /^0*(\.0*)?$/.test(String(v).trim()) ? 0n : parseAmount(String(v), s.ttd, where);
          } else if (
            k === "commitDuration" ||
            k === "revealDuration" ||
            k === "immunityPeriod" ||
            k === "unbondingDelay"
          ) {
            if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
              throw new TaskError(`${where}: expected seconds`);
            params[k] = BigInt(v);
          } else if (
            k === "kappa" ||
            k === "contributorShare" ||
            k === "validatorShare" ||
            k === "agreementThreshold" ||
            k === "maxStrikes" ||
            k === "activityCutoff" ||
            k === "relativeThreshold" ||
            k === "edgeShare" ||
            k === "edgeFloor"
          ) {
            if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
              throw new TaskError(`${where}: expected an integer`);
            params[k] = v;
          } else {
            throw new TaskError(`${where}: unknown setting (${Object.keys(params).join(", ")})`);
          }
        }
        actions.push({ kind: "setSubnetParams", subnet: target, params });
        break;
      }
      case "setSubnetWeights": {
        const name = str("bucket");
        const bucket = BUCKETS[name.toLowerCase()]
          ? d.contracts[BUCKETS[name.toLowerCase()]]
          : isAddress(name)
            ? getAddress(name)
            : undefined;
        if (!bucket) throw new TaskError(`${at}.bucket: use code, community, compute or a bucket address`);
        const subnetsRaw = raw.subnets;
        if (!Array.isArray(subnetsRaw)) throw new TaskError(`${at}.subnets: expected an array of subnets`);
        const subnets = subnetsRaw.map((x, j) => {
          try {
            return getAddress(subnetAddress(d, String(x)));
          } catch (e) {
            throw new TaskError(`${at}.subnets[${j}]: ${e instanceof Error ? e.message : String(e)}`);
          }
        });
        const weights = ints("weights");
        if (weights.length !== subnets.length)
          throw new TaskError(`${at}: ${subnets.length} subnets but ${weights.length} weights`);
        sumCheck(weights, `${at}.weights`);
        actions.push({ kind: "setSubnetWeights", bucket, subnets, weights });
        break;
      }
      case "grant": {
        const token = raw.token === undefined ? d.contracts.Tetrad : address("token");
        const meta = IERC20Metadata__factory.connect(token, s.signer);
        const units: Units =
          token === d.contracts.Tetrad
            ? s.ttd
            : {
                symbol: await meta.symbol().catch(() => "tokens"),
                decimals: Number(await meta.decimals().catch(() => 18n)),
              };
        actions.push({
          kind: "grant",
          fund: d.contracts.ProtectionFund,
          token,
          to: address("to"),
          amount: amountOf("amount", units),
        });
        break;
      }
      case "slash":
        actions.push({
          kind: "slash",
          subnet: subnet("subnet"),
          validator: address("validator"),
          amount: amountOf("amount", s.ttd),
        });
        break;
      case "setPoolSettings": {
        const minDeposit = raw.minDeposit === undefined ? undefined : amountOf("minDeposit", s.stake, true);
        const action: Action = {
          kind: "setPoolSettings",
          pool: d.contracts.CapitalPool,
          rewardsDuration: seconds("rewardsDuration"),
          minDeposit,
          withdrawLock: seconds("withdrawLock"),
        };
        if (
          action.rewardsDuration === undefined &&
          minDeposit === undefined &&
          action.withdrawLock === undefined
        ) {
          throw new TaskError(`${at}: give rewardsDuration, minDeposit or withdrawLock`);
        }
        actions.push(action);
        break;
      }
      case "call": {
        const data = str("data");
        if (!isHexString(data)) throw new TaskError(`${at}.data: not hex calldata`);
        const value = raw.value === undefined ? 0n : /^\d+$/.test(str("value")) ? BigInt(str("value")) : -1n;
        if (value < 0n) throw new TaskError(`${at}.value: expected wei (a whole number)`);
        actions.push({ kind: "call", target: address("target"), data, value, summary: str("summary") });
        break;
      }
      default:
        throw new TaskError(
          `${at}.kind: "${String(raw.kind)}" is not one of setShares, setMetricWeights, setSubnetParams, setSubnetWeights, grant, slash, setPoolSettings, call`,
        );
    }
  }
  if (actions.length === 0) throw new TaskError("actions file: no actions");
  return { actions, title, description };
}

/** Proposes the actions given by flags or a file, after checking the proposer's votes. */
export async function propose(
  args: ProposeArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ id: bigint; index: number; proposal: Proposal }> {
  const s = await open(hre, args.from);
  const { governor, token } = s.contracts;
  const actions: Action[] = [];
  let title = args.title;
  let rationale = args.description;
  if (args.actions) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(args.actions, "utf8"));
    } catch (e) {
      throw new TaskError(
        `--actions: cannot read ${args.actions} as JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const parsed = await parseActions(s, json);
    actions.push(...parsed.actions);
    title ??= parsed.title;
    rationale ??= parsed.description;
  }
  if (args.shares) {
    const shares = bpsList(args.shares, "--shares");
    if (shares.length !== 5) {
      throw new TaskError(
        "--shares: give 5 basis points: code, community, compute, capital, protection (e.g. 2400,2400,2400,2400,400)",
      );
    }
    sumCheck(shares, "--shares");
    actions.push({
      kind: "setShares",
      controller: s.deployment.contracts.EmissionController,
      shares: shares as Shares,
    });
  }
  if (args.metricWeights) {
    if (!args.subnet)
      throw new TaskError("--metric-weights needs --subnet (code, community, compute or an address)");
    const weights = bpsList(args.metricWeights, "--metric-weights");
    sumCheck(weights, "--metric-weights");
    actions.push({
      kind: "setMetricWeights",
      subnet: getAddress(subnetAddress(s.deployment, args.subnet)),
      weights,
    });
  }
  if (actions.length === 0) {
    throw new TaskError(
      "nothing to propose: give --shares, --metric-weights with --subnet, or --actions <file.json>",
    );
  }
  title ??= actions.length === 1 ? toCalls(actions)[0].summary : `${actions.length} changes to Tetrad`;
  const proposal = buildProposal(title, rationale ?? "", actions);

  // The Governor counts the lesser of the votes now and `voteLookback` ago (issue 15).
  const clockNow = BigInt(await governor.clock());
  const [votes, current, threshold, balance, delegatee, lookback] = await Promise.all([
    governor.getVotes(s.me, clockNow - 1n),
    token.getVotes(s.me),
    governor.proposalThreshold(),
    token.balanceOf(s.me),
    token.delegates(s.me),
    governor.voteLookback(),
  ]);
  if (votes < threshold) {
    const hint =
      balance > 0n && delegatee === ZeroAddress
        ? ` (you hold ${s.ttdText(balance)} but have not delegated: run gov:delegate first)`
        : current >= threshold
          ? ` (votes count once held for the Governor's ${Number(lookback) / 3600}-hour lookback: try again later)`
          : "";
    throw new TaskError(
      `not enough votes to propose: you have ${s.ttdText(votes)} of voting power, the threshold is ${s.ttdText(threshold)}${hint}`,
    );
  }
  const id = await proposalId(governor, proposal);
  if ((await governor.proposalSnapshot(id)) !== 0n) {
    const state = PROPOSAL_STATES[Number(await governor.state(id))];
    throw new TaskError(
      `this proposal exists already: ${shortId(id)} is ${state} (change the description to propose it again)`,
    );
  }
  const receipt = await s.send(() =>
    governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
  );
  const info = await proposalInfo(governor, id);
  const now = await s.now();
  const index = Number(await governor.proposalCount());
  log(`proposed #${index}: "${title}" (tx ${receipt.hash})`);
  log(`  id ${id}`);
  toCalls(actions).forEach((c, i) => log(`  ${i + 1}. ${c.summary}`));
  log(
    `  voting opens at ${s.timeText(info.snapshot + 1n, now)} and ends at ${s.timeText(info.deadline, now)}`,
  );
  return { id, index, proposal };
}

/*//////////////////////////////////////////////////////////////
                          VOTE, QUEUE, EXECUTE
//////////////////////////////////////////////////////////////*/

/** `gov:vote` arguments. */
export interface VoteArgs extends CommonArgs {
  proposal: string;
  support: string;
  reason?: string;
}

const SUPPORT: Record<string, Vote> = {
  for: Vote.For,
  yes: Vote.For,
  "1": Vote.For,
  against: Vote.Against,
  no: Vote.Against,
  "0": Vote.Against,
  abstain: Vote.Abstain,
  "2": Vote.Abstain,
};

/** Casts the signer's vote (with an optional reason) on an Active proposal. */
export async function vote(
  args: VoteArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ id: bigint; weight: bigint; tally: { against: bigint; for: bigint; abstain: bigint } }> {
  const support = SUPPORT[String(args.support).trim().toLowerCase()];
  if (support === undefined)
    throw new TaskError(`--support must be for, against or abstain, got "${args.support}"`);
  const { s, governor, id, p, now } = await openProposal(hre, args);
  requireState(p, now, s.me, STATE.Active);
  if (await governor.hasVoted(id, s.me))
    throw new TaskError(`you have already voted on proposal ${shortId(id)}`);
  const weight = await governor.getVotes(s.me, p.snapshot);
  if (weight === 0n) {
    throw new TaskError(
      `you had no voting power at proposal ${shortId(id)}'s snapshot (${s.timeText(p.snapshot, now)}): ` +
        "delegate (gov:delegate) before proposals are made to vote on them",
    );
  }
  const receipt = await s.send(
    () =>
      args.reason ? governor.castVoteWithReason(id, support, args.reason) : governor.castVote(id, support),
    proposalCtx(p, now),
  );
  const [against, forVotes, abstain] = await governor.proposalVotes(id);
  const quorum = await governor.quorum(p.snapshot);
  log(
    `voted ${Vote[support].toLowerCase()} on proposal ${shortId(id)} with ${s.ttdText(weight)} (tx ${receipt.hash})`,
  );
  log(
    `  tally: for ${formatAmount(forVotes, s.ttd, false, 6)}, against ${formatAmount(against, s.ttd, false, 6)}, ` +
      `abstain ${formatAmount(abstain, s.ttd, false, 6)}; quorum ${s.ttdText(quorum)}; voting ends at ${s.timeText(p.deadline, now)}`,
  );
  return { id, weight, tally: { against, for: forVotes, abstain } };
}

/** `gov:queue` and `gov:execute` arguments. */
export interface ProposalArgs extends CommonArgs {
  proposal: string;
}

/** The signer's session and the proposal of `--proposal`, as of the chain's clock. */
async function openProposal(hre: HardhatRuntimeEnvironment, args: ProposalArgs) {
  const s = await open(hre, args.from);
  const { governor } = s.contracts;
  const id = await resolveProposal(governor, args.proposal);
  const [p, now] = await Promise.all([proposalInfo(governor, id), s.now()]);
  return { s, governor, id, p, now };
}

/** Queues a Succeeded proposal in the Timelock. */
export async function queue(
  args: ProposalArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ id: bigint; eta: bigint }> {
  const { s, governor, id, p, now } = await openProposal(hre, args);
  requireState(p, now, s.me, STATE.Succeeded);
  const receipt = await s.send(() => governor["queue(uint256)"](id), proposalCtx(p, now));
  const eta = await governor.proposalEta(id);
  log(`queued proposal ${shortId(id)} (tx ${receipt.hash}); executable at ${s.timeText(eta, await s.now())}`);
  return { id, eta };
}

/** Executes a Queued proposal whose Timelock delay has passed. */
export async function execute(args: ProposalArgs, hre: HardhatRuntimeEnvironment): Promise<{ id: bigint }> {
  const { s, governor, id, p, now } = await openProposal(hre, args);
  if (p.state === STATE.Succeeded && (await governor.proposalNeedsQueuing(id))) {
    throw new TaskError(`proposal ${shortId(id)} has Succeeded and is not queued yet: run gov:queue first`);
  }
  requireState(p, now, s.me, STATE.Queued);
  if (now + 1n < p.eta)
    throw new TaskError(`proposal ${shortId(id)} is Queued, executable at ${s.timeText(p.eta, now)}`);
  const receipt = await s.send(() => governor["execute(uint256)"](id), proposalCtx(p, now));
  log(`executed proposal ${shortId(id)} (tx ${receipt.hash})`);
  return { id };
}
