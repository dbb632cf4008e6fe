/**
 * Attacks on the DAO over the whole deployed system (deployCore + deployGovernance with a guardian):
 * votes bought or borrowed after the snapshot, what the guardian can and cannot do, revoking it, a walk
 * over every privileged function of every contract (the exact revert for a stranger, the deployer and
 * the guardian, and that the holder of the power does get through), who holds the admin roles, and
 * minting beyond the emission. Voters and their TTD: test/utils/governance-fixture.ts.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { BaseContract, ContractTransactionResponse, Interface, ZeroAddress, ZeroHash } from "ethers";
import {
  CapitalPool__factory,
  ContributionBucket__factory,
  EmissionController__factory,
  SubnetFactory__factory,
  Subnet__factory,
  TetradAccessManager__factory,
  TetradGovernor__factory,
  TetradTimelock__factory,
  Tetrad__factory,
  Treasury__factory,
} from "../../typechain-types";
import {
  Bucket,
  DAY,
  DEFAULT_GOVERNANCE,
  DEFAULT_SHARES,
  GUARDIAN_ROLE,
  ROLES,
} from "../../scripts/lib/chain/constants";
import { Proposal, Vote, buildProposal, propose } from "../../scripts/lib/chain/governance";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS } from "../../scripts/lib/chain/poc";
import {
  managerRoleMembers,
  stateChangingSelectors,
  timelockRoleMembers,
} from "../../scripts/lib/deploy/powers";
import {
  FUNDS,
  GovernedSystem,
  ProposalState,
  TIMELOCK_READY,
  TTD,
  deployGovernedSystem,
  execute,
  executeWhenDue,
  passProposal,
  proposeAndQueue,
  stateBitmap,
  timelockOperationId,
  timelockSalt,
  toVoteEnd,
  toVoting,
} from "../utils/governance-fixture";
import { impersonate } from "../utils/chain";

/** Runs an assertion and prefixes its failure with `label` (the matchers drop chai's message). */
async function labelled(label: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (e) {
    if (e instanceof Error) e.message = `${label}: ${e.message}`;
    throw e;
  }
}

function grantProposal(
  s: GovernedSystem,
  fund: string,
  token: string,
  amount: bigint,
  title = "Grant",
): Proposal {
  return buildProposal(title, "A grant.", [{ kind: "grant", fund, token, to: s.grantee.address, amount }]);
}

async function grant(s: GovernedSystem, amount: bigint, title?: string): Promise<Proposal> {
  return grantProposal(
    s,
    await s.core.protectionFund.getAddress(),
    await s.core.token.getAddress(),
    amount,
    title,
  );
}

describe("Attacks on governance", () => {
  describe("votes are read at the snapshot", () => {
    it("gives no votes to tokens bought or borrowed after a proposal's snapshot", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, alice, eve, mallory, whale } = s;
      const { token } = s.core;
      const p = await grant(s, 100n * TTD);
      const id = await propose(governor, alice, p);
      const snapshot = await governor.proposalSnapshot(id);

      // Before the snapshot but within the lookback (a day before it): eve's delegation does not count, as a
      // loan taken during the voting delay would not (issue 15).
      await (await token.connect(eve).delegate(eve.address)).wait();

      await toVoting(governor, id);
      await (await governor.connect(alice).castVote(id, Vote.For)).wait();
      // After the snapshot: mallory "borrows" the whale's TTD and buys alice's (who already voted).
      const borrowed = await token.balanceOf(whale.address);
      await (await token.connect(whale).transfer(mallory.address, borrowed)).wait();
      await (await token.connect(alice).transfer(mallory.address, FUNDS.alice)).wait();
      await (await token.connect(mallory).delegate(mallory.address)).wait();
      await mine(1);
      expect(await token.getVotes(mallory.address), "mallory's power today").to.equal(borrowed + FUNDS.alice);
      expect(await token.getPastVotes(mallory.address, snapshot), "at the snapshot").to.equal(0n);
      expect(await governor.getVotes(mallory.address, snapshot)).to.equal(0n);

      await expect(governor.connect(mallory).castVote(id, Vote.Against))
        .to.emit(governor, "VoteCast")
        .withArgs(mallory.address, id, Vote.Against, 0n, "");
      await expect(governor.connect(eve).castVote(id, Vote.Against))
        .to.emit(governor, "VoteCast")
        .withArgs(eve.address, id, Vote.Against, 0n, "");
      // alice cannot vote twice, whatever she holds.
      await expect(governor.connect(alice).castVote(id, Vote.Against))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(alice.address);
      const [against, forVotes, abstain] = await governor.proposalVotes(id);
      expect([against, forVotes, abstain]).to.deep.equal([0n, FUNDS.alice, 0n]);

      // Nor can the fresh loan make a proposal (the threshold reads votes with the same lookback); once
      // held for a day it can, but cannot be voted with once repaid.
      const q = await grant(s, 1n, "Mallory's");
      await expect(propose(governor, mallory, q)).to.be.revertedWithCustomError(
        governor,
        "GovernorInsufficientProposerVotes",
      );
      await time.increase(DEFAULT_GOVERNANCE.voteLookback);
      const qid = await propose(governor, mallory, q);
      await (await token.connect(mallory).transfer(whale.address, borrowed)).wait();
      await toVoting(governor, qid);
      await expect(governor.connect(mallory).castVote(qid, Vote.For))
        .to.emit(governor, "VoteCast")
        .withArgs(mallory.address, qid, Vote.For, FUNDS.alice, "");

      // The outcome of the first proposal is what the holders at the snapshot decided.
      await toVoteEnd(governor, id);
      expect(await governor.state(id)).to.equal(ProposalState.Succeeded);
    });
  });

  describe("the guardian", () => {
    it("can pause the controller, the capital pool and every subnet; only governance unpauses", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { guardian, validator } = s;
      const { controller, pool, subnets } = s.core;
      for (const target of [controller, pool, ...subnets]) {
        await expect(target.connect(guardian).pause()).to.emit(target, "Paused").withArgs(guardian.address);
        expect(await target.paused()).to.equal(true);
        await expect(target.connect(guardian).unpause())
          .to.be.revertedWithCustomError(target, "AccessManagedUnauthorized")
          .withArgs(guardian.address);
      }
      // Paused: emission, deposits and subnet entry stop.
      await expect(controller.distribute()).to.be.revertedWithCustomError(controller, "EnforcedPause");
      await expect(pool.connect(validator).deposit(1n)).to.be.revertedWithCustomError(pool, "EnforcedPause");
      await expect(subnets[0].connect(validator).register("x")).to.be.revertedWithCustomError(
        subnets[0],
        "EnforcedPause",
      );

      // Governance unpauses.
      const actions = [controller, pool, ...subnets].map((t) => ({
        kind: "call" as const,
        target: t.target as string,
        data: t.interface.encodeFunctionData("unpause"),
        summary: `Unpause ${t.target as string}`,
      }));
      await passProposal(s, buildProposal("Unpause", "The incident is over.", actions));
      for (const target of [controller, pool, ...subnets]) expect(await target.paused()).to.equal(false);
      await expect(controller.distribute()).to.emit(controller, "Distributed");
    });

    it("can cancel a queued proposal (and any other), a stranger and the proposer cannot", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, timelock, guardian, alice, stranger } = s;
      const p = await grant(s, 10_000n * TTD, "Drain");
      const id = await proposeAndQueue(s, p);
      const opId = await timelockOperationId(timelock, await governor.getAddress(), p);
      expect(await timelock.isOperationPending(opId)).to.equal(true);

      const cancel = (who: HardhatEthersSigner) =>
        governor
          .connect(who)
          ["cancel(address[],uint256[],bytes[],bytes32)"](
            p.targets,
            p.values,
            p.calldatas,
            p.descriptionHash,
          );
      await expect(cancel(stranger))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(id, stranger.address);
      await expect(cancel(alice), "the proposer, past Pending")
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(id, alice.address);
      // Nor straight on the Timelock.
      await expect(timelock.connect(guardian).cancel(opId))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, await timelock.CANCELLER_ROLE());

      await expect(cancel(guardian)).to.emit(governor, "ProposalCanceled").withArgs(id);
      expect(await governor.state(id)).to.equal(ProposalState.Canceled);
      expect(await timelock.isOperation(opId), "the Timelock forgot it").to.equal(false);

      await time.increase(DEFAULT_GOVERNANCE.timelockDelay);
      await expect(execute(governor, p))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(id, ProposalState.Canceled, stateBitmap(ProposalState.Queued));
      await expect(
        timelock.executeBatch(
          p.targets,
          p.values,
          p.calldatas,
          ZeroHash,
          timelockSalt(await s.governor.getAddress(), p),
        ),
      )
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(opId, TIMELOCK_READY);
      expect(await s.core.token.balanceOf(s.grantee.address)).to.equal(0n);

      // Pending and Active proposals too.
      const q = await grant(s, 1n, "Pending");
      const qid = await propose(governor, alice, q);
      await expect(
        governor
          .connect(guardian)
          ["cancel(address[],uint256[],bytes[],bytes32)"](
            q.targets,
            q.values,
            q.calldatas,
            q.descriptionHash,
          ),
      )
        .to.emit(governor, "ProposalCanceled")
        .withArgs(qid);
      const r = await grant(s, 2n, "Active");
      const rid = await propose(governor, alice, r);
      await toVoting(governor, rid);
      await expect(governor.connect(guardian)["cancel(uint256)"](rid))
        .to.emit(governor, "ProposalCanceled")
        .withArgs(rid);
    });

    it("cannot unpause, set shares, recipients or parameters, release funds or grant roles", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { guardian } = s;
      const { manager, controller, pool, subnets, buckets, protectionFund, token } = s.core;
      const g = guardian.address;
      const denied = async (tx: Promise<ContractTransactionResponse>, c: BaseContract): Promise<void> => {
        await expect(tx).to.be.revertedWithCustomError(c, "AccessManagedUnauthorized").withArgs(g);
      };
      await denied(controller.connect(guardian).unpause(), controller);
      await denied(controller.connect(guardian).setShares([0, 0, 0, 0, 10_000]), controller);
      await denied(controller.connect(guardian).setRecipient(Bucket.Protection, g, false), controller);
      await denied(pool.connect(guardian).setWithdrawLock(30n * DAY), pool);
      await denied(pool.connect(guardian).skim(g), pool);
      await denied(subnets[0].connect(guardian).setParams(DEFAULT_SUBNET_PARAMS), subnets[0]);
      await denied(subnets[0].connect(guardian).setMetricWeights(DEFAULT_METRIC_WEIGHTS), subnets[0]);
      await denied(subnets[0].connect(guardian).slash(s.validator.address, 1n), subnets[0]);
      await denied(buckets[0].connect(guardian).setFloors([g], [10_000]), buckets[0]);
      await denied(protectionFund.connect(guardian).release(token, g, 1n), protectionFund);
      for (const role of [ROLES.ADMIN, ROLES.DISTRIBUTOR, GUARDIAN_ROLE]) {
        await expect(manager.connect(guardian).grantRole(role, s.mallory.address, 0))
          .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
          .withArgs(g, ROLES.ADMIN);
      }
      await expect(
        manager
          .connect(guardian)
          .setTargetFunctionRole(
            controller,
            [controller.interface.getFunction("unpause").selector],
            GUARDIAN_ROLE,
          ),
      )
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(g, ROLES.ADMIN);
      await expect(manager.connect(guardian).setRoleAdmin(GUARDIAN_ROLE, GUARDIAN_ROLE))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(g, ROLES.ADMIN);
      // Through the manager's `execute`, the guardian's only call is `pause`.
      await expect(
        manager.connect(guardian).execute(controller, controller.interface.encodeFunctionData("unpause")),
      )
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedCall")
        .withArgs(g, await controller.getAddress(), controller.interface.getFunction("unpause").selector);
      await expect(manager.connect(guardian).execute(pool, pool.interface.encodeFunctionData("pause")))
        .to.emit(pool, "Paused")
        .withArgs(await manager.getAddress());
      // Nor can it propose without votes.
      const p = await grant(s, 1n);
      const threshold = await s.governor.proposalThreshold();
      await expect(s.governor.connect(guardian).propose(p.targets, p.values, p.calldatas, p.description))
        .to.be.revertedWithCustomError(s.governor, "GovernorInsufficientProposerVotes")
        .withArgs(g, 0n, threshold);
    });

    it("can be revoked by governance (role and proposal guardian)", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, guardian, alice } = s;
      const { manager, controller } = s.core;
      const p = buildProposal("Retire the guardian", "Governance is mature.", [
        {
          kind: "call",
          target: await manager.getAddress(),
          data: manager.interface.encodeFunctionData("revokeRole", [GUARDIAN_ROLE, guardian.address]),
          summary: "Revoke the guardian's role",
        },
        {
          kind: "call",
          target: await governor.getAddress(),
          data: governor.interface.encodeFunctionData("setProposalGuardian", [ZeroAddress]),
          summary: "No proposal guardian",
        },
      ]);
      const id = await proposeAndQueue(s, p);
      // The guardian could cancel its own retirement until it runs (the Timelock's delay is the window).
      const receipt = await executeWhenDue(s, id, p);
      const [revoked] = await manager.queryFilter(manager.filters.RoleRevoked, receipt.blockNumber);
      expect([revoked.args.roleId, revoked.args.account]).to.deep.equal([GUARDIAN_ROLE, guardian.address]);
      const [unset] = await governor.queryFilter(governor.filters.ProposalGuardianSet, receipt.blockNumber);
      expect([unset.args.oldProposalGuardian, unset.args.newProposalGuardian]).to.deep.equal([
        guardian.address,
        ZeroAddress,
      ]);
      expect((await manager.hasRole(GUARDIAN_ROLE, guardian.address))[0]).to.equal(false);
      expect(await governor.proposalGuardian()).to.equal(ZeroAddress);

      await expect(controller.connect(guardian).pause())
        .to.be.revertedWithCustomError(controller, "AccessManagedUnauthorized")
        .withArgs(guardian.address);
      const q = await grant(s, 1n, "After");
      const qid = await propose(governor, alice, q);
      await toVoting(governor, qid);
      await expect(governor.connect(guardian)["cancel(uint256)"](qid))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(qid, guardian.address);
      // OpenZeppelin's fallback without a proposal guardian: a proposer may cancel its own proposal at
      // any stage (here: Active).
      await expect(governor.connect(alice)["cancel(uint256)"](qid)).to.emit(governor, "ProposalCanceled");
      // Governance keeps the pause.
      expect((await manager.hasRole(GUARDIAN_ROLE, await s.timelock.getAddress()))[0]).to.equal(true);
    });
    // A hostile or compromised guardian can pause everything and cancel every proposal, its own
    // revocation included, but only during its term (GUARDIAN_TERM): then the holders' vote goes through.
    it("a guardian's veto of its own revocation lasts at most its term", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, guardian } = s;
      const { manager, controller, pool, subnets } = s.core;
      const pausables = [controller, pool, ...subnets];
      for (const t of pausables) await (await t.connect(guardian).pause()).wait();
      const retire = (title: string) =>
        buildProposal(title, "The guardian froze the protocol.", [
          {
            kind: "call",
            target: manager.target as string,
            data: manager.interface.encodeFunctionData("revokeRole", [GUARDIAN_ROLE, guardian.address]),
            summary: "Revoke the guardian's role",
          },
          {
            kind: "call",
            target: governor.target as string,
            data: governor.interface.encodeFunctionData("setProposalGuardian", [ZeroAddress]),
            summary: "No proposal guardian",
          },
          ...pausables.map((t) => ({
            kind: "call" as const,
            target: t.target as string,
            data: t.interface.encodeFunctionData("unpause"),
            summary: `Unpause ${t.target as string}`,
          })),
        ]);
      // Within its term the guardian can cancel even this (its veto is an emergency brake).
      const first = retire("Retire the guardian and unpause");
      const firstId = await proposeAndQueue(s, first);
      await expect(governor.connect(guardian)["cancel(uint256)"](firstId)).to.emit(
        governor,
        "ProposalCanceled",
      );
      // Once the term is over it cannot: the holders' decision stands.
      const termEnd = await governor.guardianTermEnd();
      expect(termEnd).to.be.gt(0n);
      await time.increaseTo(termEnd);
      expect(await governor.proposalGuardian()).to.equal(ZeroAddress);
      const second = retire("Retire the guardian and unpause, again");
      const id = await proposeAndQueue(s, second);
      await expect(governor.connect(guardian)["cancel(uint256)"](id))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(id, guardian.address);
      await executeWhenDue(s, id, second);
      expect((await manager.hasRole(GUARDIAN_ROLE, guardian.address))[0]).to.equal(false);
      for (const t of pausables) expect(await t.paused()).to.equal(false);
    });
  });

  describe("governance cannot lock itself out", () => {
    it("caps the proposal threshold at 10% and the quorum at 50%", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor } = s;
      const set = (fn: "setProposalThresholdBps" | "updateQuorumNumerator", value: bigint) =>
        buildProposal(`${fn} ${value}`, "Footgun check.", [
          {
            kind: "call",
            target: governor.target as string,
            data:
              fn === "setProposalThresholdBps"
                ? governor.interface.encodeFunctionData("setProposalThresholdBps", [value])
                : governor.interface.encodeFunctionData("updateQuorumNumerator", [value]),
            summary: `${fn}(${value})`,
          },
        ]);
      const tooHighThreshold = set("setProposalThresholdBps", 1_001n);
      const id1 = await proposeAndQueue(s, tooHighThreshold);
      await expect(executeWhenDue(s, id1, tooHighThreshold))
        .to.be.revertedWithCustomError(governor, "InvalidProposalThresholdBps")
        .withArgs(1_001n);
      const tooHighQuorum = set("updateQuorumNumerator", 51n);
      const id2 = await proposeAndQueue(s, tooHighQuorum);
      await expect(executeWhenDue(s, id2, tooHighQuorum))
        .to.be.revertedWithCustomError(governor, "InvalidQuorum")
        .withArgs(51n);
      const atTheCaps = buildProposal("At the caps", "Allowed.", [
        {
          kind: "call",
          target: governor.target as string,
          data: governor.interface.encodeFunctionData("setProposalThresholdBps", [1_000n]),
          summary: "threshold 10%",
        },
        {
          kind: "call",
          target: governor.target as string,
          data: governor.interface.encodeFunctionData("updateQuorumNumerator", [50n]),
          summary: "quorum 50%",
        },
      ]);
      const id3 = await proposeAndQueue(s, atTheCaps);
      await executeWhenDue(s, id3, atTheCaps);
      expect(await governor.proposalThresholdBps()).to.equal(1_000n);
      expect(await governor["quorumNumerator()"]()).to.equal(50n);
    });

    it("unsetting the guardian ends its term at once", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, guardian } = s;
      expect(await governor.proposalGuardian()).to.equal(guardian.address);
      const p = buildProposal("No guardian", "Retire it.", [
        {
          kind: "call",
          target: governor.target as string,
          data: governor.interface.encodeFunctionData("setProposalGuardian", [ZeroAddress]),
          summary: "No proposal guardian",
        },
      ]);
      const id = await proposeAndQueue(s, p);
      await executeWhenDue(s, id, p);
      expect(await governor.guardianTermEnd()).to.equal(0n);
      expect(await governor.proposalGuardian()).to.equal(ZeroAddress);
    });
  });

  describe("every privileged function of every contract", () => {
    /** How a call is refused: the contract that declares the error, its name and its arguments. */
    interface Refusal {
      contract: BaseContract;
      error: string;
      args: unknown[];
    }

    interface Privileged {
      /** Function name as in the ABI. */
      fn: string;
      call: (who: HardhatEthersSigner) => Promise<ContractTransactionResponse>;
      refusal: (who: HardhatEthersSigner) => Refusal;
      /** The guardian may call it: `pause()` on the controller, the pool and the subnets. */
      guardianMay?: boolean;
      /** The account that holds the power: it gets past the check (positive control). */
      holder?: string;
    }

    interface Target {
      name: string;
      iface: Interface;
      privileged: Privileged[];
      /** Functions anyone may call (their own funds, their own votes, permissionless upkeep). */
      open: string[];
    }

    async function targets(s: GovernedSystem): Promise<Target[]> {
      const { core, governor, timelock } = s;
      const { manager, controller, pool, buckets, subnets, protectionFund, token, factory } = core;
      const managerAddress = await manager.getAddress();
      const factoryAddress = await factory.getAddress();
      const controllerAddress = await controller.getAddress();
      const timelockAddress = await timelock.getAddress();
      const governorAddress = await governor.getAddress();
      const fundAddress = await protectionFund.getAddress();
      const tokenAddress = await token.getAddress();
      const anyone = s.mallory.address;

      const managed =
        (c: BaseContract) =>
        (who: HardhatEthersSigner): Refusal => ({
          contract: c,
          error: "AccessManagedUnauthorized",
          args: [who.address],
        });
      const setAuthority = (
        c: {
          connect(s: HardhatEthersSigner): { setAuthority(a: string): Promise<ContractTransactionResponse> };
        } & BaseContract,
      ): Privileged => ({
        fn: "setAuthority",
        call: (w) => c.connect(w).setAuthority(managerAddress),
        refusal: managed(c),
        holder: managerAddress,
      });

      const out: Target[] = [];

      out.push({
        name: "EmissionController",
        iface: EmissionController__factory.createInterface(),
        open: ["distribute"],
        privileged: [
          {
            fn: "setShares",
            call: (w) => controller.connect(w).setShares(DEFAULT_SHARES),
            refusal: managed(controller),
            holder: timelockAddress,
          },
          {
            fn: "setMaxShareStep",
            call: (w) => controller.connect(w).setMaxShareStep(1_000n),
            refusal: managed(controller),
            holder: timelockAddress,
          },
          {
            fn: "setRecipient",
            call: (w) => controller.connect(w).setRecipient(Bucket.Protection, fundAddress, false),
            refusal: managed(controller),
            holder: timelockAddress,
          },
          {
            fn: "pause",
            call: (w) => controller.connect(w).pause(),
            refusal: managed(controller),
            guardianMay: true,
            holder: timelockAddress,
          },
          {
            fn: "unpause",
            call: (w) => controller.connect(w).unpause(),
            refusal: managed(controller),
            holder: timelockAddress,
          },
          setAuthority(controller),
        ],
      });

      out.push({
        name: "CapitalPool",
        iface: CapitalPool__factory.createInterface(),
        open: ["deposit", "depositWithPermit", "withdraw", "claim", "claimTo", "exit"],
        privileged: [
          {
            fn: "notifyRewards",
            call: (w) => pool.connect(w).notifyRewards(),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          {
            fn: "onEmission",
            call: (w) => pool.connect(w).onEmission(Bucket.Capital, 0n),
            refusal: managed(pool),
            holder: controllerAddress,
          },
          {
            fn: "setRewardsDuration",
            call: (w) => pool.connect(w).setRewardsDuration(14n * DAY),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          {
            fn: "setMinDeposit",
            call: (w) => pool.connect(w).setMinDeposit(10n ** 18n),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          {
            fn: "setWithdrawLock",
            call: (w) => pool.connect(w).setWithdrawLock(DAY),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          {
            fn: "recoverERC20",
            call: (w) => pool.connect(w).recoverERC20(tokenAddress, w.address, 1n),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          {
            fn: "skim",
            call: (w) => pool.connect(w).skim(w.address),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          {
            fn: "pause",
            call: (w) => pool.connect(w).pause(),
            refusal: managed(pool),
            guardianMay: true,
            holder: timelockAddress,
          },
          {
            fn: "unpause",
            call: (w) => pool.connect(w).unpause(),
            refusal: managed(pool),
            holder: timelockAddress,
          },
          setAuthority(pool),
        ],
      });

      for (const [i, bucket] of buckets.entries()) {
        out.push({
          name: `ContributionBucket ${i}`,
          iface: ContributionBucket__factory.createInterface(),
          // Holders' gauge votes, and the permissionless split and poke.
          open: ["allocate", "pull", "vote", "poke"],
          privileged: [
            {
              fn: "onEmission",
              call: (w) => bucket.connect(w).onEmission(i, 0n),
              refusal: managed(bucket),
              holder: controllerAddress,
            },
            {
              fn: "setFloors",
              call: (w) => bucket.connect(w).setFloors([anyone], [10_000]),
              refusal: managed(bucket),
              holder: timelockAddress,
            },
            {
              fn: "addSubnet",
              call: (w) => bucket.connect(w).addSubnet(anyone),
              refusal: managed(bucket),
              holder: factoryAddress,
            },
            {
              fn: "kill",
              call: async (w) => bucket.connect(w).kill(await subnets[i].getAddress()),
              refusal: managed(bucket),
              holder: timelockAddress,
            },
            {
              fn: "setGaugeParams",
              call: (w) =>
                bucket.connect(w).setGaugeParams({
                  maxSubnets: 8,
                  maxVotes: 4,
                  lookback: DAY,
                  immunity: 0,
                  capBps: 10_000,
                  feeBurnBps: 0,
                }),
              refusal: managed(bucket),
              holder: timelockAddress,
            },
            setAuthority(bucket),
          ],
        });
      }

      for (const [i, subnet] of subnets.entries()) {
        const notOwner = (w: HardhatEthersSigner): Refusal => ({
          contract: subnet,
          error: "NotOwner",
          args: [w.address],
        });
        out.push({
          name: `Subnet ${i}`,
          iface: Subnet__factory.createInterface(),
          open: [
            "register",
            "deregister",
            "stake",
            "unstake",
            "withdrawUnbonded",
            "commit",
            "reveal",
            "finalizeRound",
            "claim",
            "claimFor",
            // Users of the subnet's service pay its fees.
            "payFee",
            "payFeeWithPermit",
          ],
          privileged: [
            {
              // Set up once, by its constructor here (a clone: by the factory, in its creating transaction).
              fn: "initialize",
              call: (w) =>
                subnet.connect(w).initialize(managerAddress, w.address, "u", DEFAULT_SUBNET_PARAMS, [10_000]),
              refusal: () => ({ contract: subnet, error: "AlreadyInitialized", args: [] }),
            },
            {
              fn: "retire",
              call: (w) => subnet.connect(w).retire(),
              refusal: (w) => ({ contract: subnet, error: "NotBucket", args: [w.address] }),
              holder: buckets[i].target as string,
            },
            {
              fn: "setParams",
              call: (w) => subnet.connect(w).setParams(DEFAULT_SUBNET_PARAMS),
              refusal: managed(subnet),
              holder: timelockAddress,
            },
            {
              fn: "setMetricWeights",
              call: (w) => subnet.connect(w).setMetricWeights([10_000]),
              refusal: managed(subnet),
              holder: timelockAddress,
            },
            {
              fn: "slash",
              call: (w) => subnet.connect(w).slash(s.validator.address, 1n),
              refusal: managed(subnet),
              holder: timelockAddress,
            },
            {
              fn: "setRegistrationPricing",
              call: (w) =>
                subnet.connect(w).setRegistrationPricing({
                  minFee: 0n,
                  maxFee: 0n,
                  interval: 86_400,
                  target: 1,
                  evictionFloorBps: 0,
                }),
              refusal: managed(subnet),
              holder: timelockAddress,
            },
            {
              fn: "setKeeperTip",
              call: (w) => subnet.connect(w).setKeeperTip(0),
              refusal: managed(subnet),
              holder: timelockAddress,
            },
            {
              fn: "pause",
              call: (w) => subnet.connect(w).pause(),
              refusal: managed(subnet),
              guardianMay: true,
              holder: timelockAddress,
            },
            {
              fn: "unpause",
              call: (w) => subnet.connect(w).unpause(),
              refusal: managed(subnet),
              holder: timelockAddress,
            },
            setAuthority(subnet),
            // The owner's (the protection fund's) functions.
            {
              fn: "setMetadataURI",
              call: (w) => subnet.connect(w).setMetadataURI("ipfs://hijacked"),
              refusal: notOwner,
              holder: fundAddress,
            },
            {
              fn: "transferOwnership",
              call: (w) => subnet.connect(w).transferOwnership(w.address),
              refusal: notOwner,
              holder: fundAddress,
            },
          ],
        });
      }

      out.push({
        name: "SubnetFactory",
        iface: SubnetFactory__factory.createInterface(),
        // Anyone launches a subnet (burning the cost).
        open: ["launch"],
        privileged: [
          {
            fn: "setLaunchPricing",
            call: (w) =>
              factory.connect(w).setLaunchPricing({ minCost: 1n, maxCost: 10n ** 24n, decayPeriod: DAY }),
            refusal: managed(factory),
            holder: timelockAddress,
          },
          {
            fn: "setLaunchBounds",
            call: (w) =>
              factory.connect(w).setLaunchBounds({
                maxOwnerShareBps: 10_000,
                minBond: 0n,
                maxBond: 10n ** 24n,
                minValidatorStake: 0n,
              }),
            refusal: managed(factory),
            holder: timelockAddress,
          },
          setAuthority(factory),
        ],
      });

      out.push({
        name: "Treasury (protection fund)",
        iface: Treasury__factory.createInterface(),
        open: [],
        privileged: [
          {
            fn: "release",
            call: (w) => protectionFund.connect(w).release(tokenAddress, w.address, 1n),
            refusal: managed(protectionFund),
            holder: timelockAddress,
          },
          {
            fn: "setMaxReleaseBps",
            call: (w) => protectionFund.connect(w).setMaxReleaseBps(1_000n),
            refusal: managed(protectionFund),
            holder: timelockAddress,
          },
          setAuthority(protectionFund),
        ],
      });

      const admin = (w: HardhatEthersSigner): Refusal => ({
        contract: manager,
        error: "AccessManagerUnauthorizedAccount",
        args: [w.address, ROLES.ADMIN],
      });
      const setSharesData = controller.interface.encodeFunctionData("setShares", [DEFAULT_SHARES]);
      const setSharesSelector = controller.interface.getFunction("setShares").selector;
      const unauthorizedCall = (w: HardhatEthersSigner): Refusal => ({
        contract: manager,
        error: "AccessManagerUnauthorizedCall",
        args: [w.address, controllerAddress, setSharesSelector],
      });
      out.push({
        name: "TetradAccessManager",
        iface: TetradAccessManager__factory.createInterface(),
        // renounceRole: one's own roles; cancel: one's own scheduled operations (or as admin/guardian);
        // consumeScheduledOp: called by targets for their own scheduled operations.
        open: ["renounceRole", "cancel", "consumeScheduledOp"],
        privileged: [
          {
            fn: "grantRole",
            call: (w) => manager.connect(w).grantRole(ROLES.ADMIN, w.address, 0),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "revokeRole",
            call: (w) => manager.connect(w).revokeRole(ROLES.ADMIN, timelockAddress),
            refusal: admin,
            // The holder would revoke itself: checked through `setRoleAdmin` & co instead.
          },
          {
            fn: "setTargetFunctionRole",
            call: (w) =>
              manager.connect(w).setTargetFunctionRole(controllerAddress, [setSharesSelector], GUARDIAN_ROLE),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "setRoleAdmin",
            call: (w) => manager.connect(w).setRoleAdmin(GUARDIAN_ROLE, GUARDIAN_ROLE),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "setRoleGuardian",
            call: (w) => manager.connect(w).setRoleGuardian(GUARDIAN_ROLE, GUARDIAN_ROLE),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "setGrantDelay",
            call: (w) => manager.connect(w).setGrantDelay(GUARDIAN_ROLE, 0),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "setTargetAdminDelay",
            call: (w) => manager.connect(w).setTargetAdminDelay(controllerAddress, 0),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "setTargetClosed",
            call: (w) => manager.connect(w).setTargetClosed(controllerAddress, true),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "labelRole",
            call: (w) => manager.connect(w).labelRole(GUARDIAN_ROLE, "PWNED"),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "updateAuthority",
            call: (w) => manager.connect(w).updateAuthority(controllerAddress, managerAddress),
            refusal: admin,
            holder: timelockAddress,
          },
          {
            fn: "execute",
            call: (w) => manager.connect(w).execute(controllerAddress, setSharesData),
            refusal: unauthorizedCall,
            holder: timelockAddress,
          },
          {
            // Scheduling is for roles with an execution delay; no role has one, so nobody schedules.
            fn: "schedule",
            call: (w) => manager.connect(w).schedule(controllerAddress, setSharesData, 0),
            refusal: unauthorizedCall,
          },
          {
            // multicall delegates to the manager itself: the inner call's own check applies.
            fn: "multicall",
            call: (w) =>
              manager
                .connect(w)
                .multicall([manager.interface.encodeFunctionData("grantRole", [ROLES.ADMIN, w.address, 0])]),
            refusal: admin,
            holder: timelockAddress,
          },
        ],
      });

      const onlyExecutor = (w: HardhatEthersSigner): Refusal => ({
        contract: governor,
        error: "GovernorOnlyExecutor",
        args: [w.address],
      });
      // onlyGovernance: only the Timelock, and only while executing a proposal that contains the call
      // (the positive controls are the proposals of Governance.test.ts).
      out.push({
        name: "TetradGovernor",
        iface: TetradGovernor__factory.createInterface(),
        open: [
          "propose",
          "queue",
          "execute",
          "cancel", // validated: proposer while Pending, or the proposal guardian
          "castVote",
          "castVoteWithReason",
          "castVoteWithReasonAndParams",
          "castVoteBySig",
          "castVoteWithReasonAndParamsBySig",
          "onERC721Received",
          "onERC1155Received",
          "onERC1155BatchReceived",
        ],
        privileged: [
          { fn: "setVotingDelay", call: (w) => governor.connect(w).setVotingDelay(0), refusal: onlyExecutor },
          {
            fn: "setVotingPeriod",
            call: (w) => governor.connect(w).setVotingPeriod(1),
            refusal: onlyExecutor,
          },
          {
            fn: "setProposalThreshold",
            call: (w) => governor.connect(w).setProposalThreshold(0),
            refusal: onlyExecutor,
          },
          {
            fn: "setProposalThresholdBps",
            call: (w) => governor.connect(w).setProposalThresholdBps(0),
            refusal: onlyExecutor,
          },
          {
            fn: "setVoteLookback",
            call: (w) => governor.connect(w).setVoteLookback(DAY),
            refusal: onlyExecutor,
          },
          {
            fn: "setQuorumFloor",
            call: (w) => governor.connect(w).setQuorumFloor(0),
            refusal: onlyExecutor,
          },
          {
            fn: "updateQuorumNumerator",
            call: (w) => governor.connect(w).updateQuorumNumerator(0),
            refusal: onlyExecutor,
          },
          {
            fn: "setLateQuorumVoteExtension",
            call: (w) => governor.connect(w).setLateQuorumVoteExtension(0),
            refusal: onlyExecutor,
          },
          {
            fn: "setProposalGuardian",
            call: (w) => governor.connect(w).setProposalGuardian(w.address),
            refusal: onlyExecutor,
          },
          {
            fn: "relay",
            call: (w) =>
              governor
                .connect(w)
                .relay(tokenAddress, 0n, token.interface.encodeFunctionData("transfer", [w.address, 1n])),
            refusal: onlyExecutor,
          },
          {
            fn: "updateTimelock",
            call: (w) => governor.connect(w).updateTimelock(anyone),
            refusal: onlyExecutor,
          },
        ],
      });

      const PROPOSER = await timelock.PROPOSER_ROLE();
      const CANCELLER = await timelock.CANCELLER_ROLE();
      const EXECUTOR = await timelock.EXECUTOR_ROLE();
      const DEFAULT_ADMIN = await timelock.DEFAULT_ADMIN_ROLE();
      const missing =
        (role: string) =>
        (w: HardhatEthersSigner): Refusal => ({
          contract: timelock,
          error: "AccessControlUnauthorizedAccount",
          args: [w.address, role],
        });
      // The executor role is open (held by address 0): what stops anyone is that nothing is ready.
      const opId = await timelock.hashOperation(controllerAddress, 0n, setSharesData, ZeroHash, ZeroHash);
      const batchId = await timelock.hashOperationBatch(
        [controllerAddress],
        [0n],
        [setSharesData],
        ZeroHash,
        ZeroHash,
      );
      const notReady = (id: string) => (): Refusal => ({
        contract: timelock,
        error: "TimelockUnexpectedOperationState",
        args: [id, TIMELOCK_READY],
      });
      const delay = DEFAULT_GOVERNANCE.timelockDelay;
      out.push({
        name: "TetradTimelock",
        iface: TetradTimelock__factory.createInterface(),
        open: ["renounceRole", "onERC721Received", "onERC1155Received", "onERC1155BatchReceived"],
        privileged: [
          {
            fn: "schedule",
            call: (w) =>
              timelock.connect(w).schedule(controllerAddress, 0n, setSharesData, ZeroHash, ZeroHash, delay),
            refusal: missing(PROPOSER),
            holder: governorAddress,
          },
          {
            fn: "scheduleBatch",
            call: (w) =>
              timelock
                .connect(w)
                .scheduleBatch([controllerAddress], [0n], [setSharesData], ZeroHash, ZeroHash, delay),
            refusal: missing(PROPOSER),
            holder: governorAddress,
          },
          {
            fn: "cancel",
            call: (w) => timelock.connect(w).cancel(opId),
            refusal: missing(CANCELLER),
            holder: governorAddress,
          },
          {
            fn: "execute",
            call: (w) =>
              timelock.connect(w).execute(controllerAddress, 0n, setSharesData, ZeroHash, ZeroHash),
            refusal: notReady(opId),
          },
          {
            fn: "executeBatch",
            call: (w) =>
              timelock
                .connect(w)
                .executeBatch([controllerAddress], [0n], [setSharesData], ZeroHash, ZeroHash),
            refusal: notReady(batchId),
          },
          {
            fn: "updateDelay",
            call: (w) => timelock.connect(w).updateDelay(0n),
            refusal: (w) => ({ contract: timelock, error: "TimelockUnauthorizedCaller", args: [w.address] }),
            holder: timelockAddress,
          },
          {
            fn: "grantRole",
            call: (w) => timelock.connect(w).grantRole(PROPOSER, w.address),
            refusal: missing(DEFAULT_ADMIN),
            holder: timelockAddress,
          },
          {
            fn: "revokeRole",
            call: (w) => timelock.connect(w).revokeRole(EXECUTOR, ZeroAddress),
            refusal: missing(DEFAULT_ADMIN),
            holder: timelockAddress,
          },
        ],
      });

      out.push({
        name: "Tetrad (TTD)",
        iface: Tetrad__factory.createInterface(),
        open: [
          "approve",
          "transfer",
          "transferFrom",
          "burn",
          "burnFrom",
          "delegate",
          "delegateBySig",
          "permit",
        ],
        privileged: [
          {
            fn: "mint",
            call: (w) => token.connect(w).mint(w.address, 1n),
            refusal: (w) => ({ contract: token, error: "TetradUnauthorizedMinter", args: [w.address] }),
            holder: controllerAddress,
          },
        ],
      });
      return out;
    }

    const NAMES = [
      "EmissionController",
      "CapitalPool",
      "ContributionBucket 0",
      "ContributionBucket 1",
      "ContributionBucket 2",
      "Subnet 0",
      "Subnet 1",
      "Subnet 2",
      "SubnetFactory",
      "Treasury (protection fund)",
      "TetradAccessManager",
      "TetradGovernor",
      "TetradTimelock",
      "Tetrad (TTD)",
    ];

    it("lists every state-changing function of every contract as privileged or open", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const all = await targets(s);
      expect(all.map((t) => t.name)).to.deep.equal(NAMES);
      for (const t of all) {
        const listed = new Set([...t.privileged.map((p) => p.fn), ...t.open]);
        const unlisted: string[] = [];
        t.iface.forEachFunction((f) => {
          if (f.stateMutability !== "view" && f.stateMutability !== "pure" && !listed.has(f.name))
            unlisted.push(f.name);
        });
        expect(unlisted, `${t.name}: state-changing functions neither privileged nor open`).to.deep.equal([]);
        for (const p of t.privileged)
          expect(t.iface.hasFunction(p.fn), `${t.name}.${p.fn} exists`).to.equal(true);
      }
    });

    for (const name of NAMES) {
      it(`${name}: refuses a stranger, the deployer and the guardian (but the guardian's pause); the holder passes`, async () => {
        const s = await loadFixture(deployGovernedSystem);
        const target = (await targets(s)).find((t) => t.name === name)!;
        const callers: [string, HardhatEthersSigner][] = [
          ["stranger", s.stranger],
          ["deployer", s.deployer],
          ["guardian", s.guardian],
        ];
        for (const p of target.privileged) {
          for (const [label, who] of callers) {
            if (label === "guardian" && p.guardianMay) {
              await labelled(`${name}.${p.fn} by the guardian`, () =>
                expect(p.call(who)).to.emit(p.refusal(who).contract, "Paused").withArgs(who.address),
              );
              continue;
            }
            const r = p.refusal(who);
            await labelled(`${name}.${p.fn} by the ${label}`, () =>
              expect(p.call(who))
                .to.be.revertedWithCustomError(r.contract, r.error)
                .withArgs(...r.args),
            );
          }
        }
        // Positive controls, after every refusal, each from the same state: the holder gets past the check.
        for (const p of target.privileged) {
          if (p.holder === undefined) continue;
          const snapshot = await takeSnapshot();
          const holder = await impersonate(p.holder);
          const r = p.refusal(holder);
          await labelled(`${name}.${p.fn} by its holder ${p.holder}`, () =>
            expect(p.call(holder)).not.to.be.revertedWithCustomError(r.contract, r.error),
          );
          await snapshot.restore();
        }
      });
    }
  });

  describe("who holds the powers after deployment", () => {
    it("no externally owned account holds an AccessManager role but the guardian's; the Timelock is the admin", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { manager } = s.core;
      const timelockAddress = await s.timelock.getAddress();
      // Replay every grant and revocation since the deployment.
      const members = await managerRoleMembers(manager, s.fromBlock);
      expect([...(members.get(ROLES.ADMIN) ?? [])], "ADMIN_ROLE").to.deep.equal([timelockAddress]);
      expect([...(members.get(ROLES.DISTRIBUTOR) ?? [])], "DISTRIBUTOR").to.deep.equal([
        await s.core.controller.getAddress(),
      ]);
      expect([...(members.get(GUARDIAN_ROLE) ?? [])].sort(), "GUARDIAN").to.deep.equal(
        [s.guardian.address, timelockAddress].sort(),
      );
      expect([...(members.get(ROLES.LAUNCHER) ?? [])], "LAUNCHER").to.deep.equal([
        await s.core.factory.getAddress(),
      ]);
      expect([...members.keys()].sort()).to.deep.equal([
        ROLES.ADMIN,
        ROLES.DISTRIBUTOR,
        GUARDIAN_ROLE,
        ROLES.LAUNCHER,
      ]);
      for (const [role, set] of members) {
        for (const account of set) {
          const isContract = (await ethers.provider.getCode(account)) !== "0x";
          if (role === GUARDIAN_ROLE && account === s.guardian.address) continue; // the guardian: pause only
          expect(isContract, `role ${role} held by an EOA ${account}`).to.equal(true);
        }
      }
      expect(await manager.hasRole(ROLES.ADMIN, s.deployer.address)).to.deep.equal([false, 0n]);
      expect(await manager.hasRole(ROLES.ADMIN, timelockAddress)).to.deep.equal([true, 0n]);
      for (const role of [ROLES.ADMIN, ROLES.DISTRIBUTOR, GUARDIAN_ROLE, ROLES.LAUNCHER]) {
        expect((await manager.hasRole(role, s.deployer.address))[0], `deployer in role ${role}`).to.equal(
          false,
        );
        expect(await manager.getRoleAdmin(role), `admin of role ${role}`).to.equal(ROLES.ADMIN);
        expect(await manager.getRoleGuardian(role), `guardian of role ${role}`).to.equal(ROLES.ADMIN);
        expect(await manager.getRoleGrantDelay(role)).to.equal(0n);
      }
    });

    it("maps only pause() to the guardian's role, only onEmission to the controller's, only addSubnet to the factory's", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { manager, controller, pool, buckets, subnets, protectionFund, factory } = s.core;
      const managerAddress = await manager.getAddress();
      const pauseSel = controller.interface.getFunction("pause").selector;
      const onEmissionSel = pool.interface.getFunction("onEmission").selector;
      const addSubnetSel = buckets[0].interface.getFunction("addSubnet").selector;
      const managedTargets: [string, BaseContract, Interface][] = [
        ["controller", controller, controller.interface],
        ["pool", pool, pool.interface],
        ...buckets.map((b, i): [string, BaseContract, Interface] => [`bucket ${i}`, b, b.interface]),
        ...subnets.map((n, i): [string, BaseContract, Interface] => [`subnet ${i}`, n, n.interface]),
        ["protection fund", protectionFund, protectionFund.interface],
        ["factory", factory, factory.interface],
      ];
      for (const [label, c, iface] of managedTargets) {
        const address = await c.getAddress();
        const authority = Treasury__factory.connect(address, ethers.provider);
        expect(await authority.authority(), `${label}'s authority`).to.equal(managerAddress);
        expect(await manager.isTargetClosed(address)).to.equal(false);
        expect(await manager.getTargetAdminDelay(address)).to.equal(0n);
        const pausable = label === "controller" || label === "pool" || label.startsWith("subnet");
        const notified = label === "pool" || label.startsWith("bucket");
        for (const sel of stateChangingSelectors(iface)) {
          const role = await manager.getTargetFunctionRole(address, sel);
          const expected =
            sel === pauseSel && pausable
              ? GUARDIAN_ROLE
              : sel === onEmissionSel && notified
                ? ROLES.DISTRIBUTOR
                : sel === addSubnetSel && label.startsWith("bucket")
                  ? ROLES.LAUNCHER
                  : ROLES.ADMIN;
          expect(role, `${label} ${iface.getFunction(sel)!.name}`).to.equal(expected);
        }
      }
    });

    it("the Timelock administers itself alone; the Governor alone proposes and cancels; anyone executes", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { timelock, governor } = s;
      const timelockAddress = await timelock.getAddress();
      const governorAddress = await governor.getAddress();
      const roles = {
        DEFAULT_ADMIN: await timelock.DEFAULT_ADMIN_ROLE(),
        PROPOSER: await timelock.PROPOSER_ROLE(),
        CANCELLER: await timelock.CANCELLER_ROLE(),
        EXECUTOR: await timelock.EXECUTOR_ROLE(),
      };
      const members = await timelockRoleMembers(timelock, s.fromBlock);
      expect([...(members.get(roles.DEFAULT_ADMIN) ?? [])], "DEFAULT_ADMIN_ROLE").to.deep.equal([
        timelockAddress,
      ]);
      expect([...(members.get(roles.PROPOSER) ?? [])], "PROPOSER_ROLE").to.deep.equal([governorAddress]);
      expect([...(members.get(roles.CANCELLER) ?? [])], "CANCELLER_ROLE").to.deep.equal([governorAddress]);
      expect([...(members.get(roles.EXECUTOR) ?? [])], "EXECUTOR_ROLE").to.deep.equal([ZeroAddress]);
      for (const [name, role] of Object.entries(roles)) {
        expect(await timelock.getRoleAdmin(role), `admin of ${name}`).to.equal(roles.DEFAULT_ADMIN);
        for (const who of [s.deployer, s.guardian, s.alice]) {
          expect(await timelock.hasRole(role, who.address), `${who.address} in ${name}`).to.equal(false);
        }
      }
      expect(await timelock.hasRole(roles.DEFAULT_ADMIN, timelockAddress)).to.equal(true);
      expect(await timelock.hasRole(roles.DEFAULT_ADMIN, governorAddress)).to.equal(false);
    });
  });

  describe("minting", () => {
    it("a proposal cannot mint TTD: the token's only minter is the controller", async () => {
      const s = await loadFixture(deployGovernedSystem);
      const { governor, timelock, alice } = s;
      const { token, controller } = s.core;
      const tokenAddress = await token.getAddress();
      expect(await token.minter()).to.equal(await controller.getAddress());
      const mint = token.interface.encodeFunctionData("mint", [alice.address, 1_000_000n * TTD]);
      const p = buildProposal("Print money", "Mint a million TTD to alice.", [
        { kind: "call", target: tokenAddress, data: mint, summary: "Mint 1,000,000 TTD to alice" },
        // Through the Governor's relay the caller is the Governor: no better.
        {
          kind: "call",
          target: await governor.getAddress(),
          data: governor.interface.encodeFunctionData("relay", [tokenAddress, 0n, mint]),
          summary: "Relay the same mint",
        },
      ]);
      const id = await proposeAndQueue(s, p);
      const supply = await token.totalSupply();
      await time.increaseTo(await governor.proposalEta(id));
      await expect(execute(governor, p))
        .to.be.revertedWithCustomError(token, "TetradUnauthorizedMinter")
        .withArgs(await timelock.getAddress());
      const relayOnly = buildProposal("Print money through the relay", "The same.", [
        {
          kind: "call",
          target: await governor.getAddress(),
          data: governor.interface.encodeFunctionData("relay", [tokenAddress, 0n, mint]),
          summary: "Relay a mint",
        },
      ]);
      const rid = await proposeAndQueue(s, relayOnly);
      await time.increaseTo(await governor.proposalEta(rid));
      await expect(execute(governor, relayOnly))
        .to.be.revertedWithCustomError(token, "TetradUnauthorizedMinter")
        .withArgs(await governor.getAddress());
      expect(await token.totalSupply()).to.equal(supply);
      expect(await governor.state(id)).to.equal(ProposalState.Queued);
      // The supply never exceeds what the schedule has emitted, nor the cap.
      expect(await token.totalSupply()).to.equal(await controller.totalEmitted());
      expect(await token.cap()).to.equal(await controller.scheduleTotal());
    });
  });
});
