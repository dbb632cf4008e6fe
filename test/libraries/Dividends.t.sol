// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dividends} from "../../contracts/libraries/Dividends.sol";
import {TetradTest} from "../utils/TetradTest.sol";

/// @notice Dividends.factor and Dividends.struck against their definitions (spec of issue 14): the factor
/// is a share in [0, 10000], monotone in the sheet's agreement, full when the median has no edge over the
/// lagged consensus, and `10000 - phi` for a sheet without edge.
contract DividendsTest is TetradTest {
    uint256 internal constant BPS = 10_000;

    function _factor(
        uint256 a,
        uint256 m,
        uint256 l,
        uint256 share,
        uint256 floor
    ) internal pure returns (uint256) {
        return Dividends.factor(a, m, l, share, floor);
    }

    function _phi(uint256 m, uint256 l, uint256 floor) internal pure returns (uint256) {
        uint256 edge = m > l ? m - l : 0;
        uint256 phi = (edge * BPS) / floor;
        return phi > BPS ? BPS : phi;
    }

    function testFuzz_FactorIsAShare(uint256 a, uint256 m, uint256 l, uint256 share, uint256 floor) public {
        a = bound(a, 0, BPS);
        m = bound(m, 0, BPS);
        l = bound(l, 0, BPS);
        share = bound(share, 1, BPS);
        floor = bound(floor, 1, BPS);
        assertLte(_factor(a, m, l, share, floor), BPS, "factor above 10000");
    }

    function testFuzz_FactorIsMonotoneInAgreement(
        uint256 a,
        uint256 b,
        uint256 m,
        uint256 l,
        uint256 share,
        uint256 floor
    ) public {
        a = bound(a, 0, BPS);
        b = bound(b, a, BPS);
        m = bound(m, 0, BPS);
        l = bound(l, 0, BPS);
        share = bound(share, 1, BPS);
        floor = bound(floor, 1, BPS);
        assertLte(
            _factor(a, m, l, share, floor),
            _factor(b, m, l, share, floor),
            "more agreement, less factor"
        );
    }

    function testFuzz_FullWhenTheMedianHasNoEdge(
        uint256 a,
        uint256 m,
        uint256 l,
        uint256 share,
        uint256 floor
    ) public {
        a = bound(a, 0, BPS);
        l = bound(l, 0, BPS);
        m = bound(m, 0, l);
        share = bound(share, 1, BPS);
        floor = bound(floor, 1, BPS);
        assertEq(_factor(a, m, l, share, floor), BPS, "median <= lagged: not the full factor");
    }

    /// @dev A sheet at or under the lagged agreement (a copier of last round's consensus) earns only the
    /// part of the dividend not paid for information: 10000 - phi.
    function testFuzz_NoEdgeEarnsOneMinusPhi(
        uint256 a,
        uint256 m,
        uint256 l,
        uint256 share,
        uint256 floor
    ) public {
        l = bound(l, 0, BPS - 1);
        m = bound(m, l + 1, BPS);
        a = bound(a, 0, l);
        share = bound(share, 1, BPS);
        floor = bound(floor, 1, BPS);
        uint256 phi = _phi(m, l, floor);
        // With a target of zero (tiny median edge x edgeShare) information is full: factor 10000.
        uint256 target = ((m - l) * share) / BPS;
        assertEq(_factor(a, m, l, share, floor), target == 0 ? BPS : BPS - phi, "no edge: factor != 1 - phi");
    }

    /// @dev From `edgeShare` of the median's edge up, a sheet earns in full; and the definition in between.
    function testFuzz_FactorMatchesTheDefinition(
        uint256 a,
        uint256 m,
        uint256 l,
        uint256 share,
        uint256 floor
    ) public {
        a = bound(a, 0, BPS);
        l = bound(l, 0, BPS - 1);
        m = bound(m, l + 1, BPS);
        share = bound(share, 1, BPS);
        floor = bound(floor, 1, BPS);
        uint256 phi = _phi(m, l, floor);
        uint256 target = ((m - l) * share) / BPS;
        uint256 edge = a > l ? a - l : 0;
        uint256 info = target == 0 ? BPS : (edge >= target ? BPS : (edge * BPS) / target);
        assertEq(_factor(a, m, l, share, floor), ((BPS - phi) * BPS + phi * info) / BPS, "factor");
        if (target > 0 && edge >= target)
            assertEq(_factor(a, m, l, share, floor), BPS, "full edge, not full");
    }

    function testFuzz_StruckUnderTheFloorOrTheRelativeThreshold(
        uint256 a,
        uint256 m,
        uint256 floor,
        uint256 relative
    ) public {
        a = bound(a, 0, BPS);
        m = bound(m, 0, BPS);
        floor = bound(floor, 0, BPS);
        relative = bound(relative, 0, BPS);
        bool expected = a < floor || a * BPS < relative * m;
        assertEq(Dividends.struck(a, m, floor, relative), expected, "struck");
        // At or above the median and the floor: never struck.
        if (a >= m && a >= floor)
            assertFalse(Dividends.struck(a, m, floor, relative), "struck at the median");
    }
}
