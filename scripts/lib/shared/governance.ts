/**
 * Governance names and the proposal builder, shared by the Hardhat tasks (over ethers) and the web app
 * (over viem). Dependency-free: the caller passes the two hashes (keccak256 of the description, and the
 * Governor's `hashProposal`) from its own library.
 */

/** OpenZeppelin's `IGovernor.ProposalState`, by value. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** `GovernorCountingSimple`'s vote types, by value. */
export const SUPPORT = ["Against", "For", "Abstain"] as const;

/** `ISubnet.Phase`, by value. */
export const PHASES = ["commit", "reveal", "closed"] as const;
export type Phase = (typeof PHASES)[number];

/** One call of a proposal, with the sentence a voter reads. */
export interface ProposalCall<A extends string = string, H extends string = string> {
  target: A;
  value: bigint;
  data: H;
  summary: string;
}

/** The hashes a proposal needs, from the caller's library (ethers or viem). */
export interface ProposalHashing<A extends string = string, H extends string = string> {
  /** keccak256 of the UTF-8 description. */
  descriptionHash(description: string): H;
  /** `Governor.hashProposal`: keccak256(abi.encode(targets, values, calldatas, descriptionHash)). */
  proposalId(targets: A[], values: bigint[], calldatas: H[], descriptionHash: H): bigint;
}

export interface BuiltProposal<
  A extends string = string,
  H extends string = string,
  C extends ProposalCall<A, H> = ProposalCall<A, H>,
> {
  /** The id the Governor gives it (`hashProposal`). */
  id: bigint;
  targets: A[];
  values: bigint[];
  calldatas: H[];
  description: string;
  descriptionHash: H;
  calls: C[];
}

/** A proposal from its calls: the description is Markdown (the title, the rationale, every call). */
export function assembleProposal<A extends string, H extends string, C extends ProposalCall<A, H>>(
  title: string,
  rationale: string,
  calls: C[],
  hashing: ProposalHashing<A, H>,
): BuiltProposal<A, H, C> {
  if (title.trim() === "") throw new Error("a proposal needs a title");
  if (calls.length === 0) throw new Error("a proposal needs at least one action");
  const description = [
    `# ${title.trim()}`,
    "",
    rationale.trim(),
    "",
    "## Actions",
    "",
    ...calls.map((c, i) => `${i + 1}. ${c.summary}`),
  ].join("\n");
  const targets = calls.map((c) => c.target);
  const values = calls.map((c) => c.value);
  const calldatas = calls.map((c) => c.data);
  const descriptionHash = hashing.descriptionHash(description);
  return {
    id: hashing.proposalId(targets, values, calldatas, descriptionHash),
    targets,
    values,
    calldatas,
    description,
    descriptionHash,
    calls,
  };
}
