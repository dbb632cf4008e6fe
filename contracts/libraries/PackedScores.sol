// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// File-level, so that contracts can size their arrays with them (an array length cannot name a
// library's constant); the library's constants below are the same numbers.

/// @dev Bits of one packed score.
uint256 constant SCORE_BITS = 32;

/// @dev Packed scores in one 256-bit word.
uint256 constant SCORES_PER_WORD = 256 / SCORE_BITS;

/// @dev Rows of a sheet.
uint256 constant SHEET_ROWS = 256;

/// @dev Words of a sheet.
uint256 constant SHEET_WORDS = SHEET_ROWS / SCORES_PER_WORD;

/// @title PackedScores
/// @notice The bit lanes of a packed score sheet: one score per row, `LANES_PER_WORD` scores per
/// 256-bit word, row `j` in lane `j % LANES_PER_WORD` of word `j / LANES_PER_WORD`, lane 0 in the low
/// bits. A sheet of `MAX_ROWS` rows takes `WORDS_PER_SHEET` words.
/// @dev Every layout number derives from `BITS_PER_LANE` and `MAX_ROWS`; nothing assumes a word count.
/// Values must fit a lane (below 2^BITS_PER_LANE): the largest contribution score, 65,535 x 10,000, fits
/// 30 bits. Callers keep rows below `MAX_ROWS`.
library PackedScores {
    /// @notice Bits of one score.
    uint256 internal constant BITS_PER_LANE = SCORE_BITS;

    /// @notice Scores in one 256-bit word.
    uint256 internal constant LANES_PER_WORD = SCORES_PER_WORD;

    /// @notice The low `BITS_PER_LANE` bits.
    uint256 internal constant LANE_MASK = (1 << BITS_PER_LANE) - 1;

    /// @notice Rows of a sheet (one per contributor slot).
    uint256 internal constant MAX_ROWS = SHEET_ROWS;

    /// @notice Words of a sheet of `MAX_ROWS` rows (`MAX_ROWS` is a multiple of `LANES_PER_WORD`).
    uint256 internal constant WORDS_PER_SHEET = SHEET_WORDS;

    /// @notice The word of a sheet that holds row `row`.
    function wordOf(uint256 row) internal pure returns (uint256) {
        return row / LANES_PER_WORD;
    }

    /// @notice The bit offset of row `row`'s lane in its word.
    function shiftOf(uint256 row) internal pure returns (uint256) {
        return BITS_PER_LANE * (row % LANES_PER_WORD);
    }

    /// @notice True when row `row` takes the last lane of its word.
    function isLastLane(uint256 row) internal pure returns (bool) {
        return row % LANES_PER_WORD == LANES_PER_WORD - 1;
    }

    /// @notice Row `row`'s score in `packed`, the word that holds it.
    function lane(uint256 packed, uint256 row) internal pure returns (uint256) {
        return (packed >> shiftOf(row)) & LANE_MASK;
    }

    /// @notice `packed` with row `row`'s lane set to `value` (other lanes unchanged).
    function withLane(uint256 packed, uint256 row, uint256 value) internal pure returns (uint256) {
        uint256 shift = shiftOf(row);
        return (packed & ~(LANE_MASK << shift)) | (value << shift);
    }

    /// @notice Row `row`'s score in `sheet`.
    function get(uint256[WORDS_PER_SHEET] storage sheet, uint256 row) internal view returns (uint256) {
        return lane(sheet[wordOf(row)], row);
    }

    /// @notice Sets row `row`'s score in `sheet`.
    function set(uint256[WORDS_PER_SHEET] storage sheet, uint256 row, uint256 value) internal {
        uint256 w = wordOf(row);
        sheet[w] = withLane(sheet[w], row, value);
    }

    /// @notice Sets row `row`'s score in `sheet` to `value` and returns the score it held.
    function swap(
        uint256[WORDS_PER_SHEET] storage sheet,
        uint256 row,
        uint256 value
    ) internal returns (uint256 old) {
        uint256 w = wordOf(row);
        uint256 packed = sheet[w];
        old = lane(packed, row);
        if (old != value) sheet[w] = withLane(packed, row, value);
    }

    /// @notice For every `v`, row `row` of sheet `ids[v]` of the sheet array at storage slot `sheetsSlot`
    /// into `out[v]`, or 0 when `row` is past that sheet's `rows[v]` (its words there are stale) or when
    /// the row's owner is not older than the sheet (`born >= since[v]`: the row scored an earlier owner).
    /// `since` is empty when the caller knows every sheet is younger than the owner (no masking).
    /// @dev The hot loop of a subnet's finalization. A fixed-size array of sheets
    /// (`uint256[WORDS_PER_SHEET][N]`) is laid out contiguously: word `w` of sheet `i` is at slot
    /// `sheetsSlot + i * WORDS_PER_SHEET + w`. `ids`, `rows` and `out` have the same length, and `since` too unless it is empty; every
    /// `ids[v]` is below the array's `N`.
    function gather(
        uint256 sheetsSlot,
        uint256[] memory ids,
        uint256[] memory rows,
        uint256[] memory since,
        uint256 row,
        uint256 born,
        uint256[] memory out
    ) internal view {
        uint256 n = ids.length;
        uint256 wordsPerSheet = WORDS_PER_SHEET;
        uint256 base = sheetsSlot + wordOf(row);
        uint256 shift = shiftOf(row);
        uint256 mask = LANE_MASK;
        assembly ("memory-safe") {
            for {
                let v := 0
            } lt(v, n) {
                v := add(v, 1)
            } {
                let off := add(0x20, shl(5, v))
                let value := 0
                if lt(row, mload(add(rows, off))) {
                    // An empty `since`: no sheet is as old as the row's owner.
                    if or(iszero(mload(since)), lt(born, mload(add(since, off)))) {
                        let packed := sload(add(base, mul(mload(add(ids, off)), wordsPerSheet)))
                        value := and(shr(shift, packed), mask)
                    }
                }
                mstore(add(out, off), value)
            }
        }
    }
}
