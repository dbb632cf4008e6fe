// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
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

    /// @dev One subnet and its weight: one slot.
    struct Split {
        address subnet;
        uint16 weight;
    }

    /// @dev What every split reads and writes, in one slot (gas, issue 13).
    struct Totals {
        uint128 accounted; // tokens this contract owes: every allocation plus `unallocated`
        uint120 unallocated; // carried to the next split
        uint8 count; // number of subnets in `_splits`
    }

    Totals private _totals;
    Split[MAX_SUBNETS] private _splits;
    mapping(address subnet => uint256) private _allocation;

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
        // Cannot underflow: every allocation is part of `accounted`.
        unchecked {
            _totals.accounted -= uint128(amount);
        }
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
        for (uint256 i; i < n; ++i) _splits[i] = Split(subnets[i], weights_[i]);
        // Clear the slots the previous, longer list used (storage refund, and no stale entries).
        for (uint256 i = n; i < _totals.count; ++i) delete _splits[i];
        _totals.count = uint8(n);
        emit WeightsUpdated(subnets, weights_);
    }

    /// @dev Splits `balance - accounted` plus the carried remainder by the current weights; a remainder
    /// too small to split stays carried.
    function _allocate() private {
        Totals memory t = _totals;
        uint256 received = token.balanceOf(address(this)) - t.accounted;
        uint256 amount = t.unallocated + received;
        uint256 n = t.count;
        uint256 paid;
        for (uint256 i; i < n; ++i) {
            Split memory split = _splits[i];
            uint256 share = (amount * split.weight) / BPS;
            _allocation[split.subnet] += share;
            paid += share;
        }
        if (received == 0 && paid == 0) return;
        t.accounted = SafeCast.toUint128(t.accounted + received);
        t.unallocated = SafeCast.toUint120(amount - paid);
        _totals = t;
        emit Allocated(received, t.unallocated);
    }

    /// @inheritdoc IContributionBucket
    function allocation(address subnet) external view returns (uint256) {
        return _allocation[subnet];
    }

    /// @inheritdoc IContributionBucket
    function weights() external view returns (address[] memory subnets, uint16[] memory bps) {
        uint256 n = _totals.count;
        subnets = new address[](n);
        bps = new uint16[](n);
        for (uint256 i; i < n; ++i) {
            Split memory split = _splits[i];
            (subnets[i], bps[i]) = (split.subnet, split.weight);
        }
    }

    /// @inheritdoc IContributionBucket
    function unallocated() external view returns (uint256) {
        return _totals.unallocated;
    }
}
