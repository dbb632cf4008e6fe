/**
 * The Ignition deployment (deploy/modules/Tetrad.ts through deploy/system.ts) on the
 * in-process network: everything wired as the parameters say, every admin power with the Timelock
 * (rebuilt from the role events), the deployer powerless, the first distribution flows; the
 * parameters file and the test-network configuration fail with plain words.
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { spawnSync } from "child_process";
import * as path from "path";
import { BaseContract, Interface, ZeroAddress, id } from "ethers";
import {
  MockStakeToken__factory,
  Subnet__factory,
  TetradAccessManager,
  TetradTimelock,
} from "../../typechain-types";
import {
  DAY,
  DEFAULT_GOVERNANCE,
  DEFAULT_POOL,
  DEFAULT_SCHEDULE,
  DEFAULT_SHARES,
  GUARDIAN_ROLE,
  ROLES,
} from "../../scripts/lib/chain/constants";
import {
  NetworkParameters,
  ParametersError,
  loadNetworkParameters,
  resolveConfig,
} from "../../deploy/modules/config";
import { Connected, connect } from "../../scripts/lib/deploy/deployments";
import { selectedNetwork, testnetProblems } from "../../scripts/lib/deploy/network-config";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS } from "../../scripts/lib/chain/poc";
import {
  managerRoleMembers,
  stateChangingSelectors,
  timelockRoleMembers,
} from "../../scripts/lib/deploy/powers";
import { cumulative, total } from "../../scripts/lib/models/schedule";
import { deploySystem } from "../../deploy/system";
import { deployCore, deployGovernance } from "../utils/deploy";
import { asParams } from "../utils/subnet-params";
import type { Core, Governance } from "../../scripts/lib/deploy/handles";

/**
 * Who may call what, with addresses replaced by contract names: every role's members (AccessManager
 * and Timelock) and every state-changing function's role on every contract of the system.
 */
async function powersOf(
  manager: TetradAccessManager,
  timelock: TetradTimelock,
  contracts: Record<string, BaseContract>,
  people: Record<string, string>,
  fromBlock: number,
): Promise<Record<string, string[] | string>> {
  const names = new Map<string, string>(Object.entries(people).map(([k, v]) => [v, k]));
  for (const [k, c] of Object.entries(contracts)) names.set(await c.getAddress(), k);
  const name = (a: string): string => names.get(a) ?? a;
  const out: Record<string, string[] | string> = {};
  for (const [role, members] of await managerRoleMembers(manager, fromBlock))
    out[`manager role ${role}`] = [...members].map(name).sort();
  for (const [role, members] of await timelockRoleMembers(timelock, fromBlock))
    out[`timelock role ${role}`] = [...members].map(name).sort();
  for (const [k, c] of Object.entries(contracts)) {
    for (const sel of stateChangingSelectors(c.interface as Interface))
      out[`${k} ${sel}`] = String(await manager.getTargetFunctionRole(await c.getAddress(), sel));
  }
  return out;
}

interface Deployed {
  c: Connected;
  fromBlock: number;
  deployer: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
}

async function deployWithGuardian(): Promise<Deployed> {
  const [deployer, guardian, stranger] = await ethers.getSigners();
  const { deployment } = await deploySystem(hre, { overrides: { guardian: guardian.address } });
  return {
    c: connect(deployment, ethers.provider),
    fromBlock: deployment.startBlock ?? 0,
    deployer,
    guardian,
    stranger,
  };
}

describe("Ignition deployment (deploy/modules/Tetrad.ts)", () => {
  describe("wiring", () => {
    it("token, controller, pool, fund and buckets are wired as the default parameters say", async () => {
      const { c } = await loadFixture(deployWithGuardian);
      const addr = c.deployment.contracts;
      expect(await c.token.minter()).to.equal(addr.EmissionController);
      const start = BigInt(c.deployment.scheduleStart);
      const schedule = { start, ...DEFAULT_SCHEDULE };
      expect(await c.token.cap()).to.equal(total(schedule));
      expect(await c.controller.scheduleStart()).to.equal(start);
      expect(await c.controller.scheduleTotal()).to.equal(total(schedule));
      expect((await c.controller.shares()).map(Number)).to.deep.equal(DEFAULT_SHARES);
      const expected = [
        [addr.CodeBucket, false],
        [addr.CommunityBucket, false],
        [addr.ComputeBucket, false],
        [addr.CapitalPool, true],
        [addr.ProtectionFund, false],
      ];
      for (const [i, [account, notify]] of expected.entries()) {
        const r = await c.controller.recipient(i);
        expect([r.account, r.notify], `recipient ${i}`).to.deep.equal([account, notify]);
      }
      expect(await c.pool.stakingToken()).to.equal(addr.StakingToken);
      expect(await c.pool.rewardToken()).to.equal(addr.Tetrad);
      expect(await c.pool.rewardsDuration()).to.equal(DEFAULT_POOL.rewardsDuration);
      expect(await c.pool.minDeposit()).to.equal(DEFAULT_POOL.minDeposit);
      expect(await c.pool.withdrawLock()).to.equal(DEFAULT_POOL.withdrawLock);
      for (const [i, bucket] of c.buckets.entries()) {
        const [subnets, bps] = await bucket.weights();
        expect(subnets, `bucket ${i}`).to.deep.equal([await c.subnets[i].getAddress()]);
        // Alone in its bucket, with no vote yet, the genesis subnet takes it all: its 20% floor, and the
        // gauge's 80% that no vote places.
        expect(bps.map(Number)).to.deep.equal([10_000]);
        // The genesis subnet is a launch subnet: governance's floor (genesisFloorBps), gauge id 1.
        const [listing] = await bucket.listings();
        expect([listing.id, listing.floor]).to.deep.equal([1n, 2_000n]);
        expect(await c.factory.bucketAt(i)).to.equal(await bucket.getAddress());
      }
      // The subnet market: the factory clones an uninitialized implementation, burns TTD, nothing launched.
      expect(await c.factory.token()).to.equal(addr.Tetrad);
      expect(await c.factory.authority()).to.equal(addr.TetradAccessManager);
      expect(await c.factory.launched()).to.equal(0n);
      const implementation = await c.factory.implementation();
      expect(await ethers.provider.getCode(implementation)).to.not.equal("0x");
      const impl = Subnet__factory.connect(implementation, ethers.provider);
      expect([await impl.bucket(), await impl.owner(), await impl.round()]).to.deep.equal([
        ZeroAddress,
        ZeroAddress,
        0n,
      ]);
    });

    it("each bucket's first subnet has the default parameters (no owner share: the fund owns it), metric weights and the fund as owner", async () => {
      const { c } = await loadFixture(deployWithGuardian);
      for (const [i, subnet] of c.subnets.entries()) {
        const [current] = await subnet.params();
        expect(
          asParams(current),
          `subnet ${i}`,
          // Owned by the protection fund: no owner share, it goes to the contributors (issue 15 item 5).
        ).to.deep.equal({
          ...DEFAULT_SUBNET_PARAMS,
          contributorShare: 10_000 - DEFAULT_SUBNET_PARAMS.validatorShare,
        });
        const [weights] = await subnet.metricWeights();
        expect(weights.map(Number)).to.deep.equal(DEFAULT_METRIC_WEIGHTS);
        expect(await subnet.owner()).to.equal(c.deployment.contracts.ProtectionFund);
        expect(await subnet.protectionFund()).to.equal(c.deployment.contracts.ProtectionFund);
        expect(await subnet.bucket()).to.equal(await c.buckets[i].getAddress());
      }
    });

    it("the Governor and Timelock have the default settings and the guardian", async () => {
      const { c, guardian } = await loadFixture(deployWithGuardian);
      expect(await c.governor.votingDelay()).to.equal(DEFAULT_GOVERNANCE.votingDelay);
      expect(await c.governor.votingPeriod()).to.equal(DEFAULT_GOVERNANCE.votingPeriod);
      expect(await c.governor["quorumNumerator()"]()).to.equal(DEFAULT_GOVERNANCE.quorumPercent);
      expect(await c.governor.lateQuorumVoteExtension()).to.equal(DEFAULT_GOVERNANCE.lateQuorumExtension);
      expect(await c.governor.proposalGuardian()).to.equal(guardian.address);
      expect(await c.governor.token()).to.equal(c.deployment.contracts.Tetrad);
      expect(await c.governor.timelock()).to.equal(c.deployment.contracts.TetradTimelock);
      expect(await c.timelock.getMinDelay()).to.equal(DEFAULT_GOVERNANCE.timelockDelay);
    });

    it("the first distribution a day later mints the schedule's amount and splits it", async () => {
      const { c, stranger } = await loadFixture(deployWithGuardian);
      await time.increaseTo(BigInt(c.deployment.scheduleStart) + DAY);
      await (await c.controller.connect(stranger).distribute()).wait();
      const last = await c.controller.lastDistribution();
      const schedule = { start: BigInt(c.deployment.scheduleStart), ...DEFAULT_SCHEDULE };
      const minted = cumulative(schedule, last);
      expect(await c.token.totalSupply()).to.equal(minted);
      // Buckets forward to their subnet on finalize; until then the minted amount sits in the bucket.
      const held = await Promise.all(
        [...c.buckets, c.pool, c.protectionFund].map(async (x) => c.token.balanceOf(await x.getAddress())),
      );
      expect(held.reduce((a, b) => a + b, 0n)).to.equal(minted);
      for (const i of [0, 1, 2, 3]) expect(held[i]).to.equal((minted * BigInt(DEFAULT_SHARES[i])) / 10_000n);
    });
  });

  describe("powers", () => {
    it("the Timelock is the only admin; the controller the only distributor; the factory the only launcher; guardian and Timelock may pause", async () => {
      const { c, fromBlock, guardian, deployer } = await loadFixture(deployWithGuardian);
      const addr = c.deployment.contracts;
      const members = await managerRoleMembers(c.manager, fromBlock);
      expect([...(members.get(ROLES.ADMIN) ?? [])], "ADMIN").to.deep.equal([addr.TetradTimelock]);
      expect([...(members.get(ROLES.DISTRIBUTOR) ?? [])], "DISTRIBUTOR").to.deep.equal([
        addr.EmissionController,
      ]);
      expect([...(members.get(GUARDIAN_ROLE) ?? [])].sort(), "GUARDIAN").to.deep.equal(
        [guardian.address, addr.TetradTimelock].sort(),
      );
      expect([...(members.get(ROLES.LAUNCHER) ?? [])], "LAUNCHER").to.deep.equal([addr.SubnetFactory]);
      expect([...members.keys()].sort()).to.deep.equal([
        ROLES.ADMIN,
        ROLES.DISTRIBUTOR,
        GUARDIAN_ROLE,
        ROLES.LAUNCHER,
      ]);
      for (const role of [ROLES.ADMIN, ROLES.DISTRIBUTOR, GUARDIAN_ROLE, ROLES.LAUNCHER]) {
        expect((await c.manager.hasRole(role, deployer.address))[0], `deployer in role ${role}`).to.equal(
          false,
        );
      }
    });

    it("maps only pause() to the guardian, only onEmission to the distributor, only addSubnet to the launcher; the rest is the admin's", async () => {
      const { c } = await loadFixture(deployWithGuardian);
      const pause = c.controller.interface.getFunction("pause").selector;
      const onEmission = c.pool.interface.getFunction("onEmission").selector;
      const addSubnet = c.buckets[0].interface.getFunction("addSubnet").selector;
      const targets = [
        { label: "controller", contract: c.controller, pausable: true, notified: false },
        { label: "pool", contract: c.pool, pausable: true, notified: true },
        ...c.buckets.map((b, i) => ({ label: `bucket ${i}`, contract: b, pausable: false, notified: true })),
        ...c.subnets.map((s, i) => ({ label: `subnet ${i}`, contract: s, pausable: true, notified: false })),
        { label: "fund", contract: c.protectionFund, pausable: false, notified: false },
        // The factory's setters are the admin's (`launch` is open: not `restricted`).
        { label: "factory", contract: c.factory, pausable: false, notified: false },
      ];
      for (const t of targets) {
        const target = await t.contract.getAddress();
        for (const sel of stateChangingSelectors(t.contract.interface)) {
          const expected =
            sel === pause && t.pausable
              ? GUARDIAN_ROLE
              : sel === onEmission && t.notified
                ? ROLES.DISTRIBUTOR
                : sel === addSubnet && t.label.startsWith("bucket")
                  ? ROLES.LAUNCHER
                  : ROLES.ADMIN;
          expect(await c.manager.getTargetFunctionRole(target, sel), `${t.label} ${sel}`).to.equal(expected);
        }
      }
    });

    /** Every contract whose permissions the powers audit reads, by a stable name. */
    const targetsOf = (
      core: Pick<
        Core,
        "manager" | "token" | "controller" | "pool" | "protectionFund" | "buckets" | "subnets" | "factory"
      >,
      dao: Pick<Governance, "governor" | "timelock">,
    ) => ({
      manager: core.manager,
      token: core.token,
      controller: core.controller,
      pool: core.pool,
      fund: core.protectionFund,
      ...Object.fromEntries(core.buckets.map((b, i) => [`bucket${i}`, b])),
      ...Object.fromEntries(core.subnets.map((x, i) => [`subnet${i}`, x])),
      factory: core.factory,
      governor: dao.governor,
      timelock: dao.timelock,
    });

    it("the two stages the tests and the simulation deploy (deploy/stages.ts) end with the same powers", async () => {
      const { c, fromBlock, deployer, guardian } = await loadFixture(deployWithGuardian);
      const people = { deployer: deployer.address, guardian: guardian.address, anyone: ZeroAddress };
      const oneShot = await powersOf(c.manager, c.timelock, targetsOf(c, c), people, fromBlock);
      const from = await ethers.provider.getBlockNumber();
      const core = await deployCore(deployer);
      const dao = await deployGovernance(core, { guardian: guardian.address });
      const staged = await powersOf(core.manager, dao.timelock, targetsOf(core, dao), people, from);
      expect(staged).to.deep.equal(oneShot);
    });

    it("the Timelock administers itself alone, the Governor alone proposes and cancels, anyone executes", async () => {
      const { c, fromBlock, deployer, guardian } = await loadFixture(deployWithGuardian);
      const addr = c.deployment.contracts;
      const members = await timelockRoleMembers(c.timelock, fromBlock);
      const roles = {
        admin: ethers.ZeroHash,
        proposer: id("PROPOSER_ROLE"),
        canceller: id("CANCELLER_ROLE"),
        executor: id("EXECUTOR_ROLE"),
      };
      expect([...(members.get(roles.admin) ?? [])]).to.deep.equal([addr.TetradTimelock]);
      expect([...(members.get(roles.proposer) ?? [])]).to.deep.equal([addr.TetradGovernor]);
      expect([...(members.get(roles.canceller) ?? [])]).to.deep.equal([addr.TetradGovernor]);
      expect([...(members.get(roles.executor) ?? [])]).to.deep.equal([ZeroAddress]);
      for (const who of [deployer, guardian]) {
        for (const role of Object.values(roles))
          expect(await c.timelock.hasRole(role, who.address)).to.equal(false);
      }
    });

    it("the deployer can change nothing: every admin call reverts for it", async () => {
      const { c, deployer } = await loadFixture(deployWithGuardian);
      const asDeployer = connect(c.deployment, deployer);
      const unauthorized = "AccessManagedUnauthorized";
      await expect(
        asDeployer.controller.setShares([2000, 2000, 2000, 3600, 400]),
      ).to.be.revertedWithCustomError(c.controller, unauthorized);
      await expect(asDeployer.controller.pause()).to.be.revertedWithCustomError(c.controller, unauthorized);
      await expect(asDeployer.pool.setMinDeposit(1n)).to.be.revertedWithCustomError(c.pool, unauthorized);
      await expect(
        asDeployer.buckets[0].setFloors([await c.subnets[0].getAddress()], [5_000]),
      ).to.be.revertedWithCustomError(c.buckets[0], unauthorized);
      await expect(asDeployer.buckets[0].addSubnet(deployer.address)).to.be.revertedWithCustomError(
        c.buckets[0],
        unauthorized,
      );
      await expect(asDeployer.buckets[0].kill(await c.subnets[0].getAddress())).to.be.revertedWithCustomError(
        c.buckets[0],
        unauthorized,
      );
      await expect(
        asDeployer.factory.setLaunchPricing({ minCost: 1n, maxCost: 1n, decayPeriod: 1n }),
      ).to.be.revertedWithCustomError(c.factory, unauthorized);
      await expect(asDeployer.subnets[0].setMetricWeights([10_000])).to.be.revertedWithCustomError(
        c.subnets[0],
        unauthorized,
      );
      await expect(
        asDeployer.protectionFund.release(c.deployment.contracts.Tetrad, deployer.address, 1n),
      ).to.be.revertedWithCustomError(c.protectionFund, unauthorized);
      await expect(
        asDeployer.manager.grantRole(ROLES.ADMIN, deployer.address, 0),
      ).to.be.revertedWithCustomError(c.manager, "AccessManagerUnauthorizedAccount");
      await expect(
        asDeployer.timelock.schedule(ZeroAddress, 0n, "0x", ethers.ZeroHash, ethers.ZeroHash, DAY * 2n),
      ).to.be.revertedWithCustomError(c.timelock, "AccessControlUnauthorizedAccount");
    });
  });

  describe("parameters", () => {
    it("an existing stake token is used as is (and the controller prediction still holds)", async () => {
      const [deployer] = await ethers.getSigners();
      const lp = await new MockStakeToken__factory(deployer).deploy("Real LP", "rLP");
      await lp.waitForDeployment();
      const { deployment } = await deploySystem(hre, { overrides: { stakingToken: await lp.getAddress() } });
      expect(deployment.contracts.StakingToken).to.equal(await lp.getAddress());
      const c = connect(deployment, ethers.provider);
      expect(await c.token.minter()).to.equal(deployment.contracts.EmissionController);
      expect(await c.pool.stakingToken()).to.equal(await lp.getAddress());
    });

    it("deploy/parameters.json's defaults are the protocol's defaults", () => {
      const config = resolveConfig(loadNetworkParameters("hardhat"), 123n);
      expect(config.schedule).to.deep.equal({ start: 123n, ...DEFAULT_SCHEDULE });
      expect(config.shares).to.deep.equal(DEFAULT_SHARES);
      expect(config.pool).to.deep.equal(DEFAULT_POOL);
      expect(config.subnet).to.deep.equal(DEFAULT_SUBNET_PARAMS);
      expect(config.metricWeights).to.deep.equal(DEFAULT_METRIC_WEIGHTS);
      expect(config.governance).to.deep.equal(DEFAULT_GOVERNANCE);
      expect(config.stakingToken).to.equal(undefined);
      expect(config.guardian).to.equal(undefined);
      // The test-network example overrides governance periods field by field.
      const testnet = resolveConfig(loadNetworkParameters("testnet"), 0n);
      expect(testnet.governance.votingPeriod).to.equal(3600n);
      expect(testnet.governance.quorumPercent).to.equal(DEFAULT_GOVERNANCE.quorumPercent);
      // A local node lowers only the bootstrap quorum floor (a demo's few claimers reach it).
      const local = resolveConfig(loadNetworkParameters("localhost"), 0n);
      expect(local.governance).to.deep.equal({ ...DEFAULT_GOVERNANCE, quorumFloor: 1000n * 10n ** 18n });
      // An unknown network gets the defaults.
      expect(resolveConfig(loadNetworkParameters("no-such-net"), 1n).shares).to.deep.equal(DEFAULT_SHARES);
    });

    it("rejects bad parameters naming the field", () => {
      const base = loadNetworkParameters("localhost");
      const bad =
        (patch: Partial<NetworkParameters>): (() => void) =>
        () =>
          resolveConfig({ ...base, ...patch }, 0n);
      expect(bad({ shares: [2400, 2400, 2400, 2400, 401] })).to.throw(
        ParametersError,
        "shares must sum to 10000, got 10001",
      );
      expect(bad({ shares: [5000, 5000] })).to.throw(ParametersError, "shares must list 5");
      expect(bad({ guardian: "0x1234" })).to.throw(ParametersError, "guardian must be an address");
      expect(bad({ pool: { ...base.pool, minDeposit: "lots" } })).to.throw(
        ParametersError,
        "pool.minDeposit",
      );
      expect(bad({ metricWeights: [] })).to.throw(ParametersError, "metricWeights must list 1-8");
      expect(bad({ subnet: { ...base.subnet, kappa: 10_001 } })).to.throw(ParametersError, "subnet.kappa");
      expect(bad({ schedule: { ...base.schedule, interval: -1 } })).to.throw(
        ParametersError,
        "schedule.interval",
      );
    });
  });

  describe("test network configuration", () => {
    it("names what is missing from the environment", () => {
      expect(testnetProblems({})).to.have.length(2);
      expect(testnetProblems({ RPC_URL: "http://x", DEPLOYER_KEY: "0x" + "11".repeat(32) })).to.deep.equal(
        [],
      );
      expect(testnetProblems({ RPC_URL: "http://x", DEPLOYER_KEY: "0x12" })[0]).to.match(/not a 32-byte hex/);
      expect(testnetProblems({ RPC_URL: "http://x", DEPLOYER_KEYSTORE: "/nope.json" }).join(" ")).to.match(
        /does not exist.*PASSWORD/,
      );
      expect(selectedNetwork(["node", "hardhat", "--network", "testnet", "run"], {})).to.equal("testnet");
      expect(selectedNetwork(["node", "hardhat", "--network=localhost"], {})).to.equal("localhost");
      expect(selectedNetwork(["node", "hardhat"], { HARDHAT_NETWORK: "testnet" })).to.equal("testnet");
    });

    it("a command on the test network without RPC_URL or key prints a plain message, no stack trace", () => {
      const env = { ...process.env };
      delete env.RPC_URL;
      delete env.DEPLOYER_KEY;
      delete env.DEPLOYER_KEYSTORE;
      const root = path.join(__dirname, "..", "..");
      const out = spawnSync(
        process.execPath,
        [
          path.join(root, "node_modules", ".bin", "hardhat"),
          "--network",
          "testnet",
          "run",
          "deploy/deploy.ts",
        ],
        {
          cwd: root,
          env,
          encoding: "utf8",
        },
      );
      expect(out.status).to.equal(1);
      expect(out.stderr).to.contain('Cannot use the "testnet" network');
      expect(out.stderr).to.contain("RPC_URL is not set");
      expect(out.stderr).not.to.match(/\n\s+at /); // no stack frames
    });
  });
});
