import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import hre, { ethers } from "hardhat";
import { HardhatPluginError } from "hardhat/plugins";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { parseEther } from "ethers";
import { DAY, DEFAULT_GOVERNANCE } from "../../scripts/lib/chain/constants";
import { Core, deployCore } from "../utils/deploy";
import { Governance, deployGovernance } from "../utils/deploy";
import { describeDeployment, writeDeployment } from "../../scripts/lib/deploy/deployments";
import { finalizeRound, toPhase } from "../../scripts/lib/chain/rounds";
import { feeRef, launchSettingsOf, refText, withOwnerShare } from "../../scripts/lib/shared/market";
import { Subnet__factory } from "../../typechain-types";

const TTD = 10n ** 18n;

/** Runs a task as the CLI would, capturing what it prints. */
async function run<T>(
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => {
    lines.push(parts.map(String).join(" "));
  };
  try {
    const result = (await hre.run(name, args)) as T;
    return { result, output: lines.join("\n") };
  } finally {
    console.log = original;
  }
}

/** Runs `body` with a fresh temporary folder (its name starts with `prefix`), removed afterwards. */
async function inTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Runs `body` with `json` written to a file `name` in a fresh temporary folder (see `inTempDir`). */
async function withJsonFile<T>(
  name: string,
  json: unknown,
  body: (file: string, dir: string) => Promise<T>,
): Promise<T> {
  return inTempDir(`tetrad-${path.parse(name).name}-`, async (dir) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, JSON.stringify(json));
    return body(file, dir);
  });
}

/** The one-line message a task fails with (a HardhatPluginError of plugin "tetrad"). */
async function failure(name: string, args: Record<string, unknown> = {}): Promise<string> {
  try {
    await run(name, args);
  } catch (e) {
    expect(HardhatPluginError.isHardhatPluginError(e), `not a HardhatPluginError: ${String(e)}`).to.equal(
      true,
    );
    const err = e as HardhatPluginError;
    expect(err.pluginName).to.equal("tetrad");
    expect(err.message).to.not.include("\n");
    return err.message;
  }
  throw new Error(`${name} was expected to fail`);
}

interface System {
  core: Core;
  gov: Governance;
  deployer: HardhatEthersSigner;
  contributor: HardhatEthersSigner;
  validator: HardhatEthersSigner;
  pauper: HardhatEthersSigner;
}

let dir: string;
let previousDir: string | undefined;

/** Core + governance, with its deployment file written to the temporary TETRAD_DEPLOYMENTS_DIR. */
async function deployed(): Promise<System> {
  const [deployer, contributor, validator, pauper] = await ethers.getSigners();
  const core = await deployCore(deployer);
  const gov = await deployGovernance(core);
  writeDeployment(await describeDeployment(core, gov, { network: "hardhat", withAbis: false }), dir);
  return { core, gov, deployer, contributor, validator, pauper };
}

/**
 * `loadFixture`, then the deployment file of the system it restored: each fixture deploys its own
 * system (its own addresses), and the tasks read the file.
 */
async function load<T extends System>(fixture: () => Promise<T>): Promise<T> {
  const system = await loadFixture(fixture);
  writeDeployment(
    await describeDeployment(system.core, system.gov, { network: "hardhat", withAbis: false }),
    dir,
  );
  return system;
}

/**
 * The deployer alone in the capital pool for 60 days of emission (it claims the whole 7-day stream:
 * ~207k TTD of ~864k, a quarter of the supply), then pays the contributor and the validator; the
 * subnets' first rounds are finalized so that round 2 is in its commit phase.
 */
async function funded(): Promise<System> {
  const s = await deployed();
  const { core, deployer } = s;
  await (await core.mockStakingToken!.mint(deployer.address, parseEther("1"))).wait();
  await (await core.stakingToken.approve(core.pool, parseEther("1"))).wait();
  await (await core.pool.deposit(parseEther("1"))).wait();
  await time.increase(60n * DAY);
  await (await core.controller.distribute()).wait();
  await time.increase(7n * DAY);
  await (await core.pool.claim()).wait();
  await (await core.token.transfer(s.contributor.address, 1_000n * TTD)).wait();
  await (await core.token.transfer(s.validator.address, 1_000n * TTD)).wait();
  for (const subnet of core.subnets) await finalizeRound(subnet);
  return s;
}

/** Bucket 0's genesis subnet's settings with a 5% owner share: what `subnet:launch` starts from. */
async function launchSettings(core: Core) {
  const [current] = await core.subnets[0].params();
  const [weights] = await core.subnets[0].metricWeights();
  return { params: withOwnerShare(launchSettingsOf(current), 500), weights: [...weights] };
}

/**
 * The funded system with a market: the deployer delegated to itself and launched "alpha" in the code
 * bucket (gauge id 2) through the factory, then 15 days passed, so its votes count in the gauge's
 * current period (the snapshot, and the day of lookback before it, are after the delegation).
 */
async function market(): Promise<System & { alpha: string }> {
  const s = await funded();
  const { core, deployer } = s;
  await (await core.token.delegate(deployer.address)).wait();
  const cost = await core.factory.launchCost();
  await (await core.token.approve(core.factory, cost)).wait();
  const { params, weights } = await launchSettings(core);
  await (await core.factory.launch(0, "alpha", "ipfs://alpha", params, weights, cost)).wait();
  const listings = await core.buckets[0].listings();
  await time.increase(15n * DAY);
  return { ...s, alpha: listings[listings.length - 1].subnet };
}

describe("Hardhat tasks (scripts/tasks)", function () {
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "tetrad-tasks-"));
    previousDir = process.env.TETRAD_DEPLOYMENTS_DIR;
    process.env.TETRAD_DEPLOYMENTS_DIR = dir;
  });
  after(async () => {
    if (previousDir === undefined) delete process.env.TETRAD_DEPLOYMENTS_DIR;
    else process.env.TETRAD_DEPLOYMENTS_DIR = previousDir;
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe("any task", () => {
    it("says plainly when the network has no deployment", async () => {
      await inTempDir("tetrad-empty-", async (empty) => {
        process.env.TETRAD_DEPLOYMENTS_DIR = empty;
        try {
          expect(await failure("status")).to.match(
            /^No Tetrad deployment for chain 31337: .*31337\.json does not exist/,
          );
        } finally {
          process.env.TETRAD_DEPLOYMENTS_DIR = dir;
        }
      });
    });

    it("says plainly when the deployment file is stale and when --from is out of range", async () => {
      await load(deployed);
      const file = path.join(dir, "31337.json");
      const saved = await fs.readFile(file, "utf8");
      const json = JSON.parse(saved) as { contracts: Record<string, string> };
      json.contracts.Tetrad = "0x000000000000000000000000000000000000dEaD";
      await fs.writeFile(file, JSON.stringify(json));
      try {
        expect(await failure("distribute")).to.match(/the deployment file is stale/);
      } finally {
        await fs.writeFile(file, saved);
      }
      expect(await failure("distribute", { from: 99 })).to.equal(
        "--from 99: network hardhat has 20 accounts (0-19)",
      );
    });
  });

  describe("distribute", () => {
    it("mints what the schedule emitted and splits it among the buckets", async () => {
      const { core } = await load(deployed);
      // The distribution's block is pinned to exactly one day after the last one: the amount is the
      // schedule's, not one day plus however long the fixture's deployment took on the wall clock
      // (minutes under coverage or load, which once pushed it past 14,499 TTD).
      const last = await core.controller.lastDistribution();
      await time.setNextBlockTimestamp(last + DAY);
      const before = await core.token.totalSupply();
      const { result, output } = await run<{ minted: bigint; amounts: bigint[] }>("distribute");
      expect(result.minted).to.equal(await core.controller.emittedBetween(last, last + DAY));
      expect(await core.controller.lastDistribution()).to.equal(last + DAY);
      expect(await core.token.totalSupply()).to.equal(before + result.minted);
      expect(result.amounts.reduce((a, b) => a + b, 0n)).to.equal(result.minted);
      expect(await core.token.balanceOf(core.protectionFund)).to.equal(result.amounts[4]);
      expect(output).to.match(/^distributed 14,400\.0 TTD \(tx 0x/); // day 1 of the schedule, exactly
      expect(output).to.include("capital");
    });
  });

  describe("capital:*", () => {
    it("deposits with an EIP-2612 permit (one transaction), minting from the faucet", async () => {
      const { core, pauper } = await load(deployed);
      const { result, output } = await run<{ method: string; minted: bigint }>("capital:deposit", {
        amount: "12.5",
        faucet: true,
        from: 3,
      });
      expect(result.method).to.equal("permit");
      expect(result.minted).to.equal(parseEther("12.5"));
      expect(await core.pool.balanceOf(pauper.address)).to.equal(parseEther("12.5"));
      expect(await core.stakingToken.allowance(pauper.address, core.pool)).to.equal(0n);
      expect(output).to.include("deposited 12.5 mLP into the capital pool (EIP-2612 permit");
    });

    it("approves then deposits with --no-permit", async () => {
      const { core, deployer } = await load(deployed);
      await (await core.mockStakingToken!.mint(deployer.address, parseEther("5"))).wait();
      const { result } = await run<{ method: string }>("capital:deposit", { amount: "2", noPermit: true });
      expect(result.method).to.equal("approve");
      expect(await core.pool.balanceOf(deployer.address)).to.equal(parseEther("2"));
      expect(await core.stakingToken.balanceOf(deployer.address)).to.equal(parseEther("3"));
    });

    it("refuses a deposit over the balance, under the minimum or not a number", async () => {
      const { core, deployer } = await load(deployed);
      await (await core.mockStakingToken!.mint(deployer.address, parseEther("3"))).wait();
      expect(await failure("capital:deposit", { amount: "12.5" })).to.equal(
        "insufficient balance: you have 3.0 mLP, need 12.5",
      );
      expect(await failure("capital:deposit", { amount: "0.0001" })).to.equal(
        "the pool's minimum deposit is 0.001 mLP, you offered 0.0001 mLP",
      );
      expect(await failure("capital:deposit", { amount: "lots" })).to.equal(
        '--amount: "lots" is not an amount of mLP (e.g. 12.5)',
      );
      expect(await core.pool.balanceOf(deployer.address)).to.equal(0n);
    });

    it("withdraws part then all; refuses more than the stake", async () => {
      const { core, deployer } = await load(deployed);
      await run("capital:deposit", { amount: "10", faucet: true });
      expect(await failure("capital:withdraw", { amount: "12.5" })).to.equal(
        "you have 10.0 mLP staked, cannot withdraw 12.5",
      );
      await run("capital:withdraw", { amount: "4" });
      expect(await core.pool.balanceOf(deployer.address)).to.equal(parseEther("6"));
      const { result } = await run<{ amount: bigint; staked: bigint }>("capital:withdraw", { amount: "all" });
      expect(result.amount).to.equal(parseEther("6"));
      expect(result.staked).to.equal(0n);
      expect(await core.stakingToken.balanceOf(deployer.address)).to.equal(parseEther("10"));
      expect(await failure("capital:withdraw", { amount: "1" })).to.equal(
        "nothing to withdraw: you have nothing staked in the capital pool",
      );
    });

    it("claims the rewards streamed after a distribution; nothing to claim before", async () => {
      const { core, deployer } = await load(deployed);
      expect(await failure("capital:claim")).to.match(/^nothing to claim: you have no capital pool rewards/);
      await run("capital:deposit", { amount: "1", faucet: true });
      expect(await failure("capital:claim")).to.match(/^nothing to claim yet/);
      await time.increase(DAY);
      await run("distribute");
      await time.increase(DAY);
      const before = await core.token.balanceOf(deployer.address);
      const { result } = await run<{ amount: bigint }>("capital:claim");
      expect(result.amount).to.be.greaterThan(0n);
      expect(await core.token.balanceOf(deployer.address)).to.equal(before + result.amount);
    });

    it("explains a revert the pre-checks do not cover (claim to the zero address)", async () => {
      await load(deployed);
      await run("capital:deposit", { amount: "1", faucet: true });
      await time.increase(DAY);
      await run("distribute");
      await time.increase(DAY);
      expect(await failure("capital:claim", { to: "0x0000000000000000000000000000000000000000" })).to.equal(
        "the address must not be zero",
      );
    });
  });

  describe("contributor:* and validator:*", () => {
    it("registers a contributor (bond approved), refuses a second registration and strangers' claims", async () => {
      const { core, contributor } = await load(funded);
      const before = await core.token.balanceOf(contributor.address);
      const { result, output } = await run<{ slot: bigint; bond: bigint }>("contributor:register", {
        subnet: "code",
        metadata: "ipfs://my-agent",
        from: 1,
      });
      expect(result.slot).to.equal(0n);
      expect(await core.subnets[0].contributorSlot(contributor.address)).to.equal(0n);
      // The bond (10 TTD) is locked and the registration fee (1 TTD, the demand price's floor) burned.
      expect(await core.token.balanceOf(contributor.address)).to.equal(before - 11n * TTD);
      expect(output).to.include(
        "registered in the code subnet as contributor slot 0, bond 10.0 TTD, fee burned 1.0 TTD",
      );
      expect(output).to.include("scored from round 3 on");
      expect(await failure("contributor:register", { subnet: "code", from: 1 })).to.equal(
        "already registered in the code subnet (slot 0)",
      );
      expect(await failure("contributor:claim", { subnet: "community", from: 1 })).to.equal(
        "not registered in the community subnet",
      );
      expect(await failure("contributor:claim", { subnet: "code", from: 1 })).to.match(
        /^nothing to claim yet/,
      );
      expect(await failure("contributor:register", { subnet: "storage", from: 1 })).to.match(
        /^Unknown subnet "storage"/,
      );
    });

    it("refuses registration when the round is closed, and without the bond", async () => {
      const { core } = await load(funded);
      expect(await failure("contributor:register", { subnet: "code", from: 3 })).to.equal(
        "insufficient balance: you have 0.0 TTD, need 11.0 (the code subnet's bond and registration fee)",
      );
      await toPhase(core.subnets[0], "closed");
      expect(await failure("contributor:register", { subnet: "code", from: 1 })).to.match(
        /^the commit window is closed: round 2 of the code subnet ended at .* and awaits finalization/,
      );
    });

    it("subnet:finalize lets anyone (no permit, no registration) finalize a closed round; refuses an open one", async () => {
      const { core } = await load(funded);
      const subnet = core.subnets[0];
      expect(await failure("subnet:finalize", { subnet: "code", from: 3 })).to.match(
        /^round 2 of the code subnet is still open until .*: nothing to finalize yet$/,
      );
      await toPhase(subnet, "closed");
      expect(await failure("contributor:register", { subnet: "code", from: 1 })).to.include(
        `anyone can finalize: npx hardhat subnet:finalize --subnet ${await subnet.getAddress()}`,
      );
      const { result, output } = await run<{ round: bigint; txs: number }>("subnet:finalize", {
        subnet: "code",
        page: 1,
        from: 3,
      });
      expect(result.round).to.equal(2n);
      expect(result.txs).to.be.greaterThan(0);
      expect(output).to.match(
        /finalized round 2 of the code subnet in \d+ transaction\(s\) .*round 3 has started/,
      );
      expect(await subnet.round()).to.equal(3n);
      // The next round is open again: registration goes through.
      await run("contributor:register", { subnet: "code", from: 1 });
    });

    it("stakes (minimum enforced), unstakes below the minimum, withdraws after unbonding", async () => {
      const { core, validator } = await load(funded);
      expect(await failure("validator:stake", { subnet: "code", amount: "50", from: 2 })).to.equal(
        "the first stake must be at least 100.0 TTD to take a validator permit (you offered 50.0)",
      );
      expect(await failure("validator:unstake", { subnet: "code", amount: "1", from: 2 })).to.equal(
        "not a validator of the code subnet: you have no stake there",
      );
      await run("validator:stake", { subnet: "code", amount: "150", from: 2 });
      expect(
        (await core.subnets[0].validatorAt(await core.subnets[0].validatorSlot(validator.address))).stake,
      ).to.equal(150n * TTD);
      expect(await failure("validator:unstake", { subnet: "code", amount: "200", from: 2 })).to.equal(
        "you have 150.0 TTD staked in the code subnet, cannot unstake 200.0",
      );
      const { result, output } = await run<{ unbonding: bigint; stake: bigint }>("validator:unstake", {
        subnet: "code",
        amount: "100",
        from: 2,
      });
      expect(output).to.include("the whole stake of 150.0 TTD is unbonded");
      expect(result.unbonding).to.equal(150n * TTD);
      expect(result.stake).to.equal(0n);
      expect(await failure("validator:withdraw", { subnet: "code", from: 2 })).to.match(
        /^your unbonded stake of 150\.0 TTD is still unbonding: it can be withdrawn from .* \(in 15d\)$/,
      );
      await time.increase(15n * DAY);
      const before = await core.token.balanceOf(validator.address);
      await run("validator:withdraw", { subnet: "code", from: 2 });
      expect(await core.token.balanceOf(validator.address)).to.equal(before + 150n * TTD);
      expect(await failure("validator:withdraw", { subnet: "code", from: 2 })).to.match(
        /^nothing to withdraw/,
      );
    });

    it("status warns a validator that never reveals; subnet:finalize reports its Inactive expulsion", async () => {
      const { core, validator } = await load(funded);
      const subnet = core.subnets[0];
      await run("validator:stake", { subnet: "code", amount: "200", from: 2 }); // joins in round 2
      while ((await subnet.round()) < 9n) {
        await toPhase(subnet, "closed");
        await run("subnet:finalize", { subnet: "code", from: 3 });
      }
      const { output } = await run("status", { from: 2 });
      expect(output).to.include("strikes 0/3, no sheet revealed yet");
      expect(output).to.include(
        "WARNING: no sheet revealed since joining in round 2: reveal in round 9, or its finalization expels the permit (Inactive)",
      );
      await toPhase(subnet, "closed");
      const fin = await run("subnet:finalize", { subnet: "code", from: 3 });
      expect(fin.output).to.include(
        `validator ${validator.address} (slot 0) expelled: Inactive (revealed no sheet for activityCutoff rounds)`,
      );
      expect(await failure("validator:run", { subnet: "code", action: "status", from: 2 })).to.match(
        /^not a validator of this subnet/,
      );
    });

    it("validator:run scores a round (commit, reveal, finalize); contributor and validator claim", async () => {
      const { core, contributor, validator } = await load(funded);
      const subnet = core.subnets[0];
      await run("contributor:register", { subnet: "code", from: 1 });
      await run("validator:stake", { subnet: "code", amount: "200", from: 2 });
      const input = {
        subnet: await subnet.getAddress(),
        contributors: [{ address: contributor.address, values: [50_000, 40_000, 30_000, 20_000] }],
      };
      await withJsonFile("metrics.json", input, async (metrics, work) => {
        const saltDir = path.join(work, "salts");
        // Contributors registered during a round are scored from the next one: close round 2 first.
        await toPhase(subnet, "closed");
        const idle = await run<{ step: { action: string } }>("validator:run", {
          subnet: "code",
          action: "step",
          finalize: true,
          saltDir,
          from: 2,
        });
        expect(idle.result.step.action).to.equal("finalized");
        expect(await failure("validator:run", { subnet: "code", metrics, saltDir, from: 3 })).to.match(
          /^not a validator of this subnet/,
        );
        const { result, output } = await run<{ action: string; reveal: { round: bigint } }>("validator:run", {
          subnet: "code",
          metrics,
          saltDir,
          fastForward: true,
          from: 2,
        });
        expect(result.action).to.equal("run");
        expect(result.reveal.round).to.equal(3n);
        expect(output).to.match(/round 3: committed 1 rows/);
        expect(output).to.match(/round 3: revealed 1 rows/);
        await toPhase(subnet, "closed");
        const step = await run<{ step: { action: string; done: boolean } }>("validator:run", {
          subnet: "code",
          action: "step",
          finalize: true,
          saltDir,
          from: 2,
        });
        expect(step.result.step).to.include({ action: "finalized", done: true });
        expect(await subnet.round()).to.equal(4n);
        const status = await run<{ status: { standing: { activeUntil: bigint }; last: { round: bigint } } }>(
          "validator:run",
          { subnet: "code", action: "status", from: 2 },
        );
        expect(status.result.status.standing.activeUntil).to.equal(9n); // revealed in round 3, cutoff 7
        expect(status.result.status.last).to.deep.include({ round: 3n, revealed: true, struck: false });
        expect(status.output).to.include("sheet: revealed in round 3, active until round 9");
        expect(status.output).to.include("strikes 0 of 3");
        expect(status.output).to.match(
          /last round 3: agreement 100\.0%, median 100\.0%, lagged [\d.]+%, edge /,
        );
        expect(status.output).not.to.include("WARNING");
      });
      const owed = await subnet.claimable(contributor.address);
      expect(owed).to.be.greaterThan(0n);
      const before = await core.token.balanceOf(contributor.address);
      const { result } = await run<{ amount: bigint }>("contributor:claim", { subnet: "code", from: 1 });
      expect(result.amount).to.equal(owed);
      expect(await core.token.balanceOf(contributor.address)).to.equal(before + owed);
      const dividend = await subnet.claimable(validator.address);
      expect(dividend).to.be.greaterThan(0n);
      expect(
        (await run<{ amount: bigint }>("validator:claim", { subnet: "code", from: 2 })).result.amount,
      ).to.equal(dividend);
      const back = await run<{ returned: bigint }>("contributor:deregister", { subnet: "code", from: 1 });
      expect(back.result.returned).to.equal(10n * TTD);
    });
  });

  describe("gov:*", () => {
    it("delegate, propose bucket shares, vote, queue, execute: each step refused until its time", async () => {
      const { core, gov, deployer } = await load(funded);
      expect(await failure("gov:propose", { shares: "2500,2500,2500,2100,400" })).to.match(
        /^not enough votes to propose: you have 0\.0 TTD of voting power, the threshold is .* TTD \(you hold .* but have not delegated: run gov:delegate first\)$/,
      );
      const { result: d } = await run<{ votes: bigint }>("gov:delegate");
      expect(d.votes).to.equal(await core.token.balanceOf(deployer.address));
      expect(await core.token.delegates(deployer.address)).to.equal(deployer.address);
      expect(await failure("gov:propose", { shares: "2500,2500,2500,2100,400" })).to.match(
        /votes count once held for the Governor's 24-hour lookback/,
      );
      await time.increase(DEFAULT_GOVERNANCE.voteLookback + 2n);

      expect(await failure("gov:propose", { shares: "2500,2500,2500,2500,400" })).to.equal(
        "--shares must sum to 10,000 basis points (these sum to 10400)",
      );
      const { result: p, output } = await run<{ id: bigint; index: number }>("gov:propose", {
        shares: "2500,2500,2500,2100,400",
        description: "More for contributors.",
      });
      expect(p.index).to.equal(1);
      expect(await gov.governor.state(p.id)).to.equal(0n); // Pending
      expect(output).to.include(
        "1. Set bucket shares to code 25%, community 25%, compute 25%, capital 21%, protection 4%",
      );
      expect(
        await failure("gov:propose", {
          shares: "2500,2500,2500,2100,400",
          description: "More for contributors.",
        }),
      ).to.match(/^this proposal exists already/);

      expect(await failure("gov:vote", { proposal: "latest", support: "for" })).to.match(
        /^proposal 0x[0-9a-f]{4}… is Pending, voting opens at .* \(in 1d\)$/,
      );
      expect(await failure("gov:vote", { proposal: "1", support: "maybe" })).to.equal(
        '--support must be for, against or abstain, got "maybe"',
      );
      await time.increaseTo((await gov.governor.proposalSnapshot(p.id)) + 1n);
      expect(await failure("gov:vote", { proposal: "latest", support: "for", from: 3 })).to.match(
        /^you had no voting power at proposal .*'s snapshot/,
      );
      const { result: v } = await run<{ weight: bigint }>("gov:vote", {
        proposal: "#1",
        support: "for",
        reason: "fair",
      });
      expect(v.weight).to.equal(d.votes);
      expect(await gov.governor.hasVoted(p.id, deployer.address)).to.equal(true);
      expect(await failure("gov:vote", { proposal: p.id.toString(), support: "against" })).to.match(
        /^you have already voted on proposal 0x/,
      );

      expect(await failure("gov:queue", { proposal: "latest" })).to.match(
        / is Active, voting ends at .* \(in 4d 23h\)$/,
      );
      await time.increaseTo((await gov.governor.proposalDeadline(p.id)) + 1n);
      expect(await failure("gov:execute", { proposal: "latest" })).to.match(
        /has Succeeded and is not queued yet: run gov:queue first$/,
      );
      const { result: q } = await run<{ eta: bigint }>("gov:queue", { proposal: "latest" });
      expect(await gov.governor.state(p.id)).to.equal(5n); // Queued
      expect(await failure("gov:execute", { proposal: "latest" })).to.match(
        / is Queued, executable at .* \(in 2d\)$/,
      );
      await time.increaseTo(q.eta);
      await run("gov:execute", { proposal: "latest" });
      expect(await gov.governor.state(p.id)).to.equal(7n); // Executed
      expect((await core.controller.shares()).map(Number)).to.deep.equal([2500, 2500, 2500, 2100, 400]);
      expect(await failure("gov:execute", { proposal: "latest" })).to.match(/ was already Executed$/);
    });

    it("proposes a JSON file of actions, resolving names and human amounts", async () => {
      const { core, gov, contributor } = await load(funded);
      await run("gov:delegate");
      await time.increase(DEFAULT_GOVERNANCE.voteLookback + 2n);
      const actions = {
        title: "Tune the code subnet and pay a grant",
        actions: [
          { kind: "setMetricWeights", subnet: "code", weights: [4000, 2000, 2000, 2000] },
          { kind: "setSubnetParams", subnet: "code", params: { bond: "20" } },
          { kind: "grant", to: contributor.address, amount: "1000" },
        ],
      };
      await withJsonFile("actions.json", actions, async (file) => {
        const { result } = await run<{ id: bigint }>("gov:propose", { actions: file });
        const details = await gov.governor.proposalDetails(result.id);
        expect(details.targets).to.deep.equal([
          await core.subnets[0].getAddress(),
          await core.subnets[0].getAddress(),
          await core.protectionFund.getAddress(),
        ]);
        const grant = core.protectionFund.interface.decodeFunctionData("release", details.calldatas[2]);
        expect(grant[2]).to.equal(1_000n * TTD);
        const params = core.subnets[0].interface.decodeFunctionData("setParams", details.calldatas[1]);
        expect(params[0].bond).to.equal(20n * TTD);
        expect(params[0].minValidatorStake).to.equal(100n * TTD); // the rest kept

        await fs.writeFile(
          file,
          JSON.stringify([{ kind: "setMetricWeights", subnet: "code", weights: [1, 2] }]),
        );
        expect(await failure("gov:propose", { actions: file })).to.equal(
          "actions[0].weights must sum to 10,000 basis points (these sum to 3)",
        );
        await fs.writeFile(file, JSON.stringify([{ kind: "mint" }]));
        expect(await failure("gov:propose", { actions: file })).to.match(
          /^actions\[0\]\.kind: "mint" is not one of/,
        );
      });
    });
  });

  describe("subnet:launch, gauge:*, subnet:pay", () => {
    it("subnet:launch shows the cost, approves exactly it, burns it, prints the subnet and its gauge id", async () => {
      const { core, deployer } = await load(funded);
      expect(await failure("subnet:launch", { bucket: "capital", name: "alpha" })).to.equal(
        '--bucket: "capital" is not a contribution bucket: use code, community or compute',
      );
      expect(
        await failure("subnet:launch", { bucket: "code", name: "alpha", params: '{"ownerShare": 600}' }),
      ).to.equal("the owner share is 6%: at most 5% (contributors and validators must get the rest)");
      expect(
        await failure("subnet:launch", { bucket: "code", name: "alpha", params: '{"bond": "0.5"}' }),
      ).to.equal("the contributor bond is 0.5 TTD: it must be 1.0 TTD to 1,000,000.0 TTD");
      expect(await failure("subnet:launch", { bucket: "code", name: "", from: 3 })).to.equal(
        "the name must be 1 to 32 bytes (it is 0)",
      );
      expect(await failure("subnet:launch", { bucket: "code", name: "alpha", from: 3 })).to.equal(
        "insufficient balance: you have 0.0 TTD, need 1,000.0 TTD (the launch cost, burned)",
      );

      const supply = await core.token.totalSupply();
      const { result, output } = await run<{ subnet: string; id: number; cost: bigint; bucket: number }>(
        "subnet:launch",
        { bucket: "code", name: "alpha", uri: "ipfs://alpha", params: '{"bond": "20", "ownerShare": 300}' },
      );
      expect(result).to.include({ id: 2, bucket: 0, cost: 1_000n * TTD });
      expect(await core.token.totalSupply()).to.equal(supply - 1_000n * TTD);
      expect(await core.token.allowance(deployer.address, core.factory)).to.equal(0n);
      const alpha = Subnet__factory.connect(result.subnet, deployer);
      expect(await alpha.name()).to.equal("alpha");
      expect(await alpha.owner()).to.equal(deployer.address);
      const [p] = await alpha.params();
      expect(p.bond).to.equal(20n * TTD);
      expect(10_000n - p.contributorShare - p.validatorShare).to.equal(300n);
      expect((await core.buckets[0].listings()).map((l) => [l.subnet, l.id])).to.deep.include([
        result.subnet,
        2n,
      ]);
      expect(output).to.match(
        /^launch cost now: 1,000\.0 TTD \(burned; each launch doubles it, to 2,000\.0 TTD/,
      );
      expect(output).to.include(
        `launched "alpha" in the code bucket: subnet ${result.subnet}, gauge id 2, 1,000.0 TTD burned`,
      );
      expect(output).to.include("owner share 3%, contributor bond 20.0 TTD");

      // The next launch costs twice as much: a lower --max-cost is refused before anything is sent.
      expect(await failure("subnet:launch", { bucket: "code", name: "beta", maxCost: "1500" })).to.equal(
        "the launch cost is 2,000.0 TTD, above --max-cost 1,500.0 TTD",
      );
    });

    it("gauge:vote prints your power and when the vote applies; refuses bad ballots; gauge:poke re-reads the power", async () => {
      const { core, deployer, pauper } = await load(market);
      const bucket = core.buckets[0];
      expect(await failure("gauge:vote", { bucket: "code", votes: "alpha:60%,1:50%" })).to.equal(
        "the shares sum to 110%: at most 100% of your power",
      );
      expect(await failure("gauge:vote", { bucket: "code", votes: "beta:10" })).to.equal(
        'no live subnet of this bucket is named "beta" (use its gauge id or address)',
      );
      expect(await failure("gauge:vote", { bucket: "code", votes: "9:10" })).to.equal(
        "there is no live subnet with gauge id 9 in this bucket",
      );

      const period = await bucket.currentPeriod();
      const power = await bucket.votingPower(deployer.address);
      expect(power).to.equal(await core.token.getVotes(deployer.address));
      const { result, output } = await run<{ period: bigint; power: bigint; appliesFrom: bigint }>(
        "gauge:vote",
        { bucket: "code", votes: "alpha:60%,1:4000" },
      );
      expect(result).to.include({ period, power, appliesFrom: period + 1n });
      expect(output).to.include(`your voting power in period ${period} of the code bucket:`);
      expect(output).to.match(new RegExp(`applies from period ${period + 1n}, starting .* \\(in `));
      expect(output).to.include("alpha (#2) 60%, code subnet (#1) 40%");
      // Not in force before the next period; then it is, and it carries over.
      expect(await bucket.votesOf(2)).to.deep.equal([0n, (power * 6_000n) / 10_000n]);
      await time.increase(7n * DAY);
      expect((await bucket.votesOf(2))[0]).to.equal((power * 6_000n) / 10_000n);

      // The deployer gives away nearly everything; once a period starts after that, a poke by anyone
      // re-reads its power.
      expect(await failure("gauge:poke", { from: 3 })).to.equal(
        `${pauper.address} has no gauge ballot in any bucket: nothing to poke`,
      );
      const balance = await core.token.balanceOf(deployer.address);
      await (await core.token.transfer(pauper.address, balance - 1n * TTD)).wait();
      await time.increase(9n * DAY);
      const poked = await run<{ before: bigint; after: bigint }[]>("gauge:poke", {
        voter: deployer.address,
        from: 3,
      });
      expect(poked.result).to.have.length(1);
      expect(poked.result[0]).to.include({ before: power, after: 1n * TTD });
      expect(poked.output).to.match(/^poked 0x[0-9a-fA-F]{40} in the code bucket: power .* -> 1\.0 TTD/);
    });

    it("subnet:pay pays by name with one permit: half burned, the rest for the next round; approve with --no-permit", async () => {
      const { core, validator, alpha } = await load(market);
      const subnet = Subnet__factory.connect(alpha, validator);
      const supply = await core.token.totalSupply();
      const { result, output } = await run<{ method: string; burned: bigint; ref: string }>("subnet:pay", {
        subnet: "alpha",
        amount: "100",
        ref: "order-42",
        from: 2,
      });
      expect(result).to.include({ method: "permit", burned: 50n * TTD, ref: feeRef("order-42") });
      expect(await subnet.fees()).to.deep.equal([100n * TTD, 50n * TTD]);
      // The burn share waits in the subnet for the next finalization (one supply checkpoint a round).
      expect(await core.token.totalSupply()).to.equal(supply);
      expect(await core.token.balanceOf(alpha)).to.equal(100n * TTD);
      expect(await core.token.allowance(validator.address, alpha)).to.equal(0n);
      expect(output).to.include(
        'paid 100.0 TTD to the subnet "alpha" (ref "order-42"): 50.0 TTD burned at its next finalization, 50.0 TTD to its next round',
      );
      const fee = (await subnet.queryFilter(subnet.filters.FeePaid()))[0];
      expect(refText(fee.args.ref)).to.equal("order-42");

      const second = await run<{ method: string }>("subnet:pay", {
        subnet: alpha,
        amount: "10",
        noPermit: true,
        from: 2,
      });
      expect(second.result.method).to.equal("approve");
      expect(await subnet.fees()).to.deep.equal([110n * TTD, 55n * TTD]);
      expect(await failure("subnet:pay", { subnet: "alpha", amount: "1", from: 3 })).to.equal(
        "insufficient balance: you have 0.0 TTD, need 1.0 TTD (the fee)",
      );
      expect(
        await failure("subnet:pay", { subnet: "alpha", amount: "1", ref: "x".repeat(33), from: 2 }),
      ).to.equal('the reference "' + "x".repeat(33) + '" is 33 bytes: at most 32 (or a 0x… 32-byte hash)');
    });

    it("status shows the market per bucket, the launch cost, your ballot and net issuance (minted - burned)", async () => {
      const { core, alpha } = await load(market);
      await run("gauge:vote", { bucket: "code", votes: "alpha:100%" });
      await run("subnet:pay", { subnet: "alpha", amount: "100", from: 2 });
      const { result, output } = await run<{
        emission: { supply: bigint; issuance: { minted: bigint; burned: bigint; net: bigint } };
        market: {
          launchCost: bigint;
          launched: bigint;
          buckets: {
            name: string;
            listings: {
              subnet: string;
              id: number;
              shareBps: number;
              fees: { paid: bigint; burned: bigint };
              lifecycle: string;
            }[];
          }[];
        };
        account: { ballots: { bucket: string; ballot: { ids: number[]; bps: number[] } }[] };
      }>("status");
      const { issuance } = result.emission;
      expect(issuance.minted).to.equal(await core.controller.totalEmitted());
      // Burned: the launch cost (1,000 TTD); half the fee (50 TTD) is set aside and burns when the
      // subnet's next finalization starts. Nothing else burned TTD here.
      expect(issuance.burned).to.equal(1_000n * TTD);
      expect(issuance.net).to.equal(await core.token.totalSupply());
      expect(result.market.launchCost).to.equal(await core.factory.launchCost());
      expect(result.market.launched).to.equal(1n);
      const code = result.market.buckets[0];
      expect(code.name).to.equal("code");
      const [subnets, bps] = await core.buckets[0].weights();
      expect(code.listings.map((l) => [l.subnet, l.shareBps])).to.deep.equal(
        subnets.map((a, i) => [a, Number(bps[i])]),
      );
      const listed = code.listings.find((l) => l.subnet === alpha);
      expect(listed).to.deep.include({
        id: 2,
        lifecycle: "live",
        fees: { paid: 100n * TTD, burned: 50n * TTD },
      });
      // Every bucket where the deployer has power is listed; only the code bucket has its ballot.
      expect(result.account.ballots.map((b) => [b.bucket, b.ballot])).to.deep.equal([
        ["code", { ids: [2], bps: [10_000] }],
        ["community", { ids: [], bps: [] }],
        ["compute", { ids: [], bps: [] }],
      ]);
      expect(output).to.match(/net issuance\s+[\d,.]+ TTD  = minted [\d,.]+ TTD - burned 1,000\.0000 TTD/);
      expect(output).to.include("Subnet market: launch cost now");
      expect(output).to.match(/#2\s+alpha\s+0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\s+0%/);
      expect(output).to.include("code gauge: power this period");
      expect(output).to.include(`ballot alpha (#2) 100% with`);
    });
  });

  describe("status", () => {
    it("summarizes supply, split, subnets, the account and open proposals", async () => {
      const { core, deployer } = await load(funded);
      await run("gov:delegate");
      await time.increase(DEFAULT_GOVERNANCE.voteLookback + 2n);
      await run("gov:propose", { shares: "2500,2500,2500,2100,400" });
      await run("capital:deposit", { amount: "2", faucet: true });
      const { result, output } = await run<{
        emission: { supply: bigint; scheduleSoFar: bigint; pending: bigint };
        subnets: { name: string; round: bigint; phase: string }[];
        account: { votes: bigint; poolStake: bigint };
        proposals: { total: number; open: { state: string; title?: string }[] };
      }>("status");
      expect(result.emission.supply).to.equal(await core.token.totalSupply());
      expect(result.emission.scheduleSoFar).to.equal(result.emission.supply + result.emission.pending);
      expect(result.subnets.map((x) => [x.name, x.round, x.phase])).to.deep.equal([
        // A day has passed for the Governor's vote lookback: round 2's commit and reveal are over.
        ["code", 2n, "closed"],
        ["community", 2n, "closed"],
        ["compute", 2n, "closed"],
      ]);
      expect(result.account.votes).to.equal(await core.token.getVotes(deployer.address));
      expect(result.account.poolStake).to.equal(parseEther("3"));
      expect(result.proposals.open).to.have.length(1);
      expect(result.proposals.open[0]).to.include({ state: "Pending" });
      expect(result.proposals.open[0].title).to.match(/^Set bucket shares/);
      for (const heading of [
        "Emission",
        "Capital pool",
        "Subnets",
        `Account ${deployer.address}`,
        "Proposals: 1 open",
      ]) {
        expect(output).to.include(heading);
      }
      expect(output).to.match(/protection fund\s+4\.00%/);
      expect(output).to.include(
        "code validators: struck under 50.0% agreement or 80.0% of the median, expelled after 3 strikes; " +
          "sheets in force 7 rounds (activityCutoff)",
      );
    });
  });
});
