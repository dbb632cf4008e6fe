// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITreasury
/// @notice A governance-controlled vault (the protection fund and the bucket escrows), whose releases are
/// rate-limited: at most `maxReleaseBps` of a token's holdings in any 30 days.
interface ITreasury {
    /// @notice Governance paid `amount` of `token` to `to`.
    event Released(address indexed token, address indexed to, uint256 amount);

    /// @notice The release limit was tightened, at once (basis points of the holdings per 30 days).
    event MaxReleaseBpsSet(uint256 oldBps, uint256 newBps);

    /// @notice A loosening of the release limit to `newBps` was scheduled; it applies from `effectiveAt`.
    event MaxReleaseBpsRaiseScheduled(uint256 newBps, uint256 effectiveAt);

    /// @notice A release to the zero address.
    error ZeroRecipient();

    /// @notice A release of nothing.
    error ZeroAmount();

    /// @notice A release above what the limit leaves in the current and the previous 30-day window.
    error ReleaseLimitExceeded(uint256 amount, uint256 available);

    /// @notice A limit above 10,000 bps, or a loosening by more than `MAX_LOOSENING_BPS`.
    error InvalidMaxReleaseBps(uint256 bps);

    /// @notice Pays `amount` of `token` to `to`. Governance only. Reverts with `ReleaseLimitExceeded` if the
    /// releases of `token` in this 30-day window and the previous one would exceed `maxReleaseBps` of
    /// the holdings before them.
    function release(IERC20 token, address to, uint256 amount) external;

    /// @notice Sets the release limit in basis points per 30 days. Governance only. Tightening applies at
    /// once (and cancels a scheduled loosening); a loosening, by at most `MAX_LOOSENING_BPS` over the limit in
    /// force, applies 30 days later (a new one replaces it and restarts the wait).
    function setMaxReleaseBps(uint256 bps) external;

    /// @notice The release limit in force: basis points of a token's holdings releasable in any 30 days.
    function maxReleaseBps() external view returns (uint256);

    /// @notice The scheduled loosening (zeros if none): the limit `bps` from `effectiveAt`.
    function pendingMaxReleaseBps() external view returns (uint256 bps, uint256 effectiveAt);

    /// @notice What `release` would accept for `token` now.
    function releasable(IERC20 token) external view returns (uint256);
}
