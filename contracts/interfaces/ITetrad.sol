// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITetrad
/// @notice The TTD token as the rest of the protocol sees it: an ERC20 whose supply only the emission
/// controller can grow, up to a hard cap equal to the emission schedule's total.
interface ITetrad is IERC20 {
    /// @notice `caller` tried to mint but is not the minter.
    error TetradUnauthorizedMinter(address caller);

    /// @notice The minter given at deployment was the zero address.
    error TetradZeroMinter();

    /// @notice The only address allowed to mint: the emission controller, fixed at deployment.
    function minter() external view returns (address);

    /// @notice The hard cap on total supply.
    function cap() external view returns (uint256);

    /// @notice Mints `amount` to `to`. Only the minter; reverts above the cap.
    function mint(address to, uint256 amount) external;
}
