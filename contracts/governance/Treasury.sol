// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/// @title Treasury
/// @notice A vault that pays out only when governance (the AccessManager's admin: the Timelock once
/// governance is deployed) says so. Deployed as the protection fund, the emergency reserve that receives
/// the protection bucket; until proof of contribution is deployed, also as the escrow of the code,
/// community and compute buckets.
contract Treasury is ITreasury, AccessManaged {
    using SafeERC20 for IERC20;

    /// @param authority The AccessManager whose admin alone may release funds.
    constructor(address authority) AccessManaged(authority) {}

    /// @inheritdoc ITreasury
    function release(IERC20 token, address to, uint256 amount) external restricted {
        if (to == address(0)) revert ZeroRecipient();
        if (amount == 0) revert ZeroAmount();
        emit Released(address(token), to, amount);
        token.safeTransfer(to, amount);
    }
}
