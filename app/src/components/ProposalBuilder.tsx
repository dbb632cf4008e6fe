/** Create a proposal from typed actions, with a readable preview of every call before it is sent. */
import { useId, useState } from "react";
import { encodeFunctionData, type Address } from "viem";
import { governorAbi } from "../generated/abis";
import { useAction, useApp } from "../lib/app";
import { SUBNETS } from "../lib/deployment";
import { formatAmount, parseAmount } from "../lib/format";
import {
  BUCKETS,
  buildProposal,
  toCall,
  validateAction,
  type Action,
  type BuildContext,
  type Shares,
} from "../lib/proposals";
import { useSubnets } from "../lib/subnets";
import { Markdown } from "./Markdown";
import { Card, TxStatus } from "./ui";

type Kind = Action["kind"];
const KINDS: { kind: Kind; label: string }[] = [
  { kind: "setShares", label: "Bucket shares of the emission" },
  { kind: "setSubnetWeights", label: "Subnet weights in a bucket" },
  { kind: "setMetricWeights", label: "Metric weights of a subnet" },
  { kind: "grant", label: "A grant from the protection fund" },
];

/** An action being edited: percentages and amounts as typed. */
type Draft =
  | { kind: "setShares"; pct: string[] }
  | { kind: "setSubnetWeights"; bucket: number; rows: { subnet: string; pct: string }[] }
  | { kind: "setMetricWeights"; subnet: number; pct: string[] }
  | { kind: "grant"; token: "TTD" | "stake"; to: string; amount: string };

const toBps = (pct: string): number => Math.round(Number(pct.trim() === "" ? "NaN" : pct) * 100);

export function ProposalBuilder({
  ctx,
  threshold,
  votes,
}: {
  ctx: BuildContext;
  threshold?: bigint;
  votes?: bigint;
}) {
  const { contracts } = useApp();
  const subnets = useSubnets();
  const [title, setTitle] = useState("");
  const [rationale, setRationale] = useState("");
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [kind, setKind] = useState<Kind>("setShares");
  const propose = useAction("propose");
  const ids = { title: useId(), rationale: useId(), kind: useId() };

  function newDraft(k: Kind): Draft {
    switch (k) {
      case "setShares":
        return { kind: k, pct: ["24", "24", "24", "24", "4"] };
      case "setSubnetWeights":
        return { kind: k, bucket: 0, rows: [{ subnet: contracts.CodeSubnet, pct: "100" }] };
      case "setMetricWeights": {
        const current = subnets.data?.[0]?.metricWeights ?? [3000, 2500, 2500, 2000];
        return { kind: k, subnet: 0, pct: current.map((w) => String(w / 100)) };
      }
      case "grant":
        return { kind: k, token: "TTD", to: "", amount: "" };
    }
  }

  function toAction(d: Draft): Action | string {
    switch (d.kind) {
      case "setShares":
        return { kind: "setShares", shares: d.pct.map(toBps) as Shares };
      case "setSubnetWeights":
        return {
          kind: "setSubnetWeights",
          bucket: contracts[SUBNETS[d.bucket]?.bucket ?? "CodeBucket"],
          subnets: d.rows.map((r) => r.subnet.trim() as Address),
          weights: d.rows.map((r) => toBps(r.pct)),
        };
      case "setMetricWeights":
        return {
          kind: "setMetricWeights",
          subnet: contracts[SUBNETS[d.subnet]?.subnet ?? "CodeSubnet"],
          weights: d.pct.map(toBps),
        };
      case "grant": {
        const token = d.token === "TTD" ? contracts.Tetrad : contracts.StakingToken;
        const decimals = ctx.tokens[token.toLowerCase()]?.decimals ?? 18;
        const amount = parseAmount(d.amount, decimals);
        if (!amount.ok) return `Grant amount: ${amount.error}`;
        return { kind: "grant", token, to: d.to.trim() as Address, amount: amount.value };
      }
    }
  }

  const actions = drafts.map(toAction);
  const problems = actions.map((a) => (typeof a === "string" ? [a] : validateAction(a)));
  const valid = actions.every((a, i) => typeof a !== "string" && (problems[i]?.length ?? 0) === 0);
  let preview: ReturnType<typeof buildProposal> | undefined;
  if (valid && drafts.length > 0 && title.trim() !== "") {
    try {
      preview = buildProposal(title, rationale, actions as Action[], ctx);
    } catch {
      preview = undefined;
    }
  }
  const update = (i: number, d: Draft) => setDrafts((xs) => xs.map((x, j) => (j === i ? d : x)));

  return (
    <Card id="new-h" title="Create a proposal">
      {threshold !== undefined && votes !== undefined && votes < threshold ? (
        <p className="hint">
          You have {formatAmount(votes, "TTD", 18, 2)} of votes; proposing takes{" "}
          {formatAmount(threshold, "TTD", 18, 2)}. Delegate to yourself first if you hold TTD.
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input id={ids.title} value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.rationale}>Rationale (Markdown)</label>
        <textarea
          id={ids.rationale}
          rows={4}
          value={rationale}
          onChange={(e) => setRationale(e.target.value)}
        />
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.kind}>Action</label>
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => setDrafts((xs) => [...xs, newDraft(kind)])}
        >
          Add action
        </button>
      </div>
      {drafts.map((d, i) => (
        <fieldset key={i} className="action" data-testid="action">
          <legend>
            Action {i + 1}: {KINDS.find((k) => k.kind === d.kind)?.label}
          </legend>
          <DraftEditor draft={d} onChange={(nd) => update(i, nd)} index={i} />
          {problems[i] && problems[i].length > 0 ? (
            <p className="problem" role="alert">
              {problems[i].join("; ")}
            </p>
          ) : (
            <p className="preview" data-testid="action-preview">
              {(() => {
                const a = actions[i];
                if (typeof a === "string" || a === undefined) return null;
                const c = toCall(a, ctx);
                return (
                  <>
                    {c.summary}
                    <br />
                    <code className="small">{c.signature}</code>
                  </>
                );
              })()}
            </p>
          )}
          <button
            type="button"
            className="secondary"
            onClick={() => setDrafts((xs) => xs.filter((_, j) => j !== i))}
          >
            Remove action {i + 1}
          </button>
        </fieldset>
      ))}
      {preview ? (
        <details open>
          <summary>Preview of the description</summary>
          <Markdown source={preview.description} headingOffset={2} />
        </details>
      ) : (
        <p className="hint">Give a title and at least one valid action to see the preview.</p>
      )}
      <button
        type="button"
        disabled={!preview || propose.busy}
        onClick={async () => {
          if (!preview) return;
          const ok = await propose.send("Propose", {
            to: contracts.TetradGovernor,
            data: encodeFunctionData({
              abi: governorAbi,
              functionName: "propose",
              args: [preview.targets, preview.values, preview.calldatas, preview.description],
            }),
          });
          if (ok) {
            setDrafts([]);
            setTitle("");
            setRationale("");
          }
        }}
      >
        Submit proposal
      </button>
      <TxStatus action={propose} testId="propose-status" />
    </Card>
  );
}

function DraftEditor({ draft, onChange, index }: { draft: Draft; onChange(d: Draft): void; index: number }) {
  const subnets = useSubnets();
  const base = `a${index}`;
  switch (draft.kind) {
    case "setShares":
      return (
        <div className="inputs5">
          {BUCKETS.map((b, i) => (
            <PctInput
              key={b}
              id={`${base}-${b}`}
              label={`${b} (%)`}
              value={draft.pct[i] ?? ""}
              onChange={(v) => onChange({ ...draft, pct: draft.pct.map((x, j) => (j === i ? v : x)) })}
            />
          ))}
        </div>
      );
    case "setSubnetWeights":
      return (
        <>
          <label htmlFor={`${base}-bucket`}>Bucket</label>
          <select
            id={`${base}-bucket`}
            value={draft.bucket}
            onChange={(e) => onChange({ ...draft, bucket: Number(e.target.value) })}
          >
            {SUBNETS.map((s, i) => (
              <option key={s.key} value={i}>
                {s.bucketName}
              </option>
            ))}
          </select>
          {draft.rows.map((r, i) => (
            <div className="row" key={i}>
              <div className="field">
                <label htmlFor={`${base}-sn${i}`}>Subnet {i + 1} address</label>
                <input
                  id={`${base}-sn${i}`}
                  className="mono"
                  value={r.subnet}
                  onChange={(e) =>
                    onChange({
                      ...draft,
                      rows: draft.rows.map((x, j) => (j === i ? { ...x, subnet: e.target.value } : x)),
                    })
                  }
                />
              </div>
              <PctInput
                id={`${base}-w${i}`}
                label="Weight (%)"
                value={r.pct}
                onChange={(v) =>
                  onChange({ ...draft, rows: draft.rows.map((x, j) => (j === i ? { ...x, pct: v } : x)) })
                }
              />
            </div>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => onChange({ ...draft, rows: [...draft.rows, { subnet: "", pct: "0" }] })}
          >
            Add a subnet
          </button>
        </>
      );
    case "setMetricWeights":
      return (
        <>
          <label htmlFor={`${base}-subnet`}>Subnet</label>
          <select
            id={`${base}-subnet`}
            value={draft.subnet}
            onChange={(e) => {
              const i = Number(e.target.value);
              const current = subnets.data?.[i]?.metricWeights;
              onChange({
                ...draft,
                subnet: i,
                pct: current ? current.map((w) => String(w / 100)) : draft.pct,
              });
            }}
          >
            {SUBNETS.map((s, i) => (
              <option key={s.key} value={i}>
                {s.name}
              </option>
            ))}
          </select>
          <div className="inputs5">
            {draft.pct.map((p, i) => (
              <PctInput
                key={i}
                id={`${base}-m${i}`}
                label={`Metric ${i + 1} (%)`}
                value={p}
                onChange={(v) => onChange({ ...draft, pct: draft.pct.map((x, j) => (j === i ? v : x)) })}
              />
            ))}
          </div>
        </>
      );
    case "grant":
      return (
        <>
          <label htmlFor={`${base}-token`}>Token</label>
          <select
            id={`${base}-token`}
            value={draft.token}
            onChange={(e) => onChange({ ...draft, token: e.target.value as "TTD" | "stake" })}
          >
            <option value="TTD">TTD</option>
            <option value="stake">stake token</option>
          </select>
          <div className="field">
            <label htmlFor={`${base}-to`}>Recipient</label>
            <input
              id={`${base}-to`}
              className="mono"
              value={draft.to}
              placeholder="0x…"
              onChange={(e) => onChange({ ...draft, to: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${base}-amount`}>Amount</label>
            <input
              id={`${base}-amount`}
              inputMode="decimal"
              value={draft.amount}
              onChange={(e) => onChange({ ...draft, amount: e.target.value })}
            />
          </div>
        </>
      );
  }
}

function PctInput({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
