/**
 * Wallets over JSON-RPC: starts `hardhat node` on 127.0.0.1 (a free port), deploys with the deploy
 * module (`deploy/deploy.ts`, twice: the second run must change nothing), then acts only as wallets
 * do — separate ethers `Wallet`s holding their own keys, signing locally, sending raw transactions —
 * with an EIP-2612 permit deposit, an EIP-712 delegation and vote by signature relayed by a third
 * wallet, and a governance proposal carried to execution. The node is stopped by its PID.
 *
 * Only moving the clock (`evm_mine` with a timestamp) uses the node's test methods. The clock moves from
 * the latest block's timestamp, never from the wall clock, so a slow machine changes no amount.
 *
 * Not under `hardhat coverage`: there artifacts/ holds instrumented bytecode (over EIP-170's size limit
 * on a real node) and the deploy child would recompile plain artifacts over it mid-run. CI runs this
 * file plain (tools/test.js --coverage, PLAIN_ONLY), the rest of the suite instrumented.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JsonRpcProvider, Wallet, id, parseEther } from "ethers";
import { MockStakeToken__factory } from "../../typechain-types";
import { DAY, DEFAULT_GOVERNANCE } from "../../scripts/lib/chain/constants";
import { Connected, connect, readDeployment } from "../../scripts/lib/deploy/deployments";
import { ProposalState } from "../utils/governance-fixture";
import { underCoverage } from "../utils/coverage";
import {
  Vote,
  buildProposal,
  execute,
  proposalId,
  propose,
  queue,
  signDelegation,
  signVote,
} from "../../scripts/lib/chain/governance";
import { signPermit } from "../../scripts/lib/chain/permit";
import { freePort } from "../../scripts/lib/chain/local-node";

const ROOT = path.join(__dirname, "..", "..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
/** Hardhat node's first account (the public test mnemonic): it deploys, then funds the wallets with ETH. */
const FUNDER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/**
 * Starts `hardhat node` on a free port and resolves once THIS node prints that it listens: a node left
 * over on the port, or another engineer's, can never answer in its place. When the port was taken
 * between freePort() and the node's bind, the node exits and another port is tried.
 */
async function startNode(timeoutMs: number): Promise<{ node: ChildProcess; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const node = spawn(
      process.execPath,
      [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const listening = await new Promise<boolean>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => {
        node.kill("SIGTERM");
        reject(new Error(`hardhat node did not listen on port ${port} within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        if (out.includes(`Started HTTP and WebSocket JSON-RPC server at http://127.0.0.1:${port}/`)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      node.stdout!.on("data", onData);
      node.stderr!.on("data", onData);
      node.once("exit", () => {
        clearTimeout(timer);
        if (attempt < 3 && /EADDRINUSE/.test(out)) resolve(false);
        else reject(new Error(`hardhat node exited before listening on port ${port}:\n${out}`));
      });
    });
    // The node logs every request: keep draining its pipes, or it blocks once they fill.
    node.stdout!.removeAllListeners("data").resume();
    node.stderr!.removeAllListeners("data").resume();
    if (listening) return { node, url: `http://127.0.0.1:${port}` };
  }
}

describe("Wallets against a local JSON-RPC node (hardhat node + deploy module)", function () {
  this.timeout(300_000);
  let node: ChildProcess;
  let url: string;
  let provider: JsonRpcProvider;
  let dir: string;
  let deployLog: string[];
  const deploymentId = `wallet-test-${process.pid}`;
  let c: Connected;

  const alice = new Wallet(id("tetrad wallet test: alice"));
  const bob = new Wallet(id("tetrad wallet test: bob"));
  const relayer = new Wallet(id("tetrad wallet test: relayer"));

  /** Mines one block exactly `seconds` after the latest one (pinned, whatever the wall clock did). */
  async function warp(seconds: bigint): Promise<void> {
    const latest = BigInt((await provider.getBlock("latest"))!.timestamp);
    await provider.send("evm_mine", [Number(latest + seconds)]);
  }

  function deploy(): string {
    // --no-compile: the test run compiled already; a compile here could only race with it.
    const args = [HARDHAT, "run", "--no-compile", "--network", "localhost", "deploy/deploy.ts"];
    const out = spawnSync(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        LOCALHOST_URL: url,
        TETRAD_DEPLOYMENTS_DIR: dir,
        TETRAD_DEPLOYMENT_ID: deploymentId,
        IGNITION_UI: "0",
      },
      encoding: "utf8",
    });
    if (out.status !== 0) throw new Error(`deploy failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
    return out.stdout;
  }

  before(async function () {
    if (underCoverage()) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tetrad-wallet-"));
    ({ node, url } = await startNode(120_000));
    provider = new JsonRpcProvider(url, undefined, {
      staticNetwork: true,
      pollingInterval: 50,
      cacheTimeout: -1,
    });
    deployLog = [deploy(), deploy()];
    const chainId = Number((await provider.getNetwork()).chainId);
    c = connect(readDeployment(chainId, dir), provider);
    // The funder pays gas money to the wallets, signing locally like any wallet.
    const funder = new Wallet(FUNDER_KEY, provider);
    let nonce = await provider.getTransactionCount(funder.address, "pending");
    for (const w of [alice, bob, relayer]) {
      await (await funder.sendTransaction({ to: w.address, value: parseEther("10"), nonce: nonce++ })).wait();
    }
  });

  after(async () => {
    if (node && node.exitCode === null) {
      node.kill("SIGTERM");
      await new Promise((r) => node.once("exit", r));
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("the deploy module deployed and wired everything; re-running it changed nothing", async () => {
    expect(deployLog[0]).to.contain("Deployed Tetrad on localhost");
    expect(deployLog[1]).to.contain("already deployed");
    expect(await c.token.minter()).to.equal(c.deployment.contracts.EmissionController);
    const [timelockAdmin] = await c.manager.hasRole(0n, c.deployment.contracts.TetradTimelock);
    const [deployerAdmin] = await c.manager.hasRole(0n, c.deployment.deployer);
    expect([timelockAdmin, deployerAdmin]).to.deep.equal([true, false]);
    expect(c.deployment.abis?.CapitalPool).to.be.an("array").that.is.not.empty;
  });

  it("a wallet deposits with one permit signature, time passes, anyone distributes, it claims what the chain says", async () => {
    const a = alice.connect(provider);
    const stake = MockStakeToken__factory.connect(c.deployment.contracts.StakingToken, a);
    const amount = parseEther("12.5");
    await (await stake.mint(alice.address, amount)).wait(); // the mock LP's open faucet
    const pool = c.pool.connect(a);
    const deadline = BigInt((await provider.getBlock("latest"))!.timestamp) + 3600n;
    const sig = await signPermit(stake, a, await pool.getAddress(), amount, deadline);
    await (await pool.depositWithPermit(amount, deadline, sig.v, sig.r, sig.s)).wait();
    expect(await pool.balanceOf(alice.address)).to.equal(amount);
    expect(await stake.allowance(alice.address, await pool.getAddress())).to.equal(0n); // permit spent exactly

    // Ten days of the capital bucket: enough for alice alone to meet the 30,000 TTD quorum floor later.
    await warp(10n * DAY);
    const before = await c.token.balanceOf(await pool.getAddress());
    await (await c.controller.connect(bob.connect(provider)).distribute()).wait();
    const received = (await c.token.balanceOf(await pool.getAddress())) - before;
    expect(received).to.be.greaterThan(0n);
    await warp(8n * DAY); // the 7-day stream runs out

    const pending = await pool.pendingRewards(alice.address);
    const receipt = await (await pool.claim()).wait();
    const claimed = await c.token.balanceOf(alice.address);
    expect(receipt?.status).to.equal(1);
    expect(claimed).to.equal(pending); // nothing accrues after the stream's end
    // Alone in the pool: the whole stream. What is not paid yet is the division remainder the pool
    // carries to its next accrual (rewardCarry, in wei x 1e18) plus under 1 wei of floor at the claim.
    const carry = await pool.rewardCarry();
    const gap = received * 10n ** 18n - claimed * 10n ** 18n - carry;
    expect(gap >= 0n && gap < 10n ** 18n, `gap ${gap} (wei x 1e18)`).to.equal(true);
    expect(await pool.pendingRewards(alice.address)).to.equal(0n);
  });

  it("a delegation and a vote signed with EIP-712 and relayed by another wallet carry a proposal to execution", async () => {
    const a = alice.connect(provider);
    const r = relayer.connect(provider);
    const token = c.token.connect(r);
    // Delegate by signature: alice signs, the relayer pays the gas.
    const expiry = BigInt((await provider.getBlock("latest"))!.timestamp) + 3600n;
    const d = await signDelegation(c.token, a, alice.address, expiry);
    await (
      await token.delegateBySig(alice.address, await c.token.nonces(alice.address), expiry, d.v, d.r, d.s)
    ).wait();
    const balance = await c.token.balanceOf(alice.address);
    expect(await c.token.getVotes(alice.address)).to.equal(balance);
    // A replayed delegation signature is refused.
    await expect(token.delegateBySig(alice.address, 0n, expiry, d.v, d.r, d.s)).to.be.rejected;

    // Each share moves at most 1,000 bps per change (issue 15).
    const shares: [number, number, number, number, number] = [2000, 2400, 2400, 2800, 400];
    const proposal = buildProposal("Capital to 28%", "Wallet test.", [
      { kind: "setShares", controller: c.deployment.contracts.EmissionController, shares },
    ]);
    // Votes count once held for the Governor's lookback (a day) before the proposal and its snapshot.
    await warp(DEFAULT_GOVERNANCE.voteLookback + 1n);
    const pid = await propose(c.governor, a, proposal);
    expect(pid).to.equal(await proposalId(c.governor, proposal));
    await warp(DEFAULT_GOVERNANCE.votingDelay + 1n);

    const ballot = await signVote(c.governor, a, pid, Vote.For);
    await (await c.governor.connect(r).castVoteBySig(pid, Vote.For, alice.address, ballot)).wait();
    const [against, forVotes, abstain] = await c.governor.proposalVotes(pid);
    expect([against, forVotes, abstain]).to.deep.equal([0n, balance, 0n]);
    // The same ballot cannot be counted twice.
    await expect(c.governor.connect(r).castVoteBySig(pid, Vote.For, alice.address, ballot)).to.be.rejected;

    await warp(DEFAULT_GOVERNANCE.votingPeriod + 1n);
    expect(await c.governor.state(pid)).to.equal(BigInt(ProposalState.Succeeded));
    await queue(c.governor, proposal, r);
    await warp(DEFAULT_GOVERNANCE.timelockDelay + 1n);
    await execute(c.governor, proposal, bob.connect(provider));
    expect(await c.governor.state(pid)).to.equal(BigInt(ProposalState.Executed));
    expect((await c.controller.shares()).map(Number)).to.deep.equal(shares);
  });

  it("the wallets never used the node's unlocked accounts", async () => {
    const unlocked = (await provider.send("eth_accounts", [])) as string[];
    for (const w of [alice, bob, relayer]) {
      expect(unlocked.map((x) => x.toLowerCase())).not.to.include(w.address.toLowerCase());
    }
  });
});
