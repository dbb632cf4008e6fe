// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ITetrad} from "../interfaces/ITetrad.sol";

/// @title Tetrad (TTD)
/// @notice The protocol token: ERC20 with EIP-2612 permits, ERC20Votes delegation on a timestamp
/// clock (ERC-6372 `mode=timestamp`), burnable, and capped at the emission schedule's total.
/// @dev There is no owner and no admin mint: the only minter is fixed at deployment (the emission
/// controller, whose address the deployer computes in advance).
contract Tetrad is ERC20, ERC20Burnable, ERC20Capped, ERC20Permit, ERC20Votes, ITetrad {
    /// @inheritdoc ITetrad
    address public immutable override minter;

    /// @param minter_ The emission controller, the only address that will ever be able to mint.
    /// @param cap_ The hard cap on total supply: the emission schedule's total.
    constructor(
        address minter_,
        uint256 cap_
    ) ERC20("Tetrad", "TTD") ERC20Capped(cap_) ERC20Permit("Tetrad") {
        if (minter_ == address(0)) revert TetradZeroMinter();
        minter = minter_;
    }

    /// @inheritdoc ITetrad
    function mint(address to, uint256 amount) external override {
        if (msg.sender != minter) revert TetradUnauthorizedMinter(msg.sender);
        _mint(to, amount);
    }

    /// @inheritdoc ITetrad
    function cap() public view override(ERC20Capped, ITetrad) returns (uint256) {
        return super.cap();
    }

    /// @notice The voting clock: block timestamps (ERC-6372).
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice Describes the voting clock (ERC-6372).
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc Nonces
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev One hook for balances, the cap check on mints and the vote checkpoints.
    function _update(
        address from,
        address to,
        uint256 value
    ) internal override(ERC20, ERC20Capped, ERC20Votes) {
        super._update(from, to, value);
    }
}
