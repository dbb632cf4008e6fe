import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { readAppDeployments } from "./scripts/deployments.ts";

/** Serves `deployments.json` fresh in dev and preview, and writes it into the build. */
function deployments(): Plugin {
  const serve = (
    _req: unknown,
    res: { setHeader(k: string, v: string): void; end(s: string): void },
  ): void => {
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
    res.end(JSON.stringify(readAppDeployments()));
  };
  return {
    name: "tetrad-deployments",
    configureServer(server) {
      server.middlewares.use("/deployments.json", serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use("/deployments.json", serve);
    },
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "deployments.json",
        source: JSON.stringify(readAppDeployments(), null, 2),
      });
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [react(), deployments()],
  server: { fs: { allow: [".."] } },
  build: {
    target: "es2022",
    sourcemap: false,
  },
});
