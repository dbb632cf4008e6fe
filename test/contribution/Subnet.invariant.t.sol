// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {FuzzSelector, TetradTest} from "../utils/TetradTest.sol";

/// @notice Drives one subnet: contributors come and go, validators stake, unstake and get slashed,
/// honest validators reveal the truth, colluders inflate contributor 0 and zero the rest, some
/// validators skip their reveal, emission arrives, rounds finalize in random page sizes, people claim.
contract SubnetHandler is TetradTest {
    uint256 internal constant CONTRIBUTORS = 6;
    uint256 internal constant VALIDATORS = 5; // slots 0-2 honest, 3-4 colluders
    uint256 internal constant COLLUDERS_FROM = 3;

    Subnet public immutable subnet;
    MockStakeToken public immutable token;
    ContributionBucket public immutable bucket;
    Treasury public immutable fund;
    address[CONTRIBUTORS] internal contributors;
    address[VALIDATORS] internal validators;
    uint16[] internal weights;

    uint256 public ghostBondsIn;
    uint256 public ghostBondsOut;
    uint256 public ghostStakeIn;
    uint256 public ghostStakeOut;
    uint256 public ghostSlashed;
    uint256 public ghostEmissionIn;
    uint256 public ghostClaimed;
    bool public ghostClaimMismatch;
    bool public ghostEmissionNotConserved;
    bool public ghostColludersLifted;
    uint256 public roundsWithReveals;

    uint256 internal truthSeed;
    mapping(address => bytes) internal sheetOf;
    mapping(address => bytes32) internal saltOf;

    constructor(Subnet subnet_, MockStakeToken token_, ContributionBucket bucket_, Treasury fund_) {
        subnet = subnet_;
        token = token_;
        bucket = bucket_;
        fund = fund_;
        weights.push(6000);
        weights.push(4000);
        for (uint256 i; i < CONTRIBUTORS; ++i) contributors[i] = _approved(address(uint160(0xC0 + i)));
        for (uint256 i; i < VALIDATORS; ++i) validators[i] = _approved(address(uint160(0xD0 + i)));
    }

    function _approved(address a) internal returns (address) {
        vm.prank(a);
        token.approve(address(subnet), type(uint256).max);
        return a;
    }

    // ----- contributors -----

    function register(uint256 seed) external {
        address c = contributors[seed % CONTRIBUTORS];
        (ISubnet.Params memory p, ) = subnet.params();
        token.mint(c, p.bond);
        vm.prank(c);
        try subnet.register("") {
            ghostBondsIn += p.bond;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function deregister(uint256 seed) external {
        address c = contributors[seed % CONTRIBUTORS];
        uint256 before = token.balanceOf(c);
        uint256 owed = subnet.claimable(c);
        vm.prank(c);
        try subnet.deregister() {
            uint256 back = token.balanceOf(c) - before;
            ghostBondsOut += back - owed;
            ghostClaimed += owed;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    // ----- validators -----

    function stake(uint256 seed, uint256 amount) external {
        address v = validators[seed % VALIDATORS];
        amount = bound(amount, 100 ether, 1_000 ether);
        token.mint(v, amount);
        vm.prank(v);
        try subnet.stake(amount) {
            ghostStakeIn += amount;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function unstake(uint256 seed, uint256 amount) external {
        address v = validators[seed % VALIDATORS];
        amount = bound(amount, 1, 1_000 ether);
        vm.prank(v);
        try subnet.unstake(amount) {} catch {} // solhint-disable-line no-empty-blocks
    }

    function withdrawUnbonded(uint256 seed) external {
        address v = validators[seed % VALIDATORS];
        (uint256 amount, ) = subnet.unbonding(v);
        vm.prank(v);
        try subnet.withdrawUnbonded() {
            ghostStakeOut += amount;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function slash(uint256 seed, uint256 amount) external {
        address v = validators[seed % VALIDATORS];
        amount = bound(amount, 1, 2_000 ether);
        uint256 before = token.balanceOf(address(fund));
        try subnet.slash(v, amount) {
            ghostSlashed += token.balanceOf(address(fund)) - before;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    // ----- rounds -----

    function commitAll(uint256 seed) external {
        if (subnet.phase() != ISubnet.Phase.Commit) return;
        truthSeed = seed;
        uint256 round = subnet.round();
        for (uint256 i; i < VALIDATORS; ++i) {
            address v = validators[i];
            try subnet.validatorSlot(v) returns (uint256) {} catch {
                continue;
            }
            bytes memory sheet = _sheet(i >= COLLUDERS_FROM);
            bytes32 salt = keccak256(abi.encode(seed, i));
            sheetOf[v] = sheet;
            saltOf[v] = salt;
            vm.prank(v);
            subnet.commit(keccak256(abi.encode(address(subnet), round, v, salt, keccak256(sheet))));
        }
    }

    function revealAll(uint256 skipMask) external {
        if (subnet.phase() != ISubnet.Phase.Reveal) return;
        for (uint256 i; i < VALIDATORS; ++i) {
            if ((skipMask >> i) & 1 == 1 && skipMask % 3 == 0) continue; // sometimes someone skips
            address v = validators[i];
            vm.prank(v);
            try subnet.reveal(sheetOf[v], saltOf[v]) {} catch {} // solhint-disable-line no-empty-blocks
        }
    }

    function finalize(uint256 steps) external {
        if (subnet.phase() != ISubnet.Phase.Closed) return;
        steps = bound(steps, 1, 16);
        (uint256 stage, ) = subnet.finalization();
        uint256 intake = stage == 0 ? bucket.allocation(address(subnet)) : 0;
        uint256 before = subnet.pendingEmission() + subnet.totalClaimable();
        (uint256 honestMax, uint256 honestStake, uint256 colluderStake) = _revealedStakes();
        bool done = subnet.finalizeEpoch(steps);
        if (subnet.pendingEmission() + subnet.totalClaimable() != before + intake)
            ghostEmissionNotConserved = true;
        if (done && honestStake > 0) {
            ++roundsWithReveals;
            // With less than half of the revealed stake, colluders cannot lift contributor 0 above the
            // honest score for it (all honest validators report the same truth).
            if (colluderStake < honestStake) {
                try subnet.contributorSlot(contributors[0]) returns (uint256 slot) {
                    if (subnet.consensusScore(slot) > honestMax) ghostColludersLifted = true;
                } catch {} // solhint-disable-line no-empty-blocks
            }
        }
    }

    function claim(uint256 seed) external {
        address a = seed % 2 == 0 ? contributors[seed % CONTRIBUTORS] : validators[seed % VALIDATORS];
        uint256 owed = subnet.claimable(a);
        uint256 before = token.balanceOf(a);
        vm.prank(a);
        subnet.claim();
        uint256 got = token.balanceOf(a) - before;
        if (got != owed) ghostClaimMismatch = true;
        ghostClaimed += got;
    }

    function fundEmission(uint256 amount) external {
        amount = bound(amount, 0, 10_000 ether);
        token.mint(address(bucket), amount);
        bucket.allocate();
        ghostEmissionIn += amount;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 hours));
    }

    // ----- helpers -----

    /// @dev Honest: the round's truth for every registered slot; colluder: 65,535 for contributor 0's
    /// slot, zero elsewhere.
    function _sheet(bool colluder) internal view returns (bytes memory sheet) {
        uint256 rows = subnet.contributorSlotsUsed();
        uint256 friend = type(uint256).max;
        try subnet.contributorSlot(contributors[0]) returns (uint256 slot) {
            friend = slot;
        } catch {} // solhint-disable-line no-empty-blocks
        for (uint256 j; j < rows; ++j) {
            for (uint256 m; m < 2; ++m) {
                uint16 value =
                    colluder
                        ? (j == friend ? type(uint16).max : 0)
                        : uint16(uint256(keccak256(abi.encode(truthSeed, j, m))) % 30_000);
                sheet = bytes.concat(sheet, bytes2(value));
            }
        }
    }

    /// @dev Revealed stake of honest validators and colluders this round, and the honest folded score
    /// of contributor 0's slot.
    function _revealedStakes()
        internal
        view
        returns (uint256 honestMax, uint256 honestStake, uint256 colluderStake)
    {
        uint256 round = subnet.round();
        uint256 friend = type(uint256).max;
        try subnet.contributorSlot(contributors[0]) returns (uint256 slot) {
            friend = slot;
        } catch {} // solhint-disable-line no-empty-blocks
        for (uint256 i; i < VALIDATORS; ++i) {
            try subnet.validatorSlot(validators[i]) returns (uint256 slot) {
                Subnet.Validator memory v = subnet.validatorAt(slot);
                if (v.revealRound != round) continue;
                if (i >= COLLUDERS_FROM) colluderStake += v.stake;
                else honestStake += v.stake;
            } catch {} // solhint-disable-line no-empty-blocks
        }
        if (friend != type(uint256).max) {
            honestMax =
                (uint256(keccak256(abi.encode(truthSeed, friend, uint256(0)))) % 30_000) * weights[0] +
                (uint256(keccak256(abi.encode(truthSeed, friend, uint256(1)))) % 30_000) * weights[1];
        }
    }
}

/// @notice Proof-of-contribution invariants: solvency, conservation of bonds, stakes and emission,
/// slashing only to the protection fund, exact claims, and colluders under half the stake unable to lift
/// a score above the honest one.
contract SubnetInvariantTest is TetradTest {
    Subnet internal subnet;
    MockStakeToken internal token;
    ContributionBucket internal bucket;
    Treasury internal fund;
    SubnetHandler internal handler;

    function setUp() public {
        TetradAccessManager manager = new TetradAccessManager(address(this));
        token = new MockStakeToken("Tetrad (test)", "TTD");
        bucket = new ContributionBucket(address(manager), token);
        fund = new Treasury(address(manager));
        uint16[] memory w = new uint16[](2);
        w[0] = 6000;
        w[1] = 4000;
        ISubnet.Params memory p = ISubnet.Params({
            commitDuration: 1 hours,
            revealDuration: 1 hours,
            immunityPeriod: 1 days,
            unbondingDelay: 1 days,
            kappa: 5000,
            contributorShare: 8000,
            validatorShare: 1500,
            agreementThreshold: 5000,
            maxStrikes: 2,
            bond: 10 ether,
            minValidatorStake: 100 ether
        });
        subnet = new Subnet(address(manager), token, bucket, address(fund), address(0xBEEF), "", p, w);
        address[] memory subnets = new address[](1);
        subnets[0] = address(subnet);
        uint16[] memory bps = new uint16[](1);
        bps[0] = 10_000;
        bucket.setWeights(subnets, bps);
        handler = new SubnetHandler(subnet, token, bucket, fund);
        manager.grantRole(0, address(handler), 0); // the handler plays governance for slash
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory s) {
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = SubnetHandler.register.selector;
        selectors[1] = SubnetHandler.deregister.selector;
        selectors[2] = SubnetHandler.stake.selector;
        selectors[3] = SubnetHandler.unstake.selector;
        selectors[4] = SubnetHandler.withdrawUnbonded.selector;
        selectors[5] = SubnetHandler.slash.selector;
        selectors[6] = SubnetHandler.commitAll.selector;
        selectors[7] = SubnetHandler.revealAll.selector;
        selectors[8] = SubnetHandler.finalize.selector;
        selectors[9] = SubnetHandler.claim.selector;
        selectors[10] = SubnetHandler.fundEmission.selector;
        selectors[11] = SubnetHandler.warp.selector;
        s = new FuzzSelector[](1);
        s[0] = FuzzSelector(address(handler), selectors);
    }

    function invariant_SolventToTheWei() public {
        uint256 owed =
            subnet.totalBonds() +
                subnet.totalStake() +
                subnet.totalUnbonding() +
                subnet.totalClaimable() +
                subnet.pendingEmission();
        assertEq(token.balanceOf(address(subnet)), owed, "balance != obligations");
    }

    function invariant_BondsAreConserved() public {
        assertEq(subnet.totalBonds(), handler.ghostBondsIn() - handler.ghostBondsOut(), "bonds");
    }

    function invariant_StakeMovesOnlyByUnbondingOrSlashing() public {
        assertEq(
            subnet.totalStake() + subnet.totalUnbonding(),
            handler.ghostStakeIn() - handler.ghostStakeOut() - handler.ghostSlashed(),
            "stake"
        );
        assertEq(token.balanceOf(address(fund)), handler.ghostSlashed(), "slashed stake went elsewhere");
    }

    function invariant_EmissionIsConserved() public {
        assertFalse(handler.ghostEmissionNotConserved(), "a finalization created or lost emission");
        assertEq(
            handler.ghostEmissionIn(),
            token.balanceOf(address(bucket)) +
                subnet.pendingEmission() +
                subnet.totalClaimable() +
                handler.ghostClaimed(),
            "emission in != bucket + pending + claimable + claimed"
        );
    }

    function invariant_ClaimsPayExactlyWhatWasCredited() public {
        assertFalse(handler.ghostClaimMismatch(), "a claim paid something other than claimable");
    }

    function invariant_ColludersUnderHalfCannotLiftAScore() public {
        assertFalse(
            handler.ghostColludersLifted(),
            "colluders lifted a consensus score above the honest one"
        );
    }

    function invariant_PermitAndSlotBounds() public {
        assertLte(subnet.validatorCount(), 64);
        assertLte(subnet.contributorCount(), 256);
    }
}
