// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPermitErrors
/// @notice The error of the entry points that take an EIP-2612 permit (`depositWithPermit`,
/// `payFeeWithPermit`), raised by `Permits.use`.
interface IPermitErrors {
    /// @notice The token refused the permit (`reason`, its revert data: e.g. an expired or wrongly signed
    /// permit) and `owner`'s allowance to the contract, `allowance`, does not cover `amount` (a permit that
    /// was front-run, and so already used, leaves the allowance and is not an error).
    error PermitFailed(address owner, uint256 amount, uint256 allowance, bytes reason);
}
