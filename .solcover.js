module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary"],
  // Instrumented contracts are slow: the 256-contributor fixtures need more than the default timeout.
  mocha: { timeout: 900_000 },
};
