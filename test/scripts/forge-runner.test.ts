/**
 * tools/forge.js: forge's own exit status reaches `npm test` and CI. The npm wrapper of
 * @foundry-rs/forge 1.7 exits 0 whatever forge reports, which once let a red forge suite pass CI.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const FORGE = path.join(__dirname, "..", "..", "tools", "forge.js");

describe("tools/forge.js", () => {
  it("passes forge's failure status through (a bad flag exits 2)", () => {
    const r = spawnSync(process.execPath, [FORGE, "--no-such-flag"], { encoding: "utf8" });
    expect(r.status).to.equal(2);
  });

  it("exits 0 when forge succeeds and prints its output", () => {
    const r = spawnSync(process.execPath, [FORGE, "--version"], { encoding: "utf8" });
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/forge Version: 1\.\d+\.\d+/);
  });
});
