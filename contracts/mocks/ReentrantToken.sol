// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice Test token with a transfer hook (ERC-777 style): on every transfer it calls `hookTarget` with
/// `data` once, to prove that entry points cannot be re-entered.
contract ReentrantToken is ERC20 {
    address public hookTarget;
    bytes public data;
    bool private _entered;

    constructor() ERC20("Hook Token", "HOOK") {}

    /// @notice Faucet.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook.
    function arm(address target_, bytes calldata data_) external {
        hookTarget = target_;
        data = data_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hookTarget != address(0) && !_entered && from != address(0)) {
            _entered = true;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = hookTarget.call(data);
            _entered = false;
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }
}
