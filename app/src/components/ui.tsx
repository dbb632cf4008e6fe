/** Small shared pieces: transaction status, the wallet gate in front of actions, amount inputs. */
import { useId, useState, type ReactNode } from "react";
import { useSwitchChain } from "wagmi";
import type { Address, Hex } from "viem";
import { useApp, type Action, type TxEntry } from "../lib/app";
import type { ErrorContext } from "../lib/errors";
import { formatTokens, parseAmount } from "../lib/format";

const STATUS_TEXT: Record<TxEntry["status"], string> = {
  wallet: "Waiting for your wallet…",
  pending: "Pending…",
  confirmed: "Confirmed",
  signed: "Signed",
  failed: "Failed",
};

/** The status line of an action: pending, confirmed or failed (with the reason in plain words). */
export function TxStatus({ action, testId }: { action: Action; testId?: string }) {
  const s = action.state;
  return (
    <p
      className={`tx-status ${s ? `tx-${s.status}` : ""}`}
      role="status"
      aria-live="polite"
      data-testid={testId}
    >
      {s ? (
        <>
          <strong>
            {s.label}: {STATUS_TEXT[s.status]}
          </strong>
          {s.status === "failed" && s.message ? <> — {s.message}</> : null}
          {s.status !== "failed" && s.message ? <> ({s.message})</> : null}
        </>
      ) : null}
    </p>
  );
}

/**
 * A button that sends one transaction through `action` (simulated first, explained when it fails);
 * disabled while the action is busy or when `disabled`. Its status line is a separate {@link TxStatus}.
 */
export function TxButton(props: {
  action: Action;
  /** The transaction's name in the status line. */
  label: string;
  to: Address;
  data: Hex;
  /** What the error messages may say about the call (round, proposal times...). */
  ctx?: ErrorContext;
  disabled?: boolean;
  secondary?: boolean;
  ariaLabel?: string;
  children: ReactNode;
}) {
  const { action } = props;
  return (
    <button
      type="button"
      className={props.secondary ? "secondary" : undefined}
      disabled={action.busy || props.disabled === true}
      aria-label={props.ariaLabel}
      onClick={() => void action.send(props.label, { to: props.to, data: props.data }, props.ctx)}
    >
      {props.children}
    </button>
  );
}

/** Shows `children` (the action's controls) only when a wallet is connected on the right chain. */
export function WalletGate({ children, what }: { children: ReactNode; what: string }) {
  const { account, ready, chain } = useApp();
  const { mutate: switchChain, isPending } = useSwitchChain();
  if (!account) return <p className="gate">Connect a wallet (top of the page) to {what}.</p>;
  if (!ready)
    return (
      <p className="gate">
        Your wallet is on another network.{" "}
        <button type="button" onClick={() => switchChain({ chainId: chain.chainId })} disabled={isPending}>
          Switch to {chain.name}
        </button>
      </p>
    );
  return <>{children}</>;
}

export function AmountInput(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  symbol: string;
  max?: string;
  name: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label} ({props.symbol})
      </label>
      <div className="row">
        <input
          id={id}
          name={props.name}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.0"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.max !== undefined ? (
          <button type="button" className="secondary" onClick={() => props.onChange(props.max ?? "")}>
            Max
          </button>
        ) : null}
      </div>
    </div>
  );
}

/**
 * A scrollable table: a header row of `columns`, an optional caption for screen readers, `children` as
 * rows. With a caption, the scrolling wrapper is a named region reachable by keyboard (a table wider
 * than a phone scrolls with the arrow keys).
 */
export function DataTable({
  columns,
  caption,
  children,
}: {
  columns: readonly string[];
  caption?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" {...(caption ? { role: "region", "aria-label": caption, tabIndex: 0 } : {})}>
      <table>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A titled card: a section labelled by its heading (`id` is the heading's, for links and tests). */
export function Card({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * An amount to send: the input "Amount to <verb>" (with Max when `max` is known), `children` (hints),
 * the submit button and the action's status line (test id `<name>-status`). The text is checked here (a bad amount fails the
 * action with the reason); `onSubmit` gets the amount and says whether it went through (the input is
 * then cleared).
 */
export function AmountForm(props: {
  verb: string;
  /** The input's name (default: the verb). */
  name?: string;
  units: { symbol: string; decimals: number };
  /** The most that can be entered (the Max button), in base units. */
  max?: bigint;
  action: Action;
  /** The button's text (default: the verb, capitalized). */
  submit?: ReactNode;
  onSubmit(amount: bigint): Promise<boolean>;
  children?: ReactNode;
}) {
  const { verb, units, max, action } = props;
  const name = props.name ?? verb;
  const [text, setText] = useState("");
  const label = verb.charAt(0).toUpperCase() + verb.slice(1);
  const submit = async () => {
    const parsed = parseAmount(text, units.decimals);
    if (!parsed.ok) return action.fail(label, parsed.error);
    if (await props.onSubmit(parsed.value)) setText("");
  };
  return (
    <>
      <AmountInput
        label={`Amount to ${verb}`}
        name={name}
        symbol={units.symbol}
        value={text}
        onChange={setText}
        max={
          max === undefined ? undefined : formatTokens(max, units.decimals, units.decimals).replace(/,/g, "")
        }
      />
      {props.children}
      <button type="button" onClick={() => void submit()} disabled={action.busy}>
        {props.submit ?? label}
      </button>
      <TxStatus action={action} testId={`${name}-status`} />
    </>
  );
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p aria-busy="true">Loading {what}…</p>;
}

export function ErrorNote({ error }: { error: unknown }) {
  return (
    <p role="alert">
      Could not read the chain: {error instanceof Error ? error.message.split("\n")[0] : String(error)}
    </p>
  );
}
