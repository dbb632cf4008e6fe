/**
 * Talking to a local node started by a tool of ours (the app's dev chain, the wallet test, the anvil
 * check): a free loopback port to start it on, and one raw JSON-RPC call. Node built-ins only, so the
 * app's scripts (ESM, tsx) and the CommonJS checks and tests import the same module.
 */
import * as net from "net";

/** A loopback port nothing listens on right now (another process may still take it before the node does). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One JSON-RPC call to `url`; throws with the node's message when it answers with an error. */
export async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
