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

/** Inlines the (small) stylesheet into index.html: no render-blocking request before the first paint. */
function inlineCss(): Plugin {
  return {
    name: "tetrad-inline-css",
    apply: "build",
    enforce: "post",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        let out = html;
        for (const [name, asset] of Object.entries(bundle)) {
          if (asset.type !== "asset" || !name.endsWith(".css")) continue;
          const link = new RegExp(
            `<link[^>]*href="[^"]*${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`,
          );
          if (!link.test(out)) continue;
          out = out.replace(link, () => `<style>${String(asset.source)}</style>`);
          delete bundle[name];
        }
        return out;
      },
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [react(), deployments(), inlineCss()],
  server: { fs: { allow: [".."] } },
  build: {
    target: "es2022",
    sourcemap: false,
  },
});
