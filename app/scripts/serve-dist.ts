/** A static server for the production build (`dist/`, gzipped as hosts serve it), with `deployments.json` built for a given
 * deployments folder and RPC URL: for the end-to-end tests and Lighthouse. Loopback only. */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { APP } from "./chain";
import { readAppDeployments } from "./deployments";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serveDist(opts: {
  deploymentsDir: string;
  rpcUrl: string;
  dir?: string;
}): Promise<Served> {
  const root = opts.dir ?? path.join(APP, "dist");
  if (!fs.existsSync(path.join(root, "index.html")))
    throw new Error(`${root} has no build: run vite build first`);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/deployments.json") {
      const previous = process.env.LOCALHOST_URL;
      process.env.LOCALHOST_URL = opts.rpcUrl;
      const body = JSON.stringify(readAppDeployments(opts.deploymentsDir));
      if (previous === undefined) delete process.env.LOCALHOST_URL;
      else process.env.LOCALHOST_URL = previous;
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(body);
      // (small and dynamic: sent uncompressed)
      return;
    }
    const rel = url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname).replace(/^\/+/, "");
    const file = path.join(root, rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    // As any static host does: long-lived hashed assets, gzip for text.
    const immutable = rel.startsWith("assets/");
    const type = TYPES[path.extname(file)] ?? "application/octet-stream";
    const headers: Record<string, string> = {
      "content-type": type,
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    };
    let body = fs.readFileSync(file);
    if (/gzip/.test(String(req.headers["accept-encoding"] ?? "")) && !type.startsWith("image/png")) {
      body = gzipSync(body);
      headers["content-encoding"] = "gzip";
      headers.vary = "accept-encoding";
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
