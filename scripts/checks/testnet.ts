/**
 * The README's test-network path against a real node that is not Hardhat's in-process chain: starts
 * anvil (Foundry's node, npm `@foundry-rs/anvil`) on a free loopback port, points RPC_URL and
 * DEPLOYER_KEY (anvil's first default account) at it, deploys with `deploy/deploy.ts` on the `testnet`
 * network, then drives the system only through the CLI tasks (`hardhat --network testnet <task>`), one
 * action per role, checking each step's exit status and output:
 *
 *   status; capital:deposit (faucet, permit) and, after a distribution and the 7-day stream,
 *   capital:claim; subnet:finalize (a keeper closes round 1: anyone may); validator:stake;
 *   contributor:register;
 *   gov:delegate, gov:propose, gov:vote; status.
 *
 * The clock moves with anvil's `evm_mine <timestamp>` only, from the latest block's timestamp. anvil is
 * stopped by its PID in every case. Nothing is written to the repository: the deployment file goes to a
 * temporary TETRAD_DEPLOYMENTS_DIR and Ignition's journal (ignition/deployments/<id>/) is removed.
 *
 * Usage: npm run test:testnet   (compiles first unless --no-compile)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Anvil, anvilBinary, startAnvil } from "../lib/chain/anvil";
import { rpc } from "../lib/chain/local-node";

const ROOT = path.join(__dirname, "..", "..");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
/** anvil's (and Hardhat's) first default account: public test key, funded with 10,000 ETH on anvil. */
const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const CHAIN_ID = 31338;
const DAY = 86_400;

interface Step {
  name: string;
  /** hardhat arguments after `--network testnet` */
  args: string[];
  /** what the output must contain */
  expect: RegExp[];
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!process.argv.includes("--no-compile")) {
    const c = spawnSync(process.execPath, [HARDHAT, "compile", "--quiet"], { cwd: ROOT, stdio: "inherit" });
    if (c.status !== 0) throw new Error("hardhat compile failed");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tetrad-testnet-"));
  const deploymentId = `testnet-check-${process.pid}`;
  let anvil: Anvil | undefined;
  let failed = 0;
  try {
    anvil = await startAnvil({ chainId: CHAIN_ID });
    const url = anvil.url;
    console.log(`anvil ${anvilBinary()} (PID ${anvil.pid}) on ${url}, chain ${CHAIN_ID}`);
    const env = {
      ...process.env,
      RPC_URL: url,
      DEPLOYER_KEY: ANVIL_KEY_0,
      CHAIN_ID: String(CHAIN_ID),
      TETRAD_DEPLOYMENTS_DIR: dir,
      TETRAD_DEPLOYMENT_ID: deploymentId,
      IGNITION_UI: "0",
      FORCE_COLOR: "0",
      NO_COLOR: "1",
    };
    const hardhat = (name: string, args: string[], expect: RegExp[]): boolean => {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [HARDHAT, ...args], { cwd: ROOT, env, encoding: "utf8" });
      const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
      const missing = expect.filter((re) => !re.test(output));
      const ok = r.status === 0 && missing.length === 0;
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      console.log(
        `${ok ? "ok  " : "FAIL"} ${name.padEnd(22)} ${secs.padStart(5)} s   hardhat ${args.join(" ")}`,
      );
      if (!ok) {
        failed++;
        console.log(
          `     exit ${r.status ?? r.signal}${missing.length ? `; output lacks ${missing.join(", ")}` : ""}`,
        );
        console.log(output.replace(/^/gm, "     | "));
      }
      return ok;
    };
    /** One block exactly `seconds` after the latest one. */
    const warp = async (seconds: number): Promise<void> => {
      const latest = await rpc<{ timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false]);
      await rpc(url, "evm_mine", [Number(latest.timestamp) + seconds]);
    };
    const task = (step: Step): boolean =>
      hardhat(step.name, ["--network", "testnet", ...step.args], step.expect);

    const steps: (Step | (() => Promise<void>))[] = [
      { name: "status (empty)", args: ["status"], expect: [/Emission/, /Capital pool/, /Subnets/] },
      {
        name: "capital:deposit",
        args: ["capital:deposit", "--amount", "1", "--faucet"],
        expect: [/deposited 1\.0 mLP into the capital pool \(EIP-2612 permit/],
      },
      () => warp(DAY),
      { name: "distribute", args: ["distribute"], expect: [/^distributed [\d,.]+…? TTD \(tx 0x/m] },
      () => warp(8 * DAY), // the 7-day stream runs out
      {
        name: "capital:claim",
        args: ["capital:claim"],
        expect: [/claimed [\d,.]+…? TTD of capital pool rewards/],
      },
      // Round 1 closed during those 9 days and the next one starts when it is finalized, which anyone
      // may do (no permit, no registration): the keeper task.
      {
        name: "subnet:finalize",
        args: ["subnet:finalize", "--subnet", "code"],
        expect: [/finalized round 1 of the code subnet in \d+ transaction\(s\) .*round 2 has started/],
      },
      {
        name: "validator:stake",
        args: ["validator:stake", "--subnet", "code", "--amount", "150"],
        expect: [/staked 150\.0 TTD in the code subnet: validator slot 0, stake 150\.0 TTD/],
      },
      {
        name: "contributor:register",
        args: ["contributor:register", "--subnet", "code", "--metadata", "ipfs://testnet-check"],
        expect: [/registered in the code subnet as contributor slot 0, bond 10\.0 TTD/],
      },
      {
        name: "gov:delegate",
        args: ["gov:delegate"],
        expect: [/delegated the votes of your .* to yourself/],
      },
      // The Governor counts votes held for its vote lookback (deploy/parameters.json: one day, the
      // least it allows) before the proposal.
      () => warp(DAY + 1),
      {
        name: "gov:propose",
        args: ["gov:propose", "--shares", "2500,2500,2500,2100,400", "--description", "Testnet check."],
        expect: [/proposed #1: /, /Set bucket shares to code 25%, community 25%, compute 25%, capital 21%/],
      },
      () => warp(301), // the testnet voting delay (deploy/parameters.json): 300 s
      {
        name: "gov:vote",
        args: ["gov:vote", "--proposal", "latest", "--support", "for"],
        expect: [/voted for on proposal 0x[0-9a-f]+… with [\d,.]+…? TTD/],
      },
      {
        name: "status (after)",
        args: ["status"],
        expect: [/Proposals: 1 open/, /Active/, /code\b/],
      },
    ];

    const deployed = hardhat(
      "deploy/deploy.ts",
      ["run", "--no-compile", "--network", "testnet", "deploy/deploy.ts"],
      [new RegExp(`Deployed Tetrad on testnet \\(chain ${CHAIN_ID}\\)`)],
    );
    if (deployed) {
      for (const step of steps) {
        if (typeof step === "function") await step();
        else if (!task(step)) break; // later steps depend on this one
      }
    }
  } finally {
    await anvil?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  }
  console.log(
    `testnet check: ${failed === 0 ? "ok" : `${failed} step(s) FAILED`} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  },
);
