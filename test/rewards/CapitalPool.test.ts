/**
 * Unit tests of contracts/rewards/CapitalPool.sol.
 *
 * Most tests use a standalone pool (deployer = AccessManager admin, MockStakeToken as both staking and
 * reward token contracts) and feed it rewards with `reward.mint(pool) + pool.notifyRewards()`. A few
 * tests at the end go through `deployCore` and `controller.distribute()`.
 *
 * Expected reward amounts are computed from the stream formula: `rate = floor(amount / duration)`, the
 * division remainder is carried (`rewardCarry`, wei * 1e18) and credited at the next accrual, and each
 * staker gets `stake * rewardPerToken / 1e18` (floored). With stakes of a few 1e18 the accumulator
 * remainder is below a few wei, so amounts are asserted exactly or to within a few wei.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Signature, type ContractTransactionResponse } from "ethers";
import {
  CapitalPool,
  CapitalPool__factory,
  FeeOnTransferToken__factory,
  MockStakeToken,
  MockStakeToken__factory,
  RebasingToken__factory,
  ReentrantToken__factory,
  TetradAccessManager__factory,
} from "../../typechain-types";
import { deployCore } from "../utils/deploy";
import { minedAt } from "../utils/chain";
import { Bucket, ROLES } from "../../scripts/lib/chain/constants";
import { signPermit } from "../../scripts/lib/chain/permit";
import { PERMIT_TYPES } from "../../scripts/lib/shared/eip712";
import { ErrorDecoder } from "../../scripts/lib/chain/errors";
import { errorAbi } from "../../scripts/lib/deploy/deployments";

const E18 = 10n ** 18n;
const PRECISION = E18;
const HOUR = 3_600n;
const DAY = 86_400n;
const WEEK = 7n * DAY;
const YEAR = 365n * DAY;
const MAX_WITHDRAW_LOCK = 30n * DAY;
const MIN_DEPOSIT = 10n ** 15n;
const UINT128_MAX = 2n ** 128n - 1n;
const UINT88_MAX = 2n ** 88n - 1n;
const FUNDS = 1_000_000n * E18;

/** Sends `send()` in a block with timestamp `ts`; returns the transaction. */
async function at(
  ts: bigint,
  send: () => Promise<ContractTransactionResponse>,
): Promise<ContractTransactionResponse> {
  await time.setNextBlockTimestamp(ts);
  return send();
}

async function stream(pool: CapitalPool): Promise<{ rate: bigint; finish: bigint; reserved: bigint }> {
  const [rate, finish, reserved] = await pool.rewardStream();
  return { rate, finish, reserved };
}

/**
 * `who` deposits `amount` and the pool emits Deposited for `credited` (what it received: `amount` unless
 * the token takes a fee). Returns the transaction.
 */
async function depositEmits(
  pool: CapitalPool,
  who: HardhatEthersSigner,
  amount: bigint,
  credited = amount,
): Promise<ContractTransactionResponse> {
  const tx = pool.connect(who).deposit(amount);
  await expect(tx).to.emit(pool, "Deposited").withArgs(who.address, credited);
  return tx;
}

/**
 * `who` deposits `amount`: its whole stake is locked until the deposit's time + `lock`, and a withdrawal
 * one second earlier reverts WithdrawLocked. Returns the deposit's time.
 */
async function depositLocked(
  pool: CapitalPool,
  who: HardhatEthersSigner,
  amount: bigint,
  lock: bigint,
): Promise<bigint> {
  const t = await minedAt(await pool.connect(who).deposit(amount));
  expect(await pool.unlockTime(who.address)).to.equal(t + lock);
  await time.setNextBlockTimestamp(t + lock - 1n);
  await expect(pool.connect(who).withdraw(E18))
    .to.be.revertedWithCustomError(pool, "WithdrawLocked")
    .withArgs(t + lock);
  return t;
}

/*//////////////////////////////////////////////////////////////
                             FIXTURES
//////////////////////////////////////////////////////////////*/

/** What the fixtures need of a staking token: minting and approving. */
interface MintableToken {
  getAddress(): Promise<string>;
  mint(to: string, amount: bigint): Promise<ContractTransactionResponse>;
  approve(spender: string, amount: bigint): Promise<ContractTransactionResponse>;
  connect(runner: HardhatEthersSigner): MintableToken;
}

/**
 * A pool staking `stake` and paying `reward` (deployer = AccessManager admin, rewards over a week, no
 * lock); each of `users` holds FUNDS of `stake` and has approved the pool.
 */
async function poolWith(
  deployer: HardhatEthersSigner,
  stake: MintableToken,
  reward: MintableToken,
  users: HardhatEthersSigner[],
) {
  const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
  const pool = await new CapitalPool__factory(deployer).deploy(manager, stake, reward, WEEK, MIN_DEPOSIT, 0n);
  const poolAddress = await pool.getAddress();
  for (const u of users) {
    await stake.mint(u.address, FUNDS);
    await stake.connect(u).approve(poolAddress, ethers.MaxUint256);
  }
  return { manager, pool, poolAddress };
}

async function baseFixture() {
  const [deployer, alice, bob, carol, stranger, dave] = await ethers.getSigners();
  const stake = await new MockStakeToken__factory(deployer).deploy("Stake", "STK");
  const reward = await new MockStakeToken__factory(deployer).deploy("Reward", "RWD");
  const { manager, pool, poolAddress } = await poolWith(deployer, stake, reward, [alice, bob, carol]);
  // dave holds tokens but never approves: permit tests.
  await stake.mint(dave.address, FUNDS);

  /** Mints `amount` reward tokens to the pool and notifies it (as the admin). */
  const notify = async (amount: bigint): Promise<ContractTransactionResponse> => {
    if (amount > 0n) await reward.mint(poolAddress, amount);
    return pool.connect(deployer).notifyRewards();
  };
  return { deployer, alice, bob, carol, stranger, dave, manager, stake, reward, pool, poolAddress, notify };
}

/**
 * Dave's permit of `amount` for the pool (valid for an hour), submitted to the token by the stranger
 * first (a front-run). `deposit` sends dave's depositWithPermit with it.
 */
async function frontRunPermit(f: Awaited<ReturnType<typeof baseFixture>>, amount: bigint) {
  const deadline = BigInt(await time.latest()) + HOUR;
  const sig = await signPermit(f.stake, f.dave, f.poolAddress, amount, deadline);
  await f.stake
    .connect(f.stranger)
    .permit(f.dave.address, f.poolAddress, amount, deadline, sig.v, sig.r, sig.s);
  const deposit = () => f.pool.connect(f.dave).depositWithPermit(amount, deadline, sig.v, sig.r, sig.s);
  return { deadline, deposit };
}

async function sameTokenFixture() {
  const [deployer, alice, bob] = await ethers.getSigners();
  const token = await new MockStakeToken__factory(deployer).deploy("Tetrad-like", "TTDx");
  const { pool, poolAddress } = await poolWith(deployer, token, token, [alice, bob]);
  return { deployer, alice, bob, token, pool, poolAddress };
}

async function feeFixture() {
  const [deployer, alice, bob] = await ethers.getSigners();
  const fee = await new FeeOnTransferToken__factory(deployer).deploy(100n); // 1%
  const reward = await new MockStakeToken__factory(deployer).deploy("Reward", "RWD");
  const { pool, poolAddress } = await poolWith(deployer, fee, reward, [alice, bob]);
  return { deployer, alice, bob, fee, reward, pool, poolAddress };
}

async function rebasingFixture() {
  const [deployer, alice, bob, carol] = await ethers.getSigners();
  const reb = await new RebasingToken__factory(deployer).deploy();
  const reward = await new MockStakeToken__factory(deployer).deploy("Reward", "RWD");
  const { pool, poolAddress } = await poolWith(deployer, reb, reward, [alice, bob, carol]);
  return { deployer, alice, bob, carol, reb, reward, pool, poolAddress };
}

async function reentrantFixture() {
  const [deployer, alice, bob] = await ethers.getSigners();
  const hook = await new ReentrantToken__factory(deployer).deploy();
  const reward = await new MockStakeToken__factory(deployer).deploy("Reward", "RWD");
  const { pool, poolAddress } = await poolWith(deployer, hook, reward, [alice, bob]);
  // alice stakes before the hook is armed
  await pool.connect(alice).deposit(10n * E18);
  return { deployer, alice, bob, hook, reward, pool, poolAddress };
}

async function coreFixture() {
  const [deployer, alice, bob, stranger] = await ethers.getSigners();
  const core = await deployCore(deployer);
  const mock = core.mockStakingToken;
  if (mock === undefined) throw new Error("deployCore did not deploy the mock staking token");
  const poolAddress = await core.pool.getAddress();
  for (const u of [alice, bob]) {
    await mock.mint(u.address, FUNDS);
    await mock.connect(u).approve(poolAddress, ethers.MaxUint256);
  }
  return { deployer, alice, bob, stranger, core, mock, poolAddress };
}

/*//////////////////////////////////////////////////////////////
                               TESTS
//////////////////////////////////////////////////////////////*/

describe("CapitalPool", () => {
  describe("constructor", () => {
    it("stores the tokens, parameters and constants", async () => {
      const { pool, stake, reward, manager } = await loadFixture(baseFixture);
      expect(await pool.stakingToken()).to.equal(await stake.getAddress());
      expect(await pool.rewardToken()).to.equal(await reward.getAddress());
      expect(await pool.authority()).to.equal(await manager.getAddress());
      expect(await pool.rewardsDuration()).to.equal(WEEK);
      expect(await pool.minDeposit()).to.equal(MIN_DEPOSIT);
      expect(await pool.withdrawLock()).to.equal(0n);
      expect(await pool.PRECISION()).to.equal(E18);
      expect(await pool.MIN_REWARDS_DURATION()).to.equal(HOUR);
      expect(await pool.MAX_REWARDS_DURATION()).to.equal(YEAR);
      expect(await pool.MAX_WITHDRAW_LOCK()).to.equal(MAX_WITHDRAW_LOCK);
      expect(await pool.paused()).to.equal(false);
      expect(await pool.totalStaked()).to.equal(0n);
      expect(await pool.rewardPerToken()).to.equal(0n);
      expect(await pool.rewardCarry()).to.equal(0n);
      expect(await stream(pool)).to.deep.equal({ rate: 0n, finish: 0n, reserved: 0n });
      expect(await pool.rewardsUnstreamed()).to.equal(0n);
    });

    it("emits the parameter events at deployment", async () => {
      const [deployer] = await ethers.getSigners();
      const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
      const tok = await new MockStakeToken__factory(deployer).deploy("S", "S");
      const pool = await new CapitalPool__factory(deployer).deploy(manager, tok, tok, 2n * DAY, 5n, 3n * DAY);
      const tx = pool.deploymentTransaction()!;
      await expect(tx)
        .to.emit(pool, "RewardsDurationUpdated")
        .withArgs(2n * DAY);
      await expect(tx).to.emit(pool, "MinDepositUpdated").withArgs(5n);
      await expect(tx)
        .to.emit(pool, "WithdrawLockUpdated")
        .withArgs(3n * DAY);
      expect(await pool.withdrawLock()).to.equal(3n * DAY);
      expect(await pool.minDeposit()).to.equal(5n);
    });

    it("rejects a zero staking or reward token", async () => {
      const [deployer] = await ethers.getSigners();
      const factory = new CapitalPool__factory(deployer);
      const tok = await new MockStakeToken__factory(deployer).deploy("S", "S");
      await expect(
        factory.deploy(deployer.address, ethers.ZeroAddress, tok, WEEK, 0n, 0n),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(
        factory.deploy(deployer.address, tok, ethers.ZeroAddress, WEEK, 0n, 0n),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("rejects out-of-range parameters and accepts the bounds", async () => {
      const [deployer] = await ethers.getSigners();
      const factory = new CapitalPool__factory(deployer);
      const tok = await new MockStakeToken__factory(deployer).deploy("S", "S");
      const a = deployer.address;
      await expect(factory.deploy(a, tok, tok, HOUR - 1n, 0n, 0n))
        .to.be.revertedWithCustomError(factory, "InvalidRewardsDuration")
        .withArgs(HOUR - 1n);
      await expect(factory.deploy(a, tok, tok, YEAR + 1n, 0n, 0n))
        .to.be.revertedWithCustomError(factory, "InvalidRewardsDuration")
        .withArgs(YEAR + 1n);
      await expect(factory.deploy(a, tok, tok, WEEK, 0n, MAX_WITHDRAW_LOCK + 1n))
        .to.be.revertedWithCustomError(factory, "InvalidWithdrawLock")
        .withArgs(MAX_WITHDRAW_LOCK + 1n);
      await expect(factory.deploy(a, tok, tok, WEEK, UINT128_MAX + 1n, 0n))
        .to.be.revertedWithCustomError(factory, "AmountTooLarge")
        .withArgs(UINT128_MAX + 1n);
      const lo = await factory.deploy(a, tok, tok, HOUR, UINT128_MAX, MAX_WITHDRAW_LOCK);
      expect(await lo.rewardsDuration()).to.equal(HOUR);
      expect(await lo.minDeposit()).to.equal(UINT128_MAX);
      expect(await lo.withdrawLock()).to.equal(MAX_WITHDRAW_LOCK);
      const hi = await factory.deploy(a, tok, tok, YEAR, 0n, 0n);
      expect(await hi.rewardsDuration()).to.equal(YEAR);
    });
  });

  describe("deposit", () => {
    it("credits the stake, moves the tokens and emits Deposited", async () => {
      const { pool, stake, alice, poolAddress } = await loadFixture(baseFixture);
      const tx = await depositEmits(pool, alice, 100n * E18);
      await expect(tx).to.changeTokenBalances(stake, [alice, poolAddress], [-100n * E18, 100n * E18]);
      expect(await pool.balanceOf(alice.address)).to.equal(100n * E18);
      expect(await pool.totalStaked()).to.equal(100n * E18);
      expect(await pool.unlockTime(alice.address)).to.equal(await minedAt(tx));
    });

    it("adds up several deposits of several users", async () => {
      const { pool, alice, bob } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(1n * E18);
      await pool.connect(bob).deposit(2n * E18);
      await pool.connect(alice).deposit(3n * E18);
      expect(await pool.balanceOf(alice.address)).to.equal(4n * E18);
      expect(await pool.balanceOf(bob.address)).to.equal(2n * E18);
      expect(await pool.totalStaked()).to.equal(6n * E18);
    });

    it("reverts ZeroAmount on zero", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await expect(pool.connect(alice).deposit(0n)).to.be.revertedWithCustomError(pool, "ZeroAmount");
    });

    it("enforces the minimum deposit, accepting exactly the minimum", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await expect(pool.connect(alice).deposit(MIN_DEPOSIT - 1n))
        .to.be.revertedWithCustomError(pool, "BelowMinDeposit")
        .withArgs(MIN_DEPOSIT - 1n, MIN_DEPOSIT);
      await depositEmits(pool, alice, MIN_DEPOSIT);
    });

    it("reverts with the token's error without allowance", async () => {
      const { pool, stake, dave, poolAddress } = await loadFixture(baseFixture);
      await expect(pool.connect(dave).deposit(E18))
        .to.be.revertedWithCustomError(stake, "ERC20InsufficientAllowance")
        .withArgs(poolAddress, 0n, E18);
    });

    it("reverts AmountTooLarge when a stake would exceed uint128", async () => {
      const { pool, stake, alice } = await loadFixture(baseFixture);
      await stake.mint(alice.address, UINT128_MAX);
      await pool.connect(alice).deposit(E18);
      const rest = UINT128_MAX + 1n - E18; // brings the stake to 2^128
      await expect(pool.connect(alice).deposit(rest))
        .to.be.revertedWithCustomError(pool, "AmountTooLarge")
        .withArgs(UINT128_MAX + 1n);
      // exactly uint128.max is fine
      await expect(pool.connect(alice).deposit(rest - 1n)).to.emit(pool, "Deposited");
      expect(await pool.totalStaked()).to.equal(UINT128_MAX);
    });

    it("reverts EnforcedPause while paused", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await pool.pause();
      await expect(pool.connect(alice).deposit(E18)).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });

    it("settles rewards earned before a deposit at the old stake", async () => {
      const { pool, alice, bob, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      await pool.connect(bob).deposit(E18);
      const rate = 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      // 1,000 s at 1:1, then alice triples her stake: 2,000 s at 3:1
      await at(t1 + 1_000n, () => pool.connect(alice).deposit(2n * E18));
      await time.increaseTo(t1 + 3_000n);
      expect(await pool.pendingRewards(alice.address)).to.equal(500n * rate + 1_500n * rate);
      expect(await pool.pendingRewards(bob.address)).to.equal(500n * rate + 500n * rate);
    });
  });

  describe("withdraw", () => {
    it("returns the stake and emits Withdrawn(user, amount, sent)", async () => {
      const { pool, stake, alice, poolAddress } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(10n * E18);
      const tx = pool.connect(alice).withdraw(4n * E18);
      await expect(tx)
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, 4n * E18, 4n * E18);
      await expect(tx).to.changeTokenBalances(stake, [alice, poolAddress], [4n * E18, -4n * E18]);
      expect(await pool.balanceOf(alice.address)).to.equal(6n * E18);
      expect(await pool.totalStaked()).to.equal(6n * E18);
      await pool.connect(alice).withdraw(6n * E18);
      expect(await pool.balanceOf(alice.address)).to.equal(0n);
      expect(await pool.totalStaked()).to.equal(0n);
    });

    it("reverts ZeroAmount and InsufficientStake", async () => {
      const { pool, alice, bob } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(10n * E18);
      await expect(pool.connect(alice).withdraw(0n)).to.be.revertedWithCustomError(pool, "ZeroAmount");
      await expect(pool.connect(alice).withdraw(10n * E18 + 1n))
        .to.be.revertedWithCustomError(pool, "InsufficientStake")
        .withArgs(10n * E18 + 1n, 10n * E18);
      await expect(pool.connect(bob).withdraw(1n))
        .to.be.revertedWithCustomError(pool, "InsufficientStake")
        .withArgs(1n, 0n);
    });

    it("is locked until lastDeposit + withdrawLock, and each deposit restarts the lock", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await pool.setWithdrawLock(DAY);
      const t0 = await depositLocked(pool, alice, 10n * E18, DAY);
      await expect(at(t0 + DAY, () => pool.connect(alice).withdraw(E18))).to.emit(pool, "Withdrawn");
      // a new deposit locks the whole stake again
      await depositLocked(pool, alice, E18, DAY);
    });

    it("stays open while paused", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(10n * E18);
      await pool.pause();
      await expect(pool.connect(alice).withdraw(10n * E18))
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, 10n * E18, 10n * E18);
    });

    it("keeps the rewards earned until the withdrawal, and earns nothing after", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const rate = 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      await at(t1 + 5_000n, () => pool.connect(alice).withdraw(E18));
      expect(await pool.pendingRewards(alice.address)).to.equal(5_000n * rate);
      await time.increase(10_000);
      expect(await pool.pendingRewards(alice.address)).to.equal(5_000n * rate);
    });
  });

  describe("claim, claimTo, exit", () => {
    it("claim pays the accrued rewards, returns them and emits RewardPaid", async () => {
      const { pool, reward, alice, poolAddress, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const rate = 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      await time.increaseTo(t1 + 777n);
      expect(await pool.connect(alice).claim.staticCall()).to.equal(777n * rate);
      const tx = at(t1 + 1_000n, () => pool.connect(alice).claim());
      await expect(tx)
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, alice.address, 1_000n * rate);
      await expect(tx).to.changeTokenBalances(reward, [alice, poolAddress], [1_000n * rate, -1_000n * rate]);
      expect(await pool.pendingRewards(alice.address)).to.equal(0n);
      expect((await stream(pool)).reserved).to.equal(rate * WEEK - 1_000n * rate);
    });

    it("claim with nothing to claim returns 0 and emits no RewardPaid", async () => {
      const { pool, reward, alice, bob, notify } = await loadFixture(baseFixture);
      // a staker before any reward and a user who never staked
      await pool.connect(alice).deposit(E18);
      expect(await pool.connect(alice).claim.staticCall()).to.equal(0n);
      await expect(pool.connect(alice).claim()).to.not.emit(pool, "RewardPaid");
      await notify(WEEK * 1000n);
      await time.increase(100);
      expect(await pool.connect(bob).claim.staticCall()).to.equal(0n);
      const tx = pool.connect(bob).claim();
      await expect(tx).to.not.emit(pool, "RewardPaid");
      await expect(tx).to.changeTokenBalance(reward, bob, 0n);
    });

    it("claimTo pays another address", async () => {
      const { pool, reward, alice, carol, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const rate = 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      const tx = at(t1 + 50n, () => pool.connect(alice).claimTo(carol.address));
      await expect(tx)
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, carol.address, 50n * rate);
      await expect(tx).to.changeTokenBalances(reward, [alice, carol], [0n, 50n * rate]);
      expect(await pool.pendingRewards(alice.address)).to.equal(0n);
    });

    it("claimTo rejects the zero address", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await expect(pool.connect(alice).claimTo(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        pool,
        "ZeroAddress",
      );
    });

    it("exit withdraws the whole stake and claims", async () => {
      const { pool, stake, reward, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(3n * E18);
      const rate = 3n * 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      const tx = at(t1 + 100n, () => pool.connect(alice).exit());
      await expect(tx)
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, 3n * E18, 3n * E18);
      await expect(tx)
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, alice.address, 100n * rate);
      await expect(tx).to.changeTokenBalance(stake, alice, 3n * E18);
      await expect(tx).to.changeTokenBalance(reward, alice, 100n * rate);
      expect(await pool.balanceOf(alice.address)).to.equal(0n);
      expect(await pool.totalStaked()).to.equal(0n);
      expect(await pool.pendingRewards(alice.address)).to.equal(0n);
    });

    it("exit with no stake only claims, and does nothing for a stranger", async () => {
      const { pool, alice, stranger, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const rate = 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      await at(t1 + 10n, () => pool.connect(alice).withdraw(E18));
      const tx = pool.connect(alice).exit();
      await expect(tx).to.not.emit(pool, "Withdrawn");
      await expect(tx)
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, alice.address, 10n * rate);
      const tx2 = pool.connect(stranger).exit();
      await expect(tx2).to.not.emit(pool, "Withdrawn");
      await expect(tx2).to.not.emit(pool, "RewardPaid");
    });

    it("exit respects the withdraw lock", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await pool.setWithdrawLock(HOUR);
      const t0 = await minedAt(await pool.connect(alice).deposit(E18));
      await expect(pool.connect(alice).exit())
        .to.be.revertedWithCustomError(pool, "WithdrawLocked")
        .withArgs(t0 + HOUR);
    });

    it("claim, claimTo and exit revert EnforcedPause while paused; rewards keep accruing", async () => {
      const { pool, alice, bob, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const rate = 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      await pool.pause();
      await expect(pool.connect(alice).claim()).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(pool.connect(alice).claimTo(bob.address)).to.be.revertedWithCustomError(
        pool,
        "EnforcedPause",
      );
      await expect(pool.connect(alice).exit()).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await pool.unpause();
      await expect(at(t1 + 500n, () => pool.connect(alice).claim()))
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, alice.address, 500n * rate);
    });
  });

  describe("reward intake", () => {
    it("notifyRewards streams the balance over rewardsDuration, carrying the remainder", async () => {
      const { pool, reward, poolAddress, alice } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const R = 1_000n * E18 + 12_345n;
      await reward.mint(poolAddress, R);
      const rate = R / WEEK;
      const tx = pool.notifyRewards();
      const t = await minedAt(await tx);
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(R, rate, t + WEEK);
      expect(await stream(pool)).to.deep.equal({ rate, finish: t + WEEK, reserved: R });
      expect(await pool.rewardCarry()).to.equal((R % WEEK) * PRECISION);
    });

    it("notifyRewards is restricted to the admin", async () => {
      const { pool, stranger } = await loadFixture(baseFixture);
      await expect(pool.connect(stranger).notifyRewards())
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });

    it("a notification with nothing new changes nothing", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      await notify(WEEK * 1_000n);
      const before = await stream(pool);
      await expect(pool.notifyRewards()).to.not.emit(pool, "RewardsNotified");
      expect(await stream(pool)).to.deep.equal(before);
    });

    it("a second notification re-spreads the leftover with the new rewards", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const R1 = WEEK * 10n ** 12n + 999n;
      const t1 = await minedAt(await notify(R1));
      const rate1 = R1 / WEEK;
      const R2 = 5n * E18 + 7n;
      await time.increaseTo(t1 + DAY);
      const tx = notify(R2);
      const t2 = await minedAt(await tx);
      const leftover = rate1 * (t1 + WEEK - t2);
      const rate2 = (leftover + R2) / WEEK;
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(R2, rate2, t2 + WEEK);
      expect(await stream(pool)).to.deep.equal({ rate: rate2, finish: t2 + WEEK, reserved: R1 + R2 });
      // alice (1e18) absorbed the first carry at t2; the new one is the second division's remainder
      expect(await pool.rewardCarry()).to.equal(((leftover + R2) % WEEK) * PRECISION);
      // everything is paid out by the end of the new stream
      await at(t2 + WEEK + 1n, () => pool.connect(alice).claim());
      expect((await stream(pool)).reserved).to.equal(0n);
    });

    it("tokens sent without notification wait for the next notification", async () => {
      const { pool, reward, poolAddress, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      await reward.mint(poolAddress, 1_000n * E18);
      await time.increase(DAY);
      expect(await pool.pendingRewards(alice.address)).to.equal(0n);
      expect(await stream(pool)).to.deep.equal({ rate: 0n, finish: 0n, reserved: 0n });
      const tx = notify(E18); // 1 more on top of the 1,000 sent directly
      const t = await minedAt(await tx);
      const R = 1_001n * E18;
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(R, R / WEEK, t + WEEK);
    });

    it("onEmission is restricted to the DISTRIBUTOR role and streams by balance", async () => {
      const { pool, manager, reward, poolAddress, deployer, stranger, carol, alice } =
        await loadFixture(baseFixture);
      await manager.setTargetFunctionRole(
        poolAddress,
        [pool.interface.getFunction("onEmission").selector],
        ROLES.DISTRIBUTOR,
      );
      await expect(pool.connect(deployer).onEmission(Bucket.Capital, 1n))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(deployer.address);
      await expect(pool.connect(stranger).onEmission(Bucket.Capital, 1n))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await manager.grantRole(ROLES.DISTRIBUTOR, carol.address, 0);
      await pool.connect(alice).deposit(E18);
      const R = 70n * E18;
      await reward.mint(poolAddress, R);
      // the amount argument is informative only: intake is by balance
      const tx = pool.connect(carol).onEmission(Bucket.Capital, 1n);
      const t = await minedAt(await tx);
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(R, R / WEEK, t + WEEK);
    });

    it("reverts AmountTooLarge when rewards exceed the packed uint88", async () => {
      const { pool, reward, poolAddress } = await loadFixture(baseFixture);
      await reward.mint(poolAddress, UINT88_MAX + 1n);
      await expect(pool.notifyRewards())
        .to.be.revertedWithCustomError(pool, "AmountTooLarge")
        .withArgs(UINT88_MAX + 1n);
    });

    it("splits the stream pro rata to stake and time between two stakers", async () => {
      const { pool, reward, alice, bob, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(1n * E18);
      const R = 1_000_000n * E18 + 12_345n;
      const t1 = await minedAt(await notify(R));
      const rate = R / WEEK;
      const rem = R % WEEK; // credited at the first accrual (bob's deposit), to alice alone
      const t2 = t1 + 100_000n;
      await at(t2, () => pool.connect(bob).deposit(3n * E18));
      const t3 = t1 + 400_000n;
      const aliceMidIdeal = rate * (t2 - t1) + rem + (rate * (t3 - t2)) / 4n;
      const bal0 = await reward.balanceOf(alice.address);
      const claimTx = await at(t3, () => pool.connect(alice).claim());
      const aliceMid = (await reward.balanceOf(alice.address)) - bal0;
      await expect(claimTx).to.emit(pool, "RewardPaid").withArgs(alice.address, alice.address, aliceMid);
      expect(aliceMid).to.be.closeTo(aliceMidIdeal, 4n);
      expect(await pool.pendingRewards(bob.address)).to.be.closeTo((3n * rate * (t3 - t2)) / 4n, 4n);

      // after the end, everything streamed after t2 is split 1:3
      const finish = t1 + WEEK;
      expect((await stream(pool)).finish).to.equal(finish);
      await time.increaseTo(finish + 100n);
      const aliceTotalIdeal = rate * (t2 - t1) + rem + (rate * (finish - t2)) / 4n;
      const bobTotalIdeal = (3n * rate * (finish - t2)) / 4n;
      expect(aliceMid + (await pool.pendingRewards(alice.address))).to.be.closeTo(aliceTotalIdeal, 4n);
      expect(await pool.pendingRewards(bob.address)).to.be.closeTo(bobTotalIdeal, 4n);
      await pool.connect(alice).claim();
      await pool.connect(bob).claim();
      const paid = (await reward.balanceOf(alice.address)) - bal0 + (await reward.balanceOf(bob.address));
      expect(paid).to.equal(R - (await stream(pool)).reserved);
      expect(paid).to.be.lte(R);
      expect(R - paid).to.be.lte(4n);
    });

    it("a deposit placed just before a notification earns only from then on", async () => {
      const { pool, alice, bob, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      await time.increase(30 * 86_400); // a month with no rewards: nothing to earn
      const tb = await minedAt(await pool.connect(bob).deposit(E18));
      const rate = 2n * 10n ** 12n;
      const t1 = await minedAt(await notify(rate * WEEK));
      expect(t1).to.be.gt(tb);
      await time.increaseTo(t1 + WEEK + 1n);
      const a = await pool.pendingRewards(alice.address);
      const b = await pool.pendingRewards(bob.address);
      expect(a).to.equal(b);
      expect(a + b).to.equal(rate * WEEK);
    });

    it("remainders are carried into the next stream, not lost", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(3n * E18); // 3e18 does not divide the amounts below
      const R1 = 10n ** 21n + 7n;
      const t1 = await minedAt(await notify(R1));
      await time.increaseTo(t1 + WEEK + 10n);
      const claimed1 = await pool.connect(alice).claim.staticCall();
      await pool.connect(alice).claim();
      const carry = await pool.rewardCarry();
      expect(carry).to.be.lt(3n * E18); // under one wei per 1e18 staked
      expect(claimed1).to.be.lte(R1);
      // what was not paid is exactly the carry, floored per settlement (< 1 wei)
      expect(R1 - claimed1).to.be.gte(carry / PRECISION);
      expect(R1 - claimed1).to.be.lte(carry / PRECISION + 1n);
      const R2 = 10n ** 21n + 11n;
      const t2 = await minedAt(await notify(R2));
      await time.increaseTo(t2 + WEEK + 10n);
      const claimed2 = await pool.connect(alice).claim.staticCall();
      expect(claimed1 + claimed2).to.be.lte(R1 + R2);
      expect(R1 + R2 - claimed1 - claimed2).to.be.lte(4n);
    });
  });

  describe("zero-stake periods", () => {
    it("rewards notified while nobody stakes wait for the first staker", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      const R = 1_000n * E18 + 1n;
      const t1 = await minedAt(await notify(R));
      expect((await stream(pool)).finish).to.equal(t1 + WEEK);
      await time.increase(3n * DAY);
      expect(await pool.rewardPerToken()).to.equal(0n);
      const t2 = await minedAt(await pool.connect(alice).deposit(E18));
      // the stream was frozen from t1 to t2: its end moved by the idle time
      expect((await stream(pool)).finish).to.equal(t1 + WEEK + (t2 - t1));
      await time.increaseTo(t2 + WEEK + 100n);
      expect(await pool.pendingRewards(alice.address)).to.equal(R);
    });

    it("a stream left by every staker resumes where it stopped", async () => {
      const { pool, alice, bob, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const rate = 4n * 10n ** 12n;
      const R = rate * WEEK;
      const t1 = await minedAt(await notify(R));
      const t2 = t1 + WEEK / 4n;
      await expect(at(t2, () => pool.connect(alice).exit()))
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, alice.address, rate * (WEEK / 4n));
      await time.increaseTo(t2 + 3n * DAY);
      const rptIdle = await pool.rewardPerToken();
      expect((await stream(pool)).finish).to.equal(t1 + WEEK); // not moved until the next accrual
      const t3 = t2 + 3n * DAY + 10n;
      await at(t3, () => pool.connect(bob).deposit(E18));
      expect(await pool.rewardPerToken()).to.equal(rptIdle);
      expect((await stream(pool)).finish).to.equal(t1 + WEEK + (t3 - t2));
      await time.increaseTo(t1 + WEEK + (t3 - t2) + 1_000n);
      expect(await pool.pendingRewards(bob.address)).to.equal(R - rate * (WEEK / 4n));
    });
  });

  describe("setRewardsDuration", () => {
    it("is restricted", async () => {
      const { pool, stranger } = await loadFixture(baseFixture);
      await expect(pool.connect(stranger).setRewardsDuration(DAY))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });

    it("enforces [MIN_REWARDS_DURATION, MAX_REWARDS_DURATION] and emits RewardsDurationUpdated", async () => {
      const { pool } = await loadFixture(baseFixture);
      await expect(pool.setRewardsDuration(HOUR - 1n))
        .to.be.revertedWithCustomError(pool, "InvalidRewardsDuration")
        .withArgs(HOUR - 1n);
      await expect(pool.setRewardsDuration(YEAR + 1n))
        .to.be.revertedWithCustomError(pool, "InvalidRewardsDuration")
        .withArgs(YEAR + 1n);
      await expect(pool.setRewardsDuration(HOUR)).to.emit(pool, "RewardsDurationUpdated").withArgs(HOUR);
      expect(await pool.rewardsDuration()).to.equal(HOUR);
      await expect(pool.setRewardsDuration(YEAR)).to.emit(pool, "RewardsDurationUpdated").withArgs(YEAR);
      expect(await pool.rewardsDuration()).to.equal(YEAR);
    });

    it("re-spreads the stream under way over the new duration from now", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const R = 500n * E18 + 3n;
      const t1 = await minedAt(await notify(R));
      const rate = R / WEEK;
      const t2 = t1 + 2n * DAY;
      await at(t2, () => pool.setRewardsDuration(DAY));
      const leftover = rate * (t1 + WEEK - t2);
      expect(await stream(pool)).to.deep.equal({ rate: leftover / DAY, finish: t2 + DAY, reserved: R });
      expect(await pool.rewardCarry()).to.equal((leftover % DAY) * PRECISION);
      await time.increaseTo(t2 + DAY + 1n);
      expect(await pool.pendingRewards(alice.address)).to.equal(R); // nothing lost, all paid a day later
    });

    it("re-spreads a frozen stream over the new duration", async () => {
      const { pool, notify } = await loadFixture(baseFixture);
      const R = WEEK * 10n ** 12n;
      const t1 = await minedAt(await notify(R));
      const t2 = t1 + 2n * DAY;
      await at(t2, () => pool.setRewardsDuration(DAY));
      // nobody staked: the whole stream is still to come, now over one day
      expect(await stream(pool)).to.deep.equal({ rate: R / DAY, finish: t2 + DAY, reserved: R });
    });

    it("leaves a finished stream alone and applies to the next notification", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const t1 = await minedAt(await notify(WEEK * 1_000n));
      await time.increaseTo(t1 + WEEK + 5n);
      const before = await stream(pool);
      await pool.setRewardsDuration(DAY);
      expect(await stream(pool)).to.deep.equal(before);
      const R2 = DAY * 3n;
      const tx = notify(R2);
      const t2 = await minedAt(await tx);
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(R2, 3n, t2 + DAY);
    });
  });

  describe("setMinDeposit and setWithdrawLock", () => {
    it("are restricted", async () => {
      const { pool, stranger } = await loadFixture(baseFixture);
      await expect(pool.connect(stranger).setMinDeposit(1n))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(pool.connect(stranger).setWithdrawLock(1n))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });

    it("setMinDeposit updates the minimum, emits MinDepositUpdated, rejects > uint128", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await expect(pool.setMinDeposit(5n * E18))
        .to.emit(pool, "MinDepositUpdated")
        .withArgs(5n * E18);
      expect(await pool.minDeposit()).to.equal(5n * E18);
      await expect(pool.connect(alice).deposit(5n * E18 - 1n))
        .to.be.revertedWithCustomError(pool, "BelowMinDeposit")
        .withArgs(5n * E18 - 1n, 5n * E18);
      await expect(pool.connect(alice).deposit(5n * E18)).to.emit(pool, "Deposited");
      await expect(pool.setMinDeposit(UINT128_MAX + 1n))
        .to.be.revertedWithCustomError(pool, "AmountTooLarge")
        .withArgs(UINT128_MAX + 1n);
      await expect(pool.setMinDeposit(0n)).to.emit(pool, "MinDepositUpdated").withArgs(0n);
      await depositEmits(pool, alice, 1n);
    });

    it("setWithdrawLock accepts up to MAX_WITHDRAW_LOCK and applies to existing stakes", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await expect(pool.setWithdrawLock(MAX_WITHDRAW_LOCK + 1n))
        .to.be.revertedWithCustomError(pool, "InvalidWithdrawLock")
        .withArgs(MAX_WITHDRAW_LOCK + 1n);
      await expect(pool.setWithdrawLock(MAX_WITHDRAW_LOCK))
        .to.emit(pool, "WithdrawLockUpdated")
        .withArgs(MAX_WITHDRAW_LOCK);
      const t0 = await depositLocked(pool, alice, E18, MAX_WITHDRAW_LOCK);
      // lowering the lock releases the stake earlier
      await pool.setWithdrawLock(DAY);
      expect(await pool.unlockTime(alice.address)).to.equal(t0 + DAY);
      await expect(pool.connect(alice).withdraw(E18)).to.emit(pool, "Withdrawn");
    });

    it("the maximum lock expires", async () => {
      const { pool, alice } = await loadFixture(baseFixture);
      await pool.setWithdrawLock(MAX_WITHDRAW_LOCK);
      const t0 = await minedAt(await pool.connect(alice).deposit(E18));
      await expect(at(t0 + MAX_WITHDRAW_LOCK, () => pool.connect(alice).withdraw(E18)))
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, E18, E18);
    });
  });

  describe("depositWithPermit", () => {
    it("deposits without a prior approval", async () => {
      const { pool, stake, dave, poolAddress } = await loadFixture(baseFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signPermit(stake, dave, poolAddress, 7n * E18, deadline);
      const tx = pool.connect(dave).depositWithPermit(7n * E18, deadline, sig.v, sig.r, sig.s);
      await expect(tx)
        .to.emit(pool, "Deposited")
        .withArgs(dave.address, 7n * E18);
      await expect(tx).to.changeTokenBalances(stake, [dave, poolAddress], [-7n * E18, 7n * E18]);
      expect(await stake.nonces(dave.address)).to.equal(1n);
      expect(await stake.allowance(dave.address, poolAddress)).to.equal(0n);
      expect(await pool.balanceOf(dave.address)).to.equal(7n * E18);
    });

    it("still deposits when someone else submitted the permit first", async () => {
      const f = await loadFixture(baseFixture);
      const { pool, stake, dave, poolAddress } = f;
      const { deposit } = await frontRunPermit(f, 7n * E18);
      expect(await stake.allowance(dave.address, poolAddress)).to.equal(7n * E18);
      await expect(deposit())
        .to.emit(pool, "Deposited")
        .withArgs(dave.address, 7n * E18);
      expect(await stake.nonces(dave.address)).to.equal(1n);
    });

    it("GUARD-61: a wrongly signed permit reverts with PermitFailed naming the permit", async () => {
      const { pool, stake, dave, stranger, poolAddress } = await loadFixture(baseFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      // Dave's permit, signed with the stranger's key.
      const { name, version, chainId, verifyingContract } = await stake.eip712Domain();
      const wrongSigner = Signature.from(
        await stranger.signTypedData({ name, version, chainId, verifyingContract }, PERMIT_TYPES, {
          owner: dave.address,
          spender: poolAddress,
          value: 7n * E18,
          nonce: 0n,
          deadline,
        }),
      );
      const tx = pool
        .connect(dave)
        .depositWithPermit(7n * E18, deadline, wrongSigner.v, wrongSigner.r, wrongSigner.s);
      const invalidSigner = stake.interface.encodeErrorResult("ERC2612InvalidSigner", [
        stranger.address,
        dave.address,
      ]);
      await expect(tx)
        .to.be.revertedWithCustomError(pool, "PermitFailed")
        .withArgs(dave.address, 7n * E18, 0n, invalidSigner);
      // The tasks' and the app's decoder name it, with the token's reason, in plain words.
      const error = await tx.then(
        () => expect.fail("expected a revert"),
        (e: unknown) => e,
      );
      const decoder = new ErrorDecoder([errorAbi() as never[]]);
      const decoded = decoder.decode(error);
      expect(decoded?.name).to.equal("PermitFailed");
      expect(decoded?.inner?.name).to.equal("ERC2612InvalidSigner");
      expect(
        decoder.explain(error, { account: dave.address, units: { symbol: "STK", decimals: 18 } }),
      ).to.equal(
        `the token refused the permit: the permit was signed by ${stranger.address}, not by the owner ` +
          `${dave.address}; the contract may spend 0.0 STK of your tokens and needs 7.0 ` +
          "(sign a new permit, or approve it first)",
      );
      expect(await stake.nonces(dave.address)).to.equal(0n);
      expect(await pool.balanceOf(dave.address)).to.equal(0n);
    });

    it("an expired permit reverts PermitFailed too, with the standing allowance when it is below the amount", async () => {
      const { pool, stake, dave, poolAddress } = await loadFixture(baseFixture);
      const expired = BigInt(await time.latest()) - 1n;
      const sig = await signPermit(stake, dave, poolAddress, 7n * E18, expired);
      await expect(pool.connect(dave).depositWithPermit(7n * E18, expired, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(pool, "PermitFailed")
        .withArgs(
          dave.address,
          7n * E18,
          0n,
          stake.interface.encodeErrorResult("ERC2612ExpiredSignature", [expired]),
        );
      // A standing approval below the amount: the failed permit is still the error, with that allowance.
      await stake.connect(dave).approve(poolAddress, 3n * E18);
      await expect(pool.connect(dave).depositWithPermit(7n * E18, expired, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(pool, "PermitFailed")
        .withArgs(
          dave.address,
          7n * E18,
          3n * E18,
          stake.interface.encodeErrorResult("ERC2612ExpiredSignature", [expired]),
        );
    });

    it("a refused permit is ignored when the allowance covers the amount (front-run, or approved)", async () => {
      const f = await loadFixture(baseFixture);
      const { pool, stake, dave, poolAddress } = f;
      // Front-run: the same permit, already used, fails on its nonce inside the pool.
      const { deadline, deposit } = await frontRunPermit(f, 7n * E18);
      await expect(deposit())
        .to.emit(pool, "Deposited")
        .withArgs(dave.address, 7n * E18);
      // A junk signature over a standing approval deposits as `deposit` would.
      await stake.connect(dave).approve(poolAddress, 2n * E18);
      await expect(
        pool.connect(dave).depositWithPermit(2n * E18, deadline, 27, ethers.ZeroHash, ethers.ZeroHash),
      )
        .to.emit(pool, "Deposited")
        .withArgs(dave.address, 2n * E18);
      expect(await pool.balanceOf(dave.address)).to.equal(9n * E18);
    });

    it("checks the amount and the minimum like deposit", async () => {
      const { pool, stake, dave, poolAddress } = await loadFixture(baseFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig0 = await signPermit(stake, dave, poolAddress, 0n, deadline);
      await expect(
        pool.connect(dave).depositWithPermit(0n, deadline, sig0.v, sig0.r, sig0.s),
      ).to.be.revertedWithCustomError(pool, "ZeroAmount");
      const small = MIN_DEPOSIT - 1n;
      const sig = await signPermit(stake, dave, poolAddress, small, deadline);
      await expect(pool.connect(dave).depositWithPermit(small, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(pool, "BelowMinDeposit")
        .withArgs(small, MIN_DEPOSIT);
    });

    it("reverts EnforcedPause while paused", async () => {
      const { pool, stake, dave, poolAddress } = await loadFixture(baseFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signPermit(stake, dave, poolAddress, E18, deadline);
      await pool.pause();
      await expect(
        pool.connect(dave).depositWithPermit(E18, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });
  });

  describe("fee-on-transfer staking token", () => {
    it("credits what the pool received, and returns the credited stake", async () => {
      const { pool, fee, alice, poolAddress } = await loadFixture(feeFixture);
      await depositEmits(pool, alice, 1_000n * E18, 990n * E18);
      expect(await pool.balanceOf(alice.address)).to.equal(990n * E18);
      expect(await pool.totalStaked()).to.equal(990n * E18);
      expect(await fee.balanceOf(poolAddress)).to.equal(990n * E18);
      const w = pool.connect(alice).withdraw(990n * E18);
      await expect(w)
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, 990n * E18, 990n * E18);
      await expect(w).to.changeTokenBalances(
        fee,
        [alice, poolAddress],
        [(990n * E18 * 99n) / 100n, -990n * E18],
      );
      expect(await pool.totalStaked()).to.equal(0n);
    });

    it("checks the minimum against what was received", async () => {
      const { pool, alice } = await loadFixture(feeFixture);
      await pool.setMinDeposit(100n * E18);
      await expect(pool.connect(alice).deposit(101n * E18))
        .to.be.revertedWithCustomError(pool, "BelowMinDeposit")
        .withArgs((101n * E18 * 99n) / 100n, 100n * E18);
    });

    it("reverts ZeroAmount when nothing arrives", async () => {
      const [deployer, alice] = await ethers.getSigners();
      const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
      const burnAll = await new FeeOnTransferToken__factory(deployer).deploy(10_000n);
      const reward = await new MockStakeToken__factory(deployer).deploy("R", "R");
      const pool = await new CapitalPool__factory(deployer).deploy(manager, burnAll, reward, WEEK, 0n, 0n);
      await burnAll.mint(alice.address, E18);
      await burnAll.connect(alice).approve(await pool.getAddress(), E18);
      await expect(pool.connect(alice).deposit(E18)).to.be.revertedWithCustomError(pool, "ZeroAmount");
    });

    it("splits rewards by credited stake", async () => {
      const { pool, reward, poolAddress, alice, bob } = await loadFixture(feeFixture);
      await pool.connect(alice).deposit(100n * E18); // 99 credited
      await pool.connect(bob).deposit(300n * E18); // 297 credited
      await reward.mint(poolAddress, WEEK * 4n * 10n ** 12n);
      const t1 = await minedAt(await pool.notifyRewards());
      await time.increaseTo(t1 + WEEK + 1n);
      const a = await pool.pendingRewards(alice.address);
      const b = await pool.pendingRewards(bob.address);
      expect(a).to.be.closeTo(WEEK * 10n ** 12n, 400n);
      expect(b).to.be.closeTo(3n * WEEK * 10n ** 12n, 400n);
    });
  });

  describe("rebasing staking token", () => {
    it("credits the balance received (1-2 wei rounding) and returns full stakes to several users", async () => {
      const { pool, reb, alice, bob, carol, poolAddress } = await loadFixture(rebasingFixture);
      const users = [alice, bob, carol];
      const amounts = [10n * E18 + 1n, 3n * E18 + 17n, 777n * E18 + 5n];
      let sum = 0n;
      for (let i = 0; i < users.length; i++) {
        const before = await reb.balanceOf(poolAddress);
        const tx = await pool.connect(users[i]).deposit(amounts[i]);
        const received = (await reb.balanceOf(poolAddress)) - before;
        expect(received).to.be.lte(amounts[i]);
        expect(received).to.be.gte(amounts[i] - 2n);
        await expect(tx).to.emit(pool, "Deposited").withArgs(users[i].address, received);
        expect(await pool.balanceOf(users[i].address)).to.equal(received);
        sum += received;
      }
      expect(await pool.totalStaked()).to.equal(sum);
      expect(await reb.balanceOf(poolAddress)).to.be.gte(sum);
      for (const u of [bob, alice, carol]) {
        const s = await pool.balanceOf(u.address);
        const before = await reb.balanceOf(u.address);
        await expect(pool.connect(u).withdraw(s)).to.emit(pool, "Withdrawn").withArgs(u.address, s, s);
        const got = (await reb.balanceOf(u.address)) - before;
        expect(got).to.be.lte(s);
        expect(got).to.be.gte(s - 2n);
        expect(await reb.balanceOf(poolAddress)).to.be.gte(await pool.totalStaked());
      }
      expect(await pool.totalStaked()).to.equal(0n);
    });

    it("after a negative rebase the last staker still withdraws what is left", async () => {
      const { pool, reb, alice, bob, poolAddress } = await loadFixture(rebasingFixture);
      await pool.connect(alice).deposit(100n * E18);
      await pool.connect(bob).deposit(100n * E18);
      const sa = await pool.balanceOf(alice.address);
      const sb = await pool.balanceOf(bob.address);
      await reb.setIndex(((await reb.index()) * 9n) / 10n); // -10%
      expect(await reb.balanceOf(poolAddress)).to.be.lt(sa + sb);
      await expect(pool.connect(alice).withdraw(sa))
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, sa, sa);
      const left = await reb.balanceOf(poolAddress);
      expect(left).to.be.lt(sb);
      const before = await reb.balanceOf(bob.address);
      await expect(pool.connect(bob).withdraw(sb)).to.emit(pool, "Withdrawn").withArgs(bob.address, sb, left);
      expect((await reb.balanceOf(bob.address)) - before).to.be.gte(left - 2n);
      expect(await pool.totalStaked()).to.equal(0n);
      expect(await pool.balanceOf(bob.address)).to.equal(0n);
    });

    it("a positive rebase does not change stakes; stakers withdraw what they deposited", async () => {
      const { pool, reb, alice, poolAddress } = await loadFixture(rebasingFixture);
      await pool.connect(alice).deposit(50n * E18);
      const s = await pool.balanceOf(alice.address);
      await reb.setIndex(((await reb.index()) * 11n) / 10n);
      expect(await pool.balanceOf(alice.address)).to.equal(s);
      await expect(pool.connect(alice).withdraw(s)).to.emit(pool, "Withdrawn").withArgs(alice.address, s, s);
      expect(await reb.balanceOf(poolAddress)).to.be.gt(0n); // the rebase surplus stays in the pool
    });
  });

  describe("reentrancy", () => {
    it("a transfer hook cannot re-enter withdraw or claim during deposit", async () => {
      const { pool, hook, bob, poolAddress } = await loadFixture(reentrantFixture);
      await hook.arm(poolAddress, pool.interface.encodeFunctionData("withdraw", [1n]));
      await expect(pool.connect(bob).deposit(E18)).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
      await hook.arm(poolAddress, pool.interface.encodeFunctionData("claim"));
      await expect(pool.connect(bob).deposit(E18)).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
      expect(await pool.balanceOf(bob.address)).to.equal(0n);
    });

    it("a transfer hook cannot re-enter deposit or claim during withdraw and exit", async () => {
      const { pool, hook, alice, poolAddress } = await loadFixture(reentrantFixture);
      await hook.arm(poolAddress, pool.interface.encodeFunctionData("deposit", [E18]));
      await expect(pool.connect(alice).withdraw(E18)).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
      await hook.arm(poolAddress, pool.interface.encodeFunctionData("claim"));
      await expect(pool.connect(alice).exit()).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
      expect(await pool.balanceOf(alice.address)).to.equal(10n * E18);
    });

    it("control: an armed hook that only reads lets the deposit through", async () => {
      const { pool, hook, bob, poolAddress } = await loadFixture(reentrantFixture);
      await hook.arm(poolAddress, pool.interface.encodeFunctionData("totalStaked"));
      await depositEmits(pool, bob, E18);
    });

    it("a reward-token hook cannot re-enter during claim", async () => {
      const [deployer, alice] = await ethers.getSigners();
      const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
      const stake = await new MockStakeToken__factory(deployer).deploy("S", "S");
      const hookReward = await new ReentrantToken__factory(deployer).deploy();
      const pool = await new CapitalPool__factory(deployer).deploy(manager, stake, hookReward, WEEK, 0n, 0n);
      const poolAddress = await pool.getAddress();
      await stake.mint(alice.address, 10n * E18);
      await stake.connect(alice).approve(poolAddress, ethers.MaxUint256);
      await pool.connect(alice).deposit(10n * E18);
      await hookReward.mint(poolAddress, WEEK * E18);
      await pool.notifyRewards();
      await time.increase(100);
      await hookReward.arm(poolAddress, pool.interface.encodeFunctionData("withdraw", [E18]));
      await expect(pool.connect(alice).claim()).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
    });
  });

  describe("recoverERC20", () => {
    it("sends an unrelated token and emits Recovered", async () => {
      const { pool, deployer, carol, poolAddress } = await loadFixture(baseFixture);
      const other = await new MockStakeToken__factory(deployer).deploy("Other", "OTH");
      await other.mint(poolAddress, 5n * E18);
      const tx = pool.recoverERC20(other, carol.address, 2n * E18);
      await expect(tx)
        .to.emit(pool, "Recovered")
        .withArgs(await other.getAddress(), carol.address, 2n * E18);
      await expect(tx).to.changeTokenBalances(other, [poolAddress, carol], [-2n * E18, 2n * E18]);
    });

    it("refuses the staking and reward tokens and the zero recipient", async () => {
      const { pool, stake, reward, carol } = await loadFixture(baseFixture);
      const s = await stake.getAddress();
      const r = await reward.getAddress();
      await expect(pool.recoverERC20(s, carol.address, 1n))
        .to.be.revertedWithCustomError(pool, "UnrecoverableToken")
        .withArgs(s);
      await expect(pool.recoverERC20(r, carol.address, 1n))
        .to.be.revertedWithCustomError(pool, "UnrecoverableToken")
        .withArgs(r);
      const [deployer] = await ethers.getSigners();
      const other = await new MockStakeToken__factory(deployer).deploy("Other", "OTH");
      await expect(pool.recoverERC20(other, ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        pool,
        "ZeroAddress",
      );
    });

    it("is restricted", async () => {
      const { pool, stranger, deployer } = await loadFixture(baseFixture);
      const other = await new MockStakeToken__factory(deployer).deploy("Other", "OTH");
      await expect(pool.connect(stranger).recoverERC20(other, stranger.address, 1n))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });
  });

  describe("skim", () => {
    it("sends a positive rebase's surplus (beyond all stakes) to governance's recipient, never the stakes", async () => {
      const { pool, reb, alice, bob, carol, poolAddress } = await loadFixture(rebasingFixture);
      await pool.connect(alice).deposit(50n * E18);
      await pool.connect(bob).deposit(20n * E18);
      expect(await pool.skim.staticCall(carol.address)).to.be.lte(2n); // only share-rounding wei so far
      await reb.setIndex(((await reb.index()) * 11n) / 10n); // +10%
      const surplus = (await reb.balanceOf(poolAddress)) - (await pool.totalStaked());
      expect(surplus).to.be.gt(6n * E18);
      await expect(pool.skim(carol.address)).to.emit(pool, "Skimmed").withArgs(carol.address, surplus);
      expect(await reb.balanceOf(poolAddress)).to.be.gte(await pool.totalStaked());
      // The token moves whole shares, so the pool can keep a wei or two of rounding after the skim.
      expect(await pool.skim.staticCall(carol.address)).to.be.lte(2n);
      // Both stakers still withdraw their whole stakes.
      for (const u of [alice, bob]) {
        const st = await pool.balanceOf(u.address);
        await expect(pool.connect(u).withdraw(st)).to.emit(pool, "Withdrawn").withArgs(u.address, st, st);
      }
    });

    it("with the same token as stake and reward, leaves stakes and reward obligations alone", async () => {
      const { pool, token, alice, bob, poolAddress } = await loadFixture(sameTokenFixture);
      await pool.connect(alice).deposit(10n * E18);
      await token.mint(poolAddress, 7n * E18);
      await pool.notifyRewards();
      await token.mint(poolAddress, 3n * E18); // stray transfer, not notified
      const [, , reserved] = await pool.rewardStream();
      expect(reserved).to.equal(7n * E18);
      await expect(pool.skim(bob.address))
        .to.emit(pool, "Skimmed")
        .withArgs(bob.address, 3n * E18);
      expect(await token.balanceOf(poolAddress)).to.equal(10n * E18 + 7n * E18);
    });

    it("is restricted and refuses the zero address", async () => {
      const { pool, stranger } = await loadFixture(baseFixture);
      await expect(pool.connect(stranger).skim(stranger.address))
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(pool.skim(ethers.ZeroAddress)).to.be.revertedWithCustomError(pool, "ZeroAddress");
    });
  });

  describe("pause and unpause", () => {
    it("are restricted", async () => {
      const { pool, stranger } = await loadFixture(baseFixture);
      await expect(pool.connect(stranger).pause())
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await pool.pause();
      await expect(pool.connect(stranger).unpause())
        .to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });

    it("pause stops deposits and claims, keeps withdraw and notifications; unpause resumes", async () => {
      const { pool, alice, deployer, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(2n * E18);
      await expect(pool.pause()).to.emit(pool, "Paused").withArgs(deployer.address);
      expect(await pool.paused()).to.equal(true);
      await expect(pool.pause()).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(pool.connect(alice).deposit(E18)).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(pool.connect(alice).claim()).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(notify(WEEK)).to.emit(pool, "RewardsNotified");
      await expect(pool.connect(alice).withdraw(E18))
        .to.emit(pool, "Withdrawn")
        .withArgs(alice.address, E18, E18);
      await expect(pool.unpause()).to.emit(pool, "Unpaused").withArgs(deployer.address);
      await expect(pool.unpause()).to.be.revertedWithCustomError(pool, "ExpectedPause");
      await expect(pool.connect(alice).deposit(E18)).to.emit(pool, "Deposited");
      await expect(pool.connect(alice).claim()).to.emit(pool, "RewardPaid");
    });
  });

  describe("views", () => {
    it("rewardPerToken and pendingRewards follow the accumulator formula", async () => {
      const { pool, alice, bob, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(4n * E18);
      const R = 123_456_789n * E18 + 42n;
      const t1 = await minedAt(await notify(R));
      const rate = R / WEEK;
      const carry = (R % WEEK) * PRECISION;
      await time.increaseTo(t1 + 1_234n);
      const rpt = (rate * 1_234n * PRECISION + carry) / (4n * E18);
      expect(await pool.rewardPerToken()).to.equal(rpt);
      expect(await pool.pendingRewards(alice.address)).to.equal((4n * E18 * rpt) / PRECISION);
      expect(await pool.pendingRewards(bob.address)).to.equal(0n);
      // after the end the accumulator stops
      await time.increaseTo(t1 + WEEK + 50n);
      const rptEnd = (rate * WEEK * PRECISION + carry) / (4n * E18);
      expect(await pool.rewardPerToken()).to.equal(rptEnd);
      await time.increase(1_000);
      expect(await pool.rewardPerToken()).to.equal(rptEnd);
    });

    it("rewardCarry and rewardsUnstreamed report the stream as of now", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      const R = 1_000n * E18 + 12_345n;
      await notify(R); // nobody staked yet
      const rate = R / WEEK;
      const carry0 = (R % WEEK) * PRECISION;
      expect(await pool.rewardsUnstreamed()).to.equal(rate * WEEK);
      expect(await pool.rewardCarry()).to.equal(carry0);
      await time.increase(DAY); // frozen: nothing streams, nothing is credited
      expect(await pool.rewardsUnstreamed()).to.equal(rate * WEEK);
      expect(await pool.rewardCarry()).to.equal(carry0);
      const stakeAmount = 3n * E18;
      const t2 = await minedAt(await pool.connect(alice).deposit(stakeAmount));
      expect(await pool.rewardsUnstreamed()).to.equal(rate * WEEK);
      await time.increaseTo(t2 + 1_000n);
      expect(await pool.rewardsUnstreamed()).to.equal(rate * (WEEK - 1_000n));
      const scaled = rate * 1_000n * PRECISION + carry0;
      expect(await pool.rewardPerToken()).to.equal(scaled / stakeAmount);
      expect(await pool.rewardCarry()).to.equal(scaled % stakeAmount);
      // conservation: pending + unstreamed + carry = R, up to alice's floor (< 1 wei)
      const accounted =
        (await pool.pendingRewards(alice.address)) * PRECISION +
        (await pool.rewardsUnstreamed()) * PRECISION +
        (await pool.rewardCarry());
      expect(R * PRECISION - accounted).to.be.gte(0n);
      expect(R * PRECISION - accounted).to.be.lt(PRECISION);
      await time.increaseTo(t2 + WEEK + 1n);
      expect(await pool.rewardsUnstreamed()).to.equal(0n);
    });

    it("balanceOf, totalStaked, unlockTime", async () => {
      const { pool, alice, bob, stranger } = await loadFixture(baseFixture);
      await pool.setWithdrawLock(HOUR);
      expect(await pool.unlockTime(stranger.address)).to.equal(HOUR); // never deposited: lastDeposit 0
      const ta = await minedAt(await pool.connect(alice).deposit(2n * E18));
      await pool.connect(bob).deposit(5n * E18);
      expect(await pool.balanceOf(alice.address)).to.equal(2n * E18);
      expect(await pool.balanceOf(bob.address)).to.equal(5n * E18);
      expect(await pool.balanceOf(stranger.address)).to.equal(0n);
      expect(await pool.totalStaked()).to.equal(7n * E18);
      expect(await pool.unlockTime(alice.address)).to.equal(ta + HOUR);
    });

    it("rewardStream.reserved tracks rewards received minus rewards paid", async () => {
      const { pool, alice, notify } = await loadFixture(baseFixture);
      await pool.connect(alice).deposit(E18);
      const R = 10n * E18;
      const t1 = await minedAt(await notify(R));
      await at(t1 + 10n, () => pool.connect(alice).claim());
      const paid = 10n * (R / WEEK) + (R % WEEK);
      expect((await stream(pool)).reserved).to.equal(R - paid);
      expect(await pool.rewardCarry()).to.equal(0n);
    });
  });

  describe("same token as stake and reward", () => {
    it("does not stream stakes as rewards", async () => {
      const { pool, alice, bob } = await loadFixture(sameTokenFixture);
      await pool.connect(alice).deposit(100n * E18);
      await expect(pool.notifyRewards()).to.not.emit(pool, "RewardsNotified");
      await pool.connect(bob).deposit(50n * E18);
      await expect(pool.notifyRewards()).to.not.emit(pool, "RewardsNotified");
      expect(await stream(pool)).to.deep.equal({ rate: 0n, finish: 0n, reserved: 0n });
    });

    it("streams only the balance beyond the stakes, and pays stakes and rewards apart", async () => {
      const { pool, token, alice, bob, poolAddress } = await loadFixture(sameTokenFixture);
      await pool.connect(alice).deposit(1n * E18);
      await pool.connect(bob).deposit(1n * E18);
      const R = 14n * WEEK * 10n ** 12n;
      await token.mint(poolAddress, R);
      const tx = pool.notifyRewards();
      const t1 = await minedAt(await tx);
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(R, R / WEEK, t1 + WEEK);
      // a deposit after the notification is not new rewards
      const tb = t1 + 1n;
      await at(tb, () => pool.connect(bob).deposit(2n * E18));
      await expect(pool.notifyRewards()).to.not.emit(pool, "RewardsNotified");
      // alice exits mid-stream: stake and rewards come back separately
      const t2 = t1 + DAY;
      const tx2 = at(t2, () => pool.connect(alice).exit());
      await expect(tx2).to.emit(pool, "Withdrawn").withArgs(alice.address, E18, E18);
      const rate = R / WEEK;
      // alice: 1/2 of the stream until bob's second deposit (1 s after t1), then 1/4
      const expected = (rate * (tb - t1)) / 2n + (rate * (t2 - tb)) / 4n;
      await expect(tx2).to.emit(pool, "RewardPaid").withArgs(alice.address, alice.address, expected);
      await expect(tx2).to.changeTokenBalance(token, alice, E18 + expected);
      // after everyone leaves only rounding dust stays
      await time.increaseTo(t1 + WEEK + 10n);
      await pool.connect(bob).exit();
      const left = await token.balanceOf(poolAddress);
      expect(left).to.equal((await stream(pool)).reserved);
      expect(left).to.be.lte(4n);
      await expect(pool.notifyRewards()).to.not.emit(pool, "RewardsNotified");
    });

    it("cannot recover the shared token", async () => {
      const { pool, token, alice } = await loadFixture(sameTokenFixture);
      const t = await token.getAddress();
      await expect(pool.recoverERC20(t, alice.address, 1n))
        .to.be.revertedWithCustomError(pool, "UnrecoverableToken")
        .withArgs(t);
    });
  });

  describe("through deployCore and the emission controller", () => {
    it("distribute streams the capital bucket through onEmission", async () => {
      const { core, alice, poolAddress } = await loadFixture(coreFixture);
      const { pool, token, controller } = core;
      await pool.connect(alice).deposit(E18);
      await time.increase(DAY);
      const before = await token.balanceOf(poolAddress);
      const tx = controller.distribute();
      const t = await minedAt(await tx);
      const capital = (await token.balanceOf(poolAddress)) - before;
      const minted = await controller.emittedBetween(core.schedule.start, t);
      expect(capital).to.equal((minted * 2_400n) / 10_000n);
      expect(capital).to.be.gt(0n);
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(capital, capital / WEEK, t + WEEK);
      await expect(tx).to.not.emit(controller, "ReceiverNotificationFailed");
      await time.increaseTo(t + WEEK + 1n);
      await expect(pool.connect(alice).claim())
        .to.emit(pool, "RewardPaid")
        .withArgs(alice.address, alice.address, capital);
      expect(await token.balanceOf(alice.address)).to.equal(capital);
    });

    it("only the controller may call onEmission; the admin may notify", async () => {
      const { core, deployer, stranger } = await loadFixture(coreFixture);
      await expect(core.pool.connect(deployer).onEmission(Bucket.Capital, 1n))
        .to.be.revertedWithCustomError(core.pool, "AccessManagedUnauthorized")
        .withArgs(deployer.address);
      await expect(core.pool.connect(stranger).onEmission(Bucket.Capital, 1n))
        .to.be.revertedWithCustomError(core.pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(core.pool.connect(stranger).notifyRewards())
        .to.be.revertedWithCustomError(core.pool, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      await expect(core.pool.connect(deployer).notifyRewards()).to.not.emit(core.pool, "RewardsNotified");
    });

    it("a failed hook loses nothing: the next notification streams the bucket", async () => {
      const { core, alice, poolAddress } = await loadFixture(coreFixture);
      const { pool, token, controller, manager } = core;
      await pool.connect(alice).deposit(E18);
      const controllerAddress = await controller.getAddress();
      await manager.revokeRole(ROLES.DISTRIBUTOR, controllerAddress);
      await time.increase(DAY);
      const tx = controller.distribute();
      await tx;
      const capital1 = await token.balanceOf(poolAddress);
      await expect(tx)
        .to.emit(controller, "ReceiverNotificationFailed")
        .withArgs(Bucket.Capital, poolAddress, capital1);
      await expect(tx).to.not.emit(pool, "RewardsNotified");
      expect(await stream(pool)).to.deep.equal({ rate: 0n, finish: 0n, reserved: 0n });
      await manager.grantRole(ROLES.DISTRIBUTOR, controllerAddress, 0);
      await time.increase(DAY);
      const tx2 = controller.distribute();
      const t2 = await minedAt(await tx2);
      const total = await token.balanceOf(poolAddress);
      expect(total).to.be.gt(capital1);
      await expect(tx2)
        .to.emit(pool, "RewardsNotified")
        .withArgs(total, total / WEEK, t2 + WEEK);
    });

    it("daily distributions re-spread the leftover of the stream", async () => {
      const { core, alice, bob, poolAddress } = await loadFixture(coreFixture);
      const { pool, token, controller } = core;
      await pool.connect(alice).deposit(E18);
      await time.increase(DAY);
      const t1 = await minedAt(await controller.distribute());
      const { rate: rate1 } = await stream(pool);
      const b1 = await token.balanceOf(poolAddress);
      await pool.connect(bob).deposit(E18);
      await time.setNextBlockTimestamp(t1 + DAY);
      const tx = controller.distribute();
      const t2 = await minedAt(await tx);
      expect(t2).to.equal(t1 + DAY);
      const added = (await token.balanceOf(poolAddress)) - b1;
      const leftover = rate1 * (t1 + WEEK - t2);
      await expect(tx)
        .to.emit(pool, "RewardsNotified")
        .withArgs(added, (leftover + added) / WEEK, t2 + WEEK);
      // everything received is paid by the end, split by stake and time
      await time.increaseTo(t2 + WEEK + 1n);
      await pool.connect(alice).exit();
      await pool.connect(bob).exit();
      const dust = await token.balanceOf(poolAddress);
      expect(dust).to.equal((await stream(pool)).reserved);
      expect(dust).to.be.lte(4n);
      expect((await token.balanceOf(alice.address)) - (await token.balanceOf(bob.address))).to.be.gt(0n);
    });
  });
});
