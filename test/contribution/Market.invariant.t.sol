// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {SubnetFactory} from "../../contracts/contribution/SubnetFactory.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {IContributionBucket} from "../../contracts/interfaces/IContributionBucket.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {ISubnetFactory} from "../../contracts/interfaces/ISubnetFactory.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";
import {GovernedHandler} from "../utils/GovernedHandler.sol";
import {Wiring} from "../utils/Wiring.sol";

/// @dev The state cheatcodes (forge 1.x names; @prb/test's Vm predates them).
interface VmState {
    function snapshotState() external returns (uint256);

    function revertToState(uint256 snapshotId) external returns (bool);
}

/// @notice Drives the subnet market (issue 16) on real contracts: a Tetrad token (this handler is its
/// minter, in the emission controller's place, and holds the DISTRIBUTOR role), one contribution bucket
/// (the factory's three bucket indices all name it), the subnet factory and a protection fund.
/// Launchers launch subnets (the cost doubles and decays; a full bucket retires its weakest subnet);
/// holders, who delegate to themselves, mint, move tokens between each other, vote and poke; emission
/// reaches the bucket by mint or transfer and is split (`allocate` or the controller's hook); time
/// passes (hours, or one to two gauge weeks); governance kills subnets, sets floors (sometimes naming a
/// retired subnet), gauge settings, launch pricing and bounds, and moves the factory between two
/// AccessManagers; contributors register and leave, validators stake, unstake and withdraw, anyone
/// pays service fees (with an allowance or a permit), keepers finalize rounds (without sheets: the
/// emission is carried; or whole rounds with sheets, sometimes left half-paged), everyone claims.
contract MarketHandler is GovernedHandler {
    uint256 internal constant WEEK = 7 days; // the bucket's gauge period
    uint256 internal constant HOLDERS = 4;
    uint256 internal constant LAUNCHERS = 3;
    uint256 internal constant CONTRIBUTORS = 4;
    uint256 internal constant VALIDATORS = 3;
    uint256 public constant MAX_LAUNCHES = 16;
    uint256 internal constant HOLDER_KEY = 0xA11CE;
    uint256 internal constant PAYER_KEY = 0xFEE;

    Tetrad public immutable token;
    ContributionBucket public immutable bucket;
    SubnetFactory public immutable factory;
    Treasury public immutable fund;
    address public immutable payer;

    address[HOLDERS] internal holders;
    address[LAUNCHERS] internal launchers;
    address[CONTRIBUTORS] internal contributors;
    address[VALIDATORS] internal validators;

    /// @dev Every subnet launched, live or retired, in launch order.
    Subnet[] internal subnets;
    mapping(address subnet => bool) public ghostRetired;
    uint256[] internal retiredIds;
    mapping(address subnet => uint256) public idOf;
    /// @dev The subnets the current action changed (picked, retired or killed): the invariant tries
    /// the exits of those that are retired; the others did not change since it last did.
    address[] internal _touched;

    // ----- ghosts -----
    uint256 public ghostMinted;
    uint256 public ghostBurned;
    uint256 public ghostReceived; // tokens that reached the bucket
    uint256 public ghostPulled; // tokens that left the bucket
    uint256 public ghostFundIn; // tokens that reached the protection fund
    uint256 public ghostLaunches;
    uint256 public ghostFeeBurnBps = 5_000;
    /// @dev Something happened that the rules forbid (the first such thing is named).
    string public ghostWrong;

    constructor(
        Tetrad token_,
        ContributionBucket bucket_,
        SubnetFactory factory_,
        Treasury fund_,
        TetradAccessManager manager_,
        TetradAccessManager spare
    ) GovernedHandler(manager_, spare) {
        (token, bucket, factory, fund) = (token_, bucket_, factory_, fund_);
        payer = vm.addr(PAYER_KEY);
        for (uint256 i; i < HOLDERS; ++i) {
            holders[i] = vm.addr(HOLDER_KEY + i);
            _mint(holders[i], 100_000 ether * (i + 1));
            vm.prank(holders[i]);
            token_.delegate(holders[i]);
        }
        for (uint256 i; i < LAUNCHERS; ++i) launchers[i] = address(uint160(0x1A0 + i));
        for (uint256 i; i < CONTRIBUTORS; ++i) contributors[i] = address(uint160(0xC0 + i));
        for (uint256 i; i < VALIDATORS; ++i) validators[i] = address(uint160(0xD0 + i));
    }

    /// @dev Every action starts with no subnet touched.
    modifier acts() {
        delete _touched;
        _;
    }

    // =============================================================
    //                            LAUNCHES
    // =============================================================

    /// @dev One to three launches in a row (so that the bucket fills within a campaign); see `_launch`.
    function launch(uint256 launcherSeed, uint256 bucketSeed, uint256 seed) external acts {
        uint256 n = 1 + ((seed >> 128) % 3);
        for (uint256 i; i < n; ++i)
            _launch(
                (launcherSeed % LAUNCHERS) + i,
                (bucketSeed % 3) + i,
                uint256(keccak256(abi.encode(seed, i)))
            );
    }

    /// @dev A launcher pays the launch cost (sometimes with a max cost one wei short, or with settings
    /// outside the launch bounds: refused). A full bucket must retire exactly its weakest subnet (no
    /// floor, past immunity, fewest votes in force, the first of equals), or refuse with BucketFull.
    function _launch(uint256 launcherSeed, uint256 bucketSeed, uint256 seed) internal {
        if (subnets.length >= MAX_LAUNCHES) return;
        address launcher = launchers[launcherSeed % LAUNCHERS];
        uint256 cost = factory.launchCost();
        _mint(launcher, cost);
        vm.prank(launcher);
        token.approve(address(factory), cost);
        ISubnet.Params memory p = _launchParams(seed);
        bool inBounds = _withinLaunchBounds(p);
        uint256 maxCost = seed % 9 == 1 ? cost - 1 : cost;
        (bool full, uint256 weakest) = _weakest();
        IContributionBucket.Listing[] memory before = bucket.listings();
        uint256 balance = token.balanceOf(launcher);
        vm.prank(launcher);
        try factory.launch(bucketSeed % 3, "subnet", "ipfs://subnet", p, oneMetric(), maxCost) returns (
            address s
        ) {
            if (!inBounds || maxCost < cost)
                _wrong("a launch outside the bounds or above its max cost went through");
            if (full && weakest == type(uint256).max) _wrong("a full bucket took a launch without a retiree");
            if (balance - token.balanceOf(launcher) != cost) _wrong("a launch did not burn its cost");
            if (Subnet(s).owner() != launcher) _wrong("the launcher does not own its subnet");
            ghostBurned += cost;
            ++ghostLaunches;
            subnets.push(Subnet(s));
            IContributionBucket.Listing[] memory l = bucket.listings();
            idOf[s] = l[l.length - 1].id;
            if (l[l.length - 1].subnet != s) _wrong("a launched subnet is not listed last");
            address retiree = full && weakest != type(uint256).max ? before[weakest].subnet : address(0);
            if (retiree != address(0)) {
                if (_lifecycle(retiree) != uint8(ISubnet.Lifecycle.Retiring))
                    _wrong("a full bucket did not retire its weakest subnet");
            }
            _noteRetirements(retiree);
        } catch (bytes memory reason) {
            bool bucketFull = bytes4(reason) == IContributionBucket.BucketFull.selector;
            if (inBounds && maxCost >= cost && !(full && weakest == type(uint256).max && bucketFull))
                _wrong("a launch within the bounds was refused");
        }
    }

    /// @dev The settings a launcher picks: owner share 5% (the bound), sometimes 6% (outside it); a
    /// bond of 10 TTD and a permit floor of 100 TTD; the shortest unbonding delay.
    function _launchParams(uint256 seed) internal pure returns (ISubnet.Params memory p) {
        p = shortSubnetParams();
        p.validatorShare = seed % 9 == 0 ? 1_400 : 1_500;
    }

    function _withinLaunchBounds(ISubnet.Params memory p) internal view returns (bool) {
        ISubnetFactory.LaunchBounds memory b = factory.launchBounds();
        return
            uint256(p.contributorShare) + p.validatorShare + b.maxOwnerShareBps >= BPS &&
            p.bond >= b.minBond &&
            p.bond <= b.maxBond &&
            p.minValidatorStake >= b.minValidatorStake;
    }

    /// @dev Whether the bucket is full, and the position of the subnet a launch must retire (max: none
    /// may be retired): no floor, past immunity, fewest votes in force, the first of equals.
    function _weakest() internal view returns (bool full, uint256 position) {
        IContributionBucket.GaugeParams memory g = bucket.gaugeParams();
        IContributionBucket.Listing[] memory l = bucket.listings();
        position = type(uint256).max;
        if (l.length < g.maxSubnets) return (false, position);
        full = true;
        uint256 immuneSince = block.timestamp < g.immunity ? 0 : block.timestamp - g.immunity;
        uint256 fewest = type(uint256).max;
        for (uint256 i; i < l.length; ++i) {
            if (l[i].floor > 0 || l[i].addedAt > immuneSince) continue;
            (uint256 votes, ) = bucket.votesOf(l[i].id);
            if (votes < fewest) (fewest, position) = (votes, i);
        }
    }

    // =============================================================
    //                         HOLDERS AND GAUGE
    // =============================================================

    /// @dev A holder votes for up to five live subnets (weights summing to at most 10,000, sometimes
    /// exactly), or clears its ballot; sometimes its ballot names a retired subnet (refused).
    function vote(uint256 holderSeed, uint256 seed) external acts {
        address h = holders[holderSeed % HOLDERS];
        IContributionBucket.Listing[] memory l = bucket.listings();
        uint256 n = l.length == 0 ? 0 : bound(seed, 0, l.length < 5 ? l.length : 5);
        bool stale = seed % 7 == 0 && retiredIds.length > 0;
        bool tooMany = n + (stale ? 1 : 0) > bucket.gaugeParams().maxVotes;
        uint256[] memory ids = new uint256[](n + (stale ? 1 : 0));
        uint256[] memory bps = new uint256[](ids.length);
        uint256 budget = (seed >> 8) % 3 == 0 ? BPS : bound(seed >> 16, ids.length, BPS);
        uint256 offset = l.length == 0 ? 0 : (seed >> 32) % l.length;
        for (uint256 i; i < n; ++i) ids[i] = l[(offset + i) % l.length].id;
        if (stale) ids[n] = retiredIds[(seed >> 40) % retiredIds.length];
        for (uint256 i; i < ids.length; ++i) {
            uint256 left = ids.length - i - 1; // each later entry needs at least one bps
            bps[i] =
                i == ids.length - 1
                    ? budget
                    : bound(uint256(keccak256(abi.encode(seed, i))), 1, budget - left);
            budget -= bps[i];
        }
        vm.prank(h);
        try bucket.vote(ids, bps) {
            if (stale || tooMany) _wrong("a ballot naming a retired subnet, or too many, was accepted");
        } catch {
            if (!stale && !tooMany) _wrong("a valid ballot was refused");
        }
    }

    /// @dev Anyone re-reads a holder's power.
    function poke(uint256 holderSeed, uint256 callerSeed) external acts {
        vm.prank(address(uint160(bound(callerSeed, 1, type(uint160).max))));
        try bucket.poke(holders[holderSeed % HOLDERS]) {} catch {
            _wrong("a poke reverted");
        }
    }

    /// @dev A holder sends part of its balance to another.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external acts {
        address from = holders[fromSeed % HOLDERS];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(holders[toSeed % HOLDERS], amount);
    }

    function mintToHolder(uint256 holderSeed, uint256 amount) external acts {
        _mint(holders[holderSeed % HOLDERS], bound(amount, 0, 200_000 ether));
    }

    /// @dev Emission reaches the bucket, minted (as the controller does) or sent by a holder, and is split
    /// by the controller's hook (this handler holds the DISTRIBUTOR role) or a permissionless `allocate`.
    function emitToBucket(uint256 amount, uint256 mode) external acts {
        amount = bound(amount, 0, 50_000 ether);
        if (mode % 3 == 2) {
            address h = holders[(mode >> 8) % HOLDERS];
            if (amount > token.balanceOf(h)) amount = token.balanceOf(h);
            vm.prank(h);
            token.transfer(address(bucket), amount);
        } else {
            _mint(address(bucket), amount);
        }
        ghostReceived += amount;
        if (mode % 3 == 1) bucket.onEmission(2, amount);
        else bucket.allocate();
    }

    /// @dev Hours to two days, or (half the time) one to two gauge weeks (past the unbonding delay at times).
    function warp(uint256 seconds_, uint256 mode) external acts {
        uint256 dt =
            mode % 2 == 0
                ? bound(seconds_, WEEK - 1 days, 2 * WEEK + 2 days)
                : bound(seconds_, 1 hours, 2 days);
        vm.warp(block.timestamp + dt);
    }

    // =============================================================
    //                            GOVERNANCE
    // =============================================================

    /// @dev Governance kills a live subnet (often one in the middle of a paged finalization); or tries a
    /// subnet that is not listed (refused).
    function kill(uint256 seed) external acts {
        IContributionBucket.Listing[] memory l = bucket.listings();
        if (l.length == 0 || seed % 6 == 0) {
            address target = subnets.length == 0 ? OUTSIDER : address(subnets[seed % subnets.length]);
            if (_listed(target)) return;
            try bucket.kill(target) {
                _wrong("killed a subnet that was not listed");
            } catch {} // solhint-disable-line no-empty-blocks
            return;
        }
        address s = l[seed % l.length].subnet;
        // Half the time, a subnet whose round is being finalized in pages, if there is one.
        for (uint256 i; i < l.length && (seed >> 8) % 2 == 0; ++i) {
            (ISubnet.FinalizationStage stage, ) = ISubnet(l[i].subnet).finalization();
            if (stage != ISubnet.FinalizationStage.Idle) s = l[i].subnet;
        }
        try bucket.kill(s) {
            if (_lifecycle(s) != uint8(ISubnet.Lifecycle.Retiring)) _wrong("a killed subnet is not retiring");
            _noteRetirements(s);
        } catch {
            _wrong("governance could not kill a live subnet");
        }
    }

    /// @dev Governance sets floors for some live subnets (none; summing to at most 10,000, sometimes
    /// exactly), and sometimes names a retired subnet too.
    function setFloors(uint256 seed) external acts {
        IContributionBucket.Listing[] memory l = bucket.listings();
        uint256 n = bound(seed, 0, l.length < 4 ? l.length : 4);
        bool stale = seed % 8 == 0 && subnets.length > 0;
        address retired;
        if (stale) {
            for (uint256 i; i < subnets.length; ++i) {
                address s = address(subnets[(seed + i) % subnets.length]);
                if (ghostRetired[s]) {
                    retired = s;
                    break;
                }
            }
            stale = retired != address(0);
        }
        address[] memory list = new address[](n + (stale ? 1 : 0));
        uint16[] memory floors = new uint16[](list.length);
        uint256 budget = (seed >> 8) % 3 == 0 ? BPS : bound(seed >> 16, 0, BPS);
        uint256 offset = l.length == 0 ? 0 : (seed >> 32) % l.length;
        for (uint256 i; i < n; ++i) list[i] = l[(offset + i) % l.length].subnet;
        if (stale) list[n] = retired;
        for (uint256 i; i < list.length; ++i) {
            uint256 f =
                i == list.length - 1 ? budget : bound(uint256(keccak256(abi.encode(seed, i))), 0, budget);
            floors[i] = uint16(f);
            budget -= f;
        }
        try bucket.setFloors(list, floors) {
            if (stale) _wrong("setFloors listed a retired subnet again");
        } catch {
            // Refused only for a retired subnet, or one more subnet than the bucket has room for.
            if (!stale) _wrong("valid floors were refused");
        }
    }

    /// @dev Governance changes one gauge setting: the cap, the subnet slots (sometimes below the live
    /// count: refused), the immunity, the lookback, the fee burn share or the ballot size.
    function setGaugeParams(uint256 seed) external acts {
        IContributionBucket.GaugeParams memory g = bucket.gaugeParams();
        uint256 kind = seed % 6;
        uint256 v = seed >> 8;
        if (kind == 0) g.capBps = uint16(bound(v, 500, BPS));
        else if (kind == 1) g.maxSubnets = uint8(bound(v, 1, 8));
        else if (kind == 2) g.immunity = uint32(bound(v, 0, 20 days));
        else if (kind == 3) g.lookback = uint32(bound(v, 1 hours, 30 days));
        else if (kind == 4) g.feeBurnBps = uint16(bound(v, 0, BPS));
        else g.maxVotes = uint8(bound(v, 1, 16));
        bool shrinks = g.maxSubnets < bucket.listings().length;
        try bucket.setGaugeParams(g) {
            if (shrinks) _wrong("maxSubnets set below the live subnets");
            ghostFeeBurnBps = g.feeBurnBps;
        } catch {
            if (!shrinks) _wrong("valid gauge settings were refused");
        }
    }

    /// @dev Governance reprices launches, or moves the launch bounds around the settings launchers pick
    /// (so that some launches fall outside them).
    function setLaunchSettings(uint256 seed) external acts {
        if (seed % 2 == 0) {
            uint96 minCost = uint96(bound(seed >> 8, 1 ether, 5_000 ether));
            uint96 maxCost = uint96(bound(seed >> 96, minCost, 1_000_000 ether));
            uint32 decay = uint32(bound(seed >> 192, 1 days, 30 days));
            factory.setLaunchPricing(ISubnetFactory.LaunchPricing(minCost, maxCost, decay));
        } else {
            uint16 maxOwner = uint16(bound(seed >> 8, 400, 1_000));
            uint96 minBond = uint96(bound(seed >> 24, 1 ether, 12 ether));
            uint96 maxBond = uint96(bound(seed >> 112, minBond, 1_000_000 ether));
            uint96 minStake = uint96(bound(seed >> 200, 50 ether, 120 ether));
            factory.setLaunchBounds(ISubnetFactory.LaunchBounds(maxOwner, minBond, maxBond, minStake));
        }
    }

    /// @dev Governance moves the factory to the other AccessManager (new clones get it as authority).
    function migrateFactory() external acts {
        _migrate(address(this), address(factory), IAccessManaged(address(factory)).authority());
    }

    // =============================================================
    //                             SUBNETS
    // =============================================================

    function register(uint256 subnetSeed, uint256 who) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        _keep(s);
        _register(s, contributors[who % CONTRIBUTORS]);
    }

    function _register(Subnet s, address c) internal {
        (ISubnet.Params memory p, ) = s.params();
        uint256 fee = s.registrationFee();
        _mint(c, p.bond + fee);
        vm.prank(c);
        token.approve(address(s), p.bond + fee);
        uint256 before = token.balanceOf(c);
        bool live = _isLive(s);
        vm.prank(c);
        try s.register("") {
            if (!live) _wrong("a retired subnet registered a contributor");
            ghostBurned += before - token.balanceOf(c) - p.bond; // the fee
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A registered contributor always leaves with its bond and its rewards.
    function deregister(uint256 subnetSeed, uint256 who) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        address c = contributors[who % CONTRIBUTORS];
        (bool registered, uint256 owed) = _contributorOwed(s, c);
        uint256 before = token.balanceOf(c);
        vm.prank(c);
        try s.deregister() {
            if (!registered || token.balanceOf(c) - before != owed)
                _wrong("a deregistration paid something other than bond + rewards");
        } catch {
            if (registered) _wrong("a registered contributor could not leave");
        }
    }

    function stake(uint256 subnetSeed, uint256 who, uint256 amount) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        _keep(s);
        _stake(s, validators[who % VALIDATORS], bound(amount, 100 ether, 1_000 ether));
    }

    function _stake(Subnet s, address v, uint256 amount) internal {
        _mint(v, amount);
        vm.prank(v);
        token.approve(address(s), amount);
        bool live = _isLive(s);
        vm.prank(v);
        try s.stake(amount) {
            if (!live) _wrong("a retired subnet took stake");
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev A validator with a permit can always unstake up to its stake.
    function unstake(uint256 subnetSeed, uint256 who, uint256 amount) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        address v = validators[who % VALIDATORS];
        uint256 staked;
        try s.validatorSlot(v) returns (uint256 slot) {
            staked = s.validatorAt(slot).stake;
        } catch {} // solhint-disable-line no-empty-blocks
        if (staked == 0) return;
        amount = bound(amount, 1, staked);
        vm.prank(v);
        try s.unstake(amount) {} catch {
            _wrong("a validator could not unstake");
        }
    }

    /// @dev Whatever has finished unbonding is always withdrawable, exactly.
    function withdrawUnbonded(uint256 subnetSeed, uint256 who) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        address v = validators[who % VALIDATORS];
        uint256 due = _due(s, v);
        uint256 before = token.balanceOf(v);
        vm.prank(v);
        try s.withdrawUnbonded() {
            if (token.balanceOf(v) - before != due || due == 0)
                _wrong("a withdrawal paid something other than due");
        } catch {
            if (due > 0) _wrong("released stake could not be withdrawn");
        }
    }

    /// @dev Anyone's rewards are always claimable, exactly (nobody pauses here).
    function claim(uint256 subnetSeed, uint256 who) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        address a = _claimant(who);
        uint256 owed = s.claimable(a);
        uint256 before = token.balanceOf(a);
        vm.prank(a);
        try s.claim() returns (uint256 got) {
            if (got != owed || token.balanceOf(a) - before != owed)
                _wrong("a claim paid something other than claimable");
        } catch {
            _wrong("a claim reverted");
        }
    }

    /// @dev Someone pays a live subnet for its service (allowance or permit): the burn share is burned,
    /// the rest stays for the next round. A retired subnet refuses fees.
    function payFee(uint256 subnetSeed, uint256 amount, bool withPermit) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        amount = bound(amount, 1, 5_000 ether);
        _mint(payer, amount);
        bool live = _isLive(s);
        (uint256 paidBefore, uint256 burnedBefore) = s.fees();
        bool ok;
        if (withPermit) {
            uint256 deadline = block.timestamp + 1 hours;
            bytes32 digest = permitDigest(
                token.DOMAIN_SEPARATOR(),
                payer,
                address(s),
                amount,
                token.nonces(payer),
                deadline
            );
            (uint8 v, bytes32 r, bytes32 sig) = vm.sign(PAYER_KEY, digest);
            vm.prank(payer);
            try s.payFeeWithPermit(amount, "ref", deadline, v, r, sig) {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        } else {
            vm.prank(payer);
            token.approve(address(s), amount);
            vm.prank(payer);
            try s.payFee(amount, "ref") {
                ok = true;
            } catch {} // solhint-disable-line no-empty-blocks
        }
        if (ok != live) _wrong(live ? "a live subnet refused a fee" : "a retired subnet took a fee");
        if (!ok) return;
        uint256 burned = (amount * ghostFeeBurnBps) / BPS;
        ghostBurned += burned;
        (uint256 paidAfter, uint256 burnedAfter) = s.fees();
        if (paidAfter - paidBefore != amount || burnedAfter - burnedBefore != burned) _wrong("fees() books");
    }

    /// @dev A keeper finalizes (a page of) a closed round: without sheets the emission is carried; a
    /// retiring subnet's last round retires it and sends what is left to the protection fund.
    function finalize(uint256 subnetSeed, uint256 steps) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        _finalize(s, bound(steps, 1, 4));
    }

    /// @dev A whole round with sheets on one subnet: the round under way is finished, a contributor and
    /// a validator join if it has none, the staked validators commit and reveal the same sheet, and the
    /// round is finalized (a third of the time only its first page, leaving it half-paged for later
    /// calls, emission, kills and launches).
    function playRound(uint256 subnetSeed, uint256 seed) external acts {
        Subnet s = _pick(subnetSeed);
        if (address(s) == address(0)) return;
        _finish(s);
        if (!_isLive(s) || s.phase() != ISubnet.Phase.Commit) return;
        // Someone to score and someone to score them, if the subnet has nobody yet.
        if (s.contributorCount() == 0) _register(s, contributors[seed % CONTRIBUTORS]);
        if (s.validatorCount() == 0) _stake(s, validators[seed % VALIDATORS], 100 ether + (seed % 900 ether));
        uint256 round = s.round();
        bytes memory sheet;
        uint256 rows = s.contributorSlotsUsed();
        for (uint256 j; j < rows; ++j)
            sheet = bytes.concat(sheet, bytes2(uint16(uint256(keccak256(abi.encode(seed, j))) % 30_000)));
        if (rows == 0) sheet = hex"0000";
        bool any;
        for (uint256 i; i < VALIDATORS; ++i) {
            address v = validators[i];
            try s.validatorSlot(v) returns (uint256) {
                vm.prank(v);
                s.commit(keccak256(abi.encode(address(s), round, v, bytes32(seed), keccak256(sheet))));
                any = true;
            } catch {} // solhint-disable-line no-empty-blocks
        }
        (, uint256 commitEnd, uint256 revealEnd) = s.roundTimes();
        vm.warp(commitEnd);
        for (uint256 i; i < VALIDATORS && any; ++i) {
            address v = validators[i];
            try s.validatorSlot(v) returns (uint256) {
                vm.prank(v);
                s.reveal(sheet, bytes32(seed));
            } catch {} // solhint-disable-line no-empty-blocks
        }
        vm.warp(revealEnd);
        if (seed % 3 == 0) _finalize(s, 1);
        else _finish(s);
    }

    /// @dev A stranger pulls (nothing), or a live subnet pulls its allocation outside a finalization
    /// (booked as emission at its next one).
    function pull(uint256 subnetSeed) external acts {
        Subnet s = _pick(subnetSeed);
        address who = address(s) != address(0) && _isLive(s) ? address(s) : OUTSIDER;
        uint256 before = token.balanceOf(address(bucket));
        uint256 owed = bucket.allocation(who);
        vm.prank(who);
        uint256 got = bucket.pull();
        ghostPulled += before - token.balanceOf(address(bucket));
        if (who == OUTSIDER && got != 0) _wrong("a stranger pulled from the bucket");
        if (who != OUTSIDER && got < owed) _wrong("a pull paid less than the allocation");
    }

    // =============================================================
    //                             HELPERS
    // =============================================================

    function _mint(address to, uint256 amount) internal {
        token.mint(to, amount);
        ghostMinted += amount;
    }

    function _wrong(string memory what) internal {
        if (bytes(ghostWrong).length == 0) ghostWrong = what;
    }

    function _pick(uint256 seed) internal returns (Subnet s) {
        if (subnets.length == 0) return Subnet(address(0));
        s = subnets[seed % subnets.length];
        _touched.push(address(s));
    }

    function _lifecycle(address s) internal view returns (uint8) {
        return uint8(ISubnet(s).lifecycle());
    }

    function _isLive(Subnet s) internal view returns (bool) {
        return s.lifecycle() == ISubnet.Lifecycle.Live;
    }

    function _listed(address s) internal view returns (bool) {
        IContributionBucket.Listing[] memory l = bucket.listings();
        for (uint256 i; i < l.length; ++i) if (l[i].subnet == s) return true;
        return false;
    }

    /// @dev Marks newly retired subnets; `expected` (if any) is the one the caller retired: no other
    /// subnet may have left the bucket with it.
    function _noteRetirements(address expected) internal {
        for (uint256 i; i < subnets.length; ++i) {
            address s = address(subnets[i]);
            if (ghostRetired[s] || _lifecycle(s) == uint8(ISubnet.Lifecycle.Live)) continue;
            if (s != expected) _wrong("a subnet retired that should not have");
            ghostRetired[s] = true;
            _touched.push(s);
            retiredIds.push(idOf[s]);
        }
    }

    /// @dev A keeper's duty before someone joins: a closed round is finalized first.
    function _keep(Subnet s) internal {
        if (s.phase() == ISubnet.Phase.Closed) _finish(s);
    }

    /// @dev Finalizes `s`'s closed round to its end (warping to the end of its reveal phase first).
    function _finish(Subnet s) internal {
        (, , uint256 revealEnd) = s.roundTimes();
        if (block.timestamp < revealEnd) vm.warp(revealEnd);
        uint256 round = s.round();
        for (uint256 i; i < 64 && s.round() == round && s.lifecycle() != ISubnet.Lifecycle.Retired; ++i) {
            _finalize(s, 64);
        }
    }

    function _finalize(Subnet s, uint256 steps) internal {
        if (s.phase() != ISubnet.Phase.Closed || s.lifecycle() == ISubnet.Lifecycle.Retired) return;
        uint256 bucketBefore = token.balanceOf(address(bucket));
        uint256 fundBefore = token.balanceOf(address(fund));
        try s.finalizeRound(steps) {} catch {
            _wrong("a closed round could not be finalized");
        }
        ghostPulled += bucketBefore - token.balanceOf(address(bucket));
        ghostFundIn += token.balanceOf(address(fund)) - fundBefore;
        if (s.lifecycle() == ISubnet.Lifecycle.Retired && !ghostRetired[address(s)])
            _wrong("a subnet retired without being retiring");
    }

    function _contributorOwed(Subnet s, address c) internal view returns (bool registered, uint256 owed) {
        try s.contributorSlot(c) returns (uint256 slot) {
            return (true, s.contributorAt(slot).bond + s.claimable(c));
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function _due(Subnet s, address v) internal view returns (uint256 due) {
        ISubnet.Unbonding[] memory parts = s.unbondings(v);
        for (uint256 i; i < parts.length; ++i)
            if (parts[i].releaseAt <= block.timestamp) due += parts[i].amount;
    }

    function _claimant(uint256 k) internal view returns (address) {
        k %= CONTRIBUTORS + VALIDATORS + LAUNCHERS + 1;
        if (k < CONTRIBUTORS) return contributors[k];
        k -= CONTRIBUTORS;
        if (k < VALIDATORS) return validators[k];
        k -= VALIDATORS;
        if (k < LAUNCHERS) return launchers[k];
        return address(this); // the keeper: every finalization here tips this handler
    }

    // =============================================================
    //                      VIEWS FOR THE INVARIANTS
    // =============================================================

    function touched() external view returns (address[] memory) {
        return _touched;
    }

    function subnetCount() external view returns (uint256) {
        return subnets.length;
    }

    function subnetAt(uint256 i) external view returns (Subnet) {
        return subnets[i];
    }

    function holderAt(uint256 i) external view returns (address) {
        return holders[i];
    }

    function holderCount() external pure returns (uint256) {
        return HOLDERS;
    }

    function validatorAt(uint256 i) external view returns (address) {
        return validators[i];
    }

    function validatorCount() external pure returns (uint256) {
        return VALIDATORS;
    }

    function contributorAt(uint256 i) external view returns (address) {
        return contributors[i];
    }

    function contributorCount() external pure returns (uint256) {
        return CONTRIBUTORS;
    }

    /// @dev Everyone who may hold a claim on a subnet: contributors, validators, owners, the keeper.
    function claimants() external view returns (address[] memory list) {
        list = new address[](CONTRIBUTORS + VALIDATORS + LAUNCHERS + 1);
        for (uint256 k; k < list.length; ++k) list[k] = _claimant(k);
    }
}

/// @notice The subnet market's invariants (issue 16): the bucket pays out exactly what it received; the
/// live subnets' shares sum to the whole bucket as floors, votes and caps allow; supply is minted minus
/// burned (launch costs, registration fees, fee burns); a retired subnet pays every holder out in full
/// and then holds nothing; retired subnets are never listed and the listings fit the slots.
contract MarketInvariantTest is TetradTest, InvariantTargets {
    VmState internal constant vmState = VmState(address(uint160(uint256(keccak256("hevm cheat code")))));

    Tetrad internal token;
    ContributionBucket internal bucket;
    SubnetFactory internal factory;
    Treasury internal fund;
    MarketHandler internal handler;

    function setUp() public {
        TetradAccessManager manager = new TetradAccessManager(address(this));
        TetradAccessManager spare = new TetradAccessManager(address(this));
        // The handler mints (the controller's place): its address is known before the token's deployment.
        address predicted = createAddress(address(this), vm.getNonce(address(this)) + 5);
        token = new Tetrad(predicted, 1e30);
        bucket = new ContributionBucket(address(manager), token);
        fund = new Treasury(address(manager));
        Subnet implementation = new Subnet(
            address(manager),
            token,
            IContributionBucket(address(0)),
            address(fund),
            address(0),
            "",
            _anyParams(),
            oneMetric()
        );
        factory = new SubnetFactory(
            address(manager),
            address(implementation),
            token,
            [IContributionBucket(bucket), bucket, bucket]
        );
        _wire(manager, predicted);
        // Three live subnets at most and 4 days of immunity: launches retire subnets within a campaign.
        bucket.setGaugeParams(IContributionBucket.GaugeParams(3, 16, 1 days, 4 days, 5_000, 5_000));
        manager.grantRole(Wiring.ADMIN_ROLE, predicted, 0);
        spare.grantRole(Wiring.ADMIN_ROLE, predicted, 0);
        handler = new MarketHandler(token, bucket, factory, fund, manager, spare);
        require(address(handler) == predicted, "setUp: handler address");
        // Into the gauge's second week: the holders (funded at deployment) have voting power from the start.
        vm.warp(block.timestamp + 8 days);
    }

    /// @dev The deployment's core wiring (test/utils/Wiring.sol) on this market: the three bucket targets
    /// are the one bucket, the factory holds LAUNCHER and the handler (the controller's place) DISTRIBUTOR.
    function _wire(TetradAccessManager manager, address controller) internal {
        Wiring.Permission[] memory permissions = Wiring.permissions();
        for (uint256 i; i < permissions.length; ++i) {
            Wiring.Permission memory p = permissions[i];
            bool isBucket =
                p.target == Wiring.Target.CodeBucket ||
                    p.target == Wiring.Target.CommunityBucket ||
                    p.target == Wiring.Target.ComputeBucket;
            if (p.stage == Wiring.Stage.Core && isBucket)
                manager.setTargetFunctionRole(address(bucket), p.selectors, p.role);
        }
        Wiring.Grant[] memory grants = Wiring.grants();
        for (uint256 i; i < grants.length; ++i) {
            Wiring.Grant memory g = grants[i];
            if (g.stage != Wiring.Stage.Core) continue;
            if (g.holder == Wiring.Holder.Factory) manager.grantRole(g.role, address(factory), 0);
            if (g.holder == Wiring.Holder.Controller) manager.grantRole(g.role, controller, 0);
        }
    }

    function _anyParams() internal pure returns (ISubnet.Params memory p) {
        p.commitDuration = 1 hours;
        p.revealDuration = 1 hours;
        p.unbondingDelay = 15 days;
        p.kappa = 5_000;
        p.maxStrikes = 1;
        p.activityCutoff = 1;
        p.edgeShare = 1;
        p.edgeFloor = 1;
    }

    function _targets() internal view override returns (address, bytes memory) {
        MarketHandler h = handler;
        // prettier-ignore
        return (address(h), abi.encodePacked([h.launch.selector, h.vote.selector, h.poke.selector,
            h.transfer.selector, h.mintToHolder.selector, h.emitToBucket.selector, h.warp.selector,
            h.kill.selector, h.setFloors.selector, h.setGaugeParams.selector, h.setLaunchSettings.selector,
            h.migrateFactory.selector, h.register.selector, h.deregister.selector,
            h.stake.selector, h.unstake.selector, h.withdrawUnbonded.selector, h.claim.selector,
            h.payFee.selector, h.finalize.selector, h.playRound.selector, h.pull.selector]));
    }

    // =============================================================
    //                            SCENARIOS
    // =============================================================

    /// @notice A subnet killed while its round's finalization is paged: the kill's split allocates it its
    /// share after its intake; its last page must still take that in (to the protection fund), leaving
    /// nothing owed to a subnet that will never pull again.
    function test_KillMidFinalizationLeavesNothingInTheBucket() public {
        address holder = handler.holderAt(3); // 400,000 TTD
        uint256 cost = factory.launchCost();
        vm.prank(holder);
        token.approve(address(factory), cost);
        vm.prank(holder);
        Subnet s = Subnet(factory.launch(0, "paged", "", shortSubnetParams(), oneMetric(), cost));
        address[] memory list = new address[](1);
        list[0] = address(s);
        uint16[] memory floors = new uint16[](1);
        floors[0] = 10_000;
        bucket.setFloors(list, floors);
        // Two contributors and a validator, funded by the holder.
        address[3] memory people = [address(0xC1), address(0xC2), address(0xD1)];
        for (uint256 i; i < 3; ++i) {
            vm.prank(holder);
            token.transfer(people[i], 1_000 ether);
            vm.prank(people[i]);
            token.approve(address(s), type(uint256).max);
        }
        vm.prank(people[0]);
        s.register("");
        vm.prank(people[1]);
        s.register("");
        vm.prank(people[2]);
        s.stake(500 ether);
        bytes memory sheet = hex"01000200";
        bytes32 commitment = keccak256(
            abi.encode(address(s), s.round(), people[2], bytes32(0), keccak256(sheet))
        );
        vm.prank(people[2]);
        s.commit(commitment);
        (, uint256 commitEnd, uint256 revealEnd) = s.roundTimes();
        vm.warp(commitEnd);
        vm.prank(people[2]);
        s.reveal(sheet, bytes32(0));
        vm.warp(revealEnd);
        assertFalse(s.finalizeRound(1), "one step should leave the round paged");

        // Emission arrives and governance kills the subnet mid-finalization: the split gives it all.
        vm.prank(holder);
        token.transfer(address(bucket), 1_000 ether);
        bucket.kill(address(s));
        assertEq(bucket.allocation(address(s)), 1_000 ether, "the kill's split");
        uint256 fundBefore = token.balanceOf(address(fund));
        for (uint256 i; i < 8 && s.lifecycle() != ISubnet.Lifecycle.Retired; ++i) s.finalizeRound(64);
        assertTrue(s.lifecycle() == ISubnet.Lifecycle.Retired, "retired at the close of its last round");
        assertEq(
            bucket.allocation(address(s)),
            0,
            "emission allocated to the retired subnet is stuck in the bucket"
        );
        assertEq(token.balanceOf(address(bucket)), bucket.unallocated(), "the bucket owes only its carry");
        assertGte(
            token.balanceOf(address(fund)) - fundBefore,
            1_000 ether,
            "the allocation went to the fund"
        );
    }

    // =============================================================
    //                            INVARIANTS
    // =============================================================

    /// @notice The bucket never pays out more than it received: pulled + outstanding allocations +
    /// unallocated == received, and its balance is exactly what it owes (the handler splits every
    /// arrival at once). A retired subnet that has finished its last round is owed nothing.
    function invariant_BucketPaysOutExactlyWhatItReceived() public {
        assertEq(handler.ghostWrong(), "", "the handler saw a broken rule");
        uint256 allocated;
        uint256 n = handler.subnetCount();
        for (uint256 i; i < n; ++i) {
            Subnet s = handler.subnetAt(i);
            uint256 owed = bucket.allocation(address(s));
            allocated += owed;
            if (s.lifecycle() == ISubnet.Lifecycle.Retired)
                assertEq(owed, 0, "emission allocated to a retired subnet is stuck in the bucket");
        }
        uint256 unallocated = bucket.unallocated();
        assertEq(
            handler.ghostPulled() + allocated + unallocated,
            handler.ghostReceived(),
            "pulled + allocations + unallocated != received"
        );
        assertEq(
            token.balanceOf(address(bucket)),
            allocated + unallocated,
            "balance != what the bucket owes"
        );
    }

    /// @notice `weights()` (each live subnet's share of 1e18, in bps, rounded down): each floored subnet
    /// gets at least its floor, each unfloored one at most the cap, one with neither votes nor floor 0.
    /// The sum is at most 10,000; with floors it is at least 10,000 - n (n live subnets: less than one bps
    /// lost per subnet); without floors it is 0 with no votes in force, and otherwise between
    /// min(10,000, k * cap) - n and min(10,000, k * cap) (k subnets with votes in force). The votes in
    /// the tallies are exactly the holders' ballots.
    function invariant_LiveSharesSumToTheBucket() public {
        _talliesAreTheBallots();
        (address[] memory subnets, uint16[] memory bps) = bucket.weights();
        IContributionBucket.Listing[] memory l = bucket.listings();
        uint256 cap = bucket.gaugeParams().capBps;
        assertEq(subnets.length, l.length, "weights() and listings() differ");
        uint256 sum;
        uint256 floorSum;
        uint256 voted;
        for (uint256 i; i < l.length; ++i) {
            assertEq(subnets[i], l[i].subnet, "weights() and listings() differ");
            (uint256 votes, ) = bucket.votesOf(l[i].id);
            if (votes > 0) ++voted;
            sum += bps[i];
            floorSum += l[i].floor;
            assertGte(bps[i], l[i].floor, "a share below its floor");
            if (l[i].floor == 0) assertLte(bps[i], cap, "an unfloored share above the cap");
            if (l[i].floor == 0 && votes == 0) assertEq(bps[i], 0, "no floor, no votes, a share");
        }
        assertLte(sum, BPS, "shares above the bucket");
        uint256 n = l.length;
        if (floorSum > 0) {
            assertGte(sum + n, BPS, "floors in force, yet more than one bps per subnet unplaced");
        } else if (voted == 0) {
            assertEq(sum, 0, "neither floors nor votes, yet shares");
        } else {
            uint256 most = voted * cap < BPS ? voted * cap : BPS;
            assertLte(sum, most, "more than k caps");
            assertGte(sum + n, most, "votes in force, yet more than one bps per subnet unplaced");
        }
    }

    /// @dev The gauge's next-period tally of every id is the sum of the holders' ballots for it
    /// (power * bps / 10,000 each): votes are neither created nor lost by votes, pokes and retirements.
    function _talliesAreTheBallots() internal {
        uint256 maxId = handler.subnetCount(); // ids are given in launch order from 1
        uint256[] memory expected = new uint256[](maxId + 1);
        for (uint256 h; h < handler.holderCount(); ++h) {
            (uint256 power, , uint256[] memory ids, uint256[] memory bps) = bucket.ballotOf(
                handler.holderAt(h)
            );
            for (uint256 k; k < ids.length; ++k) {
                assertLte(ids[k], maxId, "a ballot names an unknown id");
                expected[ids[k]] += (power * bps[k]) / BPS;
            }
        }
        for (uint256 id = 1; id <= maxId; ++id) {
            (, uint256 next) = bucket.votesOf(id);
            assertEq(next, expected[id], "a tally differs from the ballots");
        }
    }

    /// @notice burned + supply == minted: launch costs, registration fees and the fee burn share are
    /// burned, nothing else (a fee's burn share waits in its subnet, `feesToBurn`, until the subnet's next
    /// finalization starts); the factory counted every launch; only retired subnets' leftovers reached the
    /// protection fund.
    function invariant_SupplyIsMintedMinusBurned() public {
        uint256 toBurn;
        for (uint256 i; i < handler.subnetCount(); ++i) toBurn += handler.subnetAt(i).feesToBurn();
        assertEq(
            token.totalSupply() + handler.ghostBurned(),
            handler.ghostMinted() + toBurn,
            "supply + burned != minted + set aside to burn"
        );
        assertEq(factory.launched(), handler.ghostLaunches(), "launches");
        assertEq(token.balanceOf(address(fund)), handler.ghostFundIn(), "the protection fund");
    }

    /// @notice Retired subnets are never listed; the listings fit `maxSubnets`, with distinct subnets
    /// and ids; every listed subnet is live and was launched here.
    function invariant_RetiredSubnetsNeverListed() public {
        IContributionBucket.Listing[] memory l = bucket.listings();
        assertLte(l.length, bucket.gaugeParams().maxSubnets, "more listings than maxSubnets");
        for (uint256 i; i < l.length; ++i) {
            assertTrue(
                ISubnet(l[i].subnet).lifecycle() == ISubnet.Lifecycle.Live,
                "a retired subnet is listed"
            );
            assertFalse(handler.ghostRetired(l[i].subnet), "a retired subnet is listed");
            assertEq(handler.idOf(l[i].subnet), l[i].id, "a listing's id changed");
            for (uint256 j; j < i; ++j) {
                assertTrue(l[j].subnet != l[i].subnet && l[j].id != l[i].id, "a subnet listed twice");
            }
        }
    }

    /// @notice A retired subnet's holders can always get out: on a snapshot, every validator unstakes
    /// its whole stake and (after the delay) withdraws all of it, every contributor deregisters with its
    /// bond and rewards, every claimant claims; a subnet that finished its last round then holds nothing.
    /// Tried after every call on the retired subnets that call changed (the others are as they were when
    /// last tried), and on all of them at the end of every run (`afterInvariant`). Every subnet is
    /// solvent meanwhile; and every exit the handler tried succeeded, exactly.
    function invariant_RetiredSubnetsPayEveryoneOut() public {
        assertEq(handler.ghostWrong(), "", "the handler saw a broken rule");
        uint256 n = handler.subnetCount();
        for (uint256 i; i < n; ++i) {
            Subnet s = handler.subnetAt(i);
            assertGte(
                token.balanceOf(address(s)),
                s.totalBonds() +
                    s.totalStake() +
                    s.totalUnbonding() +
                    s.totalClaimable() +
                    s.pendingEmission(),
                "a subnet is insolvent"
            );
        }
        _everyoneCanLeave(handler.touched());
    }

    /// @notice At the end of every run: every retired subnet's holders get out (see above).
    function afterInvariant() public {
        uint256 n = handler.subnetCount();
        address[] memory all = new address[](n);
        for (uint256 i; i < n; ++i) all[i] = address(handler.subnetAt(i));
        _everyoneCanLeave(all);
    }

    function _everyoneCanLeave(address[] memory subnets) internal {
        bool anyRetired;
        for (uint256 i; i < subnets.length && !anyRetired; ++i)
            anyRetired = ISubnet(subnets[i]).lifecycle() != ISubnet.Lifecycle.Live;
        if (!anyRetired) return;
        // Assertions fail by writing to the cheatcode's storage, which a revert to the snapshot would
        // undo: the exits report their first problem, checked after the revert.
        uint256 snapshot = vmState.snapshotState();
        string memory problem = _everyoneLeaves(subnets);
        vmState.revertToState(snapshot);
        assertEq(problem, "", problem);
    }

    function _everyoneLeaves(address[] memory subnets) internal returns (string memory) {
        uint256 n = subnets.length;
        address[] memory claimants = handler.claimants();
        uint256 latest = block.timestamp;
        for (uint256 i; i < n; ++i) {
            Subnet s = Subnet(subnets[i]);
            if (s.lifecycle() == ISubnet.Lifecycle.Live) continue;
            for (uint256 k; k < handler.validatorCount(); ++k) {
                address v = handler.validatorAt(k);
                try s.validatorSlot(v) returns (uint256 slot) {
                    uint256 staked = s.validatorAt(slot).stake;
                    uint256 unbonding = s.totalUnbonding();
                    vm.prank(v);
                    try s.unstake(staked) {} catch {
                        return "a retired subnet's validator could not unstake";
                    }
                    if (s.totalUnbonding() - unbonding != staked)
                        return "an unstake did not unbond the stake";
                } catch {} // solhint-disable-line no-empty-blocks
                ISubnet.Unbonding[] memory parts = s.unbondings(v);
                for (uint256 p; p < parts.length; ++p)
                    if (parts[p].releaseAt > latest) latest = parts[p].releaseAt;
            }
            for (uint256 k; k < handler.contributorCount(); ++k) {
                address c = handler.contributorAt(k);
                try s.contributorSlot(c) returns (uint256 slot) {
                    uint256 owed = s.contributorAt(slot).bond + s.claimable(c);
                    uint256 before = token.balanceOf(c);
                    vm.prank(c);
                    try s.deregister() {} catch {
                        return "a retired subnet's contributor could not deregister";
                    }
                    if (token.balanceOf(c) - before != owed)
                        return "a deregistration paid other than bond + rewards";
                } catch {} // solhint-disable-line no-empty-blocks
            }
            for (uint256 k; k < claimants.length; ++k) {
                uint256 owed = s.claimable(claimants[k]);
                if (owed == 0) continue;
                uint256 before = token.balanceOf(claimants[k]);
                vm.prank(claimants[k]);
                try s.claim() {} catch {
                    return "a retired subnet's claimant could not claim";
                }
                if (token.balanceOf(claimants[k]) - before != owed)
                    return "a claim paid other than claimable";
            }
        }
        vm.warp(latest);
        for (uint256 i; i < n; ++i) {
            Subnet s = Subnet(subnets[i]);
            if (s.lifecycle() == ISubnet.Lifecycle.Live) continue;
            for (uint256 k; k < handler.validatorCount(); ++k) {
                address v = handler.validatorAt(k);
                ISubnet.Unbonding[] memory parts = s.unbondings(v);
                if (parts.length == 0) continue;
                uint256 due;
                for (uint256 p; p < parts.length; ++p) due += parts[p].amount;
                uint256 before = token.balanceOf(v);
                vm.prank(v);
                try s.withdrawUnbonded() {} catch {
                    return "a retired subnet's validator could not withdraw";
                }
                if (token.balanceOf(v) - before != due)
                    return "a withdrawal paid other than the whole unbonding";
            }
            if (s.lifecycle() != ISubnet.Lifecycle.Retired) continue;
            if (
                s.totalBonds() +
                    s.totalStake() +
                    s.totalUnbonding() +
                    s.totalClaimable() +
                    s.pendingEmission() !=
                0
            ) return "a retired subnet still owes someone after everyone left";
            if (token.balanceOf(address(s)) != 0) return "a retired subnet kept tokens after everyone left";
        }
        return "";
    }
}
