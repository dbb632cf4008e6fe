// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title TetradAccessManager
/// @notice The single permission authority of the protocol (OpenZeppelin's AccessManager, unchanged).
/// Every governance function of every Tetrad contract is `restricted` to roles kept here; its
/// ADMIN_ROLE belongs to the deployer only until governance is deployed, then to the Timelock alone.
contract TetradAccessManager is AccessManager {
    /// @param initialAdmin The first holder of ADMIN_ROLE.
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
