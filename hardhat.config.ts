import { HardhatUserConfig, subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_COMPILE_JOBS,
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
} from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import { testnetConfig } from "./scripts/lib/deploy/network-config";
import "./scripts/tasks";

/**
 * The compiler comes from the npm `solc` package (solc-js), never from a download:
 * CI and users' machines may be offline. SOLC must equal the `solc` version in package.json.
 */
const SOLC = "0.8.28";

/**
 * `hardhat coverage`'s instrumented, unoptimized bytecode is several times larger than the plain build
 * (CapitalPool's deployment needs more than 16.8M gas), over the per-transaction gas cap that Hardhat's
 * default hardfork (Osaka, EIP-7825) enforces. The instrumented run uses Prague, which has no cap.
 */
const COVERAGE = process.argv.includes("coverage");
// Under coverage, solidity-coverage's probes are collected by EDR natively (tools/coverage/edr.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (COVERAGE && process.env.STOCK_COVERAGE !== "1") require("./tools/coverage/edr");
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC,
    longVersion: solc.version(),
  };
});

/**
 * Hardhat compiles cpus - 1 jobs at once (one on 2 cores). There are three (the 10,000-runs build,
 * Subnet through the IR pipeline, TetradGovernor at 200 runs), each solc-js in its own child process:
 * side by side, a fresh compile takes about its longest job's time.
 */
subtask(TASK_COMPILE_SOLIDITY_COMPILE_JOBS, async (args: { concurrency: number }, _hre, runSuper) =>
  runSuper({ ...args, concurrency: Math.max(args.concurrency, 3) }),
);

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      { version: SOLC, settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" } },
    ],
    overrides: {
      // The largest contracts: fewer optimizer runs keep them under the 24,576-byte limit (EIP-170); the
      // IR pipeline packs Subnet ~11% smaller again.
      "contracts/contribution/Subnet.sol": {
        version: SOLC,
        settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: "cancun" },
      },
      "contracts/governance/TetradGovernor.sol": {
        version: SOLC,
        settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
      },
    },
  },
  networks: {
    hardhat: {
      // Long simulations and the 10-year silence benchmark jump time; keep blocks cheap.
      allowUnlimitedContractSize: false,
      ...(COVERAGE ? { hardfork: "prague" } : {}),
    },
    // The simulation's own anvil (scripts/simulate.ts --chain anvil starts it and sets SIM_ANVIL_URL).
    // A fixed gas price: no fee lookup per transaction (hardhat-ethers estimates each one's gas).
    simAnvil: {
      url: process.env.SIM_ANVIL_URL ?? "http://127.0.0.1:8545",
      chainId: 31337,
      gasPrice: 1_000_000_000,
      timeout: 600_000,
    },
    // LOCALHOST_URL lets tests and the app run a node on another port.
    localhost: { url: process.env.LOCALHOST_URL ?? "http://127.0.0.1:8545" },
    // A public test network from the environment: RPC_URL plus DEPLOYER_KEY or DEPLOYER_KEYSTORE
    // (+ DEPLOYER_KEYSTORE_PASSWORD). Selecting it without them stops with a plain message.
    ...testnetConfig(),
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "1",
    offline: true,
    currency: "USD",
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
    // The instrumented build's factories (their bytecode is the instrumented one) go to their own folder;
    // tools/coverage/edr.js points the coverage run's imports of typechain-types/ there.
    ...(COVERAGE ? { outDir: "typechain-types-coverage" } : {}),
  },
  // The instrumented build has its own artifacts and cache, so that coverage never overwrites the plain
  // build (which the plain-only tests, the app and the benches read, even while coverage runs).
  ...(COVERAGE ? { paths: { artifacts: "artifacts-coverage", cache: "cache-coverage" } } : {}),
  mocha: {
    timeout: 120_000,
  },
};

export default config;
