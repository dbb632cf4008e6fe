// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISubnet} from "../interfaces/ISubnet.sol";
import {Permits} from "../libraries/Permits.sol";
import {SubnetStorage, CANDIDATE_BITS, CANDIDATE_WORDS} from "./SubnetStorage.sol";

/// @title SubnetExtension
/// @notice The entry points of a subnet off the round's hot path: the contributor registry
/// (registration priced by demand and burned, eviction from a list made at finalization, departures),
/// validators' exits (unstake, withdrawal of unbonded stake), slashing, and governance's and the owner's
/// settings. The subnet runs them by delegatecall on its own storage (`Subnet._delegate`), the way
/// Compound III's Comet runs CometExt; called directly, every entry point reverts `NotDelegated`.
/// NatSpec of each entry point: ISubnet.
/// @dev Same shape as the subnet's entry points: checks, effects, events, then transfers.
contract SubnetExtension is SubnetStorage {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    address private immutable _self;

    /// @dev The same immutables as the subnet that deploys it (immutables live in code, not storage).
    constructor(
        address authority,
        IERC20 token_,
        address protectionFund_
    ) SubnetStorage(authority, token_, protectionFund_) {
        _self = address(this);
    }

    /// @dev Only inside the subnet (by delegatecall), never on this contract's own empty storage.
    modifier delegated() {
        if (address(this) == _self) revert ISubnet.NotDelegated();
        _;
    }

    /*//////////////////////////////////////////////////////////////
                               CONTRIBUTORS
    //////////////////////////////////////////////////////////////*/

    /// @notice See ISubnet.register.
    function register(
        string calldata uri
    ) external delegated nonReentrant whenNotPaused returns (uint256 slot) {
        // Checks (the eviction's, `SubnetFull`, in `_popCandidate`).
        ISubnet.Phase p = _phase();
        if (p == ISubnet.Phase.Closed) revert ISubnet.WrongPhase(p, ISubnet.Phase.Commit);
        _requireLive();
        if (_contributorSlotPlusOne[msg.sender] != 0) revert ISubnet.AlreadyRegistered(msg.sender);

        // Effects: the demand price moves, then a free slot, or the first evictable one.
        uint256 fee = _chargeRegistration();
        address replaced;
        uint256 refund;
        if (_contributorCount < CONTRIBUTOR_SLOTS) {
            slot = _takeContributorSlot();
        } else {
            slot = _popCandidate();
            replaced = _contributors[slot].account;
            refund = _removeContributor(slot, true);
            emit ISubnet.ContributorReplaced(replaced, slot, msg.sender);
        }
        uint96 bond = _params.bond;
        _contributors[slot] = ISubnet.Contributor(msg.sender, bond, block.timestamp.toUint40(), 0);
        _contributorSlotPlusOne[msg.sender] = slot + 1;
        _totalBonds += bond;
        emit ISubnet.ContributorRegistered(msg.sender, slot, bond, uri);
        if (fee > 0) emit ISubnet.RegistrationFeeBurned(msg.sender, fee);

        // Transfers: the replaced contributor's bond and rewards out; the new bond and the fee in, and
        // the fee burned.
        if (refund > 0) _token.safeTransfer(replaced, refund);
        if (bond + fee > 0) _token.safeTransferFrom(msg.sender, address(this), bond + fee);
        if (fee > 0) ERC20Burnable(address(_token)).burn(fee);
    }

    /// @notice See ISubnet.deregister.
    function deregister() external delegated nonReentrant {
        uint256 slot = _contributorSlot(msg.sender);

        // Paused, only the bond goes back: rewards wait for the unpause (they stay claimable).
        uint256 owed = _removeContributor(slot, !paused());
        --_contributorCount;
        emit ISubnet.ContributorDeregistered(msg.sender, slot);

        if (owed > 0) _token.safeTransfer(msg.sender, owed);
    }

    /// @dev The fee this registration burns (`_registrationFee`), after moving the demand price to now
    /// and counting the registration.
    function _chargeRegistration() private returns (uint256 fee) {
        fee = _registrationFee();
        (uint256 price, uint256 start, uint256 registrations) = _demandPrice();
        _fee = uint96(price);
        _feeIntervalStart = start.toUint40();
        _feeRegistrations = uint16(Math.min(registrations + 1, type(uint16).max));
    }

    /// @dev Frees `slot`; its contributor, if it was to be scored this round, stays scored and paid for
    /// it (`_departed`). Takes the bond (and, if `withRewards`, the rewards) off the books and returns
    /// what is owed (the caller pays it, after its own state writes).
    function _removeContributor(uint256 slot, bool withRewards) private returns (uint256 owed) {
        ISubnet.Contributor memory c = _contributors[slot];
        if (c.registeredAt < _roundStart) _departed[slot] = Departed(c.account, c.registeredAt, _round);
        delete _contributors[slot];
        delete _contributorSlotPlusOne[c.account];
        _totalBonds -= c.bond;
        owed = c.bond + (withRewards ? _takeClaimable(c.account) : 0);
    }

    /// @dev Counts one more contributor and returns its slot: the next never-used one when no slot was
    /// freed, else the lowest free one (one exists below `_contributorSlotsUsed`).
    function _takeContributorSlot() private returns (uint256 slot) {
        slot = _contributorSlotsUsed;
        if (_contributorCount++ == slot) _contributorSlotsUsed = slot + 1;
        else for (slot = 0; _contributors[slot].account != address(0);) ++slot;
    }

    /// @dev Takes the first listed candidate still in its slot (listed entries are used up, in order):
    /// at most `EVICTION_CANDIDATES` entries read, so a registration in a full subnet is O(1).
    function _popCandidate() private returns (uint256 slot) {
        uint256 listedAt = _candidatesListedAt;
        uint256 mask = (uint256(1) << CANDIDATE_BITS) - 1;
        for (uint256 w; w < CANDIDATE_WORDS; ++w) {
            uint256 word = _candidates[w];
            for (uint256 shift; word != 0 && shift < 256; shift += CANDIDATE_BITS) {
                uint256 entry = (word >> shift) & mask;
                if (entry == 0) continue;
                word &= ~(mask << shift);
                slot = entry & 0xffff;
                ISubnet.Contributor storage c = _contributors[slot];
                // Still the listed contributor: registered before the list was made.
                if (c.account != address(0) && c.registeredAt < listedAt) {
                    _candidates[w] = word;
                    return slot;
                }
            }
            _candidates[w] = 0;
        }
        revert ISubnet.SubnetFull();
    }

    /*//////////////////////////////////////////////////////////////
                               VALIDATOR EXITS
    //////////////////////////////////////////////////////////////*/

    /// @notice See ISubnet.unstake.
    function unstake(uint256 amount) external delegated nonReentrant {
        if (amount == 0) revert ISubnet.ZeroAmount();
        uint256 slot = _validatorSlot(msg.sender);
        ISubnet.Validator storage v = _validators[slot];
        uint256 staked = v.stake;
        if (amount > staked) revert ISubnet.InsufficientStake(amount, staked);

        if (staked - amount < _params.minValidatorStake) {
            _expel(slot, ISubnet.ExpelReason.BelowMinimum);
        } else {
            v.stake = (staked - amount).toUint96();
            _totalStake -= amount;
            _unbond(msg.sender, amount);
        }
        // No transfer: the stake is withdrawn by `withdrawUnbonded` after the delay.
    }

    /// @notice See ISubnet.withdrawUnbonded.
    function withdrawUnbonded() external delegated nonReentrant {
        ISubnet.Unbonding[] storage parts = _unbondings[msg.sender];
        uint256 n = parts.length;
        if (n == 0) revert ISubnet.NothingToWithdraw();
        // Keep the parts still unbonding, in order; sum the released ones (at most UNBONDING_PARTS).
        uint256 amount;
        uint256 kept;
        uint256 nextRelease = type(uint256).max;
        for (uint256 i; i < n; ++i) {
            ISubnet.Unbonding memory u = parts[i];
            if (u.releaseAt <= block.timestamp) {
                amount += u.amount;
            } else {
                if (kept != i) parts[kept] = u;
                ++kept;
                nextRelease = Math.min(nextRelease, u.releaseAt);
            }
        }
        if (amount == 0) revert ISubnet.StillUnbonding(nextRelease);
        for (; n > kept; --n) parts.pop();
        _totalUnbonding -= amount;
        emit ISubnet.UnbondedWithdrawn(msg.sender, amount);

        _token.safeTransfer(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                      LAUNCH, RETIREMENT AND FEES
    //////////////////////////////////////////////////////////////*/

    /// @notice See ISubnet.initialize.
    function initialize(
        address authority,
        address owner_,
        string calldata uri,
        ISubnet.Params calldata initialParams,
        uint16[] calldata weights
    ) external delegated {
        _initialize(authority, owner_, uri, initialParams, weights);
    }

    /// @notice See ISubnet.retire.
    function retire() external delegated {
        if (msg.sender != address(_bucketOf())) revert ISubnet.NotBucket(msg.sender);
        _requireLive();
        _lifecycle = ISubnet.Lifecycle.Retiring;
        emit ISubnet.RetirementStarted(_round);
    }

    /// @notice See ISubnet.payFeeWithPermit.
    function payFeeWithPermit(
        uint256 amount,
        bytes32 ref,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external delegated nonReentrant {
        Permits.use(_token, amount, deadline, v, r, s);
        _payFee(msg.sender, amount, ref);
    }

    /*//////////////////////////////////////////////////////////////
                           GOVERNANCE AND OWNER
    //////////////////////////////////////////////////////////////*/

    /// @notice See ISubnet.slash.
    function slash(address validator, uint256 amount) external delegated restricted nonReentrant {
        if (amount == 0) revert ISubnet.ZeroAmount();

        // Stake first (an expulsion below the minimum unbonds the rest), then unbonding, newest first.
        // Mid-finalization too: the stake stops counting from the next page, an expelled sheet earns
        // nothing.
        uint256 plusOne = _validatorSlotPlusOne[validator];
        uint256 taken;
        if (plusOne != 0) {
            ISubnet.Validator storage v = _validators[plusOne - 1];
            uint256 staked = v.stake;
            taken = Math.min(amount, staked);
            v.stake = (staked - taken).toUint96();
            _totalStake -= taken;
            if (staked - taken < _params.minValidatorStake)
                _expel(plusOne - 1, ISubnet.ExpelReason.BelowMinimum);
        }
        ISubnet.Unbonding[] storage parts = _unbondings[validator];
        uint256 fromUnbonding;
        for (uint256 n = parts.length; n > 0 && taken + fromUnbonding < amount; --n) {
            ISubnet.Unbonding storage u = parts[n - 1];
            uint256 take = Math.min(amount - taken - fromUnbonding, u.amount);
            fromUnbonding += take;
            if (take == u.amount) parts.pop();
            else u.amount -= uint128(take);
        }
        _totalUnbonding -= fromUnbonding;
        taken += fromUnbonding;
        if (taken == 0) revert ISubnet.NothingToWithdraw();
        emit ISubnet.Slashed(validator, taken, _protectionFund);

        _token.safeTransfer(_protectionFund, taken);
    }

    /// @notice See ISubnet.setParams.
    function setParams(ISubnet.Params calldata newParams) external delegated restricted {
        _queueParams(newParams);
    }

    /// @notice See ISubnet.setMetricWeights.
    function setMetricWeights(uint16[] calldata weights) external delegated restricted {
        _queueWeights(weights);
    }

    /// @notice See ISubnet.setRegistrationPricing.
    function setRegistrationPricing(
        ISubnet.RegistrationPricing calldata pricing
    ) external delegated restricted {
        // The price moves to now under the old pricing first.
        (uint256 fee, uint256 start, uint256 registrations) = _demandPrice();
        _fee = uint96(fee);
        _feeIntervalStart = start.toUint40();
        _feeRegistrations = uint16(registrations);
        _setPricing(pricing);
    }

    /// @notice See ISubnet.setKeeperTip.
    function setKeeperTip(uint256 bps) external delegated restricted {
        _setKeeperTip(bps);
    }

    /// @notice See ISubnet.pause.
    function pause() external delegated restricted {
        _pause();
    }

    /// @notice See ISubnet.unpause.
    function unpause() external delegated restricted {
        _unpause();
    }

    /// @notice See ISubnet.setMetadataURI.
    function setMetadataURI(string calldata uri) external delegated {
        if (msg.sender != _owner) revert ISubnet.NotOwner(msg.sender);
        _metadataURI = uri;
        emit ISubnet.MetadataURIUpdated(uri);
    }

    /// @notice See ISubnet.transferOwnership.
    function transferOwnership(address newOwner) external delegated {
        if (msg.sender != _owner) revert ISubnet.NotOwner(msg.sender);
        if (newOwner == address(0)) revert ISubnet.ZeroAddress();
        _owner = newOwner;
        emit ISubnet.OwnerUpdated(newOwner);
    }
}
