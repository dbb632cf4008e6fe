// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title Dividends
/// @notice The pure math of validator discipline and dividends in proof of contribution: who takes a
/// strike, and what share of its stake's dividend a revealed sheet earns. All values in basis points.
/// @dev A validator's agreement `a` is the weighted Jaccard similarity of its sheet with the round's
/// consensus (`Consensus.agreement`). Two references come from the round itself:
///  - the median `m`: the stake-weighted median agreement of the active sheets;
///  - the lagged agreement `l`: how well last round's published consensus agrees with this round's, so
///    what a validator that copies the public record (or stays put) scores without measuring anything.
/// A sheet takes a strike when `a` is under the absolute floor or under `relativeThreshold` of `m`.
/// Otherwise it earns the fraction `factor` of its stake's dividend: the round's information `phi`
/// (the median's edge `m - l` over the lag, relative to `edgeFloor`) decides how much of the dividend
/// pays for information; that part is paid in proportion to the sheet's own edge `a - l`, full from
/// `edgeShare` of the median's edge up. A copier of the lagged consensus has no edge and earns only the
/// part not paid for information, which vanishes as soon as the median's edge reaches `edgeFloor`.
library Dividends {
    /// @notice Basis points in a whole.
    uint256 internal constant BPS = 10_000;

    /// @notice True when agreement `a` takes a strike: under `floor`, or under `relativeThreshold`
    /// (basis points) of the median agreement `m`.
    function struck(
        uint256 a,
        uint256 m,
        uint256 floor,
        uint256 relativeThreshold
    ) internal pure returns (bool) {
        return a < floor || a * BPS < relativeThreshold * m;
    }

    /// @notice The share (basis points) of its stake's dividend that a sheet with agreement `a` earns,
    /// when the median agreement is `m` and the lagged consensus agrees `l`:
    /// `phi = min(1, (m - l)+ / edgeFloor)`, `info = min(1, (a - l)+ / (edgeShare * (m - l)+))` and
    /// `factor = (1 - phi) + phi * info`. With no median edge (`m <= l`: nothing moved that a copier
    /// would miss) every sheet that is not struck earns in full. `edgeFloor` must not be zero.
    function factor(
        uint256 a,
        uint256 m,
        uint256 l,
        uint256 edgeShare,
        uint256 edgeFloor
    ) internal pure returns (uint256) {
        if (m <= l) return BPS;
        uint256 medianEdge = m - l;
        uint256 phi = Math.min(BPS, (medianEdge * BPS) / edgeFloor);
        uint256 target = (medianEdge * edgeShare) / BPS;
        uint256 edge = a > l ? a - l : 0;
        uint256 info = target == 0 ? BPS : Math.min(BPS, (edge * BPS) / target);
        return ((BPS - phi) * BPS + phi * info) / BPS;
    }
}
