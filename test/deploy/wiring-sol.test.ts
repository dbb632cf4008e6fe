/**
 * The forge suites wire from test/utils/Wiring.sol, generated from the table the Ignition module reads
 * (deploy/modules/wiring.ts) by scripts/checks/wiring-sol.ts: the committed file must be what the
 * generator writes, and every function the table names must be in its contract's ABI.
 */
import { expect } from "chai";
import * as fs from "fs";
import { WIRING_SOL, renderWiringSol } from "../../scripts/checks/wiring-sol";
import { ROLE_WIRING } from "../../deploy/modules/wiring";
import { selectorsOf } from "../../deploy/modules/Tetrad";

describe("wiring table", () => {
  it("test/utils/Wiring.sol is what scripts/checks/wiring-sol.ts generates from it", async () => {
    const committed = fs.readFileSync(WIRING_SOL, "utf8");
    expect(committed === (await renderWiringSol()), "run: npx ts-node scripts/checks/wiring-sol.ts").to.equal(
      true,
    );
  });

  it("names only functions the target contracts have, and each role's label once", () => {
    for (const role of ROLE_WIRING) {
      for (const t of role.targets) expect(selectorsOf(t)).to.have.length(t.functions.length);
    }
    const labels = ROLE_WIRING.map((r) => r.label);
    expect(new Set(labels).size).to.equal(labels.length);
    const ids = ROLE_WIRING.map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
