// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {StandaloneSubnet, TetradTest} from "../utils/TetradTest.sol";

/// @notice The issue-14 rule on small, exact scenarios (spec: notes/spec14.md): stale sheets stay in force
/// for `activityCutoff` rounds and count in kappa, unpaid; idle permits are expelled; a stale sheet scores
/// 0 for a slot's later occupant; strikes under `relativeThreshold` of the median; the lagged consensus
/// as the dividends' baseline. One metric of weight 10,000: a sheet's value v folds to v * 10,000.
/// Validators: V1 300 TTD, V2 and V3 100 TTD each (kappa 5,000: V1 alone holds the upper median).
contract SubnetLivenessTest is TetradTest {
    MockStakeToken internal token;
    ContributionBucket internal bucket;
    Subnet internal subnet;
    TetradAccessManager internal manager;

    address internal constant V1 = address(0xD1);
    address internal constant V2 = address(0xD2);
    address internal constant V3 = address(0xD3);
    address internal constant C1 = address(0xC1);
    address internal constant C2 = address(0xC2);
    address internal constant C3 = address(0xC3);
    uint256 internal constant FOLD = 10_000;
    uint256 internal constant EMISSION = 1_000 ether;

    function setUp() public {
        // Short rounds, free entry (no immunity, no bond), expelled at 3 strikes.
        ISubnet.Params memory p = shortSubnetParams();
        (p.immunityPeriod, p.bond, p.maxStrikes) = (0, 0, 3);
        p.agreementThreshold = 4_000; // under 5,000: the relative threshold does the striking below
        p.edgeShare = 10_000; // a full dividend needs the median's whole edge
        p.edgeFloor = 100;
        StandaloneSubnet memory s = deployStandaloneSubnet(p, oneMetric());
        (manager, token, bucket, subnet) = (s.manager, s.token, s.bucket, s.subnet);
        // Liveness only: no registration fee, no keeper tip (their own tests: GUARD-2x, GUARD-3x).
        subnet.setRegistrationPricing(ISubnet.RegistrationPricing(0, 0, 1 days, 1, 0));
        subnet.setKeeperTip(0);
    }

    // ----- helpers -----

    function _stake(address v, uint256 amount) internal {
        token.mint(v, amount);
        vm.startPrank(v);
        token.approve(address(subnet), amount);
        subnet.stake(amount);
        vm.stopPrank();
    }

    function _register(address c) internal {
        vm.prank(c);
        subnet.register("");
    }

    /// @dev Round 1: C1 (and C2 when `two`) register, V1-V3 stake; nobody reveals, the round closes.
    function _opening(bool two) internal {
        _register(C1);
        if (two) _register(C2);
        _stake(V1, 300 ether);
        _stake(V2, 100 ether);
        _stake(V3, 100 ether);
        _play(new address[](0), new uint16[][](0));
    }

    function _one(uint16 a) internal pure returns (uint16[] memory r) {
        r = new uint16[](1);
        r[0] = a;
    }

    function _two(uint16 a, uint16 b) internal pure returns (uint16[] memory r) {
        r = new uint16[](2);
        r[0] = a;
        r[1] = b;
    }

    function _sheet(uint16[] memory rows) internal pure returns (bytes memory s) {
        for (uint256 j; j < rows.length; ++j) s = bytes.concat(s, bytes2(rows[j]));
    }

    /// @dev One whole round: `who[i]` commits and reveals `rows[i]`, EMISSION arrives, the round
    /// finalizes in one call.
    function _play(address[] memory who, uint16[][] memory rows) internal {
        uint256 round = subnet.round();
        for (uint256 i; i < who.length; ++i) {
            bytes32 salt = keccak256(abi.encode(round, i));
            bytes32 c = keccak256(
                abi.encode(address(subnet), round, who[i], salt, keccak256(_sheet(rows[i])))
            );
            vm.prank(who[i]);
            subnet.commit(c);
        }
        (, uint256 commitEnd, uint256 revealEnd) = subnet.roundTimes();
        vm.warp(commitEnd);
        for (uint256 i; i < who.length; ++i) {
            vm.prank(who[i]);
            subnet.reveal(_sheet(rows[i]), keccak256(abi.encode(round, i)));
        }
        vm.warp(revealEnd);
        token.mint(address(bucket), EMISSION);
        bucket.allocate();
        assertTrue(subnet.finalizeRound(10_000), "one call finalizes");
        assertEq(subnet.round(), round + 1);
    }

    function _list(address a, address b) internal pure returns (address[] memory r) {
        r = new address[](2);
        r[0] = a;
        r[1] = b;
    }

    function _list(address a, address b, address c) internal pure returns (address[] memory r) {
        r = new address[](3);
        r[0] = a;
        r[1] = b;
        r[2] = c;
    }

    function _rows(uint16[] memory a, uint16[] memory b) internal pure returns (uint16[][] memory r) {
        r = new uint16[][](2);
        r[0] = a;
        r[1] = b;
    }

    function _rows(
        uint16[] memory a,
        uint16[] memory b,
        uint16[] memory c
    ) internal pure returns (uint16[][] memory r) {
        r = new uint16[][](3);
        r[0] = a;
        r[1] = b;
        r[2] = c;
    }

    function _holds(address v) internal view returns (bool) {
        try subnet.validatorSlot(v) returns (uint256) {
            return true;
        } catch {
            return false;
        }
    }

    function _strikes(address v) internal view returns (uint256) {
        return subnet.validatorAt(subnet.validatorSlot(v)).strikes;
    }

    // ----- tests -----

    /// @notice All reveal 100 in round 2. V1 (300 of 500 TTD) goes offline: its stale sheet keeps the
    /// consensus at 100 in rounds 3 and 4 against V2 and V3's 50 (kappa is over the active stake), earns
    /// nothing, and V2 and V3 (agreement 0.5: above the 0.4 floor, under 80% of the median 1.0) take
    /// strikes. In round 5 V1's sheet is past the cutoff: the consensus follows V2 and V3, V1's permit
    /// is expelled as idle, and V2 and V3's strikes reset.
    function test_StaleSheetsCountUnpaidThenIdlePermitsAreExpelled() public {
        _opening(false);
        uint256 slot = subnet.contributorSlot(C1);
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 2
        assertEq(subnet.consensusScore(slot), 100 * FOLD, "round 2 consensus");
        assertGt(subnet.claimable(V1), 0, "V1 paid in round 2");

        for (uint256 r = 3; r <= 4; ++r) {
            uint256 v1Before = subnet.claimable(V1);
            uint256 v2Before = subnet.claimable(V2);
            uint256 pool = subnet.pendingEmission() + EMISSION;
            _play(_list(V2, V3), _rows(_one(50), _one(50)));
            assertEq(subnet.consensusScore(slot), 100 * FOLD, "the stale sheet holds the consensus");
            assertEq(subnet.claimable(V1), v1Before, "a stale sheet earned a dividend");
            assertEq(_strikes(V2), r - 2, "under 80% of the median: a strike");
            assertEq(_strikes(V3), r - 2, "under 80% of the median: a strike");
            assertEq(subnet.claimable(V2), v2Before, "a struck validator was paid");
            // The whole validator share stayed pending (V1 stale, V2 and V3 struck); C1 took the
            // contributor share, the owner its 5%.
            assertEq(
                subnet.pendingEmission(),
                pool - (pool * 8_000) / 10_000 - (pool * 500) / 10_000,
                "the validator share was not carried"
            );
            assertTrue(_holds(V1), "V1 is within the cutoff");
        }

        _play(_list(V2, V3), _rows(_one(50), _one(50))); // round 5: V1's sheet is 3 rounds old
        assertEq(subnet.consensusScore(slot), 50 * FOLD, "an expired sheet still counted");
        assertFalse(_holds(V1), "an idle permit survived");
        assertEq(_strikes(V2), 0, "strikes reset");
        (uint256 unbonding, ) = subnet.unbonding(V1);
        assertEq(unbonding, 300 ether, "the idle validator's stake unbonds");
    }

    /// @notice A validator that comes back within the cutoff keeps its permit and is paid again; one that
    /// joined recently is not idle even without a reveal.
    function test_ComingBackWithinTheCutoff() public {
        _opening(false);
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 2
        _play(_list(V2, V3), _rows(_one(100), _one(100))); // round 3: V1 offline
        _play(_list(V2, V3), _rows(_one(100), _one(100))); // round 4: V1 offline
        uint256 before = subnet.claimable(V1);
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 5: back
        assertTrue(_holds(V1), "expelled although back within the cutoff");
        assertGt(subnet.claimable(V1), before, "back, not paid");
        // A newcomer without a reveal is not idle before activityCutoff rounds since it joined.
        address v4 = address(0xD4);
        _stake(v4, 100 ether); // round 6
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 6
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 7
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 8
        assertTrue(_holds(v4), "a newcomer expelled within the cutoff");
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 9: 9 - 6 = 3
        assertFalse(_holds(v4), "a newcomer idle past the cutoff kept its permit");
    }

    /// @notice A stale sheet scored an earlier occupant of a contributor slot: it counts 0 for the new
    /// occupant (registered after the sheet's round started). V1's stale 100 for C1 must not become C3's
    /// score: V2 and V3's 40 lack kappa's half of the active stake, so C3's consensus is 0.
    function test_StaleSheetScoresZeroForALaterOccupant() public {
        _opening(false);
        uint256 slot = subnet.contributorSlot(C1);
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 2
        vm.prank(C1);
        subnet.deregister();
        _register(C3); // round 3, in C1's slot
        assertEq(subnet.contributorSlot(C3), slot);
        uint256 before = subnet.claimable(C1);
        _play(_list(V2, V3), _rows(_one(40), _one(40))); // round 3: C3 not yet eligible
        // C1 left during round 3, after its start: it is still scored (V1's standing sheet) and paid.
        assertGt(subnet.consensusScore(slot), 0, "the leaver is scored for the round in flight");
        assertGt(subnet.claimable(C1), before, "the leaver is paid for the round in flight");
        _play(_list(V2, V3), _rows(_one(40), _one(40))); // round 4: V1's round-2 sheet still in force
        assertEq(subnet.consensusScore(slot), 0, "a stale sheet scored the slot's new occupant");
    }

    /// @notice The lagged consensus is the baseline. Round 2 (no earlier consensus: lagged 0): V2's
    /// agreement 0.95 against V1's 1.0 (the median) earns 95% of its stake's dividend (edgeShare 100%).
    /// Round 3 repeats round 2's sheets: the consensus equals last round's (lagged 1.0 >= median), so
    /// nothing was measured beyond the public record and every sheet not struck earns in full.
    function test_TheLaggedConsensusIsTheBaseline() public {
        _opening(true);
        uint16[][] memory rows = _rows(_two(100, 100), _two(100, 90));
        uint256 v1 = subnet.claimable(V1);
        uint256 v2 = subnet.claimable(V2);
        _play(_list(V1, V2), rows); // round 2
        uint256 d1 = subnet.claimable(V1) - v1;
        uint256 d2 = subnet.claimable(V2) - v2;
        // agreement(V2) = (100 + 90) / (100 + 100) = 9,500 bps; V1 holds 3x V2's stake.
        assertAlmostEq(d2 * 3 * 10_000, d1 * 9_500, 40_000, "round 2: V2 paid 95% of its share");

        v1 = subnet.claimable(V1);
        v2 = subnet.claimable(V2);
        _play(_list(V1, V2), rows); // round 3
        d1 = subnet.claimable(V1) - v1;
        d2 = subnet.claimable(V2) - v2;
        assertGt(d1, 0);
        assertAlmostEq(d2 * 3, d1, 3, "round 3: no edge over the lag, V2 paid in full");
    }

    /// @notice A validator that commits and does not reveal is expelled at the round's end (NoReveal),
    /// unlike one that stays away (its sheet stale, its permit kept within the cutoff).
    function test_CommitWithoutRevealIsExpelled() public {
        _opening(false);
        _play(_list(V1, V2, V3), _rows(_one(100), _one(100), _one(100))); // round 2
        uint256 round = subnet.round();
        bytes32 salt = keccak256("V3");
        vm.prank(V3);
        subnet.commit(keccak256(abi.encode(address(subnet), round, V3, salt, keccak256(_sheet(_one(100))))));
        _play(_list(V1, V2), _rows(_one(100), _one(100))); // round 3: V3 committed, never revealed
        assertFalse(_holds(V3), "a silent committer kept its permit");
        assertTrue(_holds(V1) && _holds(V2));
    }

    /// @notice A shorter sheet scores 0 past its rows: nine contributors (C1 in slot 8, the second word
    /// of a packed sheet); V1's round-3 sheet has one row, so its round-2 score for C1 is stale and must not
    /// count; V2 and V3's 20 lack half the active stake, so C1's consensus is 0.
    function test_AShorterSheetScoresZeroPastItsRows() public {
        for (uint256 i; i < 8; ++i) _register(address(uint160(0xC100 + i)));
        _opening(false);
        uint256 slot = subnet.contributorSlot(C1);
        assertEq(slot, 8);
        _play(_list(V1, V2, V3), _rows(_nine(100), _nine(100), _nine(100))); // round 2
        assertEq(subnet.consensusScore(slot), 100 * FOLD);
        _play(_list(V1, V2, V3), _rows(_one(100), _nine(20), _nine(20))); // round 3
        assertEq(subnet.consensusScore(slot), 0, "a stale row past a shorter sheet counted");
    }

    /// @dev Nine rows: 100 for slots 0-7, `last` for slot 8.
    function _nine(uint16 last) internal pure returns (uint16[] memory r) {
        r = new uint16[](9);
        for (uint256 j; j < 8; ++j) r[j] = 100;
        r[8] = last;
    }
}
