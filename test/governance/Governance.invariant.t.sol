// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {TetradGovernor} from "../../contracts/governance/TetradGovernor.sol";
import {TetradTimelock} from "../../contracts/governance/TetradTimelock.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {EmissionSchedule} from "../../contracts/libraries/EmissionSchedule.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {Core, Dao, TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";
import {Wiring} from "../utils/Wiring.sol";

/// @notice An NFT to send to the Governor (which must refuse it) and the Timelock (which keeps it).
contract TestNFT is ERC721 {
    constructor() ERC721("Test NFT", "TNFT") {}

    function safeMint(address to, uint256 id) external {
        _safeMint(to, id);
    }
}

/// @notice The same for ERC-1155, single and batch.
contract TestMultiToken is ERC1155 {
    constructor() ERC1155("") {}

    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }

    function mintBatch(address to, uint256[] memory ids, uint256[] memory amounts) external {
        _mintBatch(to, ids, amounts, "");
    }
}

/// @notice Governance's settings as the ghost model holds them.
struct GovernorGhost {
    uint256 votingDelay;
    uint256 votingPeriod;
    uint256 threshold;
    uint256 thresholdBps;
    uint256 quorum;
    uint256 lateQuorum;
    address guardian;
    uint256 guardianTermEnd;
    address timelock;
    uint256 lookback;
    uint256 quorumFloor;
}

/// @notice Drives governance: holders move, approve, permit, burn and delegate TTD (also by signature);
/// they propose every kind of change (the controller's shares, the Governor's settings and guardian, the
/// Timelock's delay and roles, the AccessManager's roles and function roles, a relayed Timelock operation,
/// ETH payouts, a move to another Timelock), vote in every way, queue, execute and cancel; the guardian
/// pauses, cancels and renounces; strangers and the guardian try parameter changes directly; ETH and NFTs
/// are sent to the Governor and the Timelock.
contract GovernanceHandler is TetradTest {
    uint256 internal constant HOLDERS = 4;
    uint256 internal constant HOLDER_KEY = 0xF00D;
    uint256 internal constant KINDS = 18;
    uint64 internal constant ADMIN_ROLE = Wiring.ADMIN_ROLE;
    uint64 public constant GUARDIAN_ROLE = Wiring.GUARDIAN_ROLE;
    address internal constant ETH_RECIPIENT = address(0xE7E);

    TetradGovernor public immutable governor;
    TetradAccessManager public immutable manager;
    EmissionController public immutable controller;
    Tetrad public immutable token;
    address public immutable guardian;
    TestNFT public immutable nft;
    TestMultiToken public immutable multi;
    address[2] internal timelocks;
    address[HOLDERS] internal holders;

    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        bytes32 descriptionHash;
        uint256 kind;
        uint256 arg;
        address timelock; // the Timelock current when it was proposed
    }

    struct Relayed {
        address timelock;
        bytes data;
        bytes32 salt;
        uint16[5] shares;
    }

    uint256[] internal proposals;
    mapping(uint256 id => Proposal) internal proposalOf;
    mapping(uint256 id => uint16[5]) internal sharesOf;
    Relayed[] internal relayed;
    uint256 internal nextNftId;

    // ----- the ghost model -----
    /// @dev The shares the controller must have: changed only by an executed proposal (or an operation one
    /// scheduled).
    uint16[5] public ghostShares;
    GovernorGhost internal g;
    mapping(address timelock => uint256) public ghostMinDelay;
    mapping(address account => bool) public ghostAdmin; // AccessManager ADMIN_ROLE
    mapping(address account => bool) public ghostGuardianRole; // AccessManager GUARDIAN_ROLE
    mapping(address timelock => bool) public ghostGuardianCancels; // the guardian's CANCELLER_ROLE there
    uint64 public ghostPauseRole = GUARDIAN_ROLE; // the role of controller.pause()
    uint256 public ghostLookbackChangedAt; // when an executed proposal last set the vote lookback
    bool public ghostControllerPaused;
    mapping(address timelock => uint256) public ghostEth;
    uint256 public ghostEthPaid;
    mapping(address holder => uint256) public ghostNftsHeld; // ERC-721 tokens
    uint256 public ghostBurned;
    mapping(address owner => mapping(address spender => uint256)) public ghostAllowance;
    mapping(address holder => address) public ghostDelegate;
    bool public ghostDirectChangeWorked;
    bool public ghostGuardianOverreached;
    bool public ghostGuardianBlocked;
    bool public ghostGovernorAcceptedDeposit;
    bool public ghostTimelockRefusedDeposit;
    bool public ghostTokenMismatch;

    constructor(
        Core memory c,
        TetradGovernor governor_,
        TetradTimelock timelock_,
        TetradTimelock spare,
        address guardian_
    ) {
        governor = governor_;
        manager = c.manager;
        controller = c.controller;
        token = c.token;
        guardian = guardian_;
        nft = new TestNFT();
        multi = new TestMultiToken();
        timelocks = [address(timelock_), address(spare)];
        ghostShares = c.controller.shares();
        for (uint256 i; i < HOLDERS; ++i) {
            holders[i] = vm.addr(HOLDER_KEY + i);
            ghostDelegate[holders[i]] = holders[i]; // the test delegates each to itself
        }
        g = GovernorGhost({
            votingDelay: governor_.votingDelay(),
            votingPeriod: governor_.votingPeriod(),
            threshold: 0,
            thresholdBps: governor_.proposalThresholdBps(),
            quorum: governor_.quorumNumerator(),
            lateQuorum: governor_.lateQuorumVoteExtension(),
            guardian: guardian_,
            guardianTermEnd: governor_.guardianTermEnd(),
            timelock: address(timelock_),
            lookback: governor_.voteLookback(),
            quorumFloor: governor_.quorumFloor()
        });
        ghostEth[address(timelock_)] = address(timelock_).balance;
        ghostMinDelay[address(timelock_)] = timelock_.getMinDelay();
        ghostMinDelay[address(spare)] = spare.getMinDelay();
        ghostAdmin[address(timelock_)] = true;
        ghostGuardianRole[address(timelock_)] = true;
        ghostGuardianRole[guardian_] = true;
    }

    // ----- views for the invariants -----

    function holderAt(uint256 i) external view returns (address) {
        return holders[i];
    }

    function timelockAt(uint256 i) external view returns (address) {
        return timelocks[i];
    }

    function proposalCount() external view returns (uint256) {
        return proposals.length;
    }

    function proposalAt(uint256 i) external view returns (uint256) {
        return proposals[i];
    }

    function ghostGovernor() external view returns (GovernorGhost memory) {
        return g;
    }

    // ----- holders: the token -----

    function transfer(uint256 from, uint256 to, uint256 amount) external {
        address a = holders[from % HOLDERS];
        amount = bound(amount, 0, token.balanceOf(a));
        vm.prank(a);
        token.transfer(holders[to % HOLDERS], amount);
    }

    function approve(uint256 owner, uint256 spender, uint256 amount) external {
        address o = holders[owner % HOLDERS];
        address s = holders[spender % HOLDERS];
        amount = amount % 3 == 0 ? type(uint256).max : bound(amount, 0, 1e24);
        vm.prank(o);
        token.approve(s, amount);
        ghostAllowance[o][s] = amount;
    }

    function permit(uint256 owner, uint256 spender, uint256 amount, bool junk) external {
        uint256 i = owner % HOLDERS;
        address o = holders[i];
        address s = holders[spender % HOLDERS];
        amount = bound(amount, 0, 1e24);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = permitDigest(token.DOMAIN_SEPARATOR(), o, s, amount, token.nonces(o), deadline);
        (uint8 v, bytes32 r, bytes32 sig) = vm.sign(HOLDER_KEY + i + (junk ? 1 : 0), digest);
        try token.permit(o, s, amount, deadline, v, r, sig) {
            if (junk) ghostTokenMismatch = true; // signed by someone else
            ghostAllowance[o][s] = amount;
        } catch {
            if (!junk) ghostTokenMismatch = true;
        }
    }

    function transferFrom(uint256 spender, uint256 owner, uint256 to, uint256 amount) external {
        address s = holders[spender % HOLDERS];
        address o = holders[owner % HOLDERS];
        amount = bound(amount, 0, _min(token.allowance(o, s), token.balanceOf(o)));
        vm.prank(s);
        token.transferFrom(o, holders[to % HOLDERS], amount);
        _spent(o, s, amount);
    }

    /// @dev Burns stay small (at most 1% of a balance) so that governance keeps working.
    function burn(uint256 who, uint256 amount) external {
        address a = holders[who % HOLDERS];
        amount = bound(amount, 0, token.balanceOf(a) / 100);
        vm.prank(a);
        token.burn(amount);
        ghostBurned += amount;
    }

    function burnFrom(uint256 spender, uint256 owner, uint256 amount) external {
        address s = holders[spender % HOLDERS];
        address o = holders[owner % HOLDERS];
        amount = bound(amount, 0, _min(token.allowance(o, s), token.balanceOf(o) / 100));
        vm.prank(s);
        token.burnFrom(o, amount);
        _spent(o, s, amount);
        ghostBurned += amount;
    }

    function delegate(uint256 who, uint256 to) external {
        address a = holders[who % HOLDERS];
        vm.prank(a);
        token.delegate(holders[to % HOLDERS]);
        ghostDelegate[a] = holders[to % HOLDERS];
    }

    /// @dev A signed delegation, submitted by anyone.
    function delegateBySig(uint256 who, uint256 to, uint256 relayerSeed) external {
        uint256 i = who % HOLDERS;
        address delegatee = holders[to % HOLDERS];
        uint256 expiry = block.timestamp + 1 hours;
        uint256 nonce = token.nonces(holders[i]);
        bytes32 digest = delegationDigest(token.DOMAIN_SEPARATOR(), delegatee, nonce, expiry);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(HOLDER_KEY + i, digest);
        vm.prank(address(uint160(bound(relayerSeed, 1, type(uint160).max))));
        token.delegateBySig(delegatee, nonce, expiry, v, r, s);
        ghostDelegate[holders[i]] = delegatee;
    }

    // ----- holders: proposals -----

    function propose(uint256 who, uint256 seed) public {
        uint256 kind = seed % KINDS;
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, uint256 arg) = _action(
            kind,
            seed
        );
        string memory description = string(abi.encode(seed));
        vm.prank(holders[who % HOLDERS]);
        try governor.propose(targets, values, calldatas, description) returns (uint256 id) {
            proposals.push(id);
            proposalOf[id] = Proposal(
                targets,
                values,
                calldatas,
                keccak256(bytes(description)),
                kind,
                arg,
                g.timelock
            );
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev One vote, by any of the five ways to cast one (the signed ones submitted by a relayer).
    function vote(uint256 who, uint256 which, uint8 support, uint256 how) public {
        if (proposals.length == 0) return;
        _vote(who % HOLDERS, proposals[which % proposals.length], support % 3, how % 5);
    }

    function queue(uint256 which, bool full) public {
        if (proposals.length == 0) return;
        uint256 id = proposals[which % proposals.length];
        Proposal storage p = proposalOf[id];
        if (full) {
            try governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash) {} catch {} // solhint-disable-line no-empty-blocks
        } else {
            try governor.queue(id) {} catch {} // solhint-disable-line no-empty-blocks
        }
    }

    function execute(uint256 which, bool full) public {
        if (proposals.length == 0) return;
        uint256 id = proposals[which % proposals.length];
        Proposal storage p = proposalOf[id];
        bool ok;
        if (full) {
            try governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash) {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        } else {
            try governor.execute(id) {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        }
        if (ok) _executed(id);
    }

    /// @dev The proposer withdraws its proposal (allowed while it is pending, or at any time when there
    /// is no guardian).
    function proposerCancels(uint256 which) external {
        if (proposals.length == 0) return;
        uint256 id = proposals[which % proposals.length];
        Proposal storage p = proposalOf[id];
        vm.prank(governor.proposalProposer(id));
        try governor.cancel(p.targets, p.values, p.calldatas, p.descriptionHash) {} catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A whole proposal in one step: propose, everyone votes (seeded support and way), queue,
    /// execute; the guardian may cancel it on the way.
    function lifecycle(uint256 seed) external {
        uint256 before = proposals.length;
        propose(seed, seed);
        if (proposals.length == before) return;
        uint256 id = proposals[before];
        vm.warp(governor.proposalSnapshot(id) + 1);
        // Hashed: the fuzzer favours small seeds, whose high bits are all zero.
        uint256 h = uint256(keccak256(abi.encode(seed, "lifecycle")));
        for (uint256 i; i < HOLDERS; ++i) {
            // Mostly for (so that most proposals pass and run), sometimes against or abstaining.
            uint256 r = (h >> (8 * i)) % 8;
            _vote(i, id, r == 0 ? 0 : (r == 1 ? 2 : 1), (h >> (8 * i + 3)) % 5);
        }
        if ((h >> 64) % 5 == 0) {
            vm.prank(guardian);
            try governor.cancel(id) {} catch {} // solhint-disable-line no-empty-blocks
        }
        vm.warp(governor.proposalDeadline(id) + 1);
        try governor.queue(id) {} catch {
            return;
        }
        vm.warp(governor.proposalEta(id));
        try governor.execute(id) {
            _executed(id);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev Anyone runs an operation a proposal scheduled on a Timelock through the Governor's relay.
    function executeRelayed(uint256 which) external {
        if (relayed.length == 0) return;
        Relayed storage r = relayed[which % relayed.length];
        TimelockController t = TimelockController(payable(r.timelock));
        uint256 readyAt = t.getTimestamp(t.hashOperation(address(controller), 0, r.data, bytes32(0), r.salt));
        if (readyAt > 1 && block.timestamp < readyAt) vm.warp(readyAt); // 1 marks a done operation
        try t.execute(address(controller), 0, r.data, bytes32(0), r.salt) {
            ghostShares = r.shares;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    // ----- the guardian -----

    function guardianCancels(uint256 which) external {
        if (proposals.length == 0) return;
        vm.prank(guardian);
        try governor.cancel(proposals[which % proposals.length]) {} catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev The guardian pauses the controller: it works exactly when the guardian holds the role and
    /// `pause()` is mapped to it.
    function guardianPauses() external {
        bool expected =
            ghostGuardianRole[guardian] && ghostPauseRole == GUARDIAN_ROLE && !ghostControllerPaused;
        vm.prank(guardian);
        try controller.pause() {
            if (!expected) ghostGuardianOverreached = true;
            ghostControllerPaused = true;
        } catch {
            if (expected) ghostGuardianBlocked = true;
        }
    }

    /// @dev The guardian steps down from its AccessManager role or its Timelock canceller role.
    function guardianRenounces(uint256 which) external {
        vm.startPrank(guardian);
        if (which % 2 == 0) {
            manager.renounceRole(GUARDIAN_ROLE, guardian);
            ghostGuardianRole[guardian] = false;
        } else {
            address t = timelocks[(which >> 1) % 2];
            TimelockController(payable(t)).renounceRole(keccak256("CANCELLER_ROLE"), guardian);
            ghostGuardianCancels[t] = false;
        }
        vm.stopPrank();
    }

    /// @dev The guardian cancels a pending operation at a Timelock directly (a relayed one or a queued
    /// proposal's): it works exactly when governance made it a canceller there.
    function guardianCancelsOperation(uint256 which) external {
        address t;
        bytes32 opId;
        if (which % 2 == 0 && relayed.length > 0) {
            Relayed storage r = relayed[(which >> 1) % relayed.length];
            t = r.timelock;
            opId = TimelockController(payable(t)).hashOperation(
                address(controller),
                0,
                r.data,
                bytes32(0),
                r.salt
            );
        } else if (proposals.length > 0) {
            Proposal storage p = proposalOf[proposals[(which >> 1) % proposals.length]];
            t = p.timelock;
            bytes32 salt = bytes20(address(governor)) ^ p.descriptionHash;
            opId = TimelockController(payable(t)).hashOperationBatch(
                p.targets,
                p.values,
                p.calldatas,
                0,
                salt
            );
        } else {
            return;
        }
        bool expected = ghostGuardianCancels[t] && TimelockController(payable(t)).isOperationPending(opId);
        vm.prank(guardian);
        try TimelockController(payable(t)).cancel(opId) {
            if (!expected) ghostGuardianOverreached = true;
        } catch {
            if (expected) ghostGuardianBlocked = true;
        }
    }

    // ----- outsiders try to change parameters directly -----

    function strangerSetsShares(uint256 callerSeed) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        if (caller == timelocks[0] || caller == timelocks[1]) return;
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
        vm.prank(guardian);
        try manager.grantRole(ADMIN_ROLE, guardian, 0) {
            ghostGuardianOverreached = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    // ----- deposits: ETH and NFTs -----

    /// @dev ETH to the Timelock (kept, and paid out only by proposals) or to the Governor (refused: the
    /// Timelock is the executor).
    function sendEth(uint256 amount, uint256 where) external {
        amount = bound(amount, 1, 10 ether);
        vm.deal(address(this), amount);
        if (where % 3 == 2) {
            (bool ok, ) = payable(address(governor)).call{value: amount}("");
            if (ok) ghostGovernorAcceptedDeposit = true;
        } else {
            address t = timelocks[where % 3];
            (bool ok, ) = payable(t).call{value: amount}("");
            if (ok) ghostEth[t] += amount;
            else ghostTimelockRefusedDeposit = true;
        }
    }

    /// @dev An ERC-721, an ERC-1155 or an ERC-1155 batch to a Timelock (kept) or to the Governor (refused).
    function sendNft(uint256 kind, uint256 where) external {
        address to = where % 3 == 2 ? address(governor) : timelocks[where % 3];
        uint256 id = ++nextNftId;
        bool ok;
        kind %= 3;
        if (kind == 0) {
            try nft.safeMint(to, id) {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        } else if (kind == 1) {
            try multi.mint(to, id, 3) {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        } else {
            uint256[] memory ids = new uint256[](2);
            uint256[] memory amounts = new uint256[](2);
            (ids[0], ids[1], amounts[0], amounts[1]) = (id, ++nextNftId, 1, 2);
            try multi.mintBatch(to, ids, amounts) {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        }
        if (to == address(governor)) {
            if (ok) ghostGovernorAcceptedDeposit = true;
        } else if (!ok) {
            ghostTimelockRefusedDeposit = true;
        } else if (kind == 0) {
            ++ghostNftsHeld[to];
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    // ----- helpers -----

    /// @dev What a proposal of `kind` does, with its argument (for the ghost).
    function _action(
        uint256 kind,
        uint256 seed
    )
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, uint256 arg)
    {
        uint256 n = kind == 9 ? 2 : (kind == 15 ? 5 : 1);
        targets = new address[](n);
        values = new uint256[](n);
        calldatas = new bytes[](n);
        uint256 r = uint256(keccak256(abi.encode(seed, "arg")));
        address t = g.timelock;
        if (kind == 0 || kind == 13) {
            uint16[5] memory shares = _shares(seed);
            bytes memory setShares = abi.encodeCall(EmissionController.setShares, (shares));
            if (kind == 0) {
                (targets[0], calldatas[0]) = (address(controller), setShares);
            } else {
                // The Governor (a proposer at both Timelocks) schedules a single operation at one, mostly at
                // the current one (the other one can run it only after a move to it).
                if (r % 4 == 0) t = t == timelocks[0] ? timelocks[1] : timelocks[0];
                bytes memory schedule = abi.encodeCall(
                    TimelockController.schedule,
                    (address(controller), 0, setShares, bytes32(0), bytes32(seed), 3 days)
                );
                (targets[0], calldatas[0]) = (
                    address(governor),
                    abi.encodeCall(governor.relay, (t, 0, schedule))
                );
            }
            arg = seed;
            return (targets, values, calldatas, arg);
        }
        (targets[0], calldatas[0], values[0], arg) = _single(kind, r);
        if (kind == 9 && r % 2 == 0) {
            // Give the guardian its role again, labelling the role on the way.
            (targets[0], calldatas[0]) = (
                address(manager),
                abi.encodeCall(manager.labelRole, (GUARDIAN_ROLE, "GUARDIAN"))
            );
            (targets[1], calldatas[1]) = (
                address(manager),
                abi.encodeCall(manager.grantRole, (GUARDIAN_ROLE, guardian, 0))
            );
        } else if (kind == 9) {
            (targets[1], calldatas[1]) = (
                address(manager),
                abi.encodeCall(manager.labelRole, (GUARDIAN_ROLE, "GUARDIAN"))
            );
        } else if (kind == 15) {
            // Move to the other Timelock: it gets the admin and guardian roles, the Governor points at it,
            // and the current one renounces its roles.
            address next = t == timelocks[0] ? timelocks[1] : timelocks[0];
            (targets[0], calldatas[0]) = (
                address(manager),
                abi.encodeCall(manager.grantRole, (ADMIN_ROLE, next, 0))
            );
            (targets[1], calldatas[1]) = (
                address(manager),
                abi.encodeCall(manager.grantRole, (GUARDIAN_ROLE, next, 0))
            );
            (targets[2], calldatas[2]) = (
                address(governor),
                abi.encodeCall(governor.updateTimelock, (TimelockController(payable(next))))
            );
            (targets[3], calldatas[3]) = (
                address(manager),
                abi.encodeCall(manager.renounceRole, (GUARDIAN_ROLE, t))
            );
            (targets[4], calldatas[4]) = (
                address(manager),
                abi.encodeCall(manager.renounceRole, (ADMIN_ROLE, t))
            );
            arg = uint256(uint160(next));
        }
    }

    /// @dev The one call of the single-call kinds 1-12 and 14.
    function _single(
        uint256 kind,
        uint256 r
    ) internal view returns (address target, bytes memory data, uint256 value, uint256 arg) {
        address gov = address(governor);
        address t = g.timelock;
        bytes32 canceller = keccak256("CANCELLER_ROLE");
        if (kind == 1) (target, arg) = (gov, bound(r, 1 hours, 2 days));
        else if (kind == 2) (target, arg) = (gov, bound(r, 1 days, 7 days));
        else if (kind == 3) (target, arg) = (gov, bound(r, 0, 1_000 ether));
        else if (kind == 4) (target, arg) = (gov, bound(r, 0, 50));
        else if (kind == 5) (target, arg) = (gov, bound(r, 1, 2));
        else if (kind == 6) (target, arg) = (gov, bound(r, 0, 2 days));
        else if (kind == 7) (target, arg) = (gov, r % 3 == 0 ? 0 : uint256(uint160(guardian)));
        else if (kind == 8) (target, arg) = (t, bound(r, 1 hours, 3 days));
        else if (kind == 9) (target, arg) = (address(manager), r % 2);
        else if (kind == 10) (target, arg) = (address(manager), r % 2 == 0 ? GUARDIAN_ROLE : ADMIN_ROLE);
        else if (kind == 11) target = address(controller);
        else if (kind == 12) (target, arg) = (t, r % 2);
        else if (kind == 14) (target, value) = (ETH_RECIPIENT, bound(r, 1, 1 ether));
        else if (kind == 16) (target, arg) = (gov, bound(r, 1 days, 30 days));
        else if (kind == 17) (target, arg) = (gov, bound(r, 0, 100_000 ether));

        if (kind == 1) data = abi.encodeCall(governor.setVotingDelay, (uint48(arg)));
        else if (kind == 2) data = abi.encodeCall(governor.setVotingPeriod, (uint32(arg)));
        else if (kind == 3) data = abi.encodeCall(governor.setProposalThreshold, (arg));
        else if (kind == 4) data = abi.encodeCall(governor.setProposalThresholdBps, (arg));
        else if (kind == 5) data = abi.encodeCall(governor.updateQuorumNumerator, (arg));
        else if (kind == 6) data = abi.encodeCall(governor.setLateQuorumVoteExtension, (uint48(arg)));
        else if (kind == 7) data = abi.encodeCall(governor.setProposalGuardian, (address(uint160(arg))));
        else if (kind == 8) data = abi.encodeCall(TimelockController.updateDelay, (arg));
        else if (kind == 16) data = abi.encodeCall(governor.setVoteLookback, (arg));
        else if (kind == 17) data = abi.encodeCall(governor.setQuorumFloor, (arg));
        else if (kind == 9) data = abi.encodeCall(manager.revokeRole, (GUARDIAN_ROLE, guardian));
        else if (kind == 10) data = _pauseRoleCall(uint64(arg));
        else if (kind == 11) data = abi.encodeCall(EmissionController.unpause, ());
        else if (kind == 12 && arg == 1)
            data = abi.encodeCall(IAccessControl.grantRole, (canceller, guardian));
        else if (kind == 12) data = abi.encodeCall(IAccessControl.revokeRole, (canceller, guardian));
    }

    function _pauseRoleCall(uint64 role) internal view returns (bytes memory) {
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = EmissionController.pause.selector;
        return abi.encodeCall(manager.setTargetFunctionRole, (address(controller), selectors, role));
    }

    /// @dev Applies an executed proposal to the ghost model.
    function _executed(uint256 id) internal {
        Proposal storage p = proposalOf[id];
        uint256 kind = p.kind;
        uint256 arg = p.arg;
        address t = p.targets[0];
        if (kind == 0) ghostShares = _shares(arg);
        else if (kind == 1) g.votingDelay = arg;
        else if (kind == 2) g.votingPeriod = arg;
        else if (kind == 3) g.threshold = arg;
        else if (kind == 4) g.thresholdBps = arg;
        else if (kind == 5) g.quorum = arg;
        else if (kind == 6) g.lateQuorum = arg;
        else if (kind == 7) {
            g.guardian = address(uint160(arg));
            g.guardianTermEnd = arg == 0 ? 0 : block.timestamp + governor.GUARDIAN_TERM();
        } else if (kind == 8) ghostMinDelay[t] = arg;
        else if (kind == 9)
            ghostGuardianRole[guardian] =
                p.calldatas.length == 2 &&
                bytes4(p.calldatas[1]) == manager.grantRole.selector;
        else if (kind == 10) ghostPauseRole = uint64(arg);
        else if (kind == 16) (g.lookback, ghostLookbackChangedAt) = (arg, block.timestamp);
        else if (kind == 17) g.quorumFloor = arg;
        else if (kind == 11) ghostControllerPaused = false;
        else if (kind == 12) ghostGuardianCancels[t] = arg == 1;
        else if (kind == 13) _relayed(p);
        else if (kind == 14) {
            ghostEth[g.timelock] -= p.values[0]; // paid by the Timelock that ran it
            ghostEthPaid += p.values[0];
        } else if (kind == 15) {
            address next = address(uint160(arg));
            ghostAdmin[next] = true;
            ghostGuardianRole[next] = true;
            ghostAdmin[p.timelock] = false;
            ghostGuardianRole[p.timelock] = false;
            g.timelock = next;
        }
    }

    function _relayed(Proposal storage p) internal {
        (address t, , bytes memory schedule) = abi.decode(_args(p.calldatas[0]), (address, uint256, bytes));
        (, , bytes memory data, , bytes32 salt, ) = abi.decode(
            _args(schedule),
            (address, uint256, bytes, bytes32, bytes32, uint256)
        );
        relayed.push(Relayed(t, data, salt, _shares(p.arg)));
    }

    /// @dev A call's arguments (the calldata without its selector).
    function _args(bytes memory data) internal pure returns (bytes memory args) {
        args = new bytes(data.length - 4);
        for (uint256 i; i < args.length; ++i) args[i] = data[i + 4];
    }

    function _vote(uint256 i, uint256 id, uint8 support, uint256 how) internal {
        address voter = holders[i];
        if (how < 3) {
            vm.prank(voter);
            if (how == 0) {
                try governor.castVote(id, support) {} catch {} // solhint-disable-line no-empty-blocks
            } else if (how == 1) {
                try governor.castVoteWithReason(id, support, "because") {} catch {} // solhint-disable-line no-empty-blocks
            } else {
                try governor.castVoteWithReasonAndParams(id, support, "because", "") {} catch {} // solhint-disable-line no-empty-blocks
            }
            return;
        }
        uint256 nonce = governor.nonces(voter);
        bytes memory signature;
        if (how == 3) {
            signature = _sign(
                i,
                keccak256(abi.encode(governor.BALLOT_TYPEHASH(), id, support, voter, nonce))
            );
            try governor.castVoteBySig(id, support, voter, signature) {} catch {} // solhint-disable-line no-empty-blocks
        } else {
            bytes32 structHash = keccak256(
                abi.encode(
                    governor.EXTENDED_BALLOT_TYPEHASH(),
                    id,
                    support,
                    voter,
                    nonce,
                    keccak256("because"),
                    keccak256("")
                )
            );
            signature = _sign(i, structHash);
            try
                governor.castVoteWithReasonAndParamsBySig(id, support, voter, "because", "", signature)
            {} catch {} // solhint-disable-line no-empty-blocks
        }
    }

    /// @dev Holder `i`'s signature of an EIP-712 struct for the Governor.
    function _sign(uint256 i, bytes32 structHash) internal view returns (bytes memory) {
        (, string memory name, string memory version, uint256 chainId, address verifying, , ) = governor
            .eip712Domain();
        bytes32 domain = domainSeparator(name, version, chainId, verifying);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(HOLDER_KEY + i, typedDigest(domain, structHash));
        return abi.encodePacked(r, s, v);
    }

    function _spent(address owner, address spender, uint256 amount) internal {
        if (ghostAllowance[owner][spender] != type(uint256).max) ghostAllowance[owner][spender] -= amount;
    }

    /// @dev The default shares with up to 500 bps moved from one bucket to another: any two such are within
    /// the controller's 1,000 bps step of each other (issue 15), so executed share changes stay reachable.
    function _shares(uint256 seed) internal pure returns (uint16[5] memory shares) {
        shares = [uint16(2_400), 2_400, 2_400, 2_400, 400];
        uint256 from = uint256(keccak256(abi.encode(seed, "from"))) % 5;
        uint256 to = (from + 1 + (uint256(keccak256(abi.encode(seed, "to"))) % 4)) % 5;
        uint16 moved = uint16(bound(uint256(keccak256(abi.encode(seed, "moved"))), 0, 400));
        shares[from] -= moved;
        shares[to] += moved;
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _tryDirect(address caller) internal {
        uint16[5] memory shares = [uint16(0), 0, 0, 0, 10_000];
        vm.prank(caller);
        try controller.setShares(shares) {
            ghostDirectChangeWorked = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }
}

/// @notice Governance invariants: every parameter (the controller's shares, the Governor's settings and
/// guardian, the Timelocks' delays and roles, the AccessManager's roles) changes only through an executed
/// proposal; votes on a proposal are exactly the voters' weights (the lesser of their votes at its
/// snapshot and a lookback before it) and never exceed the supply; voting power follows delegation; supply, balances and allowances add up; the Governor never
/// holds deposits; the guardian can only pause and cancel, and only while governance lets it.
contract GovernanceInvariantTest is TetradTest, InvariantTargets {
    using EmissionSchedule for EmissionSchedule.Params;
    Core internal c;
    TetradGovernor internal governor;
    TetradTimelock internal timelock;
    TetradTimelock internal spareTimelock;
    GovernanceHandler internal handler;
    address internal constant GUARDIAN = address(0x6A2D);

    function setUp() public {
        c = deployCore(new MockStakeToken("Stake", "STK"), 0);
        // The DAO (quorum 1%) with the guardian: it may pause the controller (and the pool); so may governance.
        TetradGovernor.Config memory config = defaultGovernance(GUARDIAN);
        config.quorumPercent = 1;
        Dao memory dao = deployGovernance(c, config, 2 days);
        (governor, timelock) = (dao.governor, dao.timelock);
        address[] memory anyone = new address[](1);
        // A second Timelock governance can move to: the Governor proposes and cancels there too.
        address[] memory proposers = new address[](1);
        proposers[0] = address(governor);
        spareTimelock = new TetradTimelock(2 days, proposers, anyone, address(0));

        vm.warp(block.timestamp + 90 days);
        c.controller.distribute();
        vm.deal(address(timelock), 5 ether); // for proposals that pay ETH
        handler = new GovernanceHandler(c, governor, timelock, spareTimelock, GUARDIAN);
        // Voting power from emission: the four treasuries (code, community, compute, protection: 76% of
        // the supply) pay the holders before governance takes over, so that the holders keep a quorum
        // while emission grows the supply for years.
        for (uint256 b; b < 5; ++b) {
            if (b == 3) continue; // the capital pool
            uint256 held = c.token.balanceOf(address(c.buckets[b]));
            for (uint256 i; i < 4; ++i) c.buckets[b].release(c.token, handler.holderAt(i), held / 4);
        }
        for (uint256 i; i < 4; ++i) {
            address holder = handler.holderAt(i);
            // (The address is read before the prank: a prank applies to the very next call.)
            vm.prank(holder);
            c.token.delegate(holder);
        }
        handOver(c, dao);
        // Votes count once held for the Governor's lookback (issue 15).
        vm.warp(block.timestamp + governor.voteLookback() + 1);
    }

    function _targets() internal view override returns (address, bytes memory) {
        // prettier-ignore
        return (address(handler), abi.encodePacked([handler.transfer.selector, handler.delegate.selector,
            handler.propose.selector, handler.vote.selector, handler.queue.selector, handler.execute.selector,
            handler.guardianCancels.selector, handler.strangerSetsShares.selector,
            handler.guardianTriesEverything.selector, handler.warp.selector, handler.lifecycle.selector,
            handler.approve.selector, handler.permit.selector, handler.transferFrom.selector,
            handler.burn.selector, handler.burnFrom.selector, handler.delegateBySig.selector,
            handler.proposerCancels.selector, handler.executeRelayed.selector, handler.guardianPauses.selector,
            handler.guardianRenounces.selector, handler.guardianCancelsOperation.selector,
            handler.sendEth.selector, handler.sendNft.selector]));
    }

    function invariant_ParametersChangeOnlyThroughExecutedProposals() public {
        uint16[5] memory shares = c.controller.shares();
        for (uint256 i; i < 5; ++i)
            assertEq(uint256(shares[i]), uint256(handler.ghostShares(i)), "shares changed outside");
        assertFalse(handler.ghostDirectChangeWorked(), "a direct setShares succeeded");
        assertEq(c.controller.paused(), handler.ghostControllerPaused(), "controller paused state");
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
            // Exactly the weights of those who voted: the lesser of their votes at the snapshot and a
            // lookback before it (issue 15: votes cannot be rented around the snapshot). A vote is weighed
            // with the lookback in force when it is cast: exact only if the lookback has not changed since
            // the snapshot.
            if (handler.ghostLookbackChangedAt() > snapshot) continue;
            uint256 weights;
            uint256 lookback = governor.voteLookback();
            for (uint256 h; h < 4; ++h) {
                address holder = handler.holderAt(h);
                if (!governor.hasVoted(id, holder)) continue;
                uint256 atSnapshot = c.token.getPastVotes(holder, snapshot);
                uint256 before = snapshot < lookback ? 0 : c.token.getPastVotes(holder, snapshot - lookback);
                weights += atSnapshot < before ? atSnapshot : before;
            }
            assertEq(against + forVotes + abstain, weights, "votes != the voters' weights at the snapshot");
        }
    }

    function invariant_GuardianCanOnlyPauseAndCancel() public {
        assertFalse(handler.ghostGuardianOverreached(), "the guardian did more than governance allows");
        assertFalse(handler.ghostGuardianBlocked(), "the guardian could not pause or cancel when allowed");
    }

    function invariant_GovernorSettingsChangeOnlyThroughProposals() public {
        GovernorGhost memory g = handler.ghostGovernor();
        assertEq(governor.votingDelay(), g.votingDelay, "votingDelay");
        assertEq(governor.votingPeriod(), g.votingPeriod, "votingPeriod");
        assertEq(governor.proposalThresholdBps(), g.thresholdBps, "proposalThresholdBps");
        uint256 supply = c.token.getPastTotalSupply(block.timestamp - 1);
        uint256 byBps = (supply * g.thresholdBps) / 10_000;
        assertEq(
            governor.proposalThreshold(),
            g.threshold > byBps ? g.threshold : byBps,
            "proposalThreshold"
        );
        assertEq(governor.quorumNumerator(), g.quorum, "quorum");
        assertEq(governor.lateQuorumVoteExtension(), g.lateQuorum, "late quorum extension");
        assertEq(governor.voteLookback(), g.lookback, "vote lookback");
        assertEq(governor.quorumFloor(), g.quorumFloor, "quorum floor");
        assertEq(governor.guardianTermEnd(), g.guardianTermEnd, "guardian term");
        assertEq(
            governor.proposalGuardian(),
            block.timestamp < g.guardianTermEnd ? g.guardian : address(0),
            "proposal guardian"
        );
        assertEq(governor.timelock(), g.timelock, "timelock");
    }

    function invariant_RolesAndTimelocksChangeOnlyThroughProposals() public {
        uint64 guardianRole = handler.GUARDIAN_ROLE();
        bytes32 canceller = keccak256("CANCELLER_ROLE");
        for (uint256 i; i < 2; ++i) {
            address t = handler.timelockAt(i);
            (bool admin, ) = c.manager.hasRole(0, t);
            (bool pauser, ) = c.manager.hasRole(guardianRole, t);
            assertEq(admin, handler.ghostAdmin(t), "a Timelock's admin role");
            assertEq(pauser, handler.ghostGuardianRole(t), "a Timelock's guardian role");
            assertEq(
                TimelockController(payable(t)).getMinDelay(),
                handler.ghostMinDelay(t),
                "Timelock delay"
            );
            assertEq(
                TimelockController(payable(t)).hasRole(canceller, GUARDIAN),
                handler.ghostGuardianCancels(t),
                "the guardian's canceller role"
            );
        }
        (bool guardianHasRole, ) = c.manager.hasRole(guardianRole, GUARDIAN);
        assertEq(guardianHasRole, handler.ghostGuardianRole(GUARDIAN), "the guardian's role");
        assertEq(
            c.manager.getTargetFunctionRole(address(c.controller), EmissionController.pause.selector),
            handler.ghostPauseRole(),
            "pause() role"
        );
    }

    function invariant_VotingPowerFollowsDelegation() public {
        uint256 total;
        for (uint256 d; d < 4; ++d) {
            address delegatee = handler.holderAt(d);
            uint256 expected;
            for (uint256 h; h < 4; ++h) {
                address holder = handler.holderAt(h);
                if (handler.ghostDelegate(holder) == delegatee) expected += c.token.balanceOf(holder);
            }
            assertEq(c.token.delegates(delegatee), handler.ghostDelegate(delegatee), "delegate");
            assertEq(c.token.getVotes(delegatee), expected, "votes != balances delegated");
            total += expected;
        }
        assertLte(total, c.token.totalSupply(), "votes above supply");
    }

    function invariant_SupplyAndAllowancesFollowTheHolders() public {
        // Minted: the schedule up to the last distribution (proposals that change the shares settle it).
        uint256 minted = c.schedule.cumulative(c.controller.lastDistribution());
        assertEq(c.token.totalSupply(), minted - handler.ghostBurned(), "supply != minted - burned");
        assertFalse(handler.ghostTokenMismatch(), "a permit was accepted from the wrong signer or refused");
        for (uint256 o; o < 4; ++o) {
            for (uint256 s; s < 4; ++s) {
                address owner = handler.holderAt(o);
                address spender = handler.holderAt(s);
                assertEq(
                    c.token.allowance(owner, spender),
                    handler.ghostAllowance(owner, spender),
                    "allowance"
                );
            }
        }
    }

    function invariant_GovernorHoldsNoDeposits() public {
        assertFalse(handler.ghostGovernorAcceptedDeposit(), "the Governor took a deposit");
        assertFalse(handler.ghostTimelockRefusedDeposit(), "a Timelock refused a deposit");
        assertEq(address(governor).balance, 0, "the Governor holds ETH");
        assertEq(handler.nft().balanceOf(address(governor)), 0, "the Governor holds an NFT");
        uint256 paid = handler.ghostEthPaid();
        assertEq(address(0xE7E).balance, paid, "ETH paid out by proposals");
        for (uint256 i; i < 2; ++i) {
            address t = handler.timelockAt(i);
            assertEq(t.balance, handler.ghostEth(t), "a Timelock's ETH");
            assertEq(handler.nft().balanceOf(t), handler.ghostNftsHeld(t), "a Timelock's NFTs");
        }
    }
}
