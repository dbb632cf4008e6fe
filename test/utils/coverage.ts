import hre from "hardhat";

/** True while `hardhat coverage` runs the suite: instrumented contracts are several times slower. */
export function underCoverage(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}

/** fast-check run count: `n` normally, fewer under coverage (the properties still run, shallower). */
export function runs(n: number): number {
  return underCoverage() ? Math.max(3, Math.ceil(n / 5)) : n;
}
