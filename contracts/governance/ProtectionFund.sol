// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IProtectionFund} from "../interfaces/IProtectionFund.sol";

/// @title ProtectionFund
/// @notice The emergency reserve: receives the protection bucket (and slashed stake) and pays out only
/// when governance (the AccessManager's admin: the Timelock once governance is deployed) says so.
contract ProtectionFund is IProtectionFund, AccessManaged {
    using SafeERC20 for IERC20;

    /// @param authority The AccessManager whose admin alone may release funds.
    constructor(address authority) AccessManaged(authority) {}

    /// @inheritdoc IProtectionFund
    function release(IERC20 token, address to, uint256 amount) external restricted {
        if (to == address(0)) revert ZeroRecipient();
        if (amount == 0) revert ZeroAmount();
        emit Released(address(token), to, amount);
        token.safeTransfer(to, amount);
    }
}
