"use strict";
/**
 * `hardhat coverage` with EDR's native hit collection (loaded by hardhat.config.ts under coverage only).
 *
 * solidity-coverage (0.8) instruments the sources (lines, statements, branches, functions: its istanbul
 * report is unchanged) and, stock, finds its probes by listening to every EVM step: Hardhat's EDR then
 * streams each transaction's whole trace to JavaScript, which made the instrumented suite ~5x slower than
 * the plain one. Here:
 *   1. the probes call `TetradCoverage.hit(hash)` (tools/coverage/TetradCoverage.sol) instead of
 *      `abi.encode(hash)`: a static call to the address EDR's coverage collector watches;
 *   2. every EDR provider is created with `observability.codeCoverage`, whose callback receives each
 *      transaction's (and call's) distinct probes, counted into solidity-coverage's hit map;
 *   3. no step listener is attached.
 * The probes rely on solidity-coverage's viaIR injection mode (statement probes inline, no empty
 * functions), which it picks because one compiler override (Subnet) uses the IR pipeline; `instrument`
 * refuses otherwise. A hit is counted once per transaction (EDR reports distinct probes), so hit counts
 * in the report are transactions, not executions; coverage (hit or not) is exact.
 */
const fs = require("fs");
const path = require("path");
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_COMPILER_INPUT } = require("hardhat/builtin-tasks/task-names");
const Injector = require("solidity-coverage/lib/injector");
const API = require("solidity-coverage/lib/api");
const { EdrContext } = require("@nomicfoundation/edr");

// The tests deploy through TypeChain factories too, whose bytecode is the build they were generated from:
// under coverage, typechain-types-coverage/ (hardhat.config.ts) holds the instrumented build's, and every
// import that resolves into typechain-types/ is sent there (the plain folder stays the plain build's, for
// the tests that run plain beside coverage).
const PLAIN_TYPES = path.join(__dirname, "..", "..", "typechain-types") + path.sep;
const COVERAGE_TYPES = path.join(__dirname, "..", "..", "typechain-types-coverage") + path.sep;
const Module = require("module");
const resolveFilename = Module._resolveFilename;
/** Set once the instrumented build (and its types) exist: when solidity-coverage attaches, before the tests. */
let remapTypes = false;
Module._resolveFilename = function (request, ...rest) {
  const resolved = resolveFilename.call(this, request, ...rest);
  if (!remapTypes || !resolved.startsWith(PLAIN_TYPES)) return resolved;
  const target = COVERAGE_TYPES + resolved.slice(PLAIN_TYPES.length);
  if (!fs.existsSync(target)) throw new Error(`tools/coverage/edr.js: no ${target} (TypeChain under coverage)`);
  return target;
};

/** The probe library, as a source name Hardhat resolves in the project. */
const PROBE = "tools/coverage/TetradCoverage.sol";

Injector.prototype._getAbiEncodeStatementHash = (hash) => `TetradCoverage.hit(${hash}); `;
Injector.prototype._getAbiEncodeStatementVar = (hash) => `TetradCoverage.hit(c__${hash}); `;

const instrument = API.prototype.instrument;
API.prototype.instrument = function (targets) {
  if (!this.viaIR) {
    throw new Error("tools/coverage/edr.js needs solidity-coverage's viaIR probes (a compiler with viaIR: true)");
  }
  const outputs = instrument.call(this, targets);
  for (const output of outputs) output.source += `\nimport {TetradCoverage} from "${PROBE}";\n`;
  return outputs;
};

// solidity-coverage puts the instrumented sources into the solc input after Hardhat resolved the
// imports of the plain ones, so the probe library is added to the input here.
subtask(TASK_COMPILE_SOLIDITY_GET_COMPILER_INPUT).setAction(async (_, { config }, runSuper) => {
  const input = await runSuper();
  const probed = Object.values(input.sources).some((s) => s.content !== undefined && s.content.includes(PROBE));
  if (probed) input.sources[PROBE] = { content: fs.readFileSync(path.join(config.paths.root, PROBE), "utf8") };
  return input;
});

/** The API whose hit map receives the probes (set when solidity-coverage attaches). */
let api;
/** Providers created with the collector, and probes that matched no instrumented hash. */
const stats = { providers: 0, unknown: 0 };

function record(hits) {
  if (api === undefined) return;
  const data = api.instrumenter.instrumentationData;
  for (const hit of hits) {
    // The probe sends uint256(uint64(hash)): the hash is the last 8 of the 32 bytes.
    const hash = "0x" + Buffer.from(hit).subarray(-8).toString("hex");
    const entry = data[hash];
    if (entry === undefined) stats.unknown++;
    else entry.hits++;
  }
}

const createProvider = EdrContext.prototype.createProvider;
EdrContext.prototype.createProvider = function (chainType, config, ...rest) {
  stats.providers++;
  const observability = {
    ...config.observability,
    codeCoverage: { onCollectedCoverageCallback: async (hits) => record(hits) },
  };
  return createProvider.call(this, chainType, { ...config, observability }, ...rest);
};

API.prototype.attachToHardhatVM = async function (provider) {
  api = this;
  remapTypes = true;
  if ("init" in provider) await provider.init();
  if (stats.providers === 0) {
    throw new Error("tools/coverage/edr.js: the Hardhat network provider was created before the collector");
  }
};

const finish = API.prototype.finish;
API.prototype.finish = async function (...args) {
  if (stats.unknown > 0) console.warn(`tools/coverage/edr.js: ${stats.unknown} probes matched no instrumented hash`);
  return finish.apply(this, args);
};
