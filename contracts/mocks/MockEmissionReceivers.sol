// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEmissionReceiver} from "../interfaces/IEmissionReceiver.sol";

/// @notice Test recipient whose hook always reverts.
contract RevertingReceiver is IEmissionReceiver {
    error Nope();

    function onEmission(uint256, uint256) external pure {
        revert Nope();
    }
}

/// @notice Test recipient whose hook burns all the gas it is given.
contract GasGuzzlerReceiver is IEmissionReceiver {
    uint256 public sink;

    function onEmission(uint256, uint256) external {
        for (uint256 i; ; ++i) sink = i;
    }
}

/// @notice Test recipient that records its calls.
contract RecordingReceiver is IEmissionReceiver {
    uint256 public calls;
    uint256 public lastBucket;
    uint256 public lastAmount;

    function onEmission(uint256 bucket, uint256 amount) external {
        ++calls;
        lastBucket = bucket;
        lastAmount = amount;
    }
}
