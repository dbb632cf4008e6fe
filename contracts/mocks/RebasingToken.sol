// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title RebasingToken
/// @notice Test token shaped like stETH: balances are shares times an index, transfers move
/// `floor(amount / index)` shares, so a recipient can get 1-2 wei less than the amount named, and the
/// index can be rebased up or down.
contract RebasingToken is IERC20 {
    uint256 private constant ONE = 1e18;

    error InsufficientBalance(uint256 amount, uint256 balance);

    function name() external pure returns (string memory) {
        return "Rebasing Token";
    }

    function symbol() external pure returns (string memory) {
        return "rSTK";
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    /// @notice Value of one share, scaled by 1e18.
    uint256 public index = ONE + 123_456_789; // not a round number, so transfers round
    mapping(address => uint256) public sharesOf;
    uint256 public totalShares;
    mapping(address => mapping(address => uint256)) public allowance;

    /// @notice Sets the share value (a rebase).
    function setIndex(uint256 newIndex) external {
        index = newIndex;
    }

    /// @notice Faucet: mints shares worth `amount`.
    function mint(address to, uint256 amount) external {
        uint256 shares = (amount * ONE) / index;
        sharesOf[to] += shares;
        totalShares += shares;
        emit Transfer(address(0), to, amount);
    }

    function totalSupply() external view returns (uint256) {
        return (totalShares * index) / ONE;
    }

    function balanceOf(address account) public view returns (uint256) {
        return (sharesOf[account] * index) / ONE;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        if (amount > balanceOf(from)) revert InsufficientBalance(amount, balanceOf(from));
        uint256 shares = (amount * ONE) / index;
        if (shares > sharesOf[from]) shares = sharesOf[from];
        sharesOf[from] -= shares;
        sharesOf[to] += shares;
        emit Transfer(from, to, amount);
    }
}
