// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dividends} from "../../contracts/libraries/Dividends.sol";
import {TetradTest} from "../utils/TetradTest.sol";

/// @notice Dividends.factor and Dividends.struck against their definitions (spec of issue 14): the factor
/// is a share in [0, 10000], monotone in the sheet's agreement, full when the median has no edge over the
/// lagged consensus, and `10000 - phi` for a sheet without edge.
contract DividendsTest is TetradTest {
    /// @dev One factor's inputs: a sheet's agreement `a`, the median agreement `m`, the lagged consensus's
    /// agreement `l`, and the subnet's edgeShare and edgeFloor.
    struct Inputs {
        uint256 a;
        uint256 m;
        uint256 l;
        uint256 share;
        uint256 floor;
    }

    function _factor(Inputs memory x) internal pure returns (uint256) {
        return Dividends.factor(x.a, x.m, x.l, x.share, x.floor);
    }

    /// @dev edgeShare and edgeFloor within their bounds, [1, 10000].
    function _boundSettings(Inputs memory x) internal pure {
        x.share = bound(x.share, 1, BPS);
        x.floor = bound(x.floor, 1, BPS);
    }

    /// @dev A median with an edge over the lagged agreement: l in [0, 9999], m in (l, 10000].
    function _boundWithEdge(Inputs memory x) internal pure {
        x.l = bound(x.l, 0, BPS - 1);
        x.m = bound(x.m, x.l + 1, BPS);
    }

    function _phi(uint256 m, uint256 l, uint256 floor) internal pure returns (uint256) {
        uint256 edge = m > l ? m - l : 0;
        uint256 phi = (edge * BPS) / floor;
        return phi > BPS ? BPS : phi;
    }

    function testFuzz_FactorIsAShare(Inputs memory x) public {
        x.a = bound(x.a, 0, BPS);
        x.m = bound(x.m, 0, BPS);
        x.l = bound(x.l, 0, BPS);
        _boundSettings(x);
        assertLte(_factor(x), BPS, "factor above 10000");
    }

    function testFuzz_FactorIsMonotoneInAgreement(Inputs memory x, uint256 b) public {
        x.a = bound(x.a, 0, BPS);
        b = bound(b, x.a, BPS);
        x.m = bound(x.m, 0, BPS);
        x.l = bound(x.l, 0, BPS);
        _boundSettings(x);
        uint256 atA = _factor(x);
        x.a = b;
        assertLte(atA, _factor(x), "more agreement, less factor");
    }

    function testFuzz_FullWhenTheMedianHasNoEdge(Inputs memory x) public {
        x.a = bound(x.a, 0, BPS);
        x.l = bound(x.l, 0, BPS);
        x.m = bound(x.m, 0, x.l);
        _boundSettings(x);
        assertEq(_factor(x), BPS, "median <= lagged: not the full factor");
    }

    /// @dev A sheet at or under the lagged agreement (a copier of last round's consensus) earns only the
    /// part of the dividend not paid for information: 10000 - phi.
    function testFuzz_NoEdgeEarnsOneMinusPhi(Inputs memory x) public {
        _boundWithEdge(x);
        x.a = bound(x.a, 0, x.l);
        _boundSettings(x);
        uint256 phi = _phi(x.m, x.l, x.floor);
        // With a target of zero (tiny median edge x edgeShare) information is full: factor 10000.
        uint256 target = ((x.m - x.l) * x.share) / BPS;
        assertEq(_factor(x), target == 0 ? BPS : BPS - phi, "no edge: factor != 1 - phi");
    }

    /// @dev From `edgeShare` of the median's edge up, a sheet earns in full; and the definition in between.
    function testFuzz_FactorMatchesTheDefinition(Inputs memory x) public {
        x.a = bound(x.a, 0, BPS);
        _boundWithEdge(x);
        _boundSettings(x);
        uint256 phi = _phi(x.m, x.l, x.floor);
        uint256 target = ((x.m - x.l) * x.share) / BPS;
        uint256 edge = x.a > x.l ? x.a - x.l : 0;
        uint256 info = target == 0 ? BPS : (edge >= target ? BPS : (edge * BPS) / target);
        assertEq(_factor(x), ((BPS - phi) * BPS + phi * info) / BPS, "factor");
        if (target > 0 && edge >= target) assertEq(_factor(x), BPS, "full edge, not full");
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
