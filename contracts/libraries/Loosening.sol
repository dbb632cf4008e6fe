// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Loosening
/// @notice A governance limit that tightens at once and loosens only after a delay, so that whoever sets
/// it (a captured DAO) cannot lift the limit and use the lifted one within the delay. Used for the
/// emission controller's share step and the treasury's release limit.
/// @dev The holder stores three values: the limit set at once (`set`), a scheduled loosening
/// (`pending`) and when it applies (`pendingAt`, 0 when none is scheduled). The limit in force is
/// `pending` once `pendingAt` is non-zero and reached, else `set`; each holder reads it from its own
/// storage (reading `pendingAt` first, so that `pending` and `set` are read only when needed).
library Loosening {
    /// @notice The values to store to move the limit in force, `old`, to `limit`: a tightening (or no
    /// change) applies at once and drops a scheduled loosening; a loosening applies `delay` from now,
    /// replacing one scheduled before. `pendingAt` is 0 when the change applies at once.
    function update(
        uint256 old,
        uint256 limit,
        uint256 delay
    ) internal view returns (uint16 set, uint16 pending, uint64 pendingAt) {
        if (limit > old) return (uint16(old), uint16(limit), uint64(block.timestamp + delay));
        return (uint16(limit), 0, 0);
    }
}
