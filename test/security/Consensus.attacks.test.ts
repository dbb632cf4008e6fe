/**
 * Consensus attacks (issue 14): every scenario of scripts/bench/adversarial/scenarios.ts, one `it`
 * each, failing when one of its bounds breaks. The scenarios run on the Hardhat network once per
 * process (cached), the same runs `npm run bench:adversarial` reports in reports/adversarial.json.
 */
import { expect } from "chai";
import { SCENARIOS, brokenBounds, scenarioOutcome } from "../../scripts/bench/adversarial/scenarios";
import { underCoverage } from "../utils/coverage";

describe("Consensus attacks (issue 14)", function () {
  this.timeout(300_000);

  // Measurements of whole economies (hundreds of rounds): instrumented for coverage they outlast any
  // timeout and add no line. tools/test.js --coverage runs them plain first (PLAIN_ONLY).
  before(function () {
    if (underCoverage()) this.skip();
  });

  for (const s of SCENARIOS) {
    it(`${s.id}: ${s.bounds.map((b) => `${b.key.slice(s.id.length + 1)} ${b.op} ${b.limit}`).join(", ")}`, async () => {
      const { metrics } = await scenarioOutcome(s.id);
      expect(brokenBounds(s.bounds, metrics), s.description).to.deep.equal([]);
    });
  }
});
