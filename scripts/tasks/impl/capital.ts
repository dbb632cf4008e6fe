/** Capital pool tasks: `capital:deposit`, `capital:withdraw`, `capital:claim`. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TypedDataEncoder, getAddress, isAddress } from "ethers";
import { ERC20Permit, ERC20Permit__factory, MockStakeToken__factory } from "../../../typechain-types";
import { formatAmount } from "../../lib/chain/errors";
import { signPermit } from "../../lib/chain/permit";
import type { CommonArgs } from "./args";
import { Session, TaskError, log, open, parseAmount } from "./context";

/** `capital:deposit` arguments. */
export interface DepositArgs extends CommonArgs {
  amount: string;
  /** Mint what is missing from the mock stake token's open faucet (local and test deployments). */
  faucet: boolean;
  /** Approve then deposit even when the token supports EIP-2612 permits. */
  noPermit: boolean;
}

/** How a deposit went in. */
export interface DepositResult {
  amount: bigint;
  method: "permit" | "approve" | "allowance";
  staked: bigint;
  minted: bigint;
}

/** Whether `token` signs EIP-2612 permits with an ERC-5267 domain that matches its separator. */
async function supportsPermit(token: ERC20Permit, owner: string): Promise<boolean> {
  try {
    const [domain, separator] = await Promise.all([token.eip712Domain(), token.DOMAIN_SEPARATOR()]);
    await token.nonces(owner);
    const computed = TypedDataEncoder.hashDomain({
      name: domain.name,
      version: domain.version,
      chainId: domain.chainId,
      verifyingContract: domain.verifyingContract,
    });
    return computed === separator;
  } catch {
    return false;
  }
}

async function stakeSummary(s: Session): Promise<void> {
  const { pool } = s.contracts;
  const [staked, pending, total] = await Promise.all([
    pool.balanceOf(s.me),
    pool.pendingRewards(s.me),
    pool.totalStaked(),
  ]);
  const share = total === 0n ? "0" : (Number((staked * 1_000_000n) / total) / 10_000).toFixed(2);
  log(`  staked ${s.stakeText(staked)} (${share}% of the pool), pending rewards ${s.ttdText(pending)}`);
}

/**
 * Deposits `amount` of the stake token into the capital pool: with an EIP-2612 permit when the token
 * supports one (one transaction), else approve + deposit. Checks the pause, the minimum and the
 * balance first (`--faucet` mints what is missing on the mock token).
 */
export async function deposit(args: DepositArgs, hre: HardhatRuntimeEnvironment): Promise<DepositResult> {
  const s = await open(hre, args.from);
  const { pool, stakingToken } = s.contracts;
  const amount = parseAmount(args.amount, s.stake);
  const poolAddress = await pool.getAddress();
  const [paused, minDeposit, balance, allowance] = await Promise.all([
    pool.paused(),
    pool.minDeposit(),
    stakingToken.balanceOf(s.me),
    stakingToken.allowance(s.me, poolAddress),
  ]);
  if (paused) throw new TaskError("the capital pool is paused: deposits are closed (withdrawals stay open)");
  if (amount < minDeposit) {
    throw new TaskError(
      `the pool's minimum deposit is ${s.stakeText(minDeposit)}, you offered ${s.stakeText(amount)}`,
    );
  }
  const ctx = { units: s.stake };
  let minted = 0n;
  if (balance < amount) {
    if (!args.faucet) {
      throw new TaskError(
        `insufficient balance: you have ${s.stakeText(balance)}, need ${formatAmount(amount, s.stake, false)}`,
      );
    }
    minted = amount - balance;
    const faucet = MockStakeToken__factory.connect(await stakingToken.getAddress(), s.signer);
    try {
      await faucet.mint.staticCall(s.me, minted);
    } catch {
      throw new TaskError(
        `--faucet: the stake token ${s.stake.symbol} has no open faucet (only the mock token of a local or test deployment has one)`,
      );
    }
    await s.send(() => faucet.mint(s.me, minted), ctx);
    log(`faucet: minted ${s.stakeText(minted)} to ${s.me}`);
  }

  let method: DepositResult["method"];
  let hash: string;
  const permitToken = ERC20Permit__factory.connect(await stakingToken.getAddress(), s.signer);
  if (allowance >= amount) {
    method = "allowance";
    hash = (await s.send(() => pool.deposit(amount), ctx)).hash;
  } else if (!args.noPermit && (await supportsPermit(permitToken, s.me))) {
    method = "permit";
    const deadline = (await s.now()) + 3600n;
    const sig = await signPermit(permitToken, s.signer, poolAddress, amount, deadline);
    hash = (await s.send(() => pool.depositWithPermit(amount, deadline, sig.v, sig.r, sig.s), ctx)).hash;
  } else {
    method = "approve";
    await s.send(() => stakingToken.approve(poolAddress, amount), ctx);
    hash = (await s.send(() => pool.deposit(amount), ctx)).hash;
  }
  log(
    `deposited ${s.stakeText(amount)} into the capital pool (${method === "permit" ? "EIP-2612 permit" : method === "approve" ? "approve + deposit" : "existing allowance"}, tx ${hash})`,
  );
  await stakeSummary(s);
  return { amount, method, staked: await pool.balanceOf(s.me), minted };
}

/** `capital:withdraw` arguments. */
export interface WithdrawArgs extends CommonArgs {
  /** An amount of the stake token, or `all`. */
  amount: string;
}

/**
 * Withdraws stake from the capital pool (never paused). Checks the stake and the withdraw lock first;
 * pending rewards stay claimable.
 */
export async function withdraw(
  args: WithdrawArgs,
  hre: HardhatRuntimeEnvironment,
): Promise<{ amount: bigint; sent: bigint; staked: bigint }> {
  const s = await open(hre, args.from);
  const { pool } = s.contracts;
  const [staked, unlockAt, now] = await Promise.all([pool.balanceOf(s.me), pool.unlockTime(s.me), s.now()]);
  if (staked === 0n) throw new TaskError("nothing to withdraw: you have nothing staked in the capital pool");
  const amount = args.amount.trim().toLowerCase() === "all" ? staked : parseAmount(args.amount, s.stake);
  if (amount > staked) {
    throw new TaskError(
      `you have ${s.stakeText(staked)} staked, cannot withdraw ${formatAmount(amount, s.stake, false)}`,
    );
  }
  if (now < unlockAt) throw new TaskError(`withdrawals are locked until ${s.timeText(unlockAt, now)}`);
  const receipt = await s.send(() => pool.withdraw(amount), { units: s.stake });
  let sent = amount;
  for (const entry of receipt.logs) {
    const parsed = pool.interface.parseLog(entry);
    if (parsed?.name === "Withdrawn") sent = parsed.args.sent as bigint;
  }
  log(`withdrew ${s.stakeText(amount)} from the capital pool (tx ${receipt.hash})`);
  if (sent !== amount) log(`  the pool held less than your stake: ${s.stakeText(sent)} sent`);
  await stakeSummary(s);
  return { amount, sent, staked: await pool.balanceOf(s.me) };
}

/** `capital:claim` arguments. */
export interface ClaimArgs extends CommonArgs {
  /** Pay the rewards to this address instead of the signer. */
  to?: string;
}

/** Claims the signer's capital pool rewards (to itself or `--to`). Fails when there is nothing to claim. */
export async function claim(args: ClaimArgs, hre: HardhatRuntimeEnvironment): Promise<{ amount: bigint }> {
  const s = await open(hre, args.from);
  const { pool } = s.contracts;
  let to: string | undefined;
  if (args.to !== undefined) {
    if (!isAddress(args.to)) throw new TaskError(`--to: "${args.to}" is not an address`);
    to = getAddress(args.to);
  }
  const [pending, staked, paused] = await Promise.all([
    pool.pendingRewards(s.me),
    pool.balanceOf(s.me),
    pool.paused(),
  ]);
  if (paused) throw new TaskError("the capital pool is paused: claims are closed (withdrawals stay open)");
  if (pending === 0n) {
    throw new TaskError(
      staked === 0n
        ? "nothing to claim: you have no capital pool rewards (deposit with capital:deposit to earn some)"
        : "nothing to claim yet: your capital pool rewards stream in after each distribution",
    );
  }
  const receipt = await s.send(() => (to ? pool.claimTo(to) : pool.claim()));
  let amount = pending;
  for (const entry of receipt.logs) {
    const parsed = pool.interface.parseLog(entry);
    if (parsed?.name === "RewardPaid") amount = parsed.args.amount as bigint;
  }
  log(`claimed ${s.ttdText(amount)} of capital pool rewards${to ? ` to ${to}` : ""} (tx ${receipt.hash})`);
  return { amount };
}
