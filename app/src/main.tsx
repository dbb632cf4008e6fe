import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import { App } from "./App";
import { loadDeployments, makeConfig } from "./lib/deployment";
import { AppProvider, TxProvider } from "./lib/app";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);

async function start(): Promise<void> {
  const deployments = await loadDeployments();
  if (deployments.chains.length === 0) {
    root.render(
      <main id="main" className="page">
        <h1>Tetrad</h1>
        <p role="alert">
          No Tetrad deployment is known to this site. Deploy first (<code>npm run app</code> starts a local
          chain and deploys), then reload.
        </p>
      </main>,
    );
    return;
  }
  const config = makeConfig(deployments.chains);
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
  });
  root.render(
    <StrictMode>
      <WagmiProvider config={config}>
        <QueryClientProvider client={queryClient}>
          <AppProvider deployments={deployments}>
            <TxProvider>
              <App />
            </TxProvider>
          </AppProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  );
}

start().catch((err: unknown) => {
  root.render(
    <main id="main" className="page">
      <h1>Tetrad</h1>
      <p role="alert">The app could not start: {err instanceof Error ? err.message : String(err)}</p>
    </main>,
  );
});
