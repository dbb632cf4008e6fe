/**
 * Consensus attacks (issue 14): every scenario of scripts/bench/adversarial/scenarios.ts, one `it`
 * each, failing when one of its bounds breaks. The scenarios run on the Hardhat network once per
 * process (cached), the same runs `npm run bench:adversarial` reports in reports/adversarial.json.
 */
import { expect } from "chai";
import { SCENARIOS, brokenBounds, scenarioOutcome } from "../../scripts/bench/adversarial/scenarios";

describe("Consensus attacks (issue 14)", function () {
  this.timeout(300_000);

  for (const s of SCENARIOS) {
    it(`${s.id}: ${s.bounds.map((b) => `${b.key.slice(s.id.length + 1)} ${b.op} ${b.limit}`).join(", ")}`, async () => {
      const { metrics } = await scenarioOutcome(s.id);
      expect(brokenBounds(s.bounds, metrics), s.description).to.deep.equal([]);
    });
  }
});
