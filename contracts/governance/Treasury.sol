// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";
import {Loosening} from "../libraries/Loosening.sol";

/// @title Treasury
/// @notice A vault that pays out only when governance (the AccessManager's admin: the Timelock once
/// governance is deployed) says so. Deployed as the protection fund, the emergency reserve that receives
/// the protection bucket; until proof of contribution is deployed, also as the escrow of the code,
/// community and compute buckets.
/// @dev Rate limit (issue 15): time is cut into aligned 30-day windows, and a release counts what was
/// released in the current window and the previous one, so any 30 days (which touch at most two windows)
/// release at most `maxReleaseBps` of the holdings before those releases. A captured DAO therefore
/// cannot empty the fund in one proposal. A new Treasury has no limit (10,000 bps: the escrows hand
/// their whole balance over); the deploy's governance stage tightens the protection fund's to
/// `governance.maxFundReleaseBps` (1,000) before it hands the admin role to the Timelock.
contract Treasury is ITreasury, AccessManaged {
    using SafeERC20 for IERC20;

    /// @notice Length of a release window.
    uint256 public constant WINDOW = 30 days;

    /// @notice Basis points in a whole.
    uint256 public constant BPS = 10_000;

    /// @notice Most a loosening may add to the limit in force; it applies `WINDOW` after it is set.
    uint256 public constant MAX_LOOSENING_BPS = 500;

    /// @dev Releases of one token in the window `index` (`block.timestamp / WINDOW`) and the one before.
    struct Releases {
        uint32 era;
        uint64 index;
        uint128 current;
        uint128 previous;
    }

    // The limit set at once, and a scheduled loosening (in force from `_pendingAt` when non-zero).
    uint16 private _bps = uint16(BPS);
    uint16 private _pendingBps;
    uint64 private _pendingAt;
    // Bumped when a limit is first set on an unlimited Treasury: releases made without a limit do not count.
    uint32 private _era;

    mapping(IERC20 token => Releases) private _releases;

    /// @param authority The AccessManager whose admin alone may release funds.
    constructor(address authority) AccessManaged(authority) {}

    /// @inheritdoc ITreasury
    function release(IERC20 token, address to, uint256 amount) external restricted {
        if (to == address(0)) revert ZeroRecipient();
        if (amount == 0) revert ZeroAmount();
        (uint256 current, uint256 recent, uint256 available) = _window(token);
        if (amount > available) revert ReleaseLimitExceeded(amount, available);
        _releases[token] = Releases(
            _era,
            uint64(block.timestamp / WINDOW),
            SafeCast.toUint128(current + amount),
            SafeCast.toUint128(recent - current)
        );
        emit Released(address(token), to, amount);
        token.safeTransfer(to, amount);
    }

    /// @inheritdoc ITreasury
    function setMaxReleaseBps(uint256 bps) external restricted {
        uint256 old = maxReleaseBps();
        if (bps > BPS || bps > old + MAX_LOOSENING_BPS) revert InvalidMaxReleaseBps(bps);
        if (old == BPS && bps < BPS) ++_era;
        (uint16 set, uint16 pending, uint64 effectiveAt) = Loosening.update(old, bps, WINDOW);
        (_bps, _pendingBps, _pendingAt) = (set, pending, effectiveAt);
        if (effectiveAt != 0) emit MaxReleaseBpsRaiseScheduled(bps, effectiveAt);
        else emit MaxReleaseBpsSet(old, bps);
    }

    /// @inheritdoc ITreasury
    function maxReleaseBps() public view returns (uint256) {
        uint256 at = _pendingAt;
        return at != 0 && block.timestamp >= at ? _pendingBps : _bps;
    }

    /// @inheritdoc ITreasury
    function pendingMaxReleaseBps() external view returns (uint256 bps, uint256 effectiveAt) {
        if (_pendingAt > block.timestamp) (bps, effectiveAt) = (_pendingBps, _pendingAt);
    }

    /// @inheritdoc ITreasury
    function releasable(IERC20 token) external view returns (uint256 available) {
        (, , available) = _window(token);
    }

    /// @dev Released in this window, in this and the previous one, and what the limit still allows.
    function _window(IERC20 token) private view returns (uint256 current, uint256 recent, uint256 available) {
        Releases memory r = _releases[token];
        uint256 index = block.timestamp / WINDOW;
        uint256 balance = token.balanceOf(address(this));
        // Releases made before the limit was set (another era) do not count.
        if (r.era == _era) {
            if (r.index == index) {
                current = r.current;
                recent = uint256(r.current) + r.previous;
            } else if (r.index + 1 == index) {
                recent = r.current;
            }
        }
        uint256 limit = ((balance + recent) * maxReleaseBps()) / BPS;
        available = limit > recent ? limit - recent : 0;
        if (available > balance) available = balance;
    }
}
