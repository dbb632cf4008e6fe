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

/// @notice Shared helpers for the Solidity suites: bounded inputs, CREATE addresses, a core deployment.
abstract contract TetradTest is PRBTest {
    uint256 internal constant DAY = 86_400;
    uint64 internal constant DISTRIBUTOR_ROLE = 1;

    /// @dev Maps any `x` into `[min, max]` (forge-std's `bound`, without the logging).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        return min + (x % size);
    }

    /// @dev The address of the contract `deployer` creates with `nonce` (nonces below 256).
    function createAddress(address deployer, uint256 nonce) internal pure returns (address) {
        bytes memory data;
        if (nonce == 0) data = abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, bytes1(0x80));
        else if (nonce < 0x80) data = abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce));
        else data = abi.encodePacked(bytes1(0xd7), bytes1(0x94), deployer, bytes1(0x81), uint8(nonce));
        return address(uint160(uint256(keccak256(data))));
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
        bytes4[] memory sel = new bytes4[](1);
        sel[0] = CapitalPool.onEmission.selector;
        c.manager.setTargetFunctionRole(address(c.pool), sel, DISTRIBUTOR_ROLE);
        c.manager.grantRole(DISTRIBUTOR_ROLE, address(c.controller), 0);
    }
}
