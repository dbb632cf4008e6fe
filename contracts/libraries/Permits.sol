// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IPermitErrors} from "../interfaces/IPermitErrors.sol";

/// @title Permits
/// @notice EIP-2612 permits that a front-run cannot block. Anyone may submit a signed permit seen in the
/// mempool first; the signer's own transaction then finds the nonce used and the permit refused, while
/// the allowance it asked for is in place. So the permit is tried, and when the token refuses it the
/// caller goes on if the allowance covers the amount; otherwise it reverts `PermitFailed` with the
/// token's reason (an expired or wrongly signed permit), rather than fail later on the allowance.
library Permits {
    /// @notice Applies the caller's permit of `amount` of `token` to this contract, or, when the token
    /// refuses it, requires the caller's allowance to this contract to cover `amount`.
    function use(IERC20 token, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) internal {
        /* solhint-disable no-empty-blocks */
        try
            IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s)
        {} catch (bytes memory reason) {
            uint256 allowance = token.allowance(msg.sender, address(this));
            if (allowance < amount) revert IPermitErrors.PermitFailed(msg.sender, amount, allowance, reason);
        }
        /* solhint-enable no-empty-blocks */
    }
}
