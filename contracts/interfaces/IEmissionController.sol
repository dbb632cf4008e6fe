// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITetrad} from "./ITetrad.sol";

/// @title IEmissionController
/// @notice Mints the TTD emission schedule and splits it across the five buckets.
interface IEmissionController {
    /// @notice The five destinations of the emission, in the order of every `uint16[5]`/`address[5]`.
    enum Bucket {
        Code,
        Community,
        Compute,
        Capital,
        Protection
    }

    /// @notice Where one bucket's share goes and whether the recipient is told about it.
    /// @param account The address that receives the minted tokens.
    /// @param notify Whether to call `IEmissionReceiver.onEmission` after minting to `account`.
    struct Recipient {
        address account;
        bool notify;
    }

    /// @notice Emission of the period `(from, to]` was minted: `amounts[i]` to bucket `i`.
    /// The protection bucket's amount includes the rounding remainder of the split.
    event Distributed(uint256 from, uint256 to, uint256 minted, uint256[5] amounts);

    /// @notice The bucket shares changed (basis points, summing to 10,000).
    event SharesUpdated(uint16[5] oldShares, uint16[5] newShares);

    /// @notice Bucket `bucket` now pays `account`; `notify` says whether its hook is called.
    event RecipientUpdated(Bucket indexed bucket, address indexed account, bool notify);

    /// @notice A recipient's `onEmission` hook reverted; its tokens were minted nonetheless.
    event ReceiverNotificationFailed(Bucket indexed bucket, address indexed account, uint256 amount);

    /// @notice The share step was tightened, at once (basis points one bucket's share may move per 30 days).
    event MaxShareStepSet(uint256 oldStep, uint256 newStep);

    /// @notice A loosening of the share step to `newStep` was scheduled; it applies from `effectiveAt`.
    event MaxShareStepRaiseScheduled(uint256 newStep, uint256 effectiveAt);

    /// @notice A share change moved `bucket` from `oldShare` to `newShare`, more than `maxStep` bps.
    error ShareStepTooLarge(Bucket bucket, uint256 oldShare, uint256 newShare, uint256 maxStep);

    /// @notice A share change less than 30 days after the previous one; possible again at `notBefore`.
    error SharesChangedTooRecently(uint256 notBefore);

    /// @notice A share step above 10,000 bps, or a loosening by more than `MAX_SHARE_STEP_LOOSENING`.
    error InvalidMaxShareStep(uint256 step);

    /// @notice Shares must each be at most 10,000 and sum to exactly 10,000; `sum` is what they added to.
    error InvalidShares(uint256 sum);

    /// @notice A recipient cannot be the zero address or the controller itself.
    error InvalidRecipient(address account);

    /// @notice The token's cap differs from the schedule's total.
    error CapMismatch(uint256 cap, uint256 scheduleTotal);

    /// @notice The caller left too little gas for a recipient's hook to get its full allowance; retry with more.
    error HookOutOfGas(address account);

    /// @notice The token's minter is not this controller.
    error MinterMismatch(address minter);

    /// @notice Number of buckets (5); the bound of every loop in the controller.
    function BUCKETS() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice Basis points in a whole (10,000).
    function BPS() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice Gas given to a recipient's `onEmission` hook (300,000).
    function HOOK_GAS() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice The TTD token; this controller is its only minter.
    function token() external view returns (ITetrad);

    /// @notice Mints everything emitted since the last distribution and pays each bucket its share.
    /// Permissionless; O(1) whatever time elapsed; mints nothing once the schedule has ended.
    /// @return minted The amount minted by this call.
    function distribute() external returns (uint256 minted);

    /// @notice Timestamp at which the schedule starts.
    function scheduleStart() external view returns (uint256);

    /// @notice Timestamp after which nothing more is emitted.
    function scheduleEnd() external view returns (uint256);

    /// @notice Everything the schedule emits over its whole length (the token's cap).
    function scheduleTotal() external view returns (uint256);

    /// @notice Emission of the half-open period `(from, to]`, in wei; reverts if `to < from`.
    function emittedBetween(uint256 from, uint256 to) external view returns (uint256);

    /// @notice Timestamp up to which the emission has been minted.
    function lastDistribution() external view returns (uint256);

    /// @notice Total minted so far: the schedule's cumulative amount at the last distribution.
    function totalEmitted() external view returns (uint256);

    /// @notice What `distribute()` would mint now.
    function pendingEmission() external view returns (uint256);

    /// @notice The current shares in basis points, indexed by `Bucket`.
    function shares() external view returns (uint16[5] memory);

    /// @notice The current recipient of `bucket`.
    function recipient(Bucket bucket) external view returns (Recipient memory);

    /// @notice Sets all five shares at once; distributes at the old shares first so the change is
    /// never retroactive. Governance only. Rate-limited (issue 15): at most one change per 30 days, and
    /// no share moves by more than `maxShareStep()` bps, so any 30 days move a share by at most that.
    function setShares(uint16[5] calldata newShares) external;

    /// @notice Sets the most one share may move per change (and so per 30 days). Governance only.
    /// Tightening applies at once (and cancels a scheduled loosening); a loosening, by at most
    /// `MAX_SHARE_STEP_LOOSENING` over the step in force, applies 30 days later.
    function setMaxShareStep(uint256 step) external;

    /// @notice The step in force: the most, in bps, one share may move per 30 days.
    function maxShareStep() external view returns (uint256);

    /// @notice The scheduled loosening of the step (zeros if none): `step` from `effectiveAt`.
    function pendingMaxShareStep() external view returns (uint256 step, uint256 effectiveAt);

    /// @notice When the shares last changed through `setShares` (zero: never since deployment).
    function lastSharesChange() external view returns (uint256);

    /// @notice Points `bucket` at `account`; distributes to the old recipient first. Governance only.
    function setRecipient(Bucket bucket, address account, bool notify) external;

    /// @notice Stops `distribute()` (emission keeps accruing and is minted after `unpause`).
    /// Governance, or the guardian once governance grants it.
    function pause() external;

    /// @notice Resumes `distribute()`. Governance only by default.
    function unpause() external;
}
