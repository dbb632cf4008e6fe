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

/** Role → current members from the grants and revokes (queried in parallel); `role` reads an event's role. */
async function members<R, G extends RoleLog, V extends RoleLog>(
  grants: Promise<G[]>,
  revokes: Promise<V[]>,
  role: (e: G | V) => R,
): Promise<Map<R, Set<string>>> {
  const change =
    (on: boolean) =>
    (e: G | V): RoleEvent<R> => ({
      at: [e.blockNumber, e.index],
      role: role(e),
      account: e.args.account,
      on,
    });
  const [granted, revoked] = await Promise.all([grants, revokes]);
  return replay([...granted.map(change(true)), ...revoked.map(change(false))]);
}

/** AccessManager role id → current members, from RoleGranted/RoleRevoked since `fromBlock`. */
export const managerRoleMembers = (
  m: TetradAccessManager,
  fromBlock: number,
): Promise<Map<bigint, Set<string>>> =>
  members(
    m.queryFilter(m.filters.RoleGranted, fromBlock),
    m.queryFilter(m.filters.RoleRevoked, fromBlock),
    (e) => e.args.roleId,
  );

/** Timelock role hash → current members, from RoleGranted/RoleRevoked since `fromBlock`. */
export const timelockRoleMembers = (
  t: TetradTimelock,
  fromBlock: number,
): Promise<Map<string, Set<string>>> =>
  members(
    t.queryFilter(t.filters.RoleGranted, fromBlock),
    t.queryFilter(t.filters.RoleRevoked, fromBlock),
    (e) => e.args.role,
  );

/** The selectors of every state-changing function of an ABI. */
export function stateChangingSelectors(iface: Interface): string[] {
  const selectors: string[] = [];
  iface.forEachFunction((f) => {
    if (f.stateMutability !== "view" && f.stateMutability !== "pure") selectors.push(f.selector);
  });
  return selectors;
}
