import { defineConfig } from "vitest/config";

// End-to-end: one hardhat node, one static server, one browser, scenarios in order.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    // The page polls the chain every few seconds: give expect.poll that long by default.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
