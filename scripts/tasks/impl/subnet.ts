/**
 * Subnet tasks for contributors (`contributor:register`, `contributor:claim`, `contributor:deregister`)
 * and validators' stake (`validator:stake`, `validator:unstake`, `validator:withdraw`, `validator:claim`).
 * Scoring rounds themselves are `validator:run` (impl/validator-run.ts).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { formatAmount } from "../../lib/chain/errors";
import type { CommonArgs } from "./args";
import { Session, SubnetRef, TaskError, log, open, parseAmount, roundContext, subnetOf } from "./context";
import { EXPEL_REASON_TEXT, bpsText, expelReasonName } from "../../lib/shared/standing";

/** Arguments of every subnet task. */
export interface SubnetArgs extends CommonArgs {
  /** code, community, compute or a subnet address. */
  subnet: string;
}

/** The contributor slot of `account`, or undefined when it is not registered. */
async function contributorSlot(ref: SubnetRef, account: string): Promise<bigint | undefined> {
  const plus = await ref.subnet.contributorSlot(account).then(
    (slot) => slot + 1n,
    () => 0n,
  );
  return plus === 0n ? undefined : plus - 1n;
}

/** The validator slot of `account`, or undefined when it holds no permit. */
async function validatorSlot(ref: SubnetRef, account: string): Promise<bigint | undefined> {
  const plus = await ref.subnet.validatorSlot(account).then(
    (slot) => slot + 1n,
    () => 0n,
  );
  return plus === 0n ? undefined : plus - 1n;
}

/**
 * Throws unless the subnet's round is open (commit or reveal phase): registering, staking, unstaking
 * and deregistering wait while a closed round awaits finalization.
 */
async function requireOpen(s: Session, ref: SubnetRef, doing: string): Promise<void> {
  const [{ round, revealEnd }, now] = await Promise.all([roundContext(ref.subnet), s.now()]);
  if (now >= revealEnd) {
    throw new TaskError(
      `the commit window is closed: round ${round} of the ${ref.label} ended at ${s.timeText(revealEnd, now)} ` +
        `and awaits finalization; ${doing} reopens when round ${round + 1n} starts ` +
        `(anyone can finalize: npx hardhat subnet:finalize --subnet ${ref.address})`,
    );
  }
}

async function requireNotPaused(ref: SubnetRef, doing: string): Promise<void> {
  if (await ref.subnet.paused()) {
    throw new TaskError(`the ${ref.label} is paused: ${doing} is closed (exits and finalization stay open)`);
  }
}

/** Approves `amount` TTD to the subnet when the allowance is short. */
async function approveTtd(s: Session, ref: SubnetRef, amount: bigint): Promise<void> {
  const { token } = s.contracts;
  if ((await token.allowance(s.me, ref.address)) >= amount) return;
  await s.send(() => token.approve(ref.address, amount));
}

async function requireBalance(s: Session, amount: bigint, what: string): Promise<void> {
  const balance = await s.contracts.token.balanceOf(s.me);
  if (balance < amount) {
    throw new TaskError(
      `insufficient balance: you have ${s.ttdText(balance)}, need ${formatAmount(amount, s.ttd, false)} (${what})`,
    );
  }
}

/** The signer's session and the subnet of `--subnet`. */
async function openSubnet(
  hre: HardhatRuntimeEnvironment,
  args: SubnetArgs,
): Promise<{ s: Session; ref: SubnetRef }> {
  const s = await open(hre, args.from);
  return { s, ref: await subnetOf(s, args.subnet) };
}

/*//////////////////////////////////////////////////////////////
                              CONTRIBUTORS
//////////////////////////////////////////////////////////////*/

/** `contributor:register` arguments. */
export interface RegisterArgs extends SubnetArgs {
  /** Metadata URI describing the contribution (repository, model card, endpoint...). */
  metadata: string;
}

/** Registers the signer as a contributor of the subnet, approving the bond first when needed. */
export async function register(
  args: RegisterArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ slot: bigint; bond: bigint }> {
  const { s, ref } = await openSubnet(hre, args);
  const existing = await contributorSlot(ref, s.me);
  if (existing !== undefined)
    throw new TaskError(`already registered in the ${ref.label} (slot ${existing})`);
  await requireNotPaused(ref, "registration");
  await requireOpen(s, ref, "registration");
  const [current] = await ref.subnet.params();
  const bond = current.bond;
  // The registration fee is burned (priced by demand; at least the eviction floor once the subnet has
  // filled): approve it with the bond.
  const fee = await ref.subnet.registrationFee();
  if (bond + fee > 0n) {
    await requireBalance(s, bond + fee, `the ${ref.label}'s bond and registration fee`);
    await approveTtd(s, ref, bond + fee);
  }
  const ctx = { round: await roundContext(ref.subnet) };
  const receipt = await s.send(() => ref.subnet.register(args.metadata), ctx);
  let slot = -1n;
  for (const entry of receipt.logs) {
    const parsed = ref.subnet.interface.parseLog(entry);
    if (parsed?.name === "ContributorRegistered") slot = parsed.args.slot as bigint;
    if (parsed?.name === "ContributorReplaced") {
      log(`  replaced ${String(parsed.args.account)}, the lowest-scored contributor past its immunity`);
    }
  }
  log(
    `registered in the ${ref.label} as contributor slot ${slot}, bond ${s.ttdText(bond)}, fee burned ${s.ttdText(fee)} (tx ${receipt.hash})`,
  );
  log(
    `  scored from round ${ctx.round.round + 1n} on (a round counts contributors registered before it started); ` +
      `validators name you by address (${s.me}) in their metrics files`,
  );
  return { slot, bond };
}

/** Leaves the subnet: the bond and any rewards are paid back. */
export async function deregister(
  args: SubnetArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ returned: bigint }> {
  const { s, ref } = await openSubnet(hre, args);
  if ((await contributorSlot(ref, s.me)) === undefined)
    throw new TaskError(`not registered in the ${ref.label}`);
  await requireOpen(s, ref, "deregistration");
  const before = await s.contracts.token.balanceOf(s.me);
  const receipt = await s.send(() => ref.subnet.deregister(), { round: await roundContext(ref.subnet) });
  const returned = (await s.contracts.token.balanceOf(s.me)) - before;
  log(`left the ${ref.label}: ${s.ttdText(returned)} of bond and rewards paid back (tx ${receipt.hash})`);
  return { returned };
}

/**
 * Claims what the subnet credited to the signer (contributor rewards, validator dividends: one
 * balance). `role` only shapes the message when there is nothing to claim.
 */
async function claimFrom(
  args: SubnetArgs,
  hre: HardhatRuntimeEnvironment,
  role: "contributor" | "validator",
): Promise<{ amount: bigint }> {
  const { s, ref } = await openSubnet(hre, args);
  const claimable = await ref.subnet.claimable(s.me);
  if (claimable === 0n) {
    const member =
      role === "contributor"
        ? (await contributorSlot(ref, s.me)) !== undefined
        : (await validatorSlot(ref, s.me)) !== undefined;
    if (!member) {
      throw new TaskError(
        role === "contributor" ? `not registered in the ${ref.label}` : `not a validator of the ${ref.label}`,
      );
    }
    throw new TaskError(
      `nothing to claim yet in the ${ref.label}: rewards are credited when a round is finalized`,
    );
  }
  await requireNotPaused(ref, "claiming");
  const receipt = await s.send(() => ref.subnet.claim());
  log(`claimed ${s.ttdText(claimable)} from the ${ref.label} (tx ${receipt.hash})`);
  return { amount: claimable };
}

/** `contributor:claim`: the contributor's rewards. */
export async function contributorClaim(
  args: SubnetArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ amount: bigint }> {
  return claimFrom(args, hre, "contributor");
}

/** `validator:claim`: the validator's dividends. */
export async function validatorClaim(
  args: SubnetArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ amount: bigint }> {
  return claimFrom(args, hre, "validator");
}

/*//////////////////////////////////////////////////////////////
                                VALIDATORS
//////////////////////////////////////////////////////////////*/

/** Arguments of `validator:stake` and `validator:unstake`. */
export interface StakeArgs extends SubnetArgs {
  /** TTD (unstake also takes `all`). */
  amount: string;
}

/** Stakes TTD in the subnet (taking a validator permit with the first stake), approving first. */
export async function stake(
  args: StakeArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ slot: bigint; stake: bigint }> {
  const { s, ref } = await openSubnet(hre, args);
  const amount = parseAmount(args.amount, s.ttd);
  await requireNotPaused(ref, "staking");
  await requireOpen(s, ref, "staking");
  const [current] = await ref.subnet.params();
  const slot = await validatorSlot(ref, s.me);
  if (slot === undefined && amount < current.minValidatorStake) {
    throw new TaskError(
      `the first stake must be at least ${s.ttdText(current.minValidatorStake)} to take a validator permit ` +
        `(you offered ${formatAmount(amount, s.ttd, false)})`,
    );
  }
  await requireBalance(s, amount, "the stake");
  await approveTtd(s, ref, amount);
  const receipt = await s.send(() => ref.subnet.stake(amount), { round: await roundContext(ref.subnet) });
  let total = amount;
  let at = slot ?? -1n;
  for (const entry of receipt.logs) {
    const parsed = ref.subnet.interface.parseLog(entry);
    if (parsed?.name === "Staked") {
      total = parsed.args.stake as bigint;
      at = parsed.args.slot as bigint;
    }
    if (parsed?.name === "ValidatorExpelled") {
      log(
        `  took the permit of ${String(parsed.args.validator)}, the smallest stake (${expelReasonName(parsed.args.reason as bigint)})`,
      );
    }
  }
  log(
    `staked ${s.ttdText(amount)} in the ${ref.label}: validator slot ${at}, stake ${s.ttdText(total)} (tx ${receipt.hash})`,
  );
  if (slot === undefined) {
    log(
      `  next: each round, validator:run --subnet ${args.subnet} --metrics <file.json> commits and reveals your scores`,
    );
  }
  return { slot: at, stake: total };
}

/**
 * Moves stake to unbonding (withdraw it with `validator:withdraw` after the unbonding delay). Below
 * the minimum stake, the whole stake is unbonded and the permit given up.
 */
export async function unstake(
  args: StakeArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ unbonding: bigint; releaseAt: bigint; stake: bigint }> {
  const { s, ref } = await openSubnet(hre, args);
  const slot = await validatorSlot(ref, s.me);
  if (slot === undefined) throw new TaskError(`not a validator of the ${ref.label}: you have no stake there`);
  const [v, [current]] = await Promise.all([ref.subnet.validatorAt(slot), ref.subnet.params()]);
  const amount = args.amount.trim().toLowerCase() === "all" ? v.stake : parseAmount(args.amount, s.ttd);
  if (amount > v.stake) {
    throw new TaskError(
      `you have ${s.ttdText(v.stake)} staked in the ${ref.label}, cannot unstake ${formatAmount(amount, s.ttd, false)}`,
    );
  }
  await requireOpen(s, ref, "unstaking");
  if (v.stake - amount < current.minValidatorStake && amount < v.stake) {
    log(
      `  what would be left is under the minimum stake (${s.ttdText(current.minValidatorStake)}): ` +
        `the whole stake of ${s.ttdText(v.stake)} is unbonded and the permit given up`,
    );
  }
  const receipt = await s.send(() => ref.subnet.unstake(amount), { round: await roundContext(ref.subnet) });
  const [[unbonding, releaseAt], now] = await Promise.all([ref.subnet.unbonding(s.me), s.now()]);
  const left =
    (await validatorSlot(ref, s.me)) === undefined ? 0n : (await ref.subnet.validatorAt(slot)).stake;
  log(
    `unstaked from the ${ref.label} (tx ${receipt.hash}): stake ${s.ttdText(left)}, unbonding ${s.ttdText(unbonding)}`,
  );
  log(`  withdraw it with validator:withdraw from ${s.timeText(releaseAt, now)}`);
  return { unbonding, releaseAt, stake: left };
}

/** Withdraws the signer's unbonded stake once the unbonding delay has passed. */
export async function withdrawUnbonded(
  args: SubnetArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ amount: bigint }> {
  const { s, ref } = await openSubnet(hre, args);
  const [[amount, releaseAt], now] = await Promise.all([ref.subnet.unbonding(s.me), s.now()]);
  if (amount === 0n) {
    throw new TaskError(
      `nothing to withdraw: you have no unbonded stake in the ${ref.label} (unstake first)`,
    );
  }
  if (now < releaseAt) {
    throw new TaskError(
      `your unbonded stake of ${s.ttdText(amount)} is still unbonding: it can be withdrawn from ${s.timeText(releaseAt, now)}`,
    );
  }
  const receipt = await s.send(() => ref.subnet.withdrawUnbonded());
  log(`withdrew ${s.ttdText(amount)} of unbonded stake from the ${ref.label} (tx ${receipt.hash})`);
  return { amount };
}

/*//////////////////////////////////////////////////////////////
                              FINALIZATION
//////////////////////////////////////////////////////////////*/

/** `subnet:finalize` arguments. */
export interface FinalizeArgs extends SubnetArgs {
  /** Finalization steps per transaction (the contract's `maxSteps`). */
  page: number;
}

/** Upper bound on the transactions one `subnet:finalize` sends (a 256-contributor round at page 1). */
export const MAX_FINALIZE_TXS = 600;

/**
 * Finalizes the subnet's closed round, page by page, until the next round starts. Anyone may: no
 * permit or registration is needed (the contract's `finalizeRound` is permissionless).
 */
export async function finalize(
  args: FinalizeArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ round: bigint; txs: number }> {
  const { s, ref } = await openSubnet(hre, args);
  if (!Number.isInteger(args.page) || args.page < 1)
    throw new TaskError(`--page must be a whole number >= 1`);
  const ctx = { round: await roundContext(ref.subnet) };
  const now = await s.now();
  if (now < ctx.round.revealEnd) {
    throw new TaskError(
      `round ${ctx.round.round} of the ${ref.label} is still open until ${s.timeText(ctx.round.revealEnd, now)}: ` +
        `nothing to finalize yet`,
    );
  }
  for (let txs = 1; txs <= MAX_FINALIZE_TXS; txs++) {
    const receipt = await s.send(() => ref.subnet.finalizeRound(args.page), ctx);
    for (const entry of receipt.logs) {
      const parsed = ref.subnet.interface.parseLog(entry);
      if (parsed?.name === "RoundAgreement") {
        log(
          `  round ${ctx.round.round}: median agreement ${bpsText(parsed.args.medianBps as bigint)}, ` +
            `lagged (last round's consensus) ${bpsText(parsed.args.laggedBps as bigint)}`,
        );
      } else if (parsed?.name === "ValidatorExpelled") {
        const reason = expelReasonName(parsed.args.reason as bigint);
        const why = EXPEL_REASON_TEXT[reason as keyof typeof EXPEL_REASON_TEXT] ?? "";
        log(
          `  validator ${String(parsed.args.validator)} (slot ${String(parsed.args.slot)}) expelled: ${reason}${why ? ` (${why})` : ""}`,
        );
      }
    }
    // The last page starts the next round: read that back rather than simulating each page first.
    if ((await ref.subnet.round()) > ctx.round.round) {
      log(
        `finalized round ${ctx.round.round} of the ${ref.label} in ${txs} transaction(s) (last tx ${receipt.hash}); ` +
          `round ${ctx.round.round + 1n} has started`,
      );
      return { round: ctx.round.round, txs };
    }
    log(`  transaction ${txs}: ${args.page} finalization steps done, more to go (tx ${receipt.hash})`);
  }
  throw new TaskError(`round ${ctx.round.round} is not finalized after ${MAX_FINALIZE_TXS} transactions`);
}
