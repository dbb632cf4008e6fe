/** Governance tasks: delegate votes, propose typed actions, vote, queue and execute proposals. */
import { task, types } from "hardhat/config";
import { lazyAction, withFrom } from "./common";
import type { DelegateArgs, ProposalArgs, ProposeArgs, VoteArgs } from "./impl/governance";

const PROPOSAL_HELP = "The proposal: its id, #index (as status lists them) or latest";

withFrom(
  task(
    "gov:delegate",
    "Delegates your TTD votes (to yourself by default): TTD votes only once delegated",
  ).addOptionalParam("to", "The delegate's address (default: yourself)", undefined, types.string),
).setAction(lazyAction<DelegateArgs>(async () => (await import("./impl/governance")).delegate));

withFrom(
  task("gov:propose", "Proposes typed actions: bucket shares, metric weights, or a JSON file of actions")
    .addOptionalParam(
      "shares",
      "Bucket shares in bps: code,community,compute,capital,protection",
      undefined,
      types.string,
    )
    .addOptionalParam(
      "metricWeights",
      "Metric weights in bps for --subnet, e.g. 3000,2500,2500,2000",
      undefined,
      types.string,
    )
    .addOptionalParam(
      "subnet",
      "The subnet of --metric-weights: code, community, compute or an address",
      undefined,
      types.string,
    )
    .addOptionalParam(
      "actions",
      "A JSON file of actions (see scripts/tasks/impl/governance.ts)",
      undefined,
      types.string,
    )
    .addOptionalParam("title", "The proposal's title (default: from its actions)", undefined, types.string)
    .addOptionalParam("description", "Why: the rationale, in Markdown", undefined, types.string),
).setAction(lazyAction<ProposeArgs>(async () => (await import("./impl/governance")).propose));

withFrom(
  task("gov:vote", "Votes on an active proposal")
    .addParam("proposal", PROPOSAL_HELP, undefined, types.string)
    .addParam("support", "for, against or abstain", undefined, types.string)
    .addOptionalParam("reason", "A reason, recorded on chain", undefined, types.string),
).setAction(lazyAction<VoteArgs>(async () => (await import("./impl/governance")).vote));

withFrom(
  task("gov:queue", "Queues a succeeded proposal in the Timelock").addParam(
    "proposal",
    PROPOSAL_HELP,
    undefined,
    types.string,
  ),
).setAction(lazyAction<ProposalArgs>(async () => (await import("./impl/governance")).queue));

withFrom(
  task("gov:execute", "Executes a queued proposal once the Timelock's delay has passed").addParam(
    "proposal",
    PROPOSAL_HELP,
    undefined,
    types.string,
  ),
).setAction(lazyAction<ProposalArgs>(async () => (await import("./impl/governance")).execute));
