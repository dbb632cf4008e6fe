// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PackedScores, SHEET_WORDS} from "../libraries/PackedScores.sol";

/// @notice Exposes the PackedScores library to tests, over one stored sheet and an array of sheets.
contract PackedScoresHarness {
    uint256[SHEET_WORDS] private _sheet;
    uint256[SHEET_WORDS][4] private _sheets;

    function constants()
        external
        pure
        returns (uint256 bitsPerLane, uint256 lanesPerWord, uint256 laneMask, uint256 maxRows, uint256 words)
    {
        return (
            PackedScores.BITS_PER_LANE,
            PackedScores.LANES_PER_WORD,
            PackedScores.LANE_MASK,
            PackedScores.MAX_ROWS,
            PackedScores.WORDS_PER_SHEET
        );
    }

    function wordOf(uint256 row) external pure returns (uint256) {
        return PackedScores.wordOf(row);
    }

    function shiftOf(uint256 row) external pure returns (uint256) {
        return PackedScores.shiftOf(row);
    }

    function isLastLane(uint256 row) external pure returns (bool) {
        return PackedScores.isLastLane(row);
    }

    function lane(uint256 packed, uint256 row) external pure returns (uint256) {
        return PackedScores.lane(packed, row);
    }

    function withLane(uint256 packed, uint256 row, uint256 value) external pure returns (uint256) {
        return PackedScores.withLane(packed, row, value);
    }

    function get(uint256 row) external view returns (uint256) {
        return PackedScores.get(_sheet, row);
    }

    function set(uint256 row, uint256 value) external {
        PackedScores.set(_sheet, row, value);
    }

    function word(uint256 w) external view returns (uint256) {
        return _sheet[w];
    }

    function setInSheet(uint256 id, uint256 row, uint256 value) external {
        PackedScores.set(_sheets[id], row, value);
    }

    function gather(
        uint256[] calldata ids,
        uint256[] calldata rows,
        uint256[] calldata since,
        uint256 row,
        uint256 born
    ) external view returns (uint256[] memory out) {
        out = new uint256[](ids.length);
        for (uint256 v; v < out.length; ++v) out[v] = type(uint256).max; // gather overwrites every entry
        uint256 slot;
        assembly ("memory-safe") {
            slot := _sheets.slot
        }
        PackedScores.gather(slot, ids, rows, since, row, born, out);
    }
}
