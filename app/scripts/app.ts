/**
 * `npm run app`: a local chain, the whole system deployed on it, and the app served by Vite's dev
 * server. Prints the app's URL and a funded test account to import into a wallet. Ctrl-C stops all.
 *
 * Environment: APP_PORT (default 5173), NODE_PORT (default: 8545 when free, else any free port).
 */
import * as net from "node:net";
import { createServer } from "vite";
import { APP, FUNDED_ACCOUNT, freePort, startChain } from "./chain";

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const nodePort = Number(process.env.NODE_PORT ?? 0) || ((await isFree(8545)) ? 8545 : await freePort());
  const chain = await startChain({ port: nodePort, deploymentId: "app-local", log: (l) => console.log(l) });
  process.env.LOCALHOST_URL = chain.url;
  process.env.TETRAD_DEPLOYMENTS_DIR = chain.deploymentsDir;
  const server = await createServer({
    root: APP,
    configFile: `${APP}/vite.config.ts`,
    server: { port: Number(process.env.APP_PORT ?? 5173), host: "127.0.0.1" },
  });
  await server.listen();
  const appUrl = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.server.port}/`;
  console.log(`
Tetrad is running.

  App:            ${appUrl}
  Local chain:    ${chain.url}  (chain id 31337, "Hardhat (local)")
  Test account:   ${FUNDED_ACCOUNT.address}
  Private key:    ${FUNDED_ACCOUNT.privateKey}
                  (public Hardhat test key with 10,000 ETH: import it in your wallet, never use it elsewhere)

In MetaMask: Settings > Networks > Add a network manually: RPC URL ${chain.url}, chain ID 31337,
currency ETH. Then Import account with the private key above, open the app and press "Connect wallet".
Press Ctrl-C to stop the app and the chain.
`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await chain.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
