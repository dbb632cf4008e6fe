// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PRBTest} from "@prb/test/src/PRBTest.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {IEmissionController} from "../../contracts/interfaces/IEmissionController.sol";
import {CapitalPool} from "../../contracts/rewards/CapitalPool.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {EmissionSchedule} from "../../contracts/libraries/EmissionSchedule.sol";
import {TetradGovernor} from "../../contracts/governance/TetradGovernor.sol";
import {TetradTimelock} from "../../contracts/governance/TetradTimelock.sol";
import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {Wiring} from "./Wiring.sol";

/// @notice What forge reads from a test contract's ABI to choose invariant targets (see TOOLCHAIN.md:
/// forge-std is not available, so the StdInvariant shapes are declared here).
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

/// @notice The deployed core economy.
struct Core {
    TetradAccessManager manager;
    Tetrad token;
    EmissionController controller;
    CapitalPool pool;
    Treasury[5] buckets; // code, community, compute, (unused: the pool), protection
    address[5] recipients;
    EmissionSchedule.Params schedule;
}

/// @notice The DAO over a core: what `deployGovernance` deploys.
struct Dao {
    TetradGovernor governor;
    TetradTimelock timelock;
}

/// @notice One subnet on its own: what `deployStandaloneSubnet` deploys.
struct StandaloneSubnet {
    TetradAccessManager manager;
    MockStakeToken token;
    ContributionBucket bucket;
    Treasury fund;
    Subnet subnet;
}

/// @notice A limit whose tightenings apply at once and whose loosenings wait (issue 15: the controller's
/// share step, a treasury's release limit), as a handler's ghost model sees it.
struct LimitGhost {
    uint256 inForce;
    uint256 pending; // a scheduled loosening (zero when none)
    uint256 pendingAt; // when it applies
    uint256 scheduled; // coverage: loosenings scheduled
    uint256 applied; // coverage: loosenings applied
    bool early; // the contract's limit was above the ghost's: a loosening applied early
    bool wrong; // the contract's limit differed from the ghost's
    bool setterWrong; // the setter accepted a bad limit or refused a good one
}

/// @notice The rule of a `LimitGhost`.
library LimitGhosts {
    /// @dev Applies a loosening whose time has come, then compares the ghost with the contract's limit in
    /// force, `actual`: it may never be above the ghost's (a loosening applied early), nor differ at all.
    function sync(LimitGhost storage g, uint256 actual) internal {
        if (g.pendingAt != 0 && block.timestamp >= g.pendingAt) {
            (g.inForce, g.pending, g.pendingAt) = (g.pending, 0, 0);
            ++g.applied;
        }
        if (actual > g.inForce) g.early = true;
        if (actual != g.inForce) g.wrong = true;
    }

    /// @dev The setter accepted `value` (it must be `valid`): a loosening is scheduled `delay` later; a
    /// tightening applies at once and cancels a scheduled loosening.
    function accepted(LimitGhost storage g, uint256 value, bool valid, uint256 delay) internal {
        if (!valid) g.setterWrong = true;
        if (value > g.inForce) {
            (g.pending, g.pendingAt) = (value, block.timestamp + delay);
            ++g.scheduled;
        } else {
            (g.inForce, g.pending, g.pendingAt) = (value, 0, 0);
        }
    }

    /// @dev The setter refused a value: only an invalid one, and with the `expected` error.
    function refused(LimitGhost storage g, bool valid, bytes memory reason, bytes4 expected) internal {
        if (valid || bytes4(reason) != expected) g.setterWrong = true;
    }
}

/// @notice Shared helpers for the Solidity suites: bounded inputs, CREATE addresses, EIP-712 digests, a core
/// deployment and the DAO over it, wired from the deployment's wiring table (test/utils/Wiring.sol,
/// generated from deploy/modules/wiring.ts), subnet settings, and the rate-limited limits' candidates and
/// ghost checks.
abstract contract TetradTest is PRBTest {
    uint256 internal constant DAY = 86_400;
    /// @dev Basis points: 10,000 is the whole.
    uint256 internal constant BPS = 10_000;
    uint64 internal constant DISTRIBUTOR_ROLE = Wiring.DISTRIBUTOR_ROLE;
    /// @dev An account that holds no role and takes no part: a stranger, or a payee outside the system.
    address internal constant OUTSIDER = address(0xB0B);
    /// @dev The owner of the subnets `deployStandaloneSubnet` deploys.
    address internal constant SUBNET_OWNER = address(0xBEEF);

    bytes32 internal constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );

    /// @dev Maps any `x` into `[min, max]` (forge-std's `bound`, without the logging).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        return min + (x % size);
    }

    /// @dev A new value for a limit in [0, 10,000] whose loosenings are rate-limited (the controller's share
    /// step, a treasury's release limit), `current` the limit in force. By `seed % 5`: the largest loosening
    /// allowed (`cap`: current + maxLoosening, at most 10,000); a tightening by up to `maxTightening`; too
    /// large a loosening (1 to 600 over `cap`); anything up to `cap`; anything within `near` under `cap`.
    function limitCandidate(
        uint256 seed,
        uint256 current,
        uint256 maxLoosening,
        uint256 maxTightening,
        uint256 near
    ) internal pure returns (uint256 value, uint256 cap) {
        cap = current + maxLoosening > BPS ? BPS : current + maxLoosening;
        uint256 mode = seed % 5;
        uint256 pick = seed >> 3;
        if (mode == 0) value = cap;
        else if (mode == 1)
            value = current - bound(pick, 0, current < maxTightening ? current : maxTightening);
        else if (mode == 2) value = bound(pick, cap + 1, cap + 600);
        else if (mode == 3) value = bound(pick, 0, cap);
        else value = bound(pick, cap > near ? cap - near : 0, cap);
    }

    /// @dev A limit's ghost against the contract (its limit in force and its scheduled loosening): no
    /// loosening applied early, the limit never different, the setter never wrong, and the same state now.
    function assertLimitGhost(
        LimitGhost memory g,
        uint256 inForce,
        uint256 pending,
        uint256 pendingAt
    ) internal {
        assertFalse(g.early, "a loosening applied before 30 days");
        assertFalse(g.wrong, "the limit in force differed from the ghost's");
        assertFalse(g.setterWrong, "the setter accepted a bad limit or refused a good one");
        assertEq(inForce, g.inForce, "limit in force");
        assertEq(pending, g.pending, "pending limit");
        assertEq(pendingAt, g.pendingAt, "pending limit's time");
    }

    /// @dev The address of the contract `deployer` creates with `nonce` (nonces below 256).
    function createAddress(address deployer, uint256 nonce) internal pure returns (address) {
        bytes memory data;
        if (nonce == 0) data = abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, bytes1(0x80));
        else if (nonce < 0x80) data = abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce));
        else data = abi.encodePacked(bytes1(0xd7), bytes1(0x94), deployer, bytes1(0x81), uint8(nonce));
        return address(uint160(uint256(keccak256(data))));
    }

    /// @dev An EIP-712 domain separator, computed from its fields.
    function domainSeparator(
        string memory name,
        string memory version,
        uint256 chainId,
        address verifyingContract
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH,
                    keccak256(bytes(name)),
                    keccak256(bytes(version)),
                    chainId,
                    verifyingContract
                )
            );
    }

    /// @dev The EIP-712 digest of `structHash` under `domain`: what a signer signs.
    function typedDigest(bytes32 domain, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev The digest of an EIP-2612 permit under `domain`.
    function permitDigest(
        bytes32 domain,
        address owner,
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal pure returns (bytes32) {
        return
            typedDigest(
                domain,
                keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline))
            );
    }

    /// @dev The digest of an ERC20Votes delegation (`delegateBySig`) under `domain`.
    function delegationDigest(
        bytes32 domain,
        address delegatee,
        uint256 nonce,
        uint256 expiry
    ) internal pure returns (bytes32) {
        return typedDigest(domain, keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry)));
    }

    function defaultSchedule() internal view returns (EmissionSchedule.Params memory) {
        return EmissionSchedule.Params(block.timestamp, DAY, 14_400 ether, 2.468994701 ether);
    }

    /// @dev Deploys the core economy with this test contract as the AccessManager's admin.
    function deployCore(IERC20 stakingToken, uint256 withdrawLock) internal returns (Core memory c) {
        c.schedule = defaultSchedule();
        c.manager = new TetradAccessManager(address(this));
        for (uint256 i; i < 5; ++i) {
            if (i != 3) c.buckets[i] = new Treasury(address(c.manager));
        }
        address predicted = createAddress(address(this), vm.getNonce(address(this)) + 2);
        c.token = new Tetrad(predicted, EmissionSchedule.total(c.schedule));
        c.pool = new CapitalPool(address(c.manager), stakingToken, c.token, 7 days, 0, withdrawLock);
        IEmissionController.Recipient[5] memory recipients;
        uint16[5] memory shares = [uint16(2400), 2400, 2400, 2400, 400];
        for (uint256 i; i < 5; ++i) {
            address account = i == 3 ? address(c.pool) : address(c.buckets[i]);
            recipients[i] = IEmissionController.Recipient(account, i == 3);
            c.recipients[i] = account;
        }
        c.controller = new EmissionController(c.token, address(c.manager), c.schedule, recipients, shares);
        require(address(c.controller) == predicted, "deployCore: controller address");
        wire(c, Wiring.Stage.Core, address(0), address(0));
    }

    /// @dev Runs the wiring table's `stage`: labels its roles, restricts its functions on the contracts
    /// this core has (its buckets are plain treasuries and it has no subnets: those entries are skipped)
    /// and grants its roles to their holders (no guardian: skipped).
    function wire(Core memory c, Wiring.Stage stage, address guardian, address timelock) internal {
        Wiring.Role[] memory roles = Wiring.roles();
        for (uint256 i; i < roles.length; ++i) {
            if (roles[i].stage == stage) c.manager.labelRole(roles[i].id, roles[i].label);
        }
        Wiring.Permission[] memory permissions = Wiring.permissions();
        for (uint256 i; i < permissions.length; ++i) {
            Wiring.Permission memory p = permissions[i];
            address target = wiringTarget(c, p.target);
            if (p.stage == stage && target != address(0)) {
                c.manager.setTargetFunctionRole(target, p.selectors, p.role);
            }
        }
        Wiring.Grant[] memory grants = Wiring.grants();
        for (uint256 i; i < grants.length; ++i) {
            address holder = wiringHolder(c, grants[i].holder, guardian, timelock);
            if (grants[i].stage == stage && holder != address(0))
                c.manager.grantRole(grants[i].role, holder, 0);
        }
    }

    /// @dev The contract of this core a wiring entry names, or zero when the core has none.
    function wiringTarget(Core memory c, Wiring.Target t) internal pure returns (address) {
        if (t == Wiring.Target.Controller) return address(c.controller);
        if (t == Wiring.Target.Pool) return address(c.pool);
        return address(0);
    }

    function wiringHolder(
        Core memory c,
        Wiring.Holder h,
        address guardian,
        address timelock
    ) internal pure returns (address) {
        if (h == Wiring.Holder.Controller) return address(c.controller);
        if (h == Wiring.Holder.Guardian) return guardian;
        if (h == Wiring.Holder.Timelock) return timelock;
        return address(0); // the subnet factory: this core has none
    }

    /// @dev One subnet with `params` and metric `weights`, owned by SUBNET_OWNER: its AccessManager (this
    /// contract the admin, so it may call every governed setter), a mock TTD, a bucket that gives the
    /// subnet all it receives, and a protection fund.
    function deployStandaloneSubnet(
        ISubnet.Params memory params,
        uint16[] memory weights
    ) internal returns (StandaloneSubnet memory s) {
        s.manager = new TetradAccessManager(address(this));
        s.token = new MockStakeToken("Tetrad (test)", "TTD");
        s.bucket = new ContributionBucket(address(s.manager), s.token);
        s.fund = new Treasury(address(s.manager));
        s.subnet = new Subnet(
            address(s.manager),
            s.token,
            s.bucket,
            address(s.fund),
            SUBNET_OWNER,
            "",
            params,
            weights
        );
        address[] memory subnets = new address[](1);
        subnets[0] = address(s.subnet);
        uint16[] memory bps = new uint16[](1);
        bps[0] = 10_000;
        s.bucket.setFloors(subnets, bps);
    }

    /// @dev The deployment's subnet settings (deploy/parameters.json, `subnet`).
    function defaultSubnetParams() internal pure returns (ISubnet.Params memory) {
        return
            ISubnet.Params({
                commitDuration: 20 hours,
                revealDuration: 4 hours,
                immunityPeriod: 7 days,
                unbondingDelay: 15 days,
                kappa: 5_000,
                contributorShare: 8_000,
                validatorShare: 1_500,
                agreementThreshold: 5_000,
                maxStrikes: 3,
                activityCutoff: 7,
                relativeThreshold: 8_000,
                edgeShare: 1_000,
                edgeFloor: 1_000,
                bond: 10 ether,
                minValidatorStake: 100 ether
            });
    }

    /// @dev The deployment's subnet settings with short rounds for the suites: one-hour phases, a day of
    /// immunity, expelled at 2 strikes, sheets in force for 3 rounds (so offline validators idle out
    /// within a campaign).
    function shortSubnetParams() internal pure returns (ISubnet.Params memory p) {
        p = defaultSubnetParams();
        (p.commitDuration, p.revealDuration, p.immunityPeriod) = (1 hours, 1 hours, 1 days);
        (p.maxStrikes, p.activityCutoff) = (2, 3);
    }

    /// @dev One metric of weight 10,000: a sheet's value v folds to v * 10,000.
    function oneMetric() internal pure returns (uint16[] memory w) {
        w = new uint16[](1);
        w[0] = 10_000;
    }

    /// @dev The deployment's governance defaults (deploy/parameters.json) with `guardian`.
    function defaultGovernance(address guardian) internal pure returns (TetradGovernor.Config memory) {
        return
            TetradGovernor.Config({
                votingDelay: 1 days,
                votingPeriod: 5 days,
                proposalThresholdBps: 10,
                quorumPercent: 4,
                lateQuorumExtension: 1 days,
                guardian: guardian,
                voteLookback: 1 days,
                quorumFloor: 30_000e18
            });
    }

    /// @dev The DAO over `c` with the default settings and no guardian (see the overload).
    function deployGovernance(Core memory c) internal returns (Dao memory) {
        return deployGovernance(c, defaultGovernance(address(0)), 2 days);
    }

    /// @dev Timelock + Governor over `c`: the Governor alone proposes and cancels, anyone executes, the
    /// Timelock administers itself; then the governance stage of the wiring (pause rights to the guardian,
    /// if any, and the Timelock). This contract stays the AccessManager's admin until `handOver`, so a
    /// suite can still fund accounts from the treasuries.
    function deployGovernance(
        Core memory c,
        TetradGovernor.Config memory config,
        uint256 timelockDelay
    ) internal returns (Dao memory d) {
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        d.timelock = new TetradTimelock(timelockDelay, none, anyone, address(this));
        d.governor = new TetradGovernor(c.token, d.timelock, config);
        d.timelock.grantRole(d.timelock.PROPOSER_ROLE(), address(d.governor));
        d.timelock.grantRole(d.timelock.CANCELLER_ROLE(), address(d.governor));
        d.timelock.renounceRole(d.timelock.DEFAULT_ADMIN_ROLE(), address(this));
        wire(c, Wiring.Stage.Governance, config.guardian, address(d.timelock));
    }

    /// @dev The end of the deployment: the AccessManager's admin role to the Timelock; this contract
    /// renounces it.
    function handOver(Core memory c, Dao memory d) internal {
        address successor = wiringHolder(c, Wiring.ADMIN_SUCCESSOR, address(0), address(d.timelock));
        c.manager.grantRole(Wiring.ADMIN_ROLE, successor, 0);
        c.manager.renounceRole(Wiring.ADMIN_ROLE, address(this));
    }
}
