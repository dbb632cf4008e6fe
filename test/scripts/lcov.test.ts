import { expect } from "chai";
import * as path from "path";
import {
  fileTotals,
  formatLcov,
  mergeCoverage,
  parseLcov,
  sourcePath,
  totals,
} from "../../scripts/checks/lcov";

const ROOT = path.resolve("/project");

/** istanbul (solidity-coverage) style: absolute path, short function names, two arms per `if`. */
const HARDHAT = `TN:
SF:${path.join(ROOT, "contracts", "Vault.sol")}
FN:10,constructor
FN:20,release
FNF:2
FNH:1
FNDA:3,constructor
FNDA:0,release
DA:12,3
DA:21,0
DA:22,0
LF:3
LH:1
BRDA:21,1,0,0
BRDA:21,1,1,0
BRF:2
BRH:0
end_of_record
SF:${path.join(ROOT, "contracts", "IVault.sol")}
FNF:0
FNH:0
LF:0
LH:0
BRF:0
BRH:0
end_of_record
`;

/** forge style: relative path, qualified names, declaration lines as lines, one arm for `if ... revert`. */
const FORGE = `TN:
SF:contracts/Vault.sol
DA:20,5
FN:20,Vault.release
FNDA:5,Vault.release
DA:21,5
BRDA:21,0,0,1
DA:22,4
DA:30,0
BRDA:30,1,0,-
BRDA:30,1,1,-
BRDA:30,2,0,2
end_of_record
SF:contracts/mocks/Token.sol
DA:5,1
end_of_record
`;

describe("scripts/checks/lcov", () => {
  it("makes paths relative to the project with forward slashes", () => {
    expect(sourcePath(path.join(ROOT, "contracts", "a", "B.sol"), ROOT)).to.equal("contracts/a/B.sol");
    expect(sourcePath("contracts/B.sol", ROOT)).to.equal("contracts/B.sol");
  });

  it("parses lines, functions by start line and branch arms by line, order and arm", () => {
    const hardhat = parseLcov(HARDHAT, ROOT);
    expect([...hardhat.keys()]).to.deep.equal(["contracts/Vault.sol", "contracts/IVault.sol"]);
    const vault = hardhat.get("contracts/Vault.sol")!;
    expect([...vault.lines]).to.deep.equal([
      [12, 3],
      [21, 0],
      [22, 0],
    ]);
    expect([...vault.functions]).to.deep.equal([
      [10, 3],
      [20, 0],
    ]);
    expect([...vault.branches]).to.deep.equal([
      ["21:0:0", 0],
      ["21:0:1", 0],
    ]);
    // Block numbers are the tool's own: the second branch point on line 30 is order 1; "-" is zero.
    const forge = parseLcov(FORGE, ROOT).get("contracts/Vault.sol")!;
    expect([...forge.branches]).to.deep.equal([
      ["21:0:0", 1],
      ["30:0:0", 0],
      ["30:0:1", 0],
      ["30:1:0", 2],
    ]);
  });

  it("reads FN records of format 2.0 (with an end line) and merges a file listed twice", () => {
    const text =
      "SF:a.sol\nFN:4,9,f\nFNDA:2,f\nDA:5,2\nend_of_record\nSF:a.sol\nDA:5,1\nDA:6,0\nend_of_record\n";
    const file = parseLcov(text, ROOT).get("a.sol")!;
    expect(file.functions.get(4)).to.equal(2);
    expect([...file.lines]).to.deep.equal([
      [5, 3],
      [6, 0],
    ]);
  });

  it("merges by union: a line or arm is covered when either tool executed it", () => {
    const merged = mergeCoverage(parseLcov(HARDHAT, ROOT), parseLcov(FORGE, ROOT));
    const vault = merged.get("contracts/Vault.sol")!;
    expect(vault.lines.get(21)).to.equal(5);
    expect(vault.branches.get("21:0:0")).to.equal(1); // forge took the revert
    expect(vault.branches.get("21:0:1")).to.equal(0); // nobody took the other arm
    // Lines 12, 20 (declaration, forge), 21, 22 covered; 30 not.
    const t = fileTotals(vault);
    expect(t.lines).to.deep.include({ covered: 4, total: 5 });
    expect(t.branches).to.deep.include({ covered: 2, total: 5 });
    expect(t.branches.pct).to.equal(40);
  });

  it("counts a declaration line as executed when its function ran", () => {
    const text = "SF:a.sol\nFN:3,f\nFNDA:1,f\nDA:3,0\nDA:4,0\nend_of_record\n";
    expect(fileTotals(parseLcov(text, ROOT).get("a.sol")!).lines).to.deep.include({ covered: 1, total: 2 });
  });

  it("sums the files a filter accepts; nothing to cover is 100%", () => {
    const merged = mergeCoverage(parseLcov(HARDHAT, ROOT), parseLcov(FORGE, ROOT));
    const noMocks = (f: string): boolean => f.startsWith("contracts/") && !f.startsWith("contracts/mocks/");
    expect(totals(merged, noMocks).lines).to.deep.include({ covered: 4, total: 5 });
    expect(totals(merged).lines).to.deep.include({ covered: 5, total: 6 });
    expect(totals(merged, (f) => f === "contracts/IVault.sol").branches.pct).to.equal(100);
  });

  it("writes a tracefile that reads back to the same totals", () => {
    const merged = mergeCoverage(parseLcov(HARDHAT, ROOT), parseLcov(FORGE, ROOT));
    const again = parseLcov(formatLcov(merged), ROOT);
    for (const [name, file] of merged) {
      expect(fileTotals(again.get(name)!)).to.deep.equal(fileTotals(file), name);
    }
    expect(formatLcov(merged)).to.match(/^SF:contracts\/IVault.sol\n/);
  });
});
