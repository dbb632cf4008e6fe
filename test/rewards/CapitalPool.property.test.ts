/**
 * Property tests of contracts/rewards/CapitalPool.sol (fast-check).
 *
 * Random sequences of deposit / withdraw / claim / exit / time advance / notify / direct reward
 * transfer / setRewardsDuration across 4 users. After every step:
 *
 *  (1) sum(claimed) + sum(pendingRewards) <= total reward tokens sent to the pool.
 *  (2) gap = T - (sum(claimed) + sum(pendingRewards)), T = total `added` of all RewardsNotified events:
 *        unstreamed + ceil(carry / 1e18)  <=  gap  <=  unstreamed + floor(carry / 1e18) + settlements + users
 *      where unstreamed = rate * (finish - from)^+ from `rewardStream()`, `from` = now while somebody
 *      stakes, else the last pool transaction (the stream is frozen); it must also equal
 *      `rewardsUnstreamed()`. carry = `rewardCarry()` (as of now, wei * 1e18); settlements =
 *      successful user operations (each floors < 1 wei); users = 4 (each pendingRewards floors < 1 wei).
 *      The dust bound is therefore settlements + 4 wei on top of what is provably still in the stream.
 *  (3) staking-token balance of the pool >= totalStaked == sum(balanceOf) == model stakes.
 *  (4) for each user, |claimed + pending - ideal| <= settlements(user) + 2 + B, where `ideal` is an
 *      exact (1e-40 wei) pro-rata split of the stream (bigint model: integer rate, finish, frozen
 *      while nobody is staked, restream remainders credited at the next accrual as documented) and
 *      B = sum over accruals that moved the accumulator of ceil(totalStaked / 1e18): the
 *      accumulator's division remainder (< totalStaked in wei * 1e18) is carried into the next
 *      interval, where it may be split among different stakers. With stakes below 1e18 this is
 *      1 wei per accrual.
 *  (5) exact replica: pendingRewards, rewardPerToken, rewardStream, rewardCarry (as of now) and every
 *      claim equal a bigint replica of the documented arithmetic.
 *
 * A second property uses the rebasing (stETH-like) token as staking token: balance >= totalStaked
 * through deposits, withdrawals and positive rebases, withdrawals send the full amount, and after a
 * negative rebase every staker can still withdraw (the last ones get what is left).
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import {
  CapitalPool,
  CapitalPool__factory,
  MockStakeToken__factory,
  RebasingToken__factory,
  TetradAccessManager__factory,
} from "../../typechain-types";
import { runs } from "../utils/coverage";

const P = 10n ** 18n;
const IDEAL_SCALE = 10n ** 40n;
const DAY = 86_400n;
const N_USERS = 4;
const FUNDS = 10n ** 30n;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
const abs = (a: bigint): bigint => (a < 0n ? -a : a);

async function receiptOf(tx: ContractTransactionResponse): Promise<ContractTransactionReceipt> {
  const r = await tx.wait();
  if (r === null) throw new Error("no receipt");
  return r;
}

async function timestampOf(r: ContractTransactionReceipt): Promise<bigint> {
  const b = await ethers.provider.getBlock(r.blockNumber);
  if (b === null) throw new Error("no block");
  return BigInt(b.timestamp);
}

/*//////////////////////////////////////////////////////////////
                    EXACT REPLICA OF THE ARITHMETIC
//////////////////////////////////////////////////////////////*/

/** What the contract's stream and both models share: the rate, when it ends, the total stake. */
abstract class Stream {
  rate = 0n;
  finish = 0n;
  staked = 0n;

  constructor(
    public lastUpdate: bigint,
    public duration: bigint,
  ) {}
}

interface ReplicaAccount {
  stake: bigint;
  rewards: bigint;
  paid: bigint;
}

class Replica extends Stream {
  reserved = 0n;
  carry = 0n;
  rpt = 0n;
  readonly accounts: ReplicaAccount[];

  constructor(n: number, lastUpdate: bigint, duration: bigint) {
    super(lastUpdate, duration);
    this.accounts = Array.from({ length: n }, () => ({ stake: 0n, rewards: 0n, paid: 0n }));
  }

  private increment(now: bigint): [bigint, bigint] {
    const until = min(now, this.finish);
    const scaled = this.rate * (until - this.lastUpdate) * P + this.carry;
    const inc = scaled / this.staked;
    return [inc, scaled - inc * this.staked];
  }

  private accrue(now: bigint): bigint {
    if (now === this.lastUpdate) return this.rpt;
    if (this.lastUpdate < this.finish) {
      if (this.staked === 0n) {
        this.finish += now - this.lastUpdate;
      } else {
        const [inc, c] = this.increment(now);
        this.rpt += inc;
        this.carry = c;
      }
    }
    this.lastUpdate = now;
    return this.rpt;
  }

  private settle(u: number, rpt: bigint): ReplicaAccount {
    const a = this.accounts[u];
    if (a.paid !== rpt) {
      a.rewards += (a.stake * (rpt - a.paid)) / P;
      a.paid = rpt;
    }
    return a;
  }

  private restream(added: bigint, duration: bigint, now: bigint): void {
    const leftover = now < this.finish ? this.rate * (this.finish - now) : 0n;
    const amount = leftover + added;
    this.rate = amount / duration;
    this.carry += (amount - this.rate * duration) * P;
    this.finish = now + duration;
    this.reserved += added;
  }

  rptView(now: bigint): bigint {
    if (now > this.lastUpdate && this.lastUpdate < this.finish && this.staked > 0n)
      return this.rpt + this.increment(now)[0];
    return this.rpt;
  }

  /** The accumulator's remainder as of `now` (what `rewardCarry()` reports). */
  carryView(now: bigint): bigint {
    if (now > this.lastUpdate && this.lastUpdate < this.finish && this.staked > 0n)
      return this.increment(now)[1];
    return this.carry;
  }

  pendingView(u: number, now: bigint): bigint {
    const r = this.rptView(now);
    const a = this.accounts[u];
    return a.paid === r ? a.rewards : a.rewards + (a.stake * (r - a.paid)) / P;
  }

  notify(balance: bigint, now: bigint): bigint {
    this.accrue(now);
    if (balance <= this.reserved) return 0n;
    const added = balance - this.reserved;
    this.restream(added, this.duration, now);
    return added;
  }

  deposit(u: number, received: bigint, now: bigint): void {
    const a = this.settle(u, this.accrue(now));
    a.stake += received;
    this.staked += received;
  }

  withdraw(u: number, amount: bigint, now: bigint): void {
    const a = this.settle(u, this.accrue(now));
    a.stake -= amount;
    this.staked -= amount;
  }

  claim(u: number, now: bigint): bigint {
    const a = this.settle(u, this.accrue(now));
    const amount = a.rewards;
    a.rewards = 0n;
    this.reserved -= amount;
    return amount;
  }

  setDuration(d: bigint, now: bigint): void {
    this.accrue(now);
    this.duration = d;
    if (now < this.finish) this.restream(0n, d, now);
  }
}

/*//////////////////////////////////////////////////////////////
                  IDEAL PRO-RATA MODEL OF THE STREAM
//////////////////////////////////////////////////////////////*/

/**
 * The same stream (integer rate = floor(amount / duration), finish, frozen while nobody stakes, the
 * division remainder credited at the next accrual), split exactly pro rata to stake (to 1e-40 wei).
 */
class Ideal extends Stream {
  /** Restream remainders waiting for the next accrual. */
  pot = 0n;
  notified = 0n;
  claimed = 0n;
  /** Sum of ceil(staked / 1e18) over accruals that credited rewards (bound B). */
  bound = 0n;
  readonly stakes: bigint[];
  /** Earned rewards, scaled by IDEAL_SCALE. */
  readonly earned: bigint[];

  constructor(n: number, lastUpdate: bigint, duration: bigint) {
    super(lastUpdate, duration);
    this.stakes = Array.from({ length: n }, () => 0n);
    this.earned = Array.from({ length: n }, () => 0n);
  }

  private live(now: bigint): boolean {
    return now > this.lastUpdate && this.lastUpdate < this.finish && this.staked > 0n;
  }

  private due(now: bigint): bigint {
    return this.rate * (min(now, this.finish) - this.lastUpdate) + this.pot;
  }

  private accrue(now: bigint): void {
    if (now === this.lastUpdate) return;
    if (this.lastUpdate < this.finish) {
      if (this.staked === 0n) {
        this.finish += now - this.lastUpdate;
      } else {
        const amount = this.due(now);
        for (let i = 0; i < this.stakes.length; i++)
          this.earned[i] += (amount * this.stakes[i] * IDEAL_SCALE) / this.staked;
        this.pot = 0n;
        this.bound += ceilDiv(this.staked, P);
      }
    }
    this.lastUpdate = now;
  }

  private restream(added: bigint, duration: bigint, now: bigint): void {
    const leftover = now < this.finish ? this.rate * (this.finish - now) : 0n;
    const amount = leftover + added;
    this.rate = amount / duration;
    this.pot += amount - this.rate * duration;
    this.finish = now + duration;
  }

  /** Earned (scaled) as of `now`, and the bound B including the view's own accrual. */
  view(u: number, now: bigint): { earned: bigint; bound: bigint } {
    if (!this.live(now)) return { earned: this.earned[u], bound: this.bound };
    return {
      earned: this.earned[u] + (this.due(now) * this.stakes[u] * IDEAL_SCALE) / this.staked,
      bound: this.bound + ceilDiv(this.staked, P),
    };
  }

  notify(balance: bigint, now: bigint): bigint {
    this.accrue(now);
    const reserved = this.notified - this.claimed;
    if (balance <= reserved) return 0n;
    const added = balance - reserved;
    this.restream(added, this.duration, now);
    this.notified += added;
    return added;
  }

  deposit(u: number, amount: bigint, now: bigint): void {
    this.accrue(now);
    this.stakes[u] += amount;
    this.staked += amount;
  }

  withdraw(u: number, amount: bigint, now: bigint): void {
    this.accrue(now);
    this.stakes[u] -= amount;
    this.staked -= amount;
  }

  claim(paid: bigint, now: bigint): void {
    this.accrue(now);
    this.claimed += paid;
  }

  setDuration(d: bigint, now: bigint): void {
    this.accrue(now);
    this.duration = d;
    if (now < this.finish) this.restream(0n, d, now);
  }
}

/*//////////////////////////////////////////////////////////////
                            OPERATIONS
//////////////////////////////////////////////////////////////*/

type Op =
  | { kind: "deposit"; user: number; amount: bigint }
  | { kind: "withdraw"; user: number; pct: number }
  | { kind: "claim"; user: number }
  | { kind: "exit"; user: number }
  | { kind: "advance"; seconds: number }
  | { kind: "notify"; amount: bigint }
  | { kind: "donate"; amount: bigint }
  | { kind: "duration"; seconds: number };

const userArb = fc.integer({ min: 0, max: N_USERS - 1 });
const stakeAmountArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 6n }),
  fc.bigInt({ min: 10n ** 6n, max: 10n ** 17n }),
  fc.bigInt({ min: 10n ** 17n, max: 10n ** 21n }),
);
const rewardAmountArb = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 1n, max: 10n ** 9n }),
  fc.bigInt({ min: 10n ** 9n, max: 10n ** 24n }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("deposit" as const), user: userArb, amount: stakeAmountArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("withdraw" as const),
      user: userArb,
      pct: fc.integer({ min: 0, max: 110 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("claim" as const), user: userArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("exit" as const), user: userArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      seconds: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 200_000 })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("notify" as const), amount: rewardAmountArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("donate" as const), amount: rewardAmountArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("duration" as const),
      seconds: fc.integer({ min: 3_600, max: 259_200 }),
    }),
  },
);

/*//////////////////////////////////////////////////////////////
                             FIXTURES
//////////////////////////////////////////////////////////////*/

async function rewardsFixture() {
  const signers = await ethers.getSigners();
  const deployer = signers[0];
  const users = signers.slice(1, 1 + N_USERS);
  const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
  const stake = await new MockStakeToken__factory(deployer).deploy("Stake", "STK");
  const reward = await new MockStakeToken__factory(deployer).deploy("Reward", "RWD");
  const pool = await new CapitalPool__factory(deployer).deploy(manager, stake, reward, DAY, 0n, 0n);
  const deployedAt = await timestampOf(await receiptOf(pool.deploymentTransaction()!));
  const poolAddress = await pool.getAddress();
  for (const u of users) {
    await stake.mint(u.address, FUNDS);
    await stake.connect(u).approve(poolAddress, ethers.MaxUint256);
  }
  return { deployer, users, stake, reward, pool, poolAddress, deployedAt };
}

async function rebasingFixture() {
  const signers = await ethers.getSigners();
  const deployer = signers[0];
  const users = signers.slice(1, 1 + N_USERS);
  const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
  const reb = await new RebasingToken__factory(deployer).deploy();
  const reward = await new MockStakeToken__factory(deployer).deploy("Reward", "RWD");
  const pool = await new CapitalPool__factory(deployer).deploy(manager, reb, reward, DAY, 0n, 0n);
  const poolAddress = await pool.getAddress();
  for (const u of users) {
    await reb.mint(u.address, FUNDS);
    await reb.connect(u).approve(poolAddress, ethers.MaxUint256);
  }
  return { deployer, users, reb, pool, poolAddress };
}

function addedOf(pool: CapitalPool, r: ContractTransactionReceipt): bigint | undefined {
  const poolAddress = r.to?.toLowerCase();
  for (const log of r.logs) {
    if (log.address.toLowerCase() !== poolAddress) continue;
    const parsed = pool.interface.parseLog(log);
    if (parsed !== null && parsed.name === "RewardsNotified") return parsed.args[0] as bigint;
  }
  return undefined;
}

/*//////////////////////////////////////////////////////////////
                              TESTS
//////////////////////////////////////////////////////////////*/

describe("CapitalPool properties", function () {
  // generous, for fast-check's shrinking after a failure; a passing run takes well under a minute
  this.timeout(600_000);

  it("conserves rewards, splits them pro rata, and matches the exact model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30, size: "max" }), async (ops) => {
        const { deployer, users, stake, reward, pool, poolAddress, deployedAt } =
          await loadFixture(rewardsFixture);
        const replica = new Replica(N_USERS, deployedAt, DAY);
        const ideal = new Ideal(N_USERS, deployedAt, DAY);
        const claimed: bigint[] = Array.from({ length: N_USERS }, () => 0n);
        const settlements: bigint[] = Array.from({ length: N_USERS }, () => 0n);
        let sent = 0n; // reward tokens sent to the pool
        let notified = 0n; // T: sum of RewardsNotified.added
        let lastPoolTx = deployedAt; // timestamp of the last successful accruing pool transaction

        for (const op of ops) {
          switch (op.kind) {
            case "deposit": {
              const r = await receiptOf(await pool.connect(users[op.user]).deposit(op.amount));
              const ts = await timestampOf(r);
              replica.deposit(op.user, op.amount, ts);
              ideal.deposit(op.user, op.amount, ts);
              settlements[op.user]++;
              lastPoolTx = ts;
              break;
            }
            case "withdraw": {
              const u = users[op.user];
              const st = await pool.balanceOf(u.address);
              let amount: bigint;
              if (op.pct === 0) amount = 0n;
              else if (op.pct <= 100) amount = (st * BigInt(op.pct)) / 100n || 1n;
              else amount = st + 1n + (st * BigInt(op.pct - 100)) / 100n;
              if (amount === 0n) {
                await expect(pool.connect(u).withdraw(0n)).to.be.revertedWithCustomError(pool, "ZeroAmount");
              } else if (amount > st) {
                await expect(pool.connect(u).withdraw(amount))
                  .to.be.revertedWithCustomError(pool, "InsufficientStake")
                  .withArgs(amount, st);
              } else {
                const before = await stake.balanceOf(u.address);
                const r = await receiptOf(await pool.connect(u).withdraw(amount));
                const ts = await timestampOf(r);
                expect((await stake.balanceOf(u.address)) - before).to.equal(amount);
                replica.withdraw(op.user, amount, ts);
                ideal.withdraw(op.user, amount, ts);
                settlements[op.user]++;
                lastPoolTx = ts;
              }
              break;
            }
            case "claim":
            case "exit": {
              const u = users[op.user];
              const st = await pool.balanceOf(u.address);
              const before = await reward.balanceOf(u.address);
              const tx = op.kind === "claim" ? await pool.connect(u).claim() : await pool.connect(u).exit();
              const ts = await timestampOf(await receiptOf(tx));
              const paid = (await reward.balanceOf(u.address)) - before;
              if (op.kind === "exit" && st > 0n) {
                replica.withdraw(op.user, st, ts);
                ideal.withdraw(op.user, st, ts);
                expect(await pool.balanceOf(u.address)).to.equal(0n);
              }
              expect(paid).to.equal(replica.claim(op.user, ts));
              ideal.claim(paid, ts);
              claimed[op.user] += paid;
              settlements[op.user]++;
              lastPoolTx = ts;
              break;
            }
            case "advance":
              await time.increase(op.seconds);
              break;
            case "donate":
              if (op.amount > 0n) {
                await reward.mint(poolAddress, op.amount);
                sent += op.amount;
              }
              break;
            case "notify": {
              if (op.amount > 0n) {
                await reward.mint(poolAddress, op.amount);
                sent += op.amount;
              }
              const r = await receiptOf(await pool.connect(deployer).notifyRewards());
              const ts = await timestampOf(r);
              const balance = await reward.balanceOf(poolAddress);
              const expected = replica.notify(balance, ts);
              expect(ideal.notify(balance, ts)).to.equal(expected);
              const added = addedOf(pool, r);
              if (expected === 0n) expect(added).to.equal(undefined);
              else expect(added).to.equal(expected);
              notified += added ?? 0n;
              lastPoolTx = ts;
              break;
            }
            case "duration": {
              const d = BigInt(op.seconds);
              const r = await receiptOf(await pool.connect(deployer).setRewardsDuration(d));
              const ts = await timestampOf(r);
              replica.setDuration(d, ts);
              ideal.setDuration(d, ts);
              lastPoolTx = ts;
              break;
            }
          }

          // ---------------------------- invariants, at the latest block ----------------------------
          const now = BigInt(await time.latest());
          const [pending, stakes, totalStaked, rpt, streamView, carry, unstreamedView, stakeBalance] =
            await Promise.all([
              Promise.all(users.map((u) => pool.pendingRewards(u.address))),
              Promise.all(users.map((u) => pool.balanceOf(u.address))),
              pool.totalStaked(),
              pool.rewardPerToken(),
              pool.rewardStream(),
              pool.rewardCarry(),
              pool.rewardsUnstreamed(),
              stake.balanceOf(poolAddress),
            ]);
          const [rate, finish, reserved] = streamView;
          const pendingSum = pending.reduce((a, b) => a + b, 0n);
          const claimedSum = claimed.reduce((a, b) => a + b, 0n);
          const ctx = `after ${op.kind} at ${now}`;

          // (1)
          expect(claimedSum + pendingSum, `(1) ${ctx}`).to.be.lte(sent);

          // (2): the stream end as stored; while nobody stakes the stream is frozen at the last pool tx
          const from = totalStaked > 0n ? now : lastPoolTx;
          const unstreamed = finish > from && finish > lastPoolTx ? rate * (finish - from) : 0n;
          expect(unstreamedView, `(2) rewardsUnstreamed ${ctx}`).to.equal(unstreamed);
          const gap = notified - claimedSum - pendingSum;
          const settled = settlements.reduce((a, b) => a + b, 0n);
          expect(gap, `(2) lower ${ctx}`).to.be.gte(unstreamed + ceilDiv(carry, P));
          expect(gap, `(2) upper ${ctx}`).to.be.lte(unstreamed + carry / P + settled + BigInt(N_USERS));

          // (3)
          const stakeSum = stakes.reduce((a, b) => a + b, 0n);
          expect(totalStaked, `(3) ${ctx}`).to.equal(stakeSum);
          expect(stakeBalance, `(3) ${ctx}`).to.be.gte(totalStaked);
          for (let i = 0; i < N_USERS; i++) expect(stakes[i]).to.equal(replica.accounts[i].stake);

          // (4)
          for (let i = 0; i < N_USERS; i++) {
            const { earned, bound } = ideal.view(i, now);
            const contract = (claimed[i] + pending[i]) * IDEAL_SCALE;
            const slack = (settlements[i] + 2n + bound) * IDEAL_SCALE;
            expect(
              abs(contract - earned) <= slack,
              `(4) user ${i} ${ctx}: ${contract} vs ${earned} +- ${slack}`,
            ).to.equal(true);
          }

          // (5)
          expect(rpt, `(5) rewardPerToken ${ctx}`).to.equal(replica.rptView(now));
          expect([rate, finish, reserved, carry], `(5) stream ${ctx}`).to.deep.equal([
            replica.rate,
            replica.finish,
            replica.reserved,
            replica.carryView(now),
          ]);
          for (let i = 0; i < N_USERS; i++)
            expect(pending[i], `(5) pending ${i} ${ctx}`).to.equal(replica.pendingView(i, now));
          expect(reserved, `(5) reserved ${ctx}`).to.equal(notified - claimedSum);
        }
      }),
      { numRuns: Number(process.env.CAPITAL_POOL_RUNS ?? runs(40)) },
    );
  });

  it("rebasing staking token: stakes stay covered, and every staker can leave after a negative rebase", async () => {
    type RebOp =
      | { kind: "deposit"; user: number; amount: bigint }
      | { kind: "withdraw"; user: number; pct: number }
      | { kind: "rebase"; permille: number };
    const rebOpArb: fc.Arbitrary<RebOp> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant("deposit" as const),
          user: userArb,
          amount: stakeAmountArb,
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("withdraw" as const),
          user: userArb,
          pct: fc.integer({ min: 1, max: 100 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("rebase" as const),
          permille: fc.integer({ min: 1_000, max: 1_100 }),
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(rebOpArb, { minLength: 1, maxLength: 20, size: "max" }),
        fc.integer({ min: 500, max: 999 }),
        fc.array(userArb, { minLength: N_USERS, maxLength: N_USERS }),
        async (ops, dropPermille, orderSeed) => {
          const { users, reb, pool, poolAddress } = await loadFixture(rebasingFixture);
          for (const op of ops) {
            if (op.kind === "deposit") {
              // what the token will move: floor(amount / index) shares, worth this much to the pool
              const [index, poolShares] = await Promise.all([reb.index(), reb.sharesOf(poolAddress)]);
              const shares = (op.amount * P) / index;
              const received = ((poolShares + shares) * index) / P - (poolShares * index) / P;
              const u = users[op.user];
              if (received === 0n) {
                await expect(pool.connect(u).deposit(op.amount)).to.be.revertedWithCustomError(
                  pool,
                  "ZeroAmount",
                );
              } else {
                const before = await reb.balanceOf(poolAddress);
                await expect(pool.connect(u).deposit(op.amount))
                  .to.emit(pool, "Deposited")
                  .withArgs(u.address, received);
                expect((await reb.balanceOf(poolAddress)) - before).to.equal(received);
                expect(received).to.be.lte(op.amount);
                expect(received + 2n).to.be.gte(op.amount);
              }
            } else if (op.kind === "withdraw") {
              const u = users[op.user];
              const st = await pool.balanceOf(u.address);
              if (st === 0n) continue;
              const amount = (st * BigInt(op.pct)) / 100n || st;
              await expect(pool.connect(u).withdraw(amount))
                .to.emit(pool, "Withdrawn")
                .withArgs(u.address, amount, amount);
            } else {
              await reb.setIndex(((await reb.index()) * BigInt(op.permille)) / 1_000n);
            }
            const stakes = await Promise.all(users.map((u) => pool.balanceOf(u.address)));
            const total = await pool.totalStaked();
            expect(total).to.equal(stakes.reduce((a, b) => a + b, 0n));
            expect(await reb.balanceOf(poolAddress)).to.be.gte(total);
          }

          // negative rebase, then everyone leaves in a random order
          await reb.setIndex(((await reb.index()) * BigInt(dropPermille)) / 1_000n);
          const order = users.map((_, i) => i).sort((a, b) => orderSeed[a] - orderSeed[b] || a - b);
          for (const i of order) {
            const u = users[i];
            const st = await pool.balanceOf(u.address);
            if (st === 0n) continue;
            const available = await reb.balanceOf(poolAddress);
            const expectedSent = st < available ? st : available;
            await expect(pool.connect(u).withdraw(st))
              .to.emit(pool, "Withdrawn")
              .withArgs(u.address, st, expectedSent);
            expect(await pool.balanceOf(u.address)).to.equal(0n);
          }
          expect(await pool.totalStaked()).to.equal(0n);
        },
      ),
      { numRuns: Number(process.env.CAPITAL_POOL_RUNS ?? runs(25)) },
    );
  });
});
