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

/** AccessManager role id → current members, from RoleGranted/RoleRevoked since `fromBlock`. */
export async function managerRoleMembers(
  manager: TetradAccessManager,
  fromBlock: number,
): Promise<Map<bigint, Set<string>>> {
  const grants = await manager.queryFilter(manager.filters.RoleGranted, fromBlock);
  const revokes = await manager.queryFilter(manager.filters.RoleRevoked, fromBlock);
  return replay([
    ...grants.map((e) => ({
      at: [e.blockNumber, e.index] as [number, number],
      role: e.args.roleId,
      account: e.args.account,
      on: true,
    })),
    ...revokes.map((e) => ({
      at: [e.blockNumber, e.index] as [number, number],
      role: e.args.roleId,
      account: e.args.account,
      on: false,
    })),
  ]);
}

/** Timelock role hash → current members, from RoleGranted/RoleRevoked since `fromBlock`. */
export async function timelockRoleMembers(
  timelock: TetradTimelock,
  fromBlock: number,
): Promise<Map<string, Set<string>>> {
  const grants = await timelock.queryFilter(timelock.filters.RoleGranted, fromBlock);
  const revokes = await timelock.queryFilter(timelock.filters.RoleRevoked, fromBlock);
  return replay([
    ...grants.map((e) => ({
      at: [e.blockNumber, e.index] as [number, number],
      role: e.args.role,
      account: e.args.account,
      on: true,
    })),
    ...revokes.map((e) => ({
      at: [e.blockNumber, e.index] as [number, number],
      role: e.args.role,
      account: e.args.account,
      on: false,
    })),
  ]);
}

/** The selectors of every state-changing function of an ABI. */
export function stateChangingSelectors(iface: Interface): string[] {
  const selectors: string[] = [];
  iface.forEachFunction((f) => {
    if (f.stateMutability !== "view" && f.stateMutability !== "pure") selectors.push(f.selector);
  });
  return selectors;
}
