module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["html", "lcov", "text", "json-summary"],
};
