// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IContributionBucket} from "../interfaces/IContributionBucket.sol";
import {IEmissionReceiver} from "../interfaces/IEmissionReceiver.sol";

/// @title ContributionBucket
/// @notice The recipient of one contribution bucket (code, community or compute): splits what it
/// receives among the bucket's subnets by weights in basis points that governance sets.
/// @dev Intake is by balance (`balance - accounted`), so emission that arrives without a hook is split
/// at the next call. Rounding remainders, and everything received while no subnet has weight, are
/// carried (`unallocated`) into the next split: nothing is lost.
contract ContributionBucket is IContributionBucket, AccessManaged {
    using SafeERC20 for IERC20;

    /// @notice Most subnets one bucket splits among; the bound of every loop here.
    uint256 public constant MAX_SUBNETS = 16;

    uint256 private constant BPS = 10_000;

    /// @notice The TTD token.
    IERC20 public immutable token;

    address[] private _subnets;
    uint16[] private _weights;
    mapping(address subnet => uint256) private _allocation;
    uint256 private _unallocated;
    /// @dev Tokens this contract owes: every allocation plus `_unallocated`.
    uint256 private _accounted;

    /// @param authority The AccessManager guarding `setWeights` and `onEmission`.
    /// @param token_ The TTD token.
    constructor(address authority, IERC20 token_) AccessManaged(authority) {
        token = token_;
    }

    /// @inheritdoc IEmissionReceiver
    function onEmission(uint256, uint256) external restricted {
        _allocate();
    }

    /// @inheritdoc IContributionBucket
    function allocate() external {
        _allocate();
    }

    /// @inheritdoc IContributionBucket
    function pull() external returns (uint256 amount) {
        _allocate();
        amount = _allocation[msg.sender];
        if (amount == 0) return 0;
        _allocation[msg.sender] = 0;
        _accounted -= amount;
        emit Pulled(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IContributionBucket
    function setWeights(address[] calldata subnets, uint16[] calldata weights_) external restricted {
        uint256 n = subnets.length;
        if (n != weights_.length || n > MAX_SUBNETS) revert InvalidWeights();
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            if (subnets[i] == address(0)) revert InvalidWeights();
            for (uint256 j; j < i; ++j) if (subnets[j] == subnets[i]) revert InvalidWeights();
            sum += weights_[i];
        }
        if (n > 0 && sum != BPS) revert InvalidWeights();
        _allocate();
        _subnets = subnets;
        _weights = weights_;
        emit WeightsUpdated(subnets, weights_);
    }

    /// @dev Splits `balance - accounted` plus the carried remainder by the current weights.
    /// @dev Splits new tokens and the carried remainder; a remainder too small to split stays carried.
    function _allocate() private {
        uint256 received = token.balanceOf(address(this)) - _accounted;
        _accounted += received;
        uint256 amount = _unallocated + received;
        uint256 n = _subnets.length;
        uint256 paid;
        for (uint256 i; i < n; ++i) {
            uint256 share = (amount * _weights[i]) / BPS;
            _allocation[_subnets[i]] += share;
            paid += share;
        }
        if (received == 0 && paid == 0) return;
        _unallocated = amount - paid;
        emit Allocated(received, _unallocated);
    }

    /// @inheritdoc IContributionBucket
    function allocation(address subnet) external view returns (uint256) {
        return _allocation[subnet];
    }

    /// @inheritdoc IContributionBucket
    function weights() external view returns (address[] memory, uint16[] memory) {
        return (_subnets, _weights);
    }

    /// @inheritdoc IContributionBucket
    function unallocated() external view returns (uint256) {
        return _unallocated;
    }
}
