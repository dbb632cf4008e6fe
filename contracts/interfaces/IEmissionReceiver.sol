// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IEmissionReceiver
/// @notice Implemented by bucket recipients that want to react when the emission controller has minted
/// their share to them (for example, to start streaming it to stakers).
interface IEmissionReceiver {
    /// @notice Called by the emission controller right after it minted `amount` of bucket `bucket`
    /// to this contract. Implementations must not rely on being called: the controller ignores a
    /// reverting hook, so the tokens must also be picked up at the next call.
    function onEmission(uint256 bucket, uint256 amount) external;
}
