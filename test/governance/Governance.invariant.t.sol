// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TetradGovernor} from "../../contracts/governance/TetradGovernor.sol";
import {TetradTimelock} from "../../contracts/governance/TetradTimelock.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {Core, FuzzSelector, TetradTest} from "../utils/TetradTest.sol";

/// @notice Drives governance: holders move and delegate TTD, propose share changes, vote, queue and
/// execute; strangers and the guardian try every kind of parameter change directly.
contract GovernanceHandler is TetradTest {
    uint256 internal constant HOLDERS = 4;

    TetradGovernor public immutable governor;
    TetradTimelock public immutable timelock;
    EmissionController public immutable controller;
    Tetrad public immutable token;
    address public immutable guardian;
    address[HOLDERS] internal holders;

    uint256[] internal proposals;
    mapping(uint256 => uint16[5]) internal sharesOf;
    /// @dev The shares the controller must have: changed only by an executed proposal.
    uint16[5] public ghostShares;
    bool public ghostDirectChangeWorked;
    bool public ghostGuardianOverreached;

    constructor(Core memory c, TetradGovernor governor_, TetradTimelock timelock_, address guardian_) {
        governor = governor_;
        timelock = timelock_;
        controller = c.controller;
        token = c.token;
        guardian = guardian_;
        ghostShares = c.controller.shares();
        for (uint256 i; i < HOLDERS; ++i) holders[i] = address(uint160(0xF0 + i));
    }

    function holderAt(uint256 i) external view returns (address) {
        return holders[i];
    }

    function proposalCount() external view returns (uint256) {
        return proposals.length;
    }

    function proposalAt(uint256 i) external view returns (uint256) {
        return proposals[i];
    }

    // ----- holders -----

    function transfer(uint256 from, uint256 to, uint256 amount) external {
        address a = holders[from % HOLDERS];
        amount = bound(amount, 0, token.balanceOf(a));
        vm.prank(a);
        token.transfer(holders[to % HOLDERS], amount);
    }

    function delegate(uint256 who, uint256 to) external {
        vm.prank(holders[who % HOLDERS]);
        token.delegate(holders[to % HOLDERS]);
    }

    function propose(uint256 who, uint256 seed) public {
        uint16[5] memory shares;
        uint256 left = 10_000;
        for (uint256 i; i < 4; ++i) {
            shares[i] = uint16(bound(uint256(keccak256(abi.encode(seed, i))), 0, left));
            left -= shares[i];
        }
        shares[4] = uint16(left);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _call(shares);
        vm.prank(holders[who % HOLDERS]);
        try governor.propose(targets, values, calldatas, string(abi.encode(seed))) returns (uint256 id) {
            proposals.push(id);
            sharesOf[id] = shares;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function vote(uint256 who, uint256 which, uint8 support) external {
        if (proposals.length == 0) return;
        uint256 id = proposals[which % proposals.length];
        vm.prank(holders[who % HOLDERS]);
        try governor.castVote(id, support % 3) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function queue(uint256 which) external {
        if (proposals.length == 0) return;
        uint256 id = proposals[which % proposals.length];
        try governor.queue(id) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function execute(uint256 which) external {
        if (proposals.length == 0) return;
        uint256 id = proposals[which % proposals.length];
        try governor.execute(id) {
            ghostShares = sharesOf[id];
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A whole proposal in one step: propose, everyone votes (seeded support), queue, execute;
    /// the guardian may cancel it on the way.
    function lifecycle(uint256 seed) external {
        uint256 before = proposals.length;
        propose(seed, seed);
        if (proposals.length == before) return;
        uint256 id = proposals[before];
        vm.warp(block.timestamp + 1 days + 1);
        for (uint256 i; i < HOLDERS; ++i) {
            vm.prank(holders[i]);
            try governor.castVote(id, uint8((seed >> (8 * i)) % 3)) {} catch {} // solhint-disable-line no-empty-blocks
        }
        if ((seed >> 64) % 5 == 0) {
            vm.prank(guardian);
            governor.cancel(id);
        }
        vm.warp(block.timestamp + 5 days + 1);
        try governor.queue(id) {} catch {} // solhint-disable-line no-empty-blocks
        vm.warp(block.timestamp + 2 days + 1);
        try governor.execute(id) {
            ghostShares = sharesOf[id];
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function guardianCancels(uint256 which) external {
        if (proposals.length == 0) return;
        vm.prank(guardian);
        try governor.cancel(proposals[which % proposals.length]) {} catch {} // solhint-disable-line no-empty-blocks
    }

    // ----- outsiders try to change parameters directly -----

    function strangerSetsShares(uint256 callerSeed) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        if (caller == address(timelock)) return;
        _tryDirect(caller);
    }

    function guardianTriesEverything() external {
        _tryDirect(guardian);
        vm.prank(guardian);
        try governor.setProposalGuardian(address(0)) {
            ghostGuardianOverreached = true;
        } catch {} // solhint-disable-line no-empty-blocks
        vm.prank(guardian);
        try controller.unpause() {
            ghostGuardianOverreached = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    function _tryDirect(address caller) internal {
        uint16[5] memory shares = [uint16(0), 0, 0, 0, 10_000];
        vm.prank(caller);
        try controller.setShares(shares) {
            ghostDirectChangeWorked = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function _call(
        uint16[5] memory shares
    ) internal view returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        targets = new address[](1);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        targets[0] = address(controller);
        calldatas[0] = abi.encodeCall(EmissionController.setShares, (shares));
    }
}

/// @notice Governance invariants: parameters change only through an executed proposal (the Timelock);
/// votes on a proposal never exceed the supply at its snapshot; the guardian can only pause and cancel.
contract GovernanceInvariantTest is TetradTest {
    Core internal c;
    TetradGovernor internal governor;
    TetradTimelock internal timelock;
    GovernanceHandler internal handler;
    address internal constant GUARDIAN = address(0x6A2D);

    function setUp() public {
        c = deployCore(new MockStakeToken("Stake", "STK"), 0);
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        timelock = new TetradTimelock(2 days, none, anyone, address(this));
        governor = new TetradGovernor(
            c.token,
            timelock,
            TetradGovernor.Config({
                votingDelay: 1 days,
                votingPeriod: 5 days,
                proposalThresholdBps: 10,
                quorumPercent: 1, // the holders get 80% of the protection fund: 3.2% of the supply
                lateQuorumExtension: 1 days,
                guardian: GUARDIAN
            })
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));

        // Voting power from emission: the protection fund pays the holders before governance takes over.
        vm.warp(block.timestamp + 90 days);
        c.controller.distribute();
        handler = new GovernanceHandler(c, governor, timelock, GUARDIAN);
        uint256 fund = c.token.balanceOf(address(c.buckets[4]));
        for (uint256 i; i < 4; ++i) {
            c.buckets[4].release(c.token, handler.holderAt(i), fund / 5);
            vm.prank(handler.holderAt(i));
            c.token.delegate(handler.holderAt(i));
        }
        c.manager.grantRole(0, address(timelock), 0);
        c.manager.renounceRole(0, address(this));
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory s) {
        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = GovernanceHandler.transfer.selector;
        selectors[1] = GovernanceHandler.delegate.selector;
        selectors[2] = GovernanceHandler.propose.selector;
        selectors[3] = GovernanceHandler.vote.selector;
        selectors[4] = GovernanceHandler.queue.selector;
        selectors[5] = GovernanceHandler.execute.selector;
        selectors[6] = GovernanceHandler.guardianCancels.selector;
        selectors[7] = GovernanceHandler.strangerSetsShares.selector;
        selectors[8] = GovernanceHandler.guardianTriesEverything.selector;
        selectors[9] = GovernanceHandler.warp.selector;
        selectors[10] = GovernanceHandler.lifecycle.selector;
        s = new FuzzSelector[](1);
        s[0] = FuzzSelector(address(handler), selectors);
    }

    function invariant_ParametersChangeOnlyThroughExecutedProposals() public {
        uint16[5] memory shares = c.controller.shares();
        uint16[5] memory expected = [
            handler.ghostShares(0),
            handler.ghostShares(1),
            handler.ghostShares(2),
            handler.ghostShares(3),
            handler.ghostShares(4)
        ];
        for (uint256 i; i < 5; ++i)
            assertEq(uint256(shares[i]), uint256(expected[i]), "shares changed outside");
        assertFalse(handler.ghostDirectChangeWorked(), "a direct setShares succeeded");
    }

    function invariant_VotesNeverExceedTheSupplyAtTheSnapshot() public {
        uint256 n = handler.proposalCount();
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.proposalAt(i);
            uint256 snapshot = governor.proposalSnapshot(id);
            if (snapshot >= block.timestamp) continue;
            (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
            assertLte(
                against + forVotes + abstain,
                c.token.getPastTotalSupply(snapshot),
                "votes above supply"
            );
        }
    }

    function invariant_GuardianCanOnlyPauseAndCancel() public {
        assertFalse(handler.ghostGuardianOverreached(), "the guardian did more than pause and cancel");
    }
}
