/**
 * The EIP-712 message types Tetrad's contracts verify: an EIP-2612 permit, a Governor ballot (with or
 * without a reason) and an ERC20Votes delegation. Dependency-free: ethers (`signTypedData(domain, types,
 * message)`) and viem (`{ domain, types, primaryType, message }`) take these objects as they are.
 */

/** One field of an EIP-712 struct. */
export interface TypedField {
  name: string;
  type: string;
}

/** EIP-2612 `Permit` (ERC20Permit.permit). */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

const BALLOT_FIELDS: TypedField[] = [
  { name: "proposalId", type: "uint256" },
  { name: "support", type: "uint8" },
  { name: "voter", type: "address" },
  { name: "nonce", type: "uint256" },
];

/** Governor `Ballot` (castVoteBySig). */
export const BALLOT_TYPES = { Ballot: BALLOT_FIELDS };

/** Governor `ExtendedBallot` (castVoteWithReasonAndParamsBySig). */
export const EXTENDED_BALLOT_TYPES = {
  ExtendedBallot: [...BALLOT_FIELDS, { name: "reason", type: "string" }, { name: "params", type: "bytes" }],
};

/** ERC20Votes `Delegation` (delegateBySig). */
export const DELEGATION_TYPES = {
  Delegation: [
    { name: "delegatee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
};
