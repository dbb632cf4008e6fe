import hre from "hardhat";

/**
 * True while `hardhat coverage` runs the suite: the tests that measure gas on plain bytecode, or start a
 * separate node from the plain build, skip themselves then (tools/test.js runs them plain beside it).
 */
export function underCoverage(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}

/**
 * fast-check run count: `n` normally, a fifth under coverage. CI runs every suite at once on 2 cores and
 * the deep properties cost about 110 s of it there; they run at full depth in `npm test`.
 */
export function runs(n: number): number {
  return underCoverage() ? Math.max(3, Math.ceil(n / 5)) : n;
}
