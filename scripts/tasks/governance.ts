/** Governance tasks: delegate votes, propose typed actions, vote, queue and execute proposals. */
import { lazyAction, withFrom } from "./common";
import { PROPOSAL, SUBNET, defineTask } from "./impl/params";
import type { DelegateArgs, ProposalArgs, ProposeArgs, VoteArgs } from "./impl/governance";

withFrom(
  defineTask(
    "gov:delegate",
    "Delegates your TTD votes (to yourself by default): TTD votes only once delegated",
    ["to", "The delegate's address (default: yourself)", "optional"],
  ),
).setAction(lazyAction<DelegateArgs>(async () => (await import("./impl/governance")).delegate));

withFrom(
  defineTask(
    "gov:propose",
    "Proposes typed actions: bucket shares, metric weights, or a JSON file of actions",
    ["shares", "Bucket shares in bps: code,community,compute,capital,protection", "optional"],
    ["metricWeights", "Metric weights in bps for --subnet, e.g. 3000,2500,2500,2000", "optional"],
    [SUBNET[0], "The subnet of --metric-weights: code, community, compute or an address", "optional"],
    ["actions", "A JSON file of actions (see scripts/tasks/impl/governance.ts)", "optional"],
    ["title", "The proposal's title (default: from its actions)", "optional"],
    ["description", "Why: the rationale, in Markdown", "optional"],
  ),
).setAction(lazyAction<ProposeArgs>(async () => (await import("./impl/governance")).propose));

withFrom(
  defineTask(
    "gov:vote",
    "Votes on an active proposal",
    PROPOSAL,
    ["support", "for, against or abstain"],
    ["reason", "A reason, recorded on chain", "optional"],
  ),
).setAction(lazyAction<VoteArgs>(async () => (await import("./impl/governance")).vote));

for (const [name, description, fn] of [
  ["gov:queue", "Queues a succeeded proposal in the Timelock", "queue"],
  ["gov:execute", "Executes a queued proposal once the Timelock's delay has passed", "execute"],
] as const)
  withFrom(defineTask(name, description, PROPOSAL)).setAction(
    lazyAction<ProposalArgs>(async () => (await import("./impl/governance"))[fn]),
  );
