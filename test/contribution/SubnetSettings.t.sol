// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {StandaloneSubnet, TetradTest} from "../utils/TetradTest.sol";

/// @notice Fuzzed bounds of the subnet's settings (every field of Params and RegistrationPricing, one
/// out of bounds at a time, at any value) and of its commit-reveal (no other sheet or salt opens a
/// commitment). This contract holds the AccessManager's admin role, so it may call the governed setters.
contract SubnetSettingsTest is TetradTest {
    MockStakeToken internal token;
    Subnet internal subnet;

    uint256 internal constant PARAM_FIELDS = 19;
    uint256 internal constant MAX_PHASE = 30 days;
    address internal constant V = address(0xD1);

    function setUp() public {
        StandaloneSubnet memory s = deployStandaloneSubnet(_valid(), oneMetric());
        (token, subnet) = (s.token, s.subnet);
        subnet.setRegistrationPricing(ISubnet.RegistrationPricing(0, 0, 1 days, 1, 0)); // free registration
    }

    /// @dev The suites' short rounds with free entry: no immunity, no bond; expelled at 3 strikes.
    function _valid() internal pure returns (ISubnet.Params memory p) {
        p = shortSubnetParams();
        (p.immunityPeriod, p.bond, p.maxStrikes) = (0, 0, 3);
    }

    /// @dev Valid settings with field `field` (0..18) set out of its bounds, `raw` picking the value.
    function _outOfBounds(uint256 field, uint256 raw) internal pure returns (ISubnet.Params memory p) {
        p = _valid();
        if (field == 0) p.commitDuration = 0;
        else if (field == 1) p.revealDuration = 0;
        else if (field == 2) p.commitDuration = uint32(bound(raw, MAX_PHASE + 1, type(uint32).max));
        else if (field == 3) p.revealDuration = uint32(bound(raw, MAX_PHASE + 1, type(uint32).max));
        else if (field == 4) p.unbondingDelay = uint32(bound(raw, 0, 15 days - 1));
        else if (field == 5) p.unbondingDelay = uint32(bound(raw, 2 * MAX_PHASE + 1, type(uint32).max));
        else if (field == 6) p.immunityPeriod = uint32(bound(raw, 12 * MAX_PHASE + 1, type(uint32).max));
        else if (field == 7) p.kappa = 0;
        else if (field == 8) p.kappa = uint16(bound(raw, 10_001, type(uint16).max));
        else if (field == 9) p.contributorShare = uint16(bound(raw, 10_001 - 1_500, type(uint16).max));
        else if (field == 10) p.agreementThreshold = uint16(bound(raw, 10_001, type(uint16).max));
        else if (field == 11) p.maxStrikes = 0;
        else if (field == 12) p.activityCutoff = 0;
        else if (field == 13) p.activityCutoff = uint8(bound(raw, 65, type(uint8).max));
        else if (field == 14) p.relativeThreshold = uint16(bound(raw, 10_001, type(uint16).max));
        else if (field == 15) p.edgeShare = 0;
        else if (field == 16) p.edgeShare = uint16(bound(raw, 10_001, type(uint16).max));
        else if (field == 17) p.edgeFloor = 0;
        else p.edgeFloor = uint16(bound(raw, 10_001, type(uint16).max));
    }

    function testFuzz_SetParamsRejectsAnyFieldOutOfBounds(uint256 field, uint256 raw) public {
        field = bound(field, 0, PARAM_FIELDS - 1);
        ISubnet.Params memory p = _outOfBounds(field, raw);
        (, ISubnet.Params memory queuedBefore) = subnet.params();
        vm.expectRevert(ISubnet.InvalidParams.selector);
        subnet.setParams(p);
        (, ISubnet.Params memory queuedAfter) = subnet.params();
        assertEq(keccak256(abi.encode(queuedAfter)), keccak256(abi.encode(queuedBefore)), "nothing queued");
    }

    function testFuzz_SetRegistrationPricingRejectsOutOfBounds(uint256 which, uint256 raw) public {
        ISubnet.RegistrationPricing memory p = ISubnet.RegistrationPricing(1 ether, 10 ether, 1 days, 16, 0);
        which = bound(which, 0, 4);
        if (which == 0) p.minFee = uint96(bound(raw, uint256(p.maxFee) + 1, type(uint96).max));
        else if (which == 1) p.interval = 0;
        else if (which == 2) p.interval = uint32(bound(raw, 365 days + 1, type(uint32).max));
        else if (which == 3) p.target = 0;
        else p.evictionFloorBps = uint32(bound(raw, 1_000_001, type(uint32).max));
        uint256 feeBefore = subnet.registrationFee();
        vm.expectRevert(ISubnet.InvalidPricing.selector);
        subnet.setRegistrationPricing(p);
        assertEq(subnet.registrationFee(), feeBefore);
    }

    /// @dev A commitment opens only with its own sheet and salt: any other sheet or salt reverts
    /// CommitmentMismatch, and the validator can still reveal the committed one.
    function testFuzz_RevealOfAnyOtherSheetOrSaltMismatches(
        uint16 score,
        uint16 otherScore,
        bytes32 salt,
        bytes32 otherSalt
    ) public {
        vm.assume(score != otherScore || salt != otherSalt);
        vm.prank(address(0xC1));
        subnet.register("");
        token.mint(V, 100 ether);
        vm.startPrank(V);
        token.approve(address(subnet), 100 ether);
        subnet.stake(100 ether);
        uint256 round = subnet.round();
        bytes memory sheet = abi.encodePacked(score);
        subnet.commit(keccak256(abi.encode(address(subnet), round, V, salt, keccak256(sheet))));
        (, uint256 commitEnd, ) = subnet.roundTimes();
        vm.warp(commitEnd);
        vm.expectRevert(ISubnet.CommitmentMismatch.selector);
        subnet.reveal(abi.encodePacked(otherScore), otherSalt);
        subnet.reveal(sheet, salt);
        vm.stopPrank();
        ISubnet.Validator memory v = subnet.validatorAt(0);
        assertEq(v.revealRound, round, "the committed sheet opened");
        assertEq(v.rows, 1);
    }
}
