// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITreasury
/// @notice A governance-controlled vault (the protection fund and the bucket escrows).
interface ITreasury {
    /// @notice Governance paid `amount` of `token` to `to`.
    event Released(address indexed token, address indexed to, uint256 amount);

    /// @notice A release to the zero address.
    error ZeroRecipient();

    /// @notice A release of nothing.
    error ZeroAmount();

    /// @notice Pays `amount` of `token` to `to`. Governance only.
    function release(IERC20 token, address to, uint256 amount) external;
}
