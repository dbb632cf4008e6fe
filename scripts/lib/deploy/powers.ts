/**
 * Who holds which power in a deployment, rebuilt from the role events (AccessManager and Timelock)
 * rather than trusted from a list: used by the deployment tests and the powers audit.
 */
import { Interface } from "ethers";
import { TetradAccessManager, TetradTimelock } from "../../../typechain-types";

interface RoleEvent<R> {
  at: [number, number];
  role: R;
  account: string;
  on: boolean;
}

/** Replays grant/revoke events in chain order into role → members. */
function replay<R>(events: RoleEvent<R>[]): Map<R, Set<string>> {
  events.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);
  const members = new Map<R, Set<string>>();
  for (const e of events) {
    const set = members.get(e.role) ?? new Set<string>();
    if (e.on) set.add(e.account);
    else set.delete(e.account);
    members.set(e.role, set);
  }
  return members;
}

/** A RoleGranted or RoleRevoked event, as TypeChain gives it. */
interface RoleLog {
  blockNumber: number;
  index: number;
  args: { account: string };
}

/** Grants and revokes, in one list for {@link replay}; `role` reads the role from an event. */
function roleEvents<R, G extends RoleLog, V extends RoleLog>(
  grants: G[],
  revokes: V[],
  role: (e: G | V) => R,
): RoleEvent<R>[] {
  const change =
    (on: boolean) =>
    (e: G | V): RoleEvent<R> => ({
      at: [e.blockNumber, e.index],
      role: role(e),
      account: e.args.account,
      on,
    });
  return [...grants.map(change(true)), ...revokes.map(change(false))];
}

/** AccessManager role id → current members, from RoleGranted/RoleRevoked since `fromBlock`. */
export async function managerRoleMembers(
  manager: TetradAccessManager,
  fromBlock: number,
): Promise<Map<bigint, Set<string>>> {
  const grants = await manager.queryFilter(manager.filters.RoleGranted, fromBlock);
  const revokes = await manager.queryFilter(manager.filters.RoleRevoked, fromBlock);
  return replay(roleEvents(grants, revokes, (e) => e.args.roleId));
}

/** Timelock role hash → current members, from RoleGranted/RoleRevoked since `fromBlock`. */
export async function timelockRoleMembers(
  timelock: TetradTimelock,
  fromBlock: number,
): Promise<Map<string, Set<string>>> {
  const grants = await timelock.queryFilter(timelock.filters.RoleGranted, fromBlock);
  const revokes = await timelock.queryFilter(timelock.filters.RoleRevoked, fromBlock);
  return replay(roleEvents(grants, revokes, (e) => e.args.role));
}

/** The selectors of every state-changing function of an ABI. */
export function stateChangingSelectors(iface: Interface): string[] {
  const selectors: string[] = [];
  iface.forEachFunction((f) => {
    if (f.stateMutability !== "view" && f.stateMutability !== "pure") selectors.push(f.selector);
  });
  return selectors;
}
