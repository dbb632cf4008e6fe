import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, Interface, ZeroAddress, concat, parseEther, toBeHex } from "ethers";
import {
  CapitalPool__factory,
  Subnet__factory,
  TetradGovernor__factory,
  Tetrad__factory,
} from "../../typechain-types";
import { deployCore } from "../utils/deploy";
import { deploymentAbis, errorAbi, openZeppelinErrorAbis } from "../../scripts/lib/deploy/deployments";
import { OPENZEPPELIN_ERROR_ARTIFACTS } from "../../scripts/lib/shared/error-sources";
import {
  ErrorDecoder,
  describeRevert,
  formatDuration,
  formatTimestamp,
  revertData,
  shortId,
  statesOf,
} from "../../scripts/lib/chain/errors";

const ME = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const MLP = { symbol: "mLP", decimals: 18 };
const NOW = 1_800_000_000n; // 2027-01-15 08:00:00 UTC
const HOUR = 3600n;

const decoder = new ErrorDecoder([errorAbi() as never[]]);
const token = Tetrad__factory.createInterface();
const subnet = Subnet__factory.createInterface();
const pool = CapitalPool__factory.createInterface();
const governor = TetradGovernor__factory.createInterface();

function panic(code: number): string {
  return concat(["0x4e487b71", AbiCoder.defaultAbiCoder().encode(["uint256"], [code])]);
}
function errorString(reason: string): string {
  return concat(["0x08c379a0", AbiCoder.defaultAbiCoder().encode(["string"], [reason])]);
}

describe("scripts/lib/chain/errors", () => {
  describe("messages", () => {
    it("ERC20InsufficientBalance: yours, in the token's units", () => {
      const data = token.encodeErrorResult("ERC20InsufficientBalance", [
        ME,
        parseEther("3"),
        parseEther("12.5"),
      ]);
      expect(decoder.explain({ data }, { account: ME, units: MLP })).to.equal(
        "insufficient balance: you have 3.0 mLP, need 12.5",
      );
      expect(decoder.explain({ data }, { units: MLP })).to.equal(
        `insufficient balance: ${ME} has 3.0 mLP, need 12.5`,
      );
    });

    it("WrongPhase: the commit window is closed, with the round's times", () => {
      const data = subnet.encodeErrorResult("WrongPhase", [2, 0]);
      const round = { round: 4n, commitEnd: NOW - 7n * HOUR, revealEnd: NOW - 3n * HOUR };
      expect(decoder.explain(data, { round, now: NOW })).to.equal(
        "the commit window is closed (round 4 ended at 2027-01-15 05:00:00 UTC (3h ago) and awaits finalization)",
      );
      expect(decoder.explain(subnet.encodeErrorResult("WrongPhase", [1, 0]))).to.equal(
        "the commit window is closed (the round is in its reveal phase)",
      );
      expect(decoder.explain(subnet.encodeErrorResult("WrongPhase", [0, 1]), { round, now: NOW })).to.match(
        /^the reveal window is not open yet \(it opens at .* ago\)\)$/,
      );
      expect(decoder.explain(subnet.encodeErrorResult("WrongPhase", [0, 2]), { round, now: NOW })).to.match(
        /^round 4 is not over yet: it can be finalized from /,
      );
    });

    it("subnet membership and stake", () => {
      expect(decoder.explain(subnet.encodeErrorResult("NotRegistered", [ME]))).to.equal(
        "not registered in this subnet",
      );
      expect(decoder.explain(subnet.encodeErrorResult("NotValidator", [ME]), { account: ME })).to.match(
        /^you are not a validator of this subnet/,
      );
      expect(
        decoder.explain(subnet.encodeErrorResult("StakeTooLow", [parseEther("50"), parseEther("100")]), {
          units: { symbol: "TTD", decimals: 18 },
        }),
      ).to.equal("a stake of 50.0 TTD is too low: it takes at least 100.0 to hold a validator permit");
      expect(
        decoder.explain(subnet.encodeErrorResult("StillUnbonding", [NOW + 2n * 86_400n + 5n * HOUR]), {
          now: NOW,
        }),
      ).to.equal("the stake is still unbonding: it can be withdrawn from 2027-01-17 13:00:00 UTC (in 2d 5h)");
    });

    it("capital pool: stake in the stake token's units, the lock with its time", () => {
      expect(
        decoder.explain(pool.encodeErrorResult("InsufficientStake", [parseEther("12.5"), parseEther("3")]), {
          units: MLP,
        }),
      ).to.equal("you have 3.0 mLP staked, cannot take 12.5");
      expect(
        decoder.explain(pool.encodeErrorResult("BelowMinDeposit", [1000n, parseEther("0.001")]), {
          units: MLP,
        }),
      ).to.equal(
        "the deposit is under the pool's minimum: 0.000000000000001 mLP received, the minimum is 0.001",
      );
      expect(decoder.explain(pool.encodeErrorResult("WithdrawLocked", [NOW + 90n]), { now: NOW })).to.equal(
        "withdrawals are locked until 2027-01-15 08:01:30 UTC (in 1m)",
      );
    });

    it("GovernorUnexpectedProposalState: the state and what the proposal waits for", () => {
      const id = 0x12ab34n << 232n;
      const active = 1n << 1n;
      const data = governor.encodeErrorResult("GovernorUnexpectedProposalState", [
        id,
        0,
        toBeHex(active, 32),
      ]);
      expect(decoder.explain(data, { now: NOW, proposal: { snapshot: NOW + 23n * HOUR - 1n } })).to.equal(
        "proposal 0x12ab… is Pending, voting opens at 2027-01-16 07:00:00 UTC (in 23h)",
      );
      const queued = governor.encodeErrorResult("GovernorUnexpectedProposalState", [
        5n,
        5,
        toBeHex(1n << 4n, 32),
      ]);
      expect(decoder.explain(queued, { now: NOW, proposal: { eta: NOW + 47n * HOUR } })).to.equal(
        "proposal 5 is Queued, executable at 2027-01-17 07:00:00 UTC (in 1d 23h) (this needs it Succeeded)",
      );
      const defeated = governor.encodeErrorResult("GovernorUnexpectedProposalState", [
        5n,
        3,
        toBeHex(1n << 4n, 32),
      ]);
      expect(decoder.explain(defeated)).to.match(/^proposal 5 was Defeated/);
      expect(statesOf((1n << 4n) | (1n << 5n))).to.deep.equal(["Succeeded", "Queued"]);
    });

    it("OpenZeppelin access, permits, votes", () => {
      expect(
        decoder.explain(pool.encodeErrorResult("AccessManagedUnauthorized", [ME]), { account: ME }),
      ).to.equal(
        "you are not allowed to call this: only governance (an executed proposal) or a role holder can",
      );
      expect(
        decoder.explain(token.encodeErrorResult("ERC2612ExpiredSignature", [NOW - 60n]), { now: NOW }),
      ).to.equal("the permit signature expired at 2027-01-15 07:59:00 UTC (1m ago): sign a new one");
      expect(
        decoder.explain(governor.encodeErrorResult("GovernorAlreadyCastVote", [ME]), { account: ME }),
      ).to.equal("you have already voted on this proposal");
      expect(
        decoder.explain(
          governor.encodeErrorResult("GovernorInsufficientProposerVotes", [ME, 0n, parseEther("864")]),
          { account: ME },
        ),
      ).to.equal(
        "not enough votes to propose: you have 0.0, the threshold is 864.0 (delegate to yourself first)",
      );
      expect(decoder.explain(pool.encodeErrorResult("EnforcedPause", []))).to.match(
        /^the contract is paused/,
      );
    });

    it("the token's ERC20InsufficientAllowance and the pool's PermitFailed, by name and in plain words", () => {
      // Raised by the staking token inside a pool deposit: not in the pool's ABI, in the union.
      expect(
        pool.fragments.some(
          (f) => f.type === "error" && "name" in f && f.name === "ERC20InsufficientAllowance",
        ),
      ).to.be.false;
      const allowance = token.encodeErrorResult("ERC20InsufficientAllowance", [
        ME,
        parseEther("1"),
        parseEther("7"),
      ]);
      const a = decoder.decode({ data: allowance });
      expect(a?.name).to.equal("ERC20InsufficientAllowance");
      expect(a?.args).to.deep.equal([ME, parseEther("1"), parseEther("7")]);
      expect(decoder.explain({ data: allowance }, { units: MLP })).to.equal(
        `insufficient allowance: ${ME} may spend 1.0 mLP, needs 7.0 (approve it first)`,
      );

      const reason = token.encodeErrorResult("ERC2612ExpiredSignature", [NOW - 60n]);
      const permit = pool.encodeErrorResult("PermitFailed", [ME, parseEther("7"), parseEther("1"), reason]);
      const p = decoder.decode(permit);
      expect(p?.name).to.equal("PermitFailed");
      expect(p?.signature).to.equal("PermitFailed(address,uint256,uint256,bytes)");
      expect(p?.args).to.deep.equal([ME, parseEther("7"), parseEther("1"), reason]);
      expect(p?.inner?.name).to.equal("ERC2612ExpiredSignature");
      expect(decoder.explain(permit, { account: ME, units: MLP, now: NOW })).to.equal(
        "the token refused the permit: the permit signature expired at 2027-01-15 07:59:00 UTC (1m ago): sign a new one; " +
          "the contract may spend 1.0 mLP of your tokens and needs 7.0 (sign a new permit, or approve it first)",
      );
      // A token without permit reverts without data: the message still names the permit.
      const bare = pool.encodeErrorResult("PermitFailed", [ME, parseEther("7"), 0n, "0x"]);
      expect(decoder.decode(bare)?.inner).to.equal(undefined);
      expect(decoder.explain(bare, { units: MLP })).to.equal(
        `the token refused the permit; the contract may spend 0.0 mLP of ${ME}'s tokens and needs 7.0 (sign a new permit, or approve it first)`,
      );
    });

    it("the union holds every error of the deployed contracts and of OpenZeppelin's error interfaces", () => {
      const union = new Set<string>();
      new Interface(errorAbi() as never).forEachError((f) => union.add(f.format()));
      const sources = [...Object.values(deploymentAbis()), ...Object.values(openZeppelinErrorAbis())];
      for (const abi of sources)
        new Interface(abi as never).forEachError((f) => expect(union).to.include(f.format()));
      expect(Object.keys(openZeppelinErrorAbis())).to.deep.equal([...OPENZEPPELIN_ERROR_ARTIFACTS]);
      for (const name of [
        "ERC20InsufficientAllowance(address,uint256,uint256)",
        "ERC20InsufficientBalance(address,uint256,uint256)",
        "SafeERC20FailedOperation(address)",
        "AccessManagedUnauthorized(address)",
        "AccessManagerNotScheduled(bytes32)",
        "EnforcedPause()",
        "ReentrancyGuardReentrantCall()",
        "GovernorUnexpectedProposalState(uint256,uint8,bytes32)",
        "TimelockUnexpectedOperationState(bytes32,bytes32)",
        "SafeCastOverflowedUintDowncast(uint8,uint256)",
        "PermitFailed(address,uint256,uint256,bytes)",
      ]) {
        expect(union).to.include(name);
      }
    });

    it("panics, reason strings, unknown selectors, empty reverts, non-revert errors", () => {
      expect(decoder.explain(panic(0x11))).to.equal(
        "the contract panicked: arithmetic overflow or underflow (code 0x11)",
      );
      expect(decoder.explain(panic(0x99))).to.equal("the contract panicked: unknown panic (code 0x99)");
      expect(decoder.explain(errorString("nope"))).to.equal("reverted: nope");
      expect(decoder.explain({ data: "0x12345678" })).to.equal(
        "the transaction reverted with an unknown error (selector 0x12345678)",
      );
      expect(decoder.explain({ message: "reverted", data: "0x" })).to.equal(
        "the transaction reverted without a reason",
      );
      expect(
        decoder.explain(new Error("insufficient funds for gas * price + value\n    at foo (bar.js:1:1)")),
      ).to.equal("insufficient funds for gas * price + value");
      expect(decoder.explain({ shortMessage: "could not coalesce error", message: "long" })).to.equal(
        "could not coalesce error",
      );
      expect(decoder.decode("0x")).to.equal(null);
    });

    it("every error a Tetrad entry point can surface (errorAbi) has its own message", () => {
      const generic: string[] = [];
      const seen = new Set<string>();
      for (const abi of [errorAbi()]) {
        new Interface(abi as never).forEachError((f) => {
          if (seen.has(f.selector)) return;
          seen.add(f.selector);
          const args = f.inputs.map((p) =>
            p.baseType === "address"
              ? ZeroAddress
              : p.baseType === "string"
                ? "x"
                : p.baseType.startsWith("bytes")
                  ? toBeHex(0, Number(p.baseType.slice(5)))
                  : 1n,
          );
          const message = describeRevert({ name: f.name, signature: f.format(), selector: f.selector, args });
          if (message.startsWith("the contract reverted with")) generic.push(f.format());
        });
      }
      expect(seen.size).to.be.greaterThan(100);
      expect(generic).to.deep.equal([]);
    });
  });

  describe("finding the revert data", () => {
    const data = subnet.encodeErrorResult("NotRegistered", [ME]);
    it("in the shapes of ethers, Hardhat and JSON-RPC nodes", () => {
      expect(revertData({ data })).to.equal(data); // Hardhat in-process, ethers CALL_EXCEPTION
      expect(revertData({ error: { code: 3, data } })).to.equal(data); // JSON-RPC error
      expect(revertData({ info: { error: { data: { message: "x", data } } } })).to.equal(data); // nested node error
      expect(revertData({ cause: { cause: { data } } })).to.equal(data);
      expect(revertData({ errors: [{}, { data }] })).to.equal(data);
      expect(revertData({ data: "0x" })).to.equal("0x");
      expect(revertData(new Error("boom"))).to.equal(undefined);
      const loop: Record<string, unknown> = {};
      loop.error = loop;
      expect(revertData(loop)).to.equal(undefined);
    });
  });

  describe("formatting", () => {
    it("durations, timestamps, ids", () => {
      expect(formatDuration(45n)).to.equal("45s");
      expect(formatDuration(3n * 86_400n + 2n * 3600n + 5n * 60n)).to.equal("3d 2h");
      expect(formatDuration(3600n + 60n)).to.equal("1h 1m");
      expect(formatTimestamp(NOW)).to.equal("2027-01-15 08:00:00 UTC");
      expect(formatTimestamp(NOW, NOW)).to.equal("2027-01-15 08:00:00 UTC (now)");
      expect(shortId(42n)).to.equal("42");
      expect(shortId(0xabcdefn << 200n)).to.match(/^0x0000…$/);
    });
  });

  it("is a pure module: ethers and the dependency-free table only (the web app shares the table)", () => {
    const source = fs.readFileSync(
      path.join(__dirname, "..", "..", "scripts", "lib", "chain", "errors.ts"),
      "utf8",
    );
    const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports).to.deep.equal([
      "ethers",
      "../shared/error-messages",
      "../shared/error-messages",
      "../shared/error-messages",
    ]);
  });

  it("scripts/lib/shared (what the web app imports) depends on nothing but itself", () => {
    const dir = path.join(__dirname, "..", "..", "scripts", "lib", "shared");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files).to.include("error-messages.ts");
    for (const file of files) {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
      expect(
        imports.filter((i) => !/^\.\/[\w-]+$/.test(i)),
        file,
      ).to.deep.equal([]);
    }
  });

  describe("on chain", () => {
    async function deployed() {
      const [deployer, stranger] = await ethers.getSigners();
      return { core: await deployCore(deployer), stranger };
    }

    it("decodes the reverts of real calls", async () => {
      const { core, stranger } = await loadFixture(deployed);
      const ctx = { account: stranger.address };
      const fail = async (p: Promise<unknown>): Promise<unknown> =>
        p.then(
          () => expect.fail("expected a revert"),
          (e: unknown) => e,
        );
      const e1 = await fail(core.pool.connect(stranger).withdraw(parseEther("12.5")));
      expect(decoder.explain(e1, { ...ctx, units: MLP })).to.equal(
        "you have 0.0 mLP staked, cannot take 12.5",
      );
      const e2 = await fail(core.token.connect(stranger).transfer(core.deployer, parseEther("1")));
      expect(decoder.explain(e2, { ...ctx, units: { symbol: "TTD", decimals: 18 } })).to.equal(
        "insufficient balance: you have 0.0 TTD, need 1.0",
      );
      const e3 = await fail(core.subnets[0].connect(stranger).deregister());
      expect(decoder.explain(e3, ctx)).to.equal("not registered in this subnet");
      const e4 = await fail(core.pool.connect(stranger).setMinDeposit(1n));
      expect(decoder.explain(e4, ctx)).to.match(/^you are not allowed to call this/);
    });
  });
});
