import hre from "hardhat";

/**
 * True while `hardhat coverage` runs the suite: the tests that measure gas on plain bytecode, or start a
 * separate node from the plain build, skip themselves then (tools/test.js runs them plain beside it).
 */
export function underCoverage(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}
