/**
 * The adversarial catalogue (issue 7), Hardhat half: one focused attack per class of exploit that hit a
 * real protocol, run for real against Tetrad's contracts, with the defence asserted to the wei (or to
 * the gas unit where gas is the point). The forge half (ADV-05 reentrancy through a hook token, ADV-06
 * signature replay, ADV-07 flash-loaned votes, ADV-08b no upgrade path in Tetrad's contracts) is
 * test/security/Adversarial.t.sol; the table of classes, incidents, defences and measured numbers is
 * reports/adversarial.md.
 *
 * Every test would fail if the defence it names were removed: each states the counterfactual next to
 * the assertion that would break. A test marked FINDING documents an attack that succeeds today.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  BaseContract,
  Contract,
  ContractFactory,
  ContractTransactionReceipt,
  InterfaceAbi,
  MaxUint256,
  ZeroAddress,
  id,
} from "ethers";
import {
  CapitalPool,
  CapitalPool__factory,
  GasGuzzlerReceiver__factory,
  MockStakeToken,
  MockStakeToken__factory,
  RebasingToken__factory,
  Subnet,
  TetradAccessManager__factory,
} from "../../typechain-types";
import { fundedAccounts } from "../../scripts/lib/chain/accounts";
import { Bucket, DAY, DEFAULT_POOL } from "../../scripts/lib/chain/constants";
import { deployCore } from "../utils/deploy";
import { Vote, buildProposal, propose, queue } from "../../scripts/lib/chain/governance";
import {
  DEFAULT_METRIC_WEIGHTS,
  DEFAULT_SUBNET_PARAMS,
  MAX_CONTRIBUTORS,
  SubnetParams,
  commitment,
  encodeSheet,
} from "../../scripts/lib/chain/poc";
import {
  ExpelReason,
  RoundOutcome,
  SubnetState,
  finalizeRound as referenceRound,
  foldSheet,
} from "../../scripts/lib/models/poc-reference";
import { Rng } from "../../scripts/lib/chain/random";
import { finalizeRound, toPhase } from "../../scripts/lib/chain/rounds";
import { StandaloneSubnet, deployStandaloneSubnet } from "../../scripts/lib/deploy/subnet-fixture";
import {
  FUNDS,
  ProposalState,
  deployGovernedSystem,
  executeWhenDue,
  lateQuorumAndReaction,
  toVoteEnd,
  toVoting,
} from "../utils/governance-fixture";
import {
  FinalizeRecord,
  SheetPlan,
  commitAndReveal,
  finalizeInPages,
  trackedFinalize,
  trackedRegister,
  trackedStake,
} from "../utils/subnet-rounds";
import { underCoverage } from "../utils/coverage";
import { eventsOf, impersonate, minedAt, receiptOf } from "../utils/chain";

const E18 = 10n ** 18n;
const TTD = E18;
const WEEK = 7n * DAY;
const BPS = 10_000n;
const P = DEFAULT_SUBNET_PARAMS;
const MIN = P.minValidatorStake;
const BOND = P.bond;
const METRICS = DEFAULT_METRIC_WEIGHTS.length;
const HOOK_GAS = 300_000n;
/** Contributors per finalization transaction of the largest subnet (README: every page under 15M gas). */
const FINALIZE_PAGE = 48;
const FINALIZE_BUDGET = 15_000_000n;
/** The block gas limit the brief holds finalization to (Ethereum's until 2025; Hardhat's is 60M). */
const BLOCK_GAS_LIMIT = 30_000_000n;
/** EIP-7825 (Osaka, which the Hardhat network runs): no transaction may use more than 2^24 gas. */
const TX_GAS_CAP = 16_777_216n;

/*//////////////////////////////////////////////////////////////
                              HELPERS
//////////////////////////////////////////////////////////////*/

/** The sum of argument `arg` over the `name` events of `contract` in `receipt`. */
async function sumOf(
  contract: BaseContract,
  receipt: ContractTransactionReceipt,
  name: string,
  arg: string,
): Promise<bigint> {
  return (await eventsOf(contract, receipt, name)).reduce((a, e) => a + BigInt(e.args.getValue(arg)), 0n);
}

/**
 * A standalone pool staking `stakingToken` and paying a fresh mock TTD, with the deployer as the
 * AccessManager's admin (it notifies, as the controller would).
 */
async function standalonePool(
  deployer: HardhatEthersSigner,
  stakingToken: string,
  minDeposit: bigint,
): Promise<{ reward: MockStakeToken; pool: CapitalPool; poolAddress: string }> {
  const reward = await new MockStakeToken__factory(deployer).deploy("TTD (test)", "TTD");
  const manager = await new TetradAccessManager__factory(deployer).deploy(deployer.address);
  const pool = await new CapitalPool__factory(deployer).deploy(
    manager,
    stakingToken,
    reward,
    WEEK,
    minDeposit,
    0n,
  );
  return { reward, pool, poolAddress: await pool.getAddress() };
}

/** An LP token and a standalone pool staking it at the default minimum deposit. */
async function lpPool(
  deployer: HardhatEthersSigner,
): Promise<{ stake: MockStakeToken; reward: MockStakeToken; pool: CapitalPool; poolAddress: string }> {
  const stake = await new MockStakeToken__factory(deployer).deploy("LP", "LP");
  return { stake, ...(await standalonePool(deployer, await stake.getAddress(), DEFAULT_POOL.minDeposit)) };
}

/** A scoresheet row whose every metric is `v`: it folds to `v * 10,000` with any weights. */
const row = (v: number): number[] => Array<number>(METRICS).fill(v);

/** A standalone subnet (deployer = admin and owner) and its participants funded and approved. */
async function subnetWith(
  accounts: HardhatEthersSigner[],
  params: SubnetParams = P,
): Promise<StandaloneSubnet & { address: string }> {
  const [deployer] = await ethers.getSigners();
  const net = await deployStandaloneSubnet(deployer, params);
  const address = await net.subnet.getAddress();
  // The catalogue's pools are hand-computed without the keeper tip (GUARD-32 tests the tip).
  await (await net.subnet.setKeeperTip(0)).wait();
  for (const a of accounts) {
    await (await net.token.mint(a.address, 1_000_000n * TTD)).wait();
    await (await net.token.connect(a).approve(address, MaxUint256)).wait();
  }
  return { ...net, address };
}

/** Closes the current round and finalizes it (with or without reveals). */
async function closeRound(subnet: Subnet, page = 1_000): Promise<void> {
  await toPhase(subnet, "closed");
  await finalizeRound(subnet, page);
}

/** Each of `validators` commits and reveals `rows`. */
function revealing(validators: HardhatEthersSigner[], rows: number[][]): SheetPlan[] {
  return validators.map((validator) => ({ validator, rows, reveal: true }));
}

/**
 * Mints `minted` to the bucket (the subnet's whole allocation), closes the round and finalizes it, held
 * to the reference to the wei (pool = the carried `pendingEmission` + `minted`).
 */
async function closeTracked(
  net: StandaloneSubnet,
  state: SubnetState,
  minted = 0n,
): Promise<{ outcome: RoundOutcome; record: FinalizeRecord }> {
  const { subnet, token, bucket } = net;
  if (minted > 0n) await (await token.mint(await bucket.getAddress(), minted)).wait();
  const pool = (await subnet.pendingEmission()) + minted;
  await toPhase(subnet, "closed");
  const [deployer] = await ethers.getSigners();
  return trackedFinalize(subnet, state, { pool, params: P, owner: deployer.address, maxSteps: 1_000 });
}

/**
 * `subnetWith(accounts)`, tracked by the reference from round 1: `contributors` register and `validators`
 * stake, in order (their slots are their positions in the subnet), and round 1 is closed and finalized
 * without reveals.
 */
async function trackedSubnet(
  accounts: HardhatEthersSigner[],
  contributors: HardhatEthersSigner[],
  validators: { v: HardhatEthersSigner; stake: bigint }[],
): Promise<{ net: StandaloneSubnet & { address: string }; state: SubnetState }> {
  const net = await subnetWith(accounts);
  const { subnet } = net;
  expect(await subnet.round()).to.equal(1n);
  const state = new SubnetState(await subnet.roundStart());
  state.keeperTipBps = await subnet.keeperTipBps();
  for (const c of contributors) await trackedRegister(subnet, state, c, c.address);
  for (const { v, stake } of validators) await trackedStake(subnet, state, v, stake);
  await closeTracked(net, state);
  return { net, state };
}

/** What a tracked commit/reveal needs: the state and the round's metric weights. */
const track = (state: SubnetState) => ({ state, weights: DEFAULT_METRIC_WEIGHTS });

/** The dividend a finalization credited `validator` (0 when it got no ValidatorDividend event). */
function dividendOf(record: FinalizeRecord, validator: HardhatEthersSigner): bigint {
  return record.dividends.find((d) => d.validator === validator.address)?.reward ?? 0n;
}

/** A sheet committed with a known salt, to be revealed (or copied) later. */
interface Opened {
  sheet: string;
  salt: string;
  commitment: string;
}

async function commitRows(subnet: Subnet, v: HardhatEthersSigner, rows: number[][]): Promise<Opened> {
  const round = await subnet.round();
  const sheet = encodeSheet(rows, METRICS);
  const salt = id(`salt/${v.address}/${round}`);
  const c = commitment(await subnet.getAddress(), round, v.address, salt, sheet);
  await (await subnet.connect(v).commit(c)).wait();
  return { sheet, salt, commitment: c };
}

/**
 * ADV-08a's test-only contracts, compiled here with solc-js (the compiler Hardhat uses): Hardhat compiles
 * only contracts/, and forge's isolation mode does not model an account destroyed and re-created
 * across its transactions faithfully, so this attack runs on the Hardhat network's real transactions.
 */
const METAMORPHIC_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IGrantRole {
    function grantRole(uint64 roleId, address account, uint32 executionDelay) external;
}

/// What the voters are shown: run() records the call. The attacker kept a way to destroy it.
contract BenignPayload {
    uint256 public runs;
    function run(address, address) external { ++runs; }
    function destroy() external { selfdestruct(payable(msg.sender)); }
}

/// What the attacker wants the Timelock to run instead.
contract EvilPayload {
    function run(address manager, address beneficiary) external {
        IGrantRole(manager).grantRole(0, beneficiary, 0);
    }
}

/// CREATE2 init code that fetches its runtime code from the factory: one address, any code.
contract MetamorphicInit {
    constructor() {
        bytes memory code = MetamorphicFactory(msg.sender).pendingCode();
        assembly { return(add(code, 32), mload(code)) }
    }
}

contract MetamorphicFactory {
    event Deployed(address target);
    bytes private _code;

    function pendingCode() external view returns (bytes memory) { return _code; }

    function addressOf(bytes32 salt) external view returns (address) {
        bytes32 h = keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, keccak256(type(MetamorphicInit).creationCode)));
        return address(uint160(uint256(h)));
    }

    /// The new contract's address, or 0 when CREATE2 fails (the address is taken).
    function deploy(bytes memory runtime, bytes32 salt) public returns (address target) {
        _code = runtime;
        bytes memory init = type(MetamorphicInit).creationCode;
        assembly { target := create2(0, add(init, 32), mload(init), salt) }
        delete _code;
        emit Deployed(target);
    }

    /// Created and destroyed in one transaction: the one case in which EIP-6780 still deletes code.
    function deployAndDestroy(bytes memory runtime, bytes32 salt) external {
        BenignPayload(deploy(runtime, salt)).destroy();
    }
}
`;

interface Compiled {
  abi: InterfaceAbi;
  bytecode: string;
  runtime: string;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<
    string,
    Record<
      string,
      { abi: InterfaceAbi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
}

function compileMetamorphic(): Record<string, Compiled> {
  const solc = require("solc") as { compile(input: string): string }; // eslint-disable-line @typescript-eslint/no-require-imports
  const input = {
    language: "Solidity",
    sources: { "Metamorphic.sol": { content: METAMORPHIC_SOURCE } },
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const out: Record<string, Compiled> = {};
  for (const [name, c] of Object.entries(output.contracts["Metamorphic.sol"])) {
    out[name] = {
      abi: c.abi,
      bytecode: `0x${c.evm.bytecode.object}`,
      runtime: `0x${c.evm.deployedBytecode.object}`,
    };
  }
  return out;
}

/*//////////////////////////////////////////////////////////////
                              CATALOGUE
//////////////////////////////////////////////////////////////*/

describe("Adversarial catalogue", () => {
  describe("capital pool", () => {
    it("ADV-01 first-depositor/donation inflation: a 1-wei first stake with stake- and reward-token donations neither shrinks a later deposit nor captures the frozen reward backlog", async () => {
      const [deployer, attacker, victim, treasury] = await ethers.getSigners();
      const { stake, reward, pool, poolAddress } = await lpPool(deployer);
      const D = 1_000_000n * E18; // stake tokens the attacker donates
      const V = 10n * E18; // the victim's deposit
      const R = WEEK * E18; // the reward backlog: streams at exactly 1e18 wei/s
      const RD = 5n * E18; // reward tokens the attacker donates after the first deposit
      await stake.mint(attacker.address, D + 1n);
      await stake.mint(victim.address, V);
      await reward.mint(attacker.address, RD);
      for (const u of [attacker, victim]) await stake.connect(u).approve(poolAddress, MaxUint256);

      // The deployed default refuses a dust first deposit...
      await expect(pool.connect(attacker).deposit(1n))
        .to.be.revertedWithCustomError(pool, "BelowMinDeposit")
        .withArgs(1n, DEFAULT_POOL.minDeposit);
      // ...and the rest runs in the worst case: governance set the minimum to zero.
      await pool.setMinDeposit(0n);

      // The backlog arrives (as the emission would) and is notified while nobody stakes: it is frozen.
      await reward.mint(poolAddress, R);
      await pool.notifyRewards();
      await time.increase(30n * DAY);
      expect(await pool.rewardsUnstreamed(), "30 idle days lose nothing").to.equal(R);
      expect(await pool.rewardPerToken()).to.equal(0n);

      // Attack: 1 wei first, donate stake and reward tokens straight to the pool, then the victim deposits.
      const t1 = await minedAt(await pool.connect(attacker).deposit(1n));
      await stake.connect(attacker).transfer(poolAddress, D);
      await reward.connect(attacker).transfer(poolAddress, RD);
      const depositTx = await pool.connect(victim).deposit(V);
      const t2 = await minedAt(depositTx);
      // A share vault would mint V * 1 / (D + 1) = 0 shares here; the pool credits what arrived.
      await expect(depositTx).to.emit(pool, "Deposited").withArgs(victim.address, V);
      expect(await pool.balanceOf(victim.address)).to.equal(V);
      expect(await pool.balanceOf(attacker.address)).to.equal(1n);
      expect(await pool.totalStaked()).to.equal(V + 1n);
      const [rate, finish, reserved] = await pool.rewardStream();
      expect(rate).to.equal(E18);
      expect(finish, "the frozen stream resumes for its whole remaining week").to.equal(t1 + WEEK);
      expect(reserved, "the reward donation is not streamed without a notification").to.equal(R);

      // After the stream: the attacker earned its seconds alone plus 1/(V+1) of the rest, no more.
      const alone = rate * (t2 - t1) * E18; // reward per token while 1 wei was staked
      const shared = (rate * (t1 + WEEK - t2) * E18) / (V + 1n);
      const attackerReward = (alone + shared) / E18;
      const victimReward = (V * shared) / E18;
      await time.increaseTo(t1 + WEEK + 1n);
      expect(await pool.pendingRewards(attacker.address)).to.equal(attackerReward);
      expect(await pool.pendingRewards(victim.address)).to.equal(victimReward);
      // Its seconds alone (3 TTD of the 604,800 TTD backlog) plus 1/(V+1) of the rest (60,479 wei).
      expect(attackerReward - rate * (t2 - t1), "1/(V+1) of the rest").to.equal(
        (rate * (t1 + WEEK - t2)) / (V + 1n),
      );
      expect(attackerReward + victimReward).to.be.lte(R);
      expect(R - attackerReward - victimReward, "rounding left in the pool").to.be.lte(2n);

      const victimExit = pool.connect(victim).exit();
      await expect(victimExit).to.emit(pool, "Withdrawn").withArgs(victim.address, V, V);
      await expect(victimExit)
        .to.emit(pool, "RewardPaid")
        .withArgs(victim.address, victim.address, victimReward);
      const attackerExit = pool.connect(attacker).exit();
      await expect(attackerExit).to.emit(pool, "Withdrawn").withArgs(attacker.address, 1n, 1n);
      await expect(attackerExit)
        .to.emit(pool, "RewardPaid")
        .withArgs(attacker.address, attacker.address, attackerReward);

      // The donations are not the attacker's: governance skims the stake tokens, the reward tokens
      // stream to the next stakers.
      await expect(pool.skim(treasury.address)).to.emit(pool, "Skimmed").withArgs(treasury.address, D);
      const notified = await receiptOf(await pool.notifyRewards());
      const [added] = (await eventsOf(pool, notified, "RewardsNotified")).map((e) => e.args.added);
      expect(added).to.equal(RD);
    });

    it("ADV-02 reward-accumulator rounding drift (Morpheus stETH 1-2 wei): 300 tiny deposits, withdrawals, claims and notifications on a rebasing stake token keep paid + pending <= received, and the last staker always withdraws and claims", async () => {
      const [deployer, a, b, c] = await ethers.getSigners();
      const users = [a, b, c];
      const reb = await new RebasingToken__factory(deployer).deploy();
      const { reward, pool, poolAddress } = await standalonePool(deployer, await reb.getAddress(), 0n);
      for (const u of users) {
        await reb.mint(u.address, 1_000_000n * E18);
        await reb.connect(u).approve(poolAddress, MaxUint256);
      }
      const stakes = new Map<string, bigint>(users.map((u) => [u.address, 0n]));
      let received = 0n; // reward tokens the pool was notified of
      let claimed = 0n;
      let settlements = 0n;
      let roundedDeposits = 0;

      const pendingSum = async (): Promise<bigint> => {
        let s = 0n;
        for (const u of users) s += await pool.pendingRewards(u.address);
        return s;
      };
      const claimedIn = async (receipt: ContractTransactionReceipt): Promise<bigint> =>
        sumOf(pool, receipt, "RewardPaid", "amount");

      const rng = new Rng(2);
      for (let i = 0; i < 300; i++) {
        await time.increase(rng.int(1, 3_000));
        const u = users[rng.int(0, 2)];
        const own = stakes.get(u.address) ?? 0n;
        const op = rng.int(0, 9);
        if (op <= 3 || own === 0n) {
          // A tiny deposit: the token moves floor(amount / index) shares, so 1-2 wei can go missing.
          const amount = BigInt(rng.int(2, 5_000));
          const before = await reb.balanceOf(poolAddress);
          const receipt = await receiptOf(await pool.connect(u).deposit(amount));
          const arrived = (await reb.balanceOf(poolAddress)) - before;
          const [deposited] = await eventsOf(pool, receipt, "Deposited");
          expect(deposited.args.received, `step ${i}: credited = arrived`).to.equal(arrived);
          if (arrived !== amount) roundedDeposits++;
          stakes.set(u.address, own + arrived);
          settlements++;
        } else if (op <= 5) {
          claimed += await claimedIn(await receiptOf(await pool.connect(u).claim()));
          settlements++;
        } else if (op <= 7) {
          const amount = BigInt(rng.int(1, Number(own)));
          await expect(pool.connect(u).withdraw(amount))
            .to.emit(pool, "Withdrawn")
            .withArgs(u.address, amount, amount);
          stakes.set(u.address, own - amount);
          settlements++;
        } else {
          // Rewards that never divide evenly: awkward amounts, frequent re-spreads.
          const amount = BigInt(rng.int(1, 1_000_000_000)) * 1_000_003n + 7n;
          await reward.mint(poolAddress, amount);
          const receipt = await receiptOf(await pool.notifyRewards());
          received += await sumOf(pool, receipt, "RewardsNotified", "added");
        }
        expect(claimed + (await pendingSum()), `step ${i}: paid + pending <= received`).to.be.lte(received);
      }
      expect(roundedDeposits, "the 1-2 wei rounding actually happened").to.be.gt(30);
      let staked = 0n;
      for (const s of stakes.values()) staked += s;
      expect(await pool.totalStaked()).to.equal(staked);
      expect(await reb.balanceOf(poolAddress), "the pool holds every credited stake").to.be.gte(staked);

      // Morpheus's case: the stake token's balance falls short of the books (a negative rebase of 1%).
      for (const u of users) {
        if ((stakes.get(u.address) ?? 0n) > 0n) continue;
        const before = await reb.balanceOf(poolAddress);
        await pool.connect(u).deposit(1_000n);
        stakes.set(u.address, (await reb.balanceOf(poolAddress)) - before);
        settlements++;
      }
      await reb.setIndex(((await reb.index()) * 99n) / 100n);
      const books = await pool.totalStaked();
      const shortfall = books - (await reb.balanceOf(poolAddress));
      expect(shortfall, "the pool holds less than it owes").to.be.gt(0n);
      await time.increase(WEEK);
      for (const [i, u] of users.entries()) {
        const own = stakes.get(u.address) ?? 0n;
        const pending = await pool.pendingRewards(u.address);
        const available = await reb.balanceOf(poolAddress);
        const receipt = await receiptOf(await pool.connect(u).exit());
        const [w] = await eventsOf(pool, receipt, "Withdrawn");
        const sent = own < available ? own : available;
        expect(w.args.sent, `${i}: sent what the pool holds, up to the stake`).to.equal(sent);
        if (i === users.length - 1) {
          expect(sent, "the last staker bears the shortfall, and is not locked out").to.be.lt(own);
          console.log(`      last staker: stake ${own} wei, sent ${sent} wei (shortfall ${shortfall} wei)`);
        }
        expect(await claimedIn(receipt), `${i}: claims everything pending`).to.equal(pending);
        claimed += pending;
        settlements++;
      }
      expect(await pool.totalStaked()).to.equal(0n);
      // The token's own share rounding may leave a wei behind the last transfer.
      expect(await reb.balanceOf(poolAddress), "the last staker took what was left").to.be.lte(1n);
      const [, , reserved] = await pool.rewardStream();
      expect(reserved).to.equal(received - claimed);
      expect(claimed).to.be.lte(received);
      expect(received - claimed, "dust: under 1 wei per settlement, plus the carried remainder").to.be.lte(
        settlements + 1n,
      );
      console.log(
        `      ${settlements} settlements, ${roundedDeposits} deposits rounded by the token; received ${received}, paid ${claimed}, dust ${received - claimed} wei`,
      );
    });

    it("ADV-15 reward truncation by frequent updates (Synthetix StakingRewards precision loss): 200 one-second pokes of the accumulator do not cost a 1,000,000-token staker a single wei", async () => {
      const [deployer, alice, attacker] = await ethers.getSigners();
      const { stake, reward, pool, poolAddress } = await lpPool(deployer);
      const BIG = 1_000_000n * E18;
      const DUST = DEFAULT_POOL.minDeposit;
      const S = BIG + DUST;
      const R = 10n ** 12n; // a small stream for a large stake: 1,653,439 wei/s over 1e24 staked
      await stake.mint(alice.address, BIG);
      await stake.mint(attacker.address, DUST);
      for (const u of [alice, attacker]) await stake.connect(u).approve(poolAddress, MaxUint256);
      await pool.connect(alice).deposit(BIG);
      await pool.connect(attacker).deposit(DUST);
      await reward.mint(poolAddress, R);
      const t0 = await minedAt(await pool.notifyRewards());
      const rate = R / WEEK;
      expect(rate).to.equal(1_653_439n);
      // An accumulator without a carry adds floor(rate * 1e18 / S) = 1 per one-second update instead
      // of 1.653...: each poke would destroy 0.65e6 wei of alice's rewards.
      expect((rate * E18) / S).to.equal(1n);

      /** What alice's claim pays now. */
      const aliceClaim = async (): Promise<bigint> =>
        sumOf(pool, await receiptOf(await pool.connect(alice).claim()), "RewardPaid", "amount");
      const clean = await takeSnapshot();
      for (let i = 1n; i <= 200n; i++) {
        await time.setNextBlockTimestamp(t0 + i);
        await pool.connect(attacker).claim();
      }
      const end = t0 + WEEK + 10n;
      await time.setNextBlockTimestamp(end);
      const poked = await aliceClaim();
      const attackerTotal = await pool.pendingRewards(attacker.address);

      await clean.restore();
      await time.setNextBlockTimestamp(end);
      const unpoked = await aliceClaim();

      // With the carry the accumulator reaches floor(R * 1e18 / S) whatever the number of updates.
      const rpt = (R * E18) / S;
      expect(rpt).to.equal(999_999n);
      expect(unpoked).to.equal((BIG * rpt) / E18);
      expect(unpoked).to.equal(999_999_000_000n);
      expect(poked, "alice loses nothing to the pokes").to.equal(unpoked);
      expect(attackerTotal, "the poker only loses its own floors").to.be.lte((DUST * rpt) / E18);
    });
  });

  describe("proof of contribution", () => {
    it("ADV-03 double counting through duplicate registration (Morpheus referral H-1): the same contributor twice, a slot re-taken mid-round, a validator staking twice and a subnet listed twice each count once", async () => {
      const [deployer, a, b, v1, v2] = await ethers.getSigners();
      const net = await subnetWith([a, b, v1, v2]);
      const { subnet, token, bucket } = net;
      await subnet.connect(a).register("a");
      await expect(subnet.connect(a).register("a again"))
        .to.be.revertedWithCustomError(subnet, "AlreadyRegistered")
        .withArgs(a.address);
      await subnet.connect(b).register("b");
      await subnet.connect(v1).stake(MIN);
      await subnet.connect(v2).stake(2n * MIN);
      await closeRound(subnet); // round 1, no reveals: a and b are eligible from round 2

      // Round 2: v1 stakes again (its one permit grows), a leaves and re-registers into its old slot.
      await expect(subnet.connect(v1).stake(MIN))
        .to.emit(subnet, "Staked")
        .withArgs(v1.address, 0n, MIN, 2n * MIN);
      expect(await subnet.validatorCount()).to.equal(2n);
      expect(await subnet.validatorSlotsUsed()).to.equal(2n);
      expect(await subnet.totalStake()).to.equal(4n * MIN);
      await subnet.connect(a).deregister();
      await expect(subnet.connect(a).register("a back"))
        .to.emit(subnet, "ContributorRegistered")
        .withArgs(a.address, 0n, BOND, "a back");
      expect(await subnet.contributorCount()).to.equal(2n);
      expect(await subnet.totalBonds()).to.equal(2n * BOND);

      // Both validators score both slots 100 on every metric; a validator cannot reveal twice.
      const rows = [row(100), row(100)];
      await commitAndReveal(subnet, revealing([v1, v2], rows), METRICS);
      await expect(subnet.connect(v1).reveal("0x", id("any"))).to.be.revertedWithCustomError(
        subnet,
        "AlreadyRevealed",
      );
      const POOL = 1_000n * TTD;
      await token.mint(await bucket.getAddress(), POOL);
      await toPhase(subnet, "closed");
      const record = await finalizeInPages(subnet, 1_000);

      // a left during the round and came back: slot 0 is scored once, for a's work of the round (it
      // registered before the round started); its new registration is not scored this round. a and b
      // share the contributor pool, each once.
      expect(record.scores).to.deep.equal([
        { contributor: a.address, score: 1_000_000n, reward: 400n * TTD },
        { contributor: b.address, score: 1_000_000n, reward: 400n * TTD },
      ]);
      expect(record.dividends).to.deep.equal([
        { validator: v1.address, agreement: BPS, reward: 75n * TTD },
        { validator: v2.address, agreement: BPS, reward: 75n * TTD },
      ]);
      expect(record.finalized.paid).to.equal(POOL); // 800 + 75 + 75 + the owner's 50
      expect(await subnet.claimable(a.address)).to.equal(400n * TTD);
      expect(await subnet.claimable(deployer.address)).to.equal(50n * TTD);
      await expect(subnet.connect(b).claim()).to.changeTokenBalance(token, b, 400n * TTD);
      await expect(subnet.connect(b).claim()).to.not.emit(subnet, "Claimed");

      // A subnet listed twice in its bucket would be paid twice: refused.
      await expect(
        bucket.setFloors([net.address, net.address], [5_000, 5_000]),
      ).to.be.revertedWithCustomError(bucket, "InvalidFloors");
    });

    it("ADV-04 loops that outgrow the block (Morpheus TRST-M-8): the largest subnet, 256 contributors x 64 validators, finalizes in pages under 15M gas each (below EIP-7825's 2^24 per transaction and a 30M block); a one-shot finalization reverts without bricking the round", async function () {
      // Gas is the point: instrumented contracts (coverage) cost more and would break the budgets.
      if (underCoverage()) this.skip();
      // 256 registrations, 64 stakes and reveals and a paged finalization: minutes on a loaded CI machine.
      this.timeout(900_000);
      const contributors = await fundedAccounts("adv04/contributor", MAX_CONTRIBUTORS);
      const validators = await fundedAccounts("adv04/validator", 64);
      const net = await subnetWith([...contributors, ...validators]);
      const { subnet, token, bucket } = net;
      for (const [i, c] of contributors.entries()) await (await subnet.connect(c).register(`c${i}`)).wait();
      for (const [i, v] of validators.entries())
        await (await subnet.connect(v).stake(MIN + BigInt(i) * TTD)).wait();
      await closeRound(subnet, FINALIZE_PAGE);

      const rng = new Rng(4);
      const truth = Array.from({ length: MAX_CONTRIBUTORS }, () =>
        Array.from({ length: METRICS }, () => rng.int(0, 65_535)),
      );
      const plans: SheetPlan[] = validators.map((validator) => ({
        validator,
        rows: truth.map((r) => r.map((x) => Math.min(65_535, Math.max(0, x + rng.int(-500, 500))))),
        reveal: true,
      }));
      await commitAndReveal(subnet, plans, METRICS);
      const POOL = 10_000n * TTD;
      await token.mint(await bucket.getAddress(), POOL);
      await toPhase(subnet, "closed");

      // The whole round in one transaction does not fit the largest transaction allowed (EIP-7825's
      // 2^24 gas): a griefer who tries it runs out of gas, reverts and changes nothing.
      await expect(subnet.finalizeRound(MAX_CONTRIBUTORS, { gasLimit: TX_GAS_CAP })).to.be.reverted;
      expect(await subnet.finalization()).to.deep.equal([0n, 0n]);

      // Paged, anyone finishes it.
      const round = await subnet.round();
      const txs = await finalizeRound(subnet, FINALIZE_PAGE);
      const gas = await Promise.all(txs.map(async (tx) => (await receiptOf(tx)).gasUsed));
      const largest = gas.reduce((m, g) => (g > m ? g : m), 0n);
      const total = gas.reduce((x, g) => x + g, 0n);
      for (const [i, g] of gas.entries()) {
        expect(g, `page ${i}`).to.be.lte(FINALIZE_BUDGET);
        expect(g, `page ${i}`).to.be.lt(TX_GAS_CAP);
        expect(g, `page ${i}`).to.be.lt(BLOCK_GAS_LIMIT);
      }
      expect(await subnet.round()).to.equal(round + 1n);
      const [finalized] = await subnet.queryFilter(subnet.filters.RoundFinalized(round));
      expect(finalized.args.reveals).to.equal(64n);
      expect(finalized.args.pool).to.equal(POOL);
      expect(finalized.args.paid).to.be.gt((POOL * 9_999n) / BPS);
      console.log(
        `      finalize 256 x 64 in pages of ${FINALIZE_PAGE}: ${gas.length} transactions, largest ${largest}, total ${total}`,
      );
    });

    it("ADV-04b claims stay O(1) (Morpheus TRST-M-8): a subnet claim after 30 rounds and a capital claim after 30 daily distributions cost what they cost after one", async function () {
      // Gas is the point: instrumented contracts (coverage) cost more and would break the budgets.
      if (underCoverage()) this.skip();
      this.timeout(600_000); // 30 rounds on a loaded CI machine
      const [deployer, alice, bob, v] = await ethers.getSigners();
      const net = await subnetWith([alice, bob, v]);
      const { subnet, token, bucket } = net;
      await subnet.connect(alice).register("alice");
      await subnet.connect(bob).register("bob");
      await subnet.connect(v).stake(MIN);
      await closeRound(subnet);
      const play = async (): Promise<void> => {
        await commitAndReveal(subnet, [{ validator: v, rows: [row(300), row(100)], reveal: true }], METRICS);
        await token.mint(await bucket.getAddress(), 100n * TTD);
        await closeRound(subnet);
      };
      await play();
      const after1 = (await receiptOf(await subnet.connect(alice).claim())).gasUsed;
      for (let r = 0; r < 30; r++) await play();
      const owed = await subnet.claimable(alice.address);
      expect(owed).to.equal(30n * 60n * TTD); // 75% of 80 TTD a round
      const after30 = (await receiptOf(await subnet.connect(alice).claim())).gasUsed;
      expect(after30, "subnet claim after 30 rounds vs after 1").to.be.closeTo(after1, after1 / 100n);

      const core = await deployCore(deployer);
      const lp = core.mockStakingToken!;
      await lp.mint(alice.address, E18);
      await lp.connect(alice).approve(core.pool, MaxUint256);
      await core.pool.connect(alice).deposit(E18);
      await time.increase(DAY);
      await core.controller.distribute();
      await time.increase(DAY);
      await core.pool.connect(alice).claim(); // alice now holds TTD: later claims are alike
      await time.increase(DAY);
      await core.controller.distribute();
      await time.increase(3_600);
      const pool1 = (await receiptOf(await core.pool.connect(alice).claim())).gasUsed;
      for (let d = 0; d < 30; d++) {
        await time.increase(DAY);
        await core.controller.distribute();
      }
      await time.increase(3_600);
      const pool30 = (await receiptOf(await core.pool.connect(alice).claim())).gasUsed;
      expect(pool30, "capital claim after 30 distributions vs after 1").to.be.closeTo(pool1, pool1 / 100n);
      console.log(
        `      subnet claim: after 1 round ${after1}, after 30 rounds ${after30}; capital claim: after 1 distribution ${pool1}, after 30 ${pool30}`,
      );
    });
  });

  describe("validators and contributors", () => {
    it("ADV-10 weight copying: a copied commitment cannot be opened (CommitmentMismatch, then expelled for not revealing); a copier of the last public consensus earns (1 - phi) of an honest dividend: nothing (and a strike) after a large move, half after a 5% move, all of it when scores stand still", async () => {
      const signers = await ethers.getSigners();
      const cs = signers.slice(1, 5);
      const [h1, h2, h3, k, k2] = signers.slice(5, 10);
      const honest = [h1, h2, h3];
      const { net, state } = await trackedSubnet(
        [...cs, h1, h2, h3, k, k2],
        cs,
        [...honest, k].map((v) => ({ v, stake: MIN })),
      );
      const { subnet } = net;
      const T1 = [10, 20, 30, 40].map(row);
      const T2 = [40, 30, 20, 10].map(row);
      const T3 = [35, 30, 20, 10].map(row); // a 5% move from T2: agreement 95 / 100
      const POOL = 1_000n * TTD;
      /** The last public consensus, as a sheet (every lane is a multiple of 10,000 here). */
      const lastConsensus = async (): Promise<number[][]> =>
        (await Promise.all(cs.map((_, j) => subnet.consensusScore(j)))).map((x) => row(Number(x / 10_000n)));
      /** Honest sheets `rows`, and k's copy of the last consensus. */
      const copyRound = async (rows: number[][], copy: number[][]) => {
        await commitAndReveal(
          subnet,
          [...revealing(honest, rows), { validator: k, rows: copy, reveal: true }],
          METRICS,
          track(state),
        );
        return closeTracked(net, state, POOL);
      };

      // Round 2: everybody reveals T1.
      await commitAndReveal(subnet, revealing([...honest, k], T1), METRICS, track(state));
      const r2 = await closeTracked(net, state, POOL);
      expect(r2.outcome.carried).to.equal(0n);

      // Round 3: the scores move to T2. k copies the last consensus, which is public.
      expect(await trackedStake(subnet, state, k2, MIN)).to.equal(4);
      const lagged = await lastConsensus();
      expect(lagged).to.deep.equal(T1);
      const opened = new Map<string, Opened>();
      for (const v of honest) opened.set(v.address, await commitRows(subnet, v, T2));
      opened.set(k.address, await commitRows(subnet, k, lagged));
      // k2 copies h1's commitment as it appears in the Committed event.
      const h1Opened = opened.get(h1.address)!;
      await subnet.connect(k2).commit(h1Opened.commitment);
      for (let slot = 0; slot <= 4; slot++) state.commit(slot);
      await toPhase(subnet, "reveal");
      for (const [slot, v] of [...honest, k].entries()) {
        const o = opened.get(v.address)!;
        await subnet.connect(v).reveal(o.sheet, o.salt);
        state.reveal(slot, foldSheet(v === k ? lagged : T2, DEFAULT_METRIC_WEIGHTS));
      }
      // h1's sheet and salt are now public; the commitment binds h1's address, so k2 cannot open it...
      await expect(subnet.connect(k2).reveal(h1Opened.sheet, h1Opened.salt)).to.be.revertedWithCustomError(
        subnet,
        "CommitmentMismatch",
      );
      // ...nor commit the copy now.
      await expect(subnet.connect(k2).commit(h1Opened.commitment))
        .to.be.revertedWithCustomError(subnet, "WrongPhase")
        .withArgs(1n, 0n);
      const r3 = await closeTracked(net, state, POOL);
      expect(r3.record.finalized.pool).to.equal(POOL);
      // sum(min(T1, T2)) / sum(max(T1, T2)) = 60 / 140: the copier's agreement is the lagged baseline.
      expect([r3.outcome.median, r3.outcome.lagged]).to.deep.equal([BPS, 4_285n]);
      // phi = min(1, (10,000 - 4,285) / edgeFloor) = 1, and 4,285 is under both thresholds: a strike and
      // nothing (42.85% of an honest dividend under the old rule, which paid stake x agreement).
      expect(r3.outcome.validators[3]).to.deep.include({
        agreement: 4_285n,
        struck: true,
        strikes: 1,
        reward: 0n,
      });
      const honest3 = dividendOf(r3.record, h1);
      expect(honest3, "an honest quarter of the validators' pool").to.equal(r3.outcome.validatorPool / 4n);
      expect(honest3).to.equal((375n * TTD) / 10n);
      expect(dividendOf(r3.record, k)).to.equal(0n);
      expect(r3.record.expelled).to.deep.equal([{ validator: k2.address, slot: 4n, reason: 0n }]);
      expect(dividendOf(r3.record, k2)).to.equal(0n);
      expect(r3.outcome.carried, "k's share is carried").to.equal(r3.outcome.validatorPool / 4n);

      // Round 4: the scores move by 5% (T2 to T3). L = 9,500, phi = 500 / edgeFloor = 0.5: the copier,
      // with no edge over L, earns (1 - phi) = half of an honest dividend; the honest sheets' edge (500)
      // reaches the target (edgeShare x 500 = 50) and they earn all of theirs.
      const copy4 = await lastConsensus();
      expect(copy4).to.deep.equal(T2);
      const r4 = await copyRound(T3, copy4);
      expect(r4.record.finalized.pool).to.equal(POOL + r3.outcome.carried);
      expect([r4.outcome.median, r4.outcome.lagged]).to.deep.equal([BPS, 9_500n]);
      expect(r4.outcome.validators.map((v) => v.factor)).to.deep.equal([BPS, BPS, BPS, 5_000n]);
      expect(r4.outcome.validators[3]).to.deep.include({ agreement: 9_500n, struck: false, strikes: 0 });
      const vp4 = r4.outcome.validatorPool;
      const honest4 = dividendOf(r4.record, h1);
      const copier4 = dividendOf(r4.record, k);
      expect(honest4).to.equal((vp4 * MIN) / (4n * MIN));
      expect(copier4, "(1 - phi) of its stake's share").to.equal((vp4 * MIN * 5_000n) / (4n * MIN * BPS));
      expect(copier4 * 2n).to.equal(honest4);

      // Round 5: the scores stand still; copying round 4's consensus is indistinguishable from honest
      // work (the weight-copying limitation commit-reveal does not remove): L = M, phi = 0.
      const copy5 = await lastConsensus();
      expect(copy5).to.deep.equal(T3);
      const r5 = await copyRound(T3, copy5);
      expect([r5.outcome.median, r5.outcome.lagged]).to.deep.equal([BPS, BPS]);
      const honest5 = dividendOf(r5.record, h1);
      expect(dividendOf(r5.record, k), "the known limit: all of it").to.equal(honest5);
      expect(honest5).to.equal(r5.outcome.validatorPool / 4n);
      console.log(
        `      lagging copier: large move (L 4,285) ${dividendOf(r3.record, k)} vs honest ${honest3}; 5% move (L 9,500, phi 0.5) ${copier4} vs honest ${honest4}; standing still ${dividendOf(r5.record, k)} = honest ${honest5}`,
      );
    });

    it("ADV-11 commit-without-reveal griefing: a 75%-stake validator that commits and withholds its reveal is expelled (stake unbonding, not slashed) and its standing sheet stops counting, so the round pays the honest sheets' outcome to the wei; a round nobody reveals pays contributors by the standing sheets and carries the validators' pool", async () => {
      const [deployer, a, b, h1, h2, g, g2] = await ethers.getSigners();
      const { net, state } = await trackedSubnet(
        [a, b, h1, h2, g, g2],
        [a, b],
        [
          { v: h1, stake: MIN },
          { v: h2, stake: 2n * MIN },
          { v: g, stake: 9n * MIN }, // 75% of the stake
        ],
      );
      const { subnet, token, fund } = net;
      const POOL = 1_000n * TTD;
      const before = [row(10), row(30)];
      const after = [row(30), row(10)];

      // Round 2: everybody reveals `before`; g's sheet now stands for activityCutoff rounds.
      await commitAndReveal(subnet, revealing([h1, h2, g], before), METRICS, track(state));
      const r2 = await closeTracked(net, state, POOL);
      expect(r2.record.dividends.map((x) => x.reward)).to.deep.equal(
        [125n, 250n, 1_125n].map((x) => (x * TTD) / 10n),
      );

      // Round 3: the scores move; g commits and stays silent.
      await commitAndReveal(
        subnet,
        [...revealing([h1, h2], after), { validator: g, rows: [row(65_535), row(0)], reveal: false }],
        METRICS,
        track(state),
      );
      // Counterfactual: were g's standing sheet (75% of the stake) still in force, it would decide the round.
      const kept = referenceRound({
        round: state.round,
        roundStart: state.roundStart,
        pool: POOL,
        params: P,
        owner: deployer.address,
        contributors: state.scored(),
        prevRoundStart: state.prevRoundStart,
        validators: [...state.validators.values()].map((v) => ({
          ...v,
          commitRound: v.slot === 2 ? 0n : v.commitRound,
        })),
        previousConsensus: state.lanes,
      });
      expect(kept.contributors.map((c) => c.reward)).to.deep.equal([200n * TTD, 600n * TTD]);
      const r3 = await closeTracked(net, state, POOL);
      expect(r3.outcome.active, "g's sheet is not active").to.deep.equal([0, 1]);
      // By hand: contributors 800 TTD as 3:1, validators 150 TTD as 1:2, owner 50 TTD: all of it.
      expect(r3.record.scores.map((x) => x.reward)).to.deep.equal([600n * TTD, 200n * TTD]);
      expect(r3.record.dividends.map((x) => x.reward)).to.deep.equal([50n * TTD, 100n * TTD]);
      expect(r3.record.finalized.paid).to.equal(POOL);
      expect(r3.record.expelled).to.deep.equal([
        { validator: g.address, slot: 2n, reason: BigInt(ExpelReason.NoReveal) },
      ]);
      const [unbonding, release] = await subnet.unbonding(g.address);
      expect(unbonding, "g's stake is unbonding, whole").to.equal(9n * MIN);
      expect(release).to.equal(BigInt(await time.latest()) + P.unbondingDelay);
      expect(await token.balanceOf(fund), "nothing slashed").to.equal(0n);
      expect(await subnet.totalStake()).to.equal(3n * MIN);

      // Round 4: the only committer is a fresh griefer; nobody reveals. h1's and h2's round-3 sheets
      // stand: the contributors are paid by them, the validators' pool is carried (stale sheets earn 0).
      expect(await trackedStake(subnet, state, g2, MIN)).to.equal(2);
      await commitAndReveal(subnet, [{ validator: g2, rows: before, reveal: false }], METRICS, track(state));
      const r4 = await closeTracked(net, state, POOL);
      expect(r4.outcome.active).to.deep.equal([0, 1]);
      expect(r4.record.finalized).to.deep.equal({
        round: r4.record.round,
        pool: POOL,
        paid: 850n * TTD,
        reveals: 0n,
      });
      expect(r4.record.scores.map((x) => x.reward)).to.deep.equal([600n * TTD, 200n * TTD]);
      expect(r4.record.dividends).to.deep.equal([]);
      expect(r4.record.expelled).to.deep.equal([
        { validator: g2.address, slot: 2n, reason: BigInt(ExpelReason.NoReveal) },
      ]);
      expect(await subnet.pendingEmission(), "the validators' pool, carried").to.equal(150n * TTD);

      // Round 5: the honest validators reveal; the carried pool is paid with the new emission.
      await commitAndReveal(subnet, revealing([h1, h2], after), METRICS, track(state));
      const r5 = await closeTracked(net, state, POOL / 2n);
      expect(r5.record.finalized.pool).to.equal(650n * TTD);
      expect(r5.record.finalized.paid).to.equal(650n * TTD);
      expect(r5.record.scores.map((x) => x.reward)).to.deep.equal([390n * TTD, 130n * TTD]);
      expect(r5.record.dividends.map((x) => x.reward)).to.deep.equal(
        [325n, 650n].map((x) => (x * TTD) / 10n),
      );
      expect(await subnet.pendingEmission()).to.equal(0n);
    });

    it("ADV-12 a 49%-stake colluding coalition cannot lift any consensus score above the highest honest score; it takes a strike every colluding round (agreement under the floor and under 80% of the median), earns nothing while struck and is expelled after 3 rounds", async () => {
      const signers = await ethers.getSigners();
      const cs = signers.slice(1, 5); // cs[0] is the coalition's friend
      const [h1, h2, c1, c2] = signers.slice(5, 9);
      const stakes = [200n * TTD, 310n * TTD, 250n * TTD, 240n * TTD]; // honest 51%, coalition 49%
      const { net, state } = await trackedSubnet(
        [...cs, h1, h2, c1, c2],
        cs,
        [h1, h2, c1, c2].map((v, i) => ({ v, stake: stakes[i] })),
      );
      const { subnet } = net;
      const S1 = [100, 200, 300, 400].map(row);
      const S2 = [110, 190, 310, 380].map(row);
      const COLLUDE = [row(65_535), row(0), row(0), row(0)];
      const highestHonest = [110n, 200n, 310n, 400n].map((x) => x * 10_000n);
      const POOL = 1_000n * TTD;

      const play = async (colluders: number[][]) => {
        const sheets = [S1, S2, colluders, colluders];
        await commitAndReveal(
          subnet,
          [h1, h2, c1, c2].map((validator, i) => ({ validator, rows: sheets[i], reveal: true })),
          METRICS,
          track(state),
        );
        return closeTracked(net, state, POOL);
      };

      // Round 2: the coalition reports honestly (S1): the baseline of its dividends.
      const honestRound = await play(S1);
      expect(honestRound.outcome.validators.map((v) => v.struck)).to.deep.equal([false, false, false, false]);
      const baseline = dividendOf(honestRound.record, c1);
      expect(baseline).to.equal(honestRound.outcome.validatorPool / 4n); // 250 of 1,000 stake, factor 1
      expect(baseline).to.equal((375n * TTD) / 10n);

      // Rounds 3-5: the coalition scores its friend 65,535 on every metric and everyone else 0.
      const dividends: bigint[] = [];
      const honestDividends: bigint[] = [];
      const carried: bigint[] = [];
      const agreements: string[] = [];
      for (let r = 0; r < 3; r++) {
        const { record, outcome } = await play(COLLUDE);
        const consensus = record.scores.map((x) => x.score);
        expect(consensus, "the honest upper median, never the coalition's").to.deep.equal([
          1_100_000n,
          1_900_000n,
          3_000_000n,
          3_800_000n,
        ]);
        consensus.forEach((x, j) => expect(x, `contributor ${j}`).to.be.lte(highestHonest[j]));
        expect(outcome.validators[2].agreement).to.equal(16n); // 1.1M / 664.05M
        // The median is an honest agreement: 16 is under the 5,000 floor and under 80% of it.
        expect(outcome.median).to.be.gte(9_000n);
        for (const c of [2, 3])
          expect(outcome.validators[c]).to.deep.include({ struck: true, strikes: r + 1, reward: 0n });
        expect(outcome.validators.slice(0, 2).map((v) => v.struck)).to.deep.equal([false, false]);
        dividends.push(dividendOf(record, c1));
        honestDividends.push(dividendOf(record, h2));
        carried.push(outcome.carried);
        agreements.push(`${outcome.median}/${outcome.lagged}`);
        if (r < 2) expect(record.expelled).to.deep.equal([]);
        else
          expect(record.expelled).to.deep.equal([
            { validator: c1.address, slot: 2n, reason: BigInt(ExpelReason.LowAgreement) },
            { validator: c2.address, slot: 3n, reason: BigInt(ExpelReason.LowAgreement) },
          ]);
      }
      expect(baseline).to.be.gt(0n);
      expect(dividends, "struck: nothing, from the first colluding round").to.deep.equal([0n, 0n, 0n]);
      const [unbonding] = await subnet.unbonding(c1.address);
      expect(unbonding).to.equal(stakes[2]);
      console.log(
        `      colluder c1 dividend: honest round ${baseline}, colluding ${dividends.join(", ")} then expelled; h2 (310 stake) ${honestDividends.join(", ")}; carried ${carried.join(", ")}; median/lagged ${agreements.join(", ")}`,
      );
    });
  });

  describe("sybils and permits", () => {
    it("ADV-13 sybil contributors flooding a subnet: 252 sybils lock 2,520 TTD of bonds, earn nothing, leave the honest payouts untouched to the wei and are the first evicted once their 7-day immunity ends", async function () {
      // Instrumented, the two 256-contributor floods took 15 minutes of CI and measured no branch the rest
      // of the suite does not (checked arm by arm against a full coverage run): tools/test.js --coverage
      // runs them plain (PLAIN_ONLY).
      if (underCoverage()) this.skip();
      const signers = await ethers.getSigners();
      const [deployer] = signers;
      const honest = signers.slice(1, 5);
      const [h1, h2, n1, n2, n3] = signers.slice(5, 10);
      const newcomers = [n1, n2, n3];
      const sybils = await fundedAccounts("adv13/sybil", MAX_CONTRIBUTORS - honest.length);
      const { subnet, token, bucket } = await subnetWith([...honest, h1, h2, ...newcomers, ...sybils]);
      for (const [i, c] of honest.entries()) await subnet.connect(c).register(`honest ${i}`);
      await subnet.connect(h1).stake(MIN);
      await subnet.connect(h2).stake(MIN);
      const funds = await token.balanceOf(sybils[0].address);
      const firstFee = await subnet.registrationFee(); // burned, not refundable (issue 15)
      for (const [i, x] of sybils.entries()) await (await subnet.connect(x).register(`sybil ${i}`)).wait();
      expect(await token.balanceOf(sybils[0].address)).to.equal(funds - BOND - firstFee);
      expect(await subnet.contributorCount()).to.equal(256n);
      expect(await subnet.totalBonds(), "2,520 TTD of it the attacker's").to.equal(256n * BOND);
      await expect(subnet.connect(n1).register("newcomer")).to.be.revertedWithCustomError(
        subnet,
        "SubnetFull",
      );
      await closeRound(subnet);

      // Round 2: the validators score the honest contributors; the sybils' rows (past the sheet) are 0.
      const rows = [100, 200, 300, 400].map(row);
      await commitAndReveal(subnet, revealing([h1, h2], rows), METRICS);
      const POOL = 1_000n * TTD;
      await token.mint(await bucket.getAddress(), POOL);
      await toPhase(subnet, "closed");
      const round = await subnet.round();
      const roundStart = await subnet.roundStart();
      const r2 = await finalizeInPages(subnet, MAX_CONTRIBUTORS);
      // Exactly what the honest contributors would be paid without a single sybil.
      const alone = referenceRound({
        round,
        roundStart,
        pool: POOL,
        params: P,
        owner: deployer.address,
        contributors: await Promise.all(
          honest.map(async (c, slot) => ({
            slot,
            account: c.address,
            registeredAt: (await subnet.contributorAt(slot)).registeredAt,
          })),
        ),
        validators: [h1, h2].map((v, slot) => ({
          slot,
          account: v.address,
          stake: MIN,
          strikes: 0,
          joinRound: 1n,
          commitRound: round,
          revealRound: round,
          sheetStart: roundStart,
          sheet: foldSheet(rows, DEFAULT_METRIC_WEIGHTS),
        })),
        previousConsensus: honest.map(() => 0n),
        prevRoundStart: 0n,
      });
      expect(r2.scores.slice(0, 4)).to.deep.equal(
        alone.contributors.map((c) => ({ contributor: c.account, score: c.score, reward: c.reward })),
      );
      expect(r2.scores.slice(0, 4).map((x) => x.reward)).to.deep.equal(
        [80n, 160n, 240n, 320n].map((x) => x * TTD),
      );
      expect(r2.scores.slice(4).filter((x) => x.score !== 0n || x.reward !== 0n)).to.deep.equal([]);
      expect(r2.finalized.paid).to.equal(POOL);
      for (const x of sybils) expect(await subnet.claimable(x.address)).to.equal(0n);

      // While the first sybil is immune, its slot cannot be taken.
      const first = await subnet.contributorAt(honest.length);
      while (BigInt(await time.latest()) + 1n < first.registeredAt + P.immunityPeriod) {
        await expect(subnet.connect(n1).register("newcomer")).to.be.revertedWithCustomError(
          subnet,
          "SubnetFull",
        );
        await closeRound(subnet);
      }
      // Then the zero-scored sybils go first, bond back and nothing else; the honest keep their slots.
      for (const [i, n] of newcomers.entries()) {
        const fee = await subnet.registrationFee(); // burned: the eviction floor
        const tx = subnet.connect(n).register(`newcomer ${i}`);
        await expect(tx)
          .to.emit(subnet, "ContributorReplaced")
          .withArgs(sybils[i].address, BigInt(honest.length + i), n.address);
        await expect(tx).to.changeTokenBalances(token, [sybils[i], n], [BOND, -(BOND + fee)]);
      }
      for (const [i, c] of honest.entries())
        expect(await subnet.contributorSlot(c.address)).to.equal(BigInt(i));
    });

    it("ADV-13b sybils evicting honest contributors (FINDING, fixed in issue 15): each evicting registration burns at least 2x the last round's mean reward, and the evicted victim is paid for the round in flight", async function () {
      // Instrumented, the two 256-contributor floods took 15 minutes of CI and measured no branch the rest
      // of the suite does not (checked arm by arm against a full coverage run): tools/test.js --coverage
      // runs them plain (PLAIN_ONLY).
      if (underCoverage()) this.skip();
      // Was: the bond came back in full, so a flood cost only gas. Now registration burns a fee priced
      // by demand, at least the eviction floor once the subnet is full (GUARD-21..25).
      const signers = await ethers.getSigners();
      const [, v] = signers;
      const sybils = signers.slice(2, 10);
      const honest = await fundedAccounts("adv13b/honest", MAX_CONTRIBUTORS);
      const { subnet, token, bucket } = await subnetWith([v, ...sybils, ...honest]);
      for (const [i, c] of honest.entries()) await (await subnet.connect(c).register(`honest ${i}`)).wait();
      await subnet.connect(v).stake(MIN);
      await closeRound(subnet);
      // Every honest contributor is scored: slot j gets (j + 1) * 10,000.
      await commitAndReveal(
        subnet,
        [{ validator: v, rows: honest.map((_, j) => row(j + 1)), reveal: true }],
        METRICS,
      );
      await token.mint(await bucket.getAddress(), 1_000n * TTD);
      await toPhase(subnet, "closed");
      await finalizeInPages(subnet, MAX_CONTRIBUTORS);
      const last = await subnet.contributorAt(MAX_CONTRIBUTORS - 1);
      while (BigInt(await time.latest()) + 1n < last.registeredAt + P.immunityPeriod)
        await closeRound(subnet);

      // The flood: sybil i evicts honest slot i, the lowest-scored; the victim gets bond and rewards back.
      let registerGas = 0n;
      let burned = 0n;
      for (const [i, x] of sybils.entries()) {
        const victim = honest[i];
        expect((await subnet.contributorAt(i)).lastScore).to.equal(BigInt(i + 1) * 10_000n);
        const owed = await subnet.claimable(victim.address);
        expect(owed).to.be.gt(0n);
        const fee = await subnet.registrationFee();
        // The eviction floor binds (2x the mean reward: 6.25 TTD here), not the 1 TTD demand price.
        expect(fee, "the eviction floor, over the demand price").to.be.gt(
          (await subnet.registrationPricing()).minFee,
        );
        const tx = subnet.connect(x).register(`sybil ${i}`);
        await expect(tx)
          .to.emit(subnet, "ContributorReplaced")
          .withArgs(victim.address, BigInt(i), x.address);
        await expect(tx).to.emit(subnet, "RegistrationFeeBurned").withArgs(x.address, fee);
        await expect(tx).to.changeTokenBalances(token, [victim, x], [BOND + owed, -(BOND + fee)]);
        burned += fee;
        const gas = (await receiptOf(await tx)).gasUsed;
        if (gas > registerGas) registerGas = gas;
      }
      // An evicted honest contributor can only come back by evicting the next honest one: sybils are immune.
      await expect(subnet.connect(honest[0]).register("back"))
        .to.emit(subnet, "ContributorReplaced")
        .withArgs(honest[sybils.length].address, BigInt(sybils.length), honest[0].address);

      // After their immunity the sybils (scored 0: they do no work) go first, with their bond: the fees are
      // their cost. (Evictions come from the list of the last scored round: the validator keeps scoring.)
      const sybilAt = await subnet.contributorAt(0);
      while (BigInt(await time.latest()) + 1n < sybilAt.registeredAt + P.immunityPeriod) {
        const rows = honest.map((_, j) => row(j < sybils.length ? 0 : j + 1));
        await commitAndReveal(subnet, [{ validator: v, rows, reveal: true }], METRICS);
        await closeRound(subnet);
      }
      const back = subnet.connect(honest[sybils.length]).register("back");
      await expect(back)
        .to.emit(subnet, "ContributorReplaced")
        .withArgs(sybils[0].address, 0n, honest[8].address);
      await expect(back).to.changeTokenBalance(token, sybils[0], BOND);
      console.log(
        `      a sybil registration that evicts: ${registerGas} gas, ${sybils.length} evictions burned ${burned} wei (bonds refunded)`,
      );
    });

    it("ADV-16 outbid after the reveal (found by this catalogue, fixed): a 49% coalition cannot buy the smallest honest revealer's permit once the sheets are public, so the honest majority decides", async () => {
      // Found by this catalogue: `stake()` was open in the reveal phase and outbidding expelled the
      // smallest validator even after it revealed, so its sheet left the round's consensus (consensus
      // 10,000,000 / 0 instead of 1,000,000 / 1,000,000, and h1 got no dividend). Fixed: stake moves only
      // in the commit phase. See reports/adversarial.md.
      const [, f, g, h1, h2, c1, x] = await ethers.getSigners();
      const idle = await fundedAccounts("adv16/idle", 61);
      const { subnet, token, bucket } = await subnetWith([f, g, h1, h2, c1, x, ...idle]);
      await subnet.connect(f).register("friend");
      await subnet.connect(g).register("g");
      await subnet.connect(h1).stake(MIN); // 100 TTD: the smallest permit
      await subnet.connect(h2).stake(410n * TTD);
      await subnet.connect(c1).stake(490n * TTD); // 49% of the revealed stake
      for (const v of idle) await (await subnet.connect(v).stake(1_000n * TTD)).wait(); // 64 permits taken
      expect(await subnet.validatorCount()).to.equal(64n);
      await closeRound(subnet);

      const honestRows = [row(100), row(100)];
      await commitAndReveal(
        subnet,
        [...revealing([h1, h2], honestRows), { validator: c1, rows: [row(1_000), row(0)], reveal: true }],
        METRICS,
      );
      // Every sheet is public now. The coalition buys the smallest permit, h1's, for 101 TTD.
      await expect(subnet.connect(x).stake(MIN + TTD))
        .to.be.revertedWithCustomError(subnet, "WrongPhase")
        .withArgs(1n, 0n); // Reveal, Commit
      // Nor can the coalition top up its stake now that it has seen the honest sheets.
      await expect(subnet.connect(c1).stake(500n * TTD))
        .to.be.revertedWithCustomError(subnet, "WrongPhase")
        .withArgs(1n, 0n);
      const POOL = 1_000n * TTD;
      await token.mint(await bucket.getAddress(), POOL);
      await toPhase(subnet, "closed");
      const record = await finalizeInPages(subnet, 1_000);
      console.log(
        `      outcome: consensus ${record.scores.map((s) => s.score).join(" / ")}, rewards ${record.scores.map((s) => s.reward).join(" / ")}, h1 dividend ${dividendOf(record, h1)}, reveals ${record.finalized.reveals}`,
      );
      // The revealed honest majority (h1 + h2: 51%) decides both scores, and h1 is paid for its sheet.
      expect(await subnet.consensusScore(0), "10,000,000 before the fix").to.equal(1_000_000n);
      expect(await subnet.consensusScore(1), "0 before the fix").to.equal(1_000_000n);
      expect(dividendOf(record, h1), "0 before the fix").to.be.gt(0n);
    });
  });

  describe("governance", () => {
    it("ADV-09 late-quorum swing (Compound): a For vote that reaches quorum a minute before the deadline extends the vote by a day, and the majority defeats the proposal in the extension", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, alice, bob, carol } = s;
      const subnet = await s.core.subnets[0].getAddress();
      const p = buildProposal("Late swing", "carol votes a minute before the end.", [
        { kind: "setMetricWeights", subnet, weights: [5_000, 5_000] },
      ]);
      const id = await propose(governor, bob, p);
      await toVoting(governor, id);
      const quorum = await governor.quorum(await governor.proposalSnapshot(id));
      expect(FUNDS.carol, "carol alone reaches the quorum").to.be.gte(quorum);
      expect(FUNDS.alice).to.be.gt(FUNDS.carol);

      // carol reaches the quorum a minute before the end. Without the extension the proposal would be
      // Succeeded one second after the original deadline, ready to queue; alice votes Against in the
      // extension and defeats it.
      await lateQuorumAndReaction(governor, id, {
        late: carol,
        before: 60n,
        reactor: alice,
        weight: FUNDS.alice,
        final: ProposalState.Defeated,
      });
      const [against, forVotes, abstain] = await governor.proposalVotes(id);
      expect([against, forVotes, abstain]).to.deep.equal([FUNDS.alice, FUNDS.carol, 0n]);

      // What it does not cover (OpenZeppelin's design): once the quorum was reached early, a swing in the
      // last minute is not extended.
      const q = buildProposal("Early quorum", "carol votes early, alice late.", [
        { kind: "setMetricWeights", subnet, weights: [4_000, 6_000] },
      ]);
      const qid = await propose(governor, bob, q);
      const qDeadline = await governor.proposalDeadline(qid);
      await toVoting(governor, qid);
      await expect(governor.connect(carol).castVote(qid, Vote.For)).to.not.emit(governor, "ProposalExtended");
      await time.setNextBlockTimestamp(qDeadline - 60n);
      await expect(governor.connect(alice).castVote(qid, Vote.Against)).to.not.emit(
        governor,
        "ProposalExtended",
      );
      expect(await governor.proposalDeadline(qid)).to.equal(qDeadline);
      await time.increaseTo(qDeadline + 1n);
      expect(await governor.state(qid)).to.equal(ProposalState.Defeated);
    });
  });

  describe("governance targets", () => {
    it("ADV-08a a proposal target whose code changes between vote and execution (Tornado Cash, May 2023): under EIP-6780 a CREATE2 + SELFDESTRUCT payload cannot be redeployed with new code after the vote, and the Timelock runs the code that was voted", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, alice, mallory, timelock } = s;
      const { manager } = s.core;
      const managerAddress = await manager.getAddress();
      const c = compileMetamorphic();
      const factory = new Contract(
        await (
          await new ContractFactory(c.MetamorphicFactory.abi, c.MetamorphicFactory.bytecode, mallory).deploy()
        ).getAddress(),
        c.MetamorphicFactory.abi,
        mallory,
      );
      const deployAt = async (runtime: string, salt: string): Promise<string> => {
        const receipt = await receiptOf(await factory.getFunction("deploy")(runtime, salt));
        const [deployed] = await eventsOf(factory, receipt, "Deployed");
        return String(deployed.args.target);
      };
      const codeAt = (address: string): Promise<string> => ethers.provider.getCode(address);

      const salt = id("tornado");
      const payload = await deployAt(c.BenignPayload.runtime, salt);
      expect(payload).to.equal(await factory.getFunction("addressOf")(salt));
      expect(await codeAt(payload)).to.equal(c.BenignPayload.runtime);
      const benign = new Contract(payload, c.BenignPayload.abi, mallory);
      const p = buildProposal("Run the audited payload", "The payload only records that it ran.", [
        {
          kind: "call",
          target: payload,
          data: benign.interface.encodeFunctionData("run", [managerAddress, mallory.address]),
          summary: `Call run() on ${payload}`,
        },
      ]);
      const pid = await propose(governor, alice, p);
      await toVoting(governor, pid);
      await governor.connect(alice).castVote(pid, Vote.For);
      await toVoteEnd(governor, pid);
      await queue(governor, p);

      // After the vote: the attacker destroys the payload and redeploys evil code at its address.
      await (await benign.getFunction("destroy")()).wait();
      expect(await codeAt(payload), "EIP-6780: a later SELFDESTRUCT deletes nothing").to.equal(
        c.BenignPayload.runtime,
      );
      expect(await deployAt(c.EvilPayload.runtime, salt), "the redeployment fails").to.equal(ZeroAddress);
      expect(await codeAt(payload)).to.equal(c.BenignPayload.runtime);
      await executeWhenDue(s, pid, p);
      expect(await benign.getFunction("runs")(), "the voted code ran").to.equal(1n);
      const [isAdmin] = await manager.hasRole(0n, mallory.address);
      expect(isAdmin, "the attacker gained nothing").to.equal(false);

      // Control: created and destroyed in one transaction (the one case EIP-6780 still deletes code), the
      // address takes new code in the next one. The factory works; a target voted on for days cannot be
      // in that case.
      const twinSalt = id("twin");
      await (await factory.getFunction("deployAndDestroy")(c.BenignPayload.runtime, twinSalt)).wait();
      const twin = String(await factory.getFunction("addressOf")(twinSalt));
      expect(await codeAt(twin)).to.equal("0x");
      expect(await deployAt(c.EvilPayload.runtime, twinSalt), "metamorphosis").to.equal(twin);
      expect(await codeAt(twin)).to.equal(c.EvilPayload.runtime);
      // And even that code, called by the Timelock (a CALL, never a DELEGATECALL), acts only as itself.
      const evil = new Contract(twin, c.EvilPayload.abi, await impersonate(await timelock.getAddress()));
      await expect(evil.getFunction("run")(managerAddress, mallory.address))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(twin, 0n);
    });
  });

  describe("emission", () => {
    it("ADV-14 gas-starved or gas-burning emission hooks (insufficient-gas griefing): no gas limit lets distribute() succeed with a starved hook, and a gas-burning recipient costs at most HOOK_GAS", async function () {
      // Gas is the point: instrumented contracts (coverage) cost more and would break the budgets.
      if (underCoverage()) this.skip();
      const [deployer] = await ethers.getSigners();
      const core = await deployCore(deployer);
      const { controller } = core;
      await time.increase(DAY);
      const start = await takeSnapshot();
      const baseline = await receiptOf(await controller.distribute());
      const used = baseline.gasUsed;
      expect(await eventsOf(controller, baseline, "ReceiverNotificationFailed")).to.have.length(0);

      // Sweep the caller's gas limit from below what distribute uses to far above what it needs.
      const outcomes = { succeeded: 0, starvedHook: 0, hookOutOfGas: 0, otherRevert: 0 };
      let firstSuccess = 0n;
      let revertAfterSuccess = false;
      for (let limit = used - 40_000n; limit <= used + 700_000n; limit += 2_500n) {
        await start.restore();
        let receipt: ContractTransactionReceipt | null = null;
        let revertData = "";
        try {
          receipt = await (await controller.distribute({ gasLimit: limit })).wait();
        } catch (e) {
          revertData = JSON.stringify(e, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
        }
        if (receipt !== null && receipt.status === 1) {
          outcomes.succeeded++;
          if (firstSuccess === 0n) firstSuccess = limit;
          const failed = await eventsOf(controller, receipt, "ReceiverNotificationFailed");
          if (failed.length > 0) outcomes.starvedHook++;
        } else {
          if (firstSuccess !== 0n) revertAfterSuccess = true;
          const selector = controller.interface.getError("HookOutOfGas")!.selector.slice(2);
          if (revertData.includes(selector)) outcomes.hookOutOfGas++;
          else outcomes.otherRevert++;
        }
      }
      expect(outcomes.starvedHook, "a success with a starved hook").to.equal(0);
      expect(outcomes.hookOutOfGas, "the guard, not luck, refuses the starved calls").to.be.gt(0);
      expect(outcomes.succeeded).to.be.gt(0);
      expect(revertAfterSuccess, "every limit above the first success succeeds").to.equal(false);
      console.log(
        `      distribute: gasUsed ${used}; sweep ${JSON.stringify(outcomes)}; smallest limit that succeeds ${firstSuccess}`,
      );

      // A recipient whose hook burns all the gas it gets (set by governance, or compromised): the
      // emission goes on and the burn is capped at HOOK_GAS.
      await start.restore();
      const guzzler = await new GasGuzzlerReceiver__factory(deployer).deploy();
      await controller.setRecipient(Bucket.Community, guzzler, true);
      await time.increase(DAY);
      const burnt = await receiptOf(await controller.distribute());
      const [distributed] = await eventsOf(controller, burnt, "Distributed");
      const minted = BigInt(distributed.args.minted);
      const communityShare = (minted * 2_400n) / BPS;
      const [failure] = await eventsOf(controller, burnt, "ReceiverNotificationFailed");
      expect(failure.args.bucket).to.equal(BigInt(Bucket.Community));
      expect(failure.args.account).to.equal(await guzzler.getAddress());
      expect(failure.args.amount).to.equal(communityShare);
      expect(await core.token.balanceOf(guzzler)).to.equal(communityShare);
      expect(await eventsOf(core.pool, burnt, "RewardsNotified"), "the other hooks ran").to.have.length(1);
      expect(burnt.gasUsed, "at most HOOK_GAS more than a normal distribution").to.be.lte(used + HOOK_GAS);
      console.log(`      distribute with a gas-burning recipient: gasUsed ${burnt.gasUsed}`);
    });
  });
});
