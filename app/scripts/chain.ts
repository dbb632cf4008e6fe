/**
 * A local chain for the app, its end-to-end tests and Lighthouse: `hardhat node` on 127.0.0.1 (a free
 * port, started by its own path so that its PID is the node's), the whole system deployed by the deploy
 * module (`deploy/deploy.ts`) with its own Ignition id and deployments folder, and a clean stop.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, rpc } from "../../scripts/lib/chain/local-node.ts";

export { freePort, rpc };

export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const APP = path.join(ROOT, "app");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");

/** Hardhat's first test account (public mnemonic): deploys the system, funds wallets with ETH. */
export const FUNDED_ACCOUNT = {
  address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
} as const;

export interface LocalChain {
  url: string;
  port: number;
  /** The folder holding `<chainId>.json`. */
  deploymentsDir: string;
  deploymentId: string;
  node: ChildProcess;
  deployLog: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Fixed port (default: a free one). */
  port?: number;
  /** Ignition deployment id (default: app-<pid>); its journal is removed at stop unless `keep`. */
  deploymentId?: string;
  deploymentsDir?: string;
  keep?: boolean;
  log?: (line: string) => void;
}

/** Starts `hardhat node` and deploys the system with `deploy/deploy.ts`. */
export async function startChain(opts: StartOptions = {}): Promise<LocalChain> {
  const log = opts.log ?? (() => undefined);
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const deploymentId = opts.deploymentId ?? `app-${process.pid}`;
  const deploymentsDir = opts.deploymentsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tetrad-app-"));
  log(`Starting hardhat node on ${url}…`);
  const node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (node.exitCode !== null) throw new Error(`hardhat node exited with ${node.exitCode}`);
    try {
      await rpc(url, "eth_chainId");
      break;
    } catch {
      if (Date.now() > deadline) {
        node.kill("SIGTERM");
        throw new Error(`hardhat node did not answer on ${url}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const journal = path.join(ROOT, "ignition", "deployments", deploymentId);
  const stop = async (): Promise<void> => {
    if (node.exitCode === null) {
      const exited = new Promise((r) => node.once("exit", r));
      node.kill("SIGTERM");
      await exited;
    }
    if (!opts.keep) {
      fs.rmSync(journal, { recursive: true, force: true });
      if (!opts.deploymentsDir) fs.rmSync(deploymentsDir, { recursive: true, force: true });
    }
  };
  log("Deploying the system (deploy/deploy.ts)…");
  const out = spawnSync(process.execPath, [HARDHAT, "run", "--network", "localhost", "deploy/deploy.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOCALHOST_URL: url,
      TETRAD_DEPLOYMENTS_DIR: deploymentsDir,
      TETRAD_DEPLOYMENT_ID: deploymentId,
      IGNITION_UI: "0",
    },
    encoding: "utf8",
  });
  if (out.status !== 0) {
    await stop();
    throw new Error(`deploy failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
  }
  return { url, port, deploymentsDir, deploymentId, node, deployLog: out.stdout, stop };
}
