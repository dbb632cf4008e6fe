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
  },
});
