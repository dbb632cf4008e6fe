/**
 * What every task's arguments share. Below both the task definitions (`scripts/tasks/*.ts`) and their
 * implementations (`./*.ts`): nothing here imports TypeChain's output or Hardhat.
 */

/** Arguments every task takes. */
export interface CommonArgs {
  /** Index of the signer among the network's accounts (0: the first). */
  from: number;
}
