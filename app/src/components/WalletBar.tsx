/** Connect a wallet found by EIP-6963 discovery (or an injected one), show it, switch its network. */
import { useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { useApp } from "../lib/app";
import { explainError } from "../lib/errors";
import { shortAddress } from "../lib/format";

export function WalletBar() {
  const { chain, deployments } = useApp();
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const { mutate: disconnect } = useDisconnect();
  const switchChain = useSwitchChain();
  const [open, setOpen] = useState(false);

  // EIP-6963 wallets first; the generic injected one only when nothing announced itself.
  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  const list = announced.length > 0 ? announced : connectors;

  if (connection.status === "connected") {
    const known = deployments.chains.some((c) => c.chainId === connection.chainId);
    return (
      <div className="wallet" aria-label="Wallet">
        {known ? (
          <span className="chip" data-testid="network">
            {chain.name}
          </span>
        ) : (
          <button
            type="button"
            className="warn"
            data-testid="switch-network"
            onClick={() => switchChain.mutate({ chainId: chain.chainId })}
            disabled={switchChain.isPending}
          >
            Wrong network: switch to {chain.name}
          </button>
        )}
        <span className="chip mono" data-testid="account" title={connection.address}>
          {shortAddress(connection.address)}
        </span>
        <button type="button" className="secondary" onClick={() => disconnect({})}>
          Disconnect
        </button>
        {switchChain.error ? <p role="alert">{explainError(switchChain.error)}</p> : null}
      </div>
    );
  }
  return (
    <div className="wallet">
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls="wallet-list"
      >
        Connect wallet
      </button>
      {open ? (
        <div
          id="wallet-list"
          className="popover"
          role="group"
          aria-label="Choose a wallet"
          onKeyDown={(e) => {
            if (e.key === "Escape") setOpen(false);
          }}
        >
          {list.length === 0 ? (
            <p>No browser wallet found. Install MetaMask, Rabby or Coinbase Wallet, then reload.</p>
          ) : (
            <ul>
              {list.map((c) => (
                <li key={c.uid}>
                  <button
                    type="button"
                    className="wallet-option"
                    onClick={() => {
                      connect.mutate({ connector: c }, { onSuccess: () => setOpen(false) });
                    }}
                  >
                    {c.icon ? <img src={c.icon} alt="" width={20} height={20} /> : null}
                    {c.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {connect.error ? <p role="alert">{explainError(connect.error)}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
