// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EmissionSchedule} from "../libraries/EmissionSchedule.sol";

/// @notice Exposes the EmissionSchedule library to tests.
contract EmissionScheduleHarness {
    using EmissionSchedule for EmissionSchedule.Params;

    function validate(EmissionSchedule.Params calldata p) external pure {
        p.validate();
    }

    function total(EmissionSchedule.Params calldata p) external pure returns (uint256) {
        return p.total();
    }

    function end(EmissionSchedule.Params calldata p) external pure returns (uint256) {
        return p.end();
    }

    function intervalsWithEmission(EmissionSchedule.Params calldata p) external pure returns (uint256) {
        return p.intervalsWithEmission();
    }

    function cumulative(EmissionSchedule.Params calldata p, uint256 t) external pure returns (uint256) {
        return p.cumulative(t);
    }

    function emitted(
        EmissionSchedule.Params calldata p,
        uint256 from,
        uint256 to
    ) external pure returns (uint256) {
        return p.emitted(from, to);
    }
}
