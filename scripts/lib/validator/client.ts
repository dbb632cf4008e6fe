/**
 * Validator client for a proof-of-contribution subnet: reads a round's metrics file, builds the
 * scoresheet, commits `keccak256(abi.encode(subnet, round, validator, salt, keccak256(sheet)))` in the
 * commit phase, keeps the salt and the sheet on disk, and reveals them in the reveal phase, possibly
 * from a later process.
 *
 * Metrics file (JSON):
 *   { "subnet": "0x…", "round": 7, "contributors": [ { "slot": 0, "values": [n, n, n, n] }, … ] }
 * `round` is optional (when given, it must be the subnet's current round); a contributor can be named
 * by `"address"` instead of `"slot"`. Every value is an integer in 0-65,535, one per metric.
 *
 * Nothing here depends on Hardhat: it takes a TypeChain `Subnet`, an ethers `Signer` and a `Clock`, so
 * tests can drive time (see `step` and `runValidator`).
 */
import { promises as fs } from "fs";
import * as path from "path";
import {
  Provider,
  Signer,
  formatEther,
  getAddress,
  hexlify,
  isAddress,
  isHexString,
  randomBytes,
} from "ethers";
import { Subnet } from "../../../typechain-types";
import { MAX_METRIC_VALUE, MAX_METRICS } from "../models/consensus";
import { MAX_CONTRIBUTORS, commitment, encodeSheet } from "../chain/poc";
import { DecodedRevert, ErrorDecoder, formatTimestamp } from "../chain/errors";
import { errorAbi } from "../deploy/deployments";
import { Standing, ValidatorRound, bpsText, sheetStanding, validatorRounds } from "../shared/standing";

/** `ISubnet.Phase`. */
export enum Phase {
  Commit = 0,
  Reveal = 1,
  Closed = 2,
}

/*//////////////////////////////////////////////////////////////
                          METRICS FILE
//////////////////////////////////////////////////////////////*/

/** One contributor's metric values, named by slot or by address (resolved on chain). */
export type ContributorMetrics = { index: number; values: number[] } & (
  { slot: number; address?: undefined } | { address: string; slot?: undefined }
);

/** A validated metrics file. */
export interface RoundMetrics {
  subnet: string;
  round?: bigint;
  contributors: ContributorMetrics[];
}

/** A row of the scoresheet: the contributor's slot and its metric values. */
export interface SlotValues {
  slot: number;
  values: number[];
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 48 ? `${s.slice(0, 45)}...` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIntIn(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * Validates a round's metrics file (already parsed from JSON) for a subnet with `metricCount`
 * metrics. Throws an Error naming the first bad field, e.g.
 * `contributors[3].values[1]: 70000 is not an integer in 0-65535`. Addresses are checked for form
 * only; `resolveSlots` maps them to slots.
 */
export function parseRoundMetrics(json: unknown, metricCount: number): RoundMetrics {
  if (!isIntIn(metricCount, 1, MAX_METRICS)) {
    throw new RangeError(`metricCount must be an integer in 1-${MAX_METRICS}, got ${metricCount}`);
  }
  if (!isRecord(json)) throw new Error(`metrics file: expected a JSON object, got ${kind(json)}`);

  if (json.subnet === undefined) throw new Error(`subnet: missing (the subnet's address)`);
  if (typeof json.subnet !== "string" || !isAddress(json.subnet)) {
    throw new Error(`subnet: ${show(json.subnet)} is not an address`);
  }
  const subnet = getAddress(json.subnet);

  let round: bigint | undefined;
  if (json.round !== undefined) {
    if (!isIntIn(json.round, 1, Number.MAX_SAFE_INTEGER)) {
      throw new Error(`round: ${show(json.round)} is not a round number (a positive integer)`);
    }
    round = BigInt(json.round);
  }

  if (json.contributors === undefined) {
    throw new Error(`contributors: missing (expected an array of { "slot" or "address", "values" })`);
  }
  if (!Array.isArray(json.contributors)) {
    throw new Error(`contributors: expected an array, got ${kind(json.contributors)}`);
  }
  const entries: readonly unknown[] = json.contributors;
  if (entries.length > MAX_CONTRIBUTORS) {
    throw new Error(`contributors: ${entries.length} entries, a subnet has at most ${MAX_CONTRIBUTORS}`);
  }

  const bySlot = new Map<number, number>();
  const byAddress = new Map<string, number>();
  const contributors = entries.map((entry, i): ContributorMetrics => {
    const at = `contributors[${i}]`;
    if (!isRecord(entry)) throw new Error(`${at}: expected an object, got ${kind(entry)}`);
    const hasSlot = entry.slot !== undefined;
    const hasAddress = entry.address !== undefined;
    if (hasSlot && hasAddress) throw new Error(`${at}: give "slot" or "address", not both`);
    if (!hasSlot && !hasAddress) throw new Error(`${at}: missing "slot" (or "address")`);

    if (entry.values === undefined) throw new Error(`${at}.values: missing`);
    if (!Array.isArray(entry.values))
      throw new Error(`${at}.values: expected an array, got ${kind(entry.values)}`);
    const raw: readonly unknown[] = entry.values;
    if (raw.length !== metricCount) {
      throw new Error(`${at}.values: expected ${metricCount} metrics, got ${raw.length}`);
    }
    const values = raw.map((v, m) => {
      if (!isIntIn(v, 0, MAX_METRIC_VALUE)) {
        throw new Error(`${at}.values[${m}]: ${show(v)} is not an integer in 0-${MAX_METRIC_VALUE}`);
      }
      return v;
    });

    if (hasSlot) {
      const slot = entry.slot;
      if (!isIntIn(slot, 0, MAX_CONTRIBUTORS - 1)) {
        throw new Error(`${at}.slot: ${show(slot)} is not an integer in 0-${MAX_CONTRIBUTORS - 1}`);
      }
      const first = bySlot.get(slot);
      if (first !== undefined)
        throw new Error(`${at}.slot: duplicate slot ${slot} (also contributors[${first}])`);
      bySlot.set(slot, i);
      return { index: i, slot, values };
    }
    if (typeof entry.address !== "string" || !isAddress(entry.address)) {
      throw new Error(`${at}.address: ${show(entry.address)} is not an address`);
    }
    const address = getAddress(entry.address);
    const first = byAddress.get(address);
    if (first !== undefined) {
      throw new Error(`${at}.address: duplicate address ${address} (also contributors[${first}])`);
    }
    byAddress.set(address, i);
    return { index: i, address, values };
  });
  return { subnet, round, contributors };
}

/**
 * Maps every contributor of `metrics` to its slot, looking addresses up with the subnet's
 * `contributorSlot` view. Throws when an address is not registered or lands on a slot already given.
 */
export async function resolveSlots(subnet: Subnet, metrics: RoundMetrics): Promise<SlotValues[]> {
  const rows = await Promise.all(
    metrics.contributors.map(async (c): Promise<SlotValues & { index: number }> => {
      if (c.address === undefined) return { index: c.index, slot: c.slot, values: c.values };
      try {
        return { index: c.index, slot: Number(await subnet.contributorSlot(c.address)), values: c.values };
      } catch (e) {
        if (decodeRevert(subnet, e)?.name === "NotRegistered") {
          throw new Error(
            `contributors[${c.index}].address: ${c.address} is not a registered contributor of this subnet`,
          );
        }
        throw e;
      }
    }),
  );
  const seen = new Map<number, number>();
  for (const r of rows) {
    const first = seen.get(r.slot);
    if (first !== undefined) {
      const field = metrics.contributors[r.index].address === undefined ? "slot" : "address";
      throw new Error(
        `contributors[${r.index}].${field}: duplicate slot ${r.slot} (also contributors[${first}])`,
      );
    }
    seen.set(r.slot, r.index);
  }
  return rows.map(({ slot, values }) => ({ slot, values }));
}

/** Scoresheet rows for slots 0..max slot: missing slots score zero on every metric. */
export function buildRows(entries: readonly SlotValues[], metricCount: number): number[][] {
  const count = entries.reduce((n, e) => Math.max(n, e.slot + 1), 0);
  const rows = Array.from({ length: count }, () => Array<number>(metricCount).fill(0));
  for (const e of entries) rows[e.slot] = [...e.values];
  return rows;
}

/** The scoresheet bytes for `entries` (see `buildRows` and `encodeSheet`). */
export function buildSheet(entries: readonly SlotValues[], metricCount: number): string {
  return encodeSheet(buildRows(entries, metricCount), metricCount);
}

/*//////////////////////////////////////////////////////////////
                           SALT STORE
//////////////////////////////////////////////////////////////*/

/** What a salt is kept for. The chain id keeps a local node's subnets apart from a testnet's. */
export interface SaltKey {
  chainId: bigint;
  subnet: string;
  round: bigint;
  validator: string;
}

/** A commitment's secret: what `reveal` needs. */
export interface SaltRecord extends SaltKey {
  salt: string;
  sheet: string;
  commitment: string;
  rows: number;
  savedAt: string; // ISO time the record was written
  commitTx?: string; // set once the commit transaction is mined
}

const STORE_VERSION = 1;

/**
 * Keeps one JSON file per (chain, subnet, validator, round) in `dir` (created if missing, mode 0700;
 * files 0600). Writes go to a temporary file that is synced and renamed over the target, so a crash
 * never leaves a half-written salt.
 */
export class SaltStore {
  constructor(readonly dir: string = ".validator") {}

  /** The file holding `key`'s salt. */
  fileFor(key: SaltKey): string {
    const name = `${key.chainId}-${key.subnet.toLowerCase()}-${key.validator.toLowerCase()}-round-${key.round}.json`;
    return path.resolve(this.dir, name);
  }

  async save(record: SaltRecord): Promise<string> {
    const file = this.fileFor(record);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const body = JSON.stringify(
      {
        version: STORE_VERSION,
        chainId: record.chainId.toString(),
        subnet: getAddress(record.subnet),
        round: record.round.toString(),
        validator: getAddress(record.validator),
        salt: record.salt,
        sheet: record.sheet,
        commitment: record.commitment,
        rows: record.rows,
        savedAt: record.savedAt,
        commitTx: record.commitTx ?? null,
      },
      null,
      2,
    );
    const tmp = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${process.pid}.${hexlify(randomBytes(4)).slice(2)}.tmp`,
    );
    const handle = await fs.open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(body + "\n", "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return file;
  }

  /** The record for `key`, or undefined when there is none. Throws if the file is unreadable or corrupt. */
  async load(key: SaltKey): Promise<SaltRecord | undefined> {
    const file = this.fileFor(key);
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (e) {
      if (e instanceof Error && "code" in e && e.code === "ENOENT") return undefined;
      throw e;
    }
    const bad = (why: string) => new Error(`salt file ${file} is corrupt: ${why}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw bad("not JSON");
    }
    if (!isRecord(json) || json.version !== STORE_VERSION)
      throw bad(`not a version ${STORE_VERSION} salt record`);
    const hex = (field: string, bytes?: number): string => {
      const v = json[field];
      if (typeof v !== "string" || !isHexString(v, bytes))
        throw bad(`${field} is not ${bytes ? `${bytes} bytes of ` : ""}hex`);
      return v;
    };
    const record: SaltRecord = {
      ...key,
      salt: hex("salt", 32),
      sheet: hex("sheet"),
      commitment: hex("commitment", 32),
      rows: isIntIn(json.rows, 0, MAX_CONTRIBUTORS) ? json.rows : -1,
      savedAt: typeof json.savedAt === "string" ? json.savedAt : "",
      commitTx: typeof json.commitTx === "string" ? json.commitTx : undefined,
    };
    if (record.rows < 0) throw bad("rows is not a row count");
    if (
      json.chainId !== key.chainId.toString() ||
      json.round !== key.round.toString() ||
      typeof json.subnet !== "string" ||
      typeof json.validator !== "string" ||
      json.subnet.toLowerCase() !== key.subnet.toLowerCase() ||
      json.validator.toLowerCase() !== key.validator.toLowerCase()
    ) {
      throw bad("it is for another chain, subnet, validator or round");
    }
    if (commitment(key.subnet, key.round, key.validator, record.salt, record.sheet) !== record.commitment) {
      throw bad("salt and sheet do not hash to the saved commitment");
    }
    return record;
  }
}

/*//////////////////////////////////////////////////////////////
                        ROUNDS AND ERRORS
//////////////////////////////////////////////////////////////*/

/** Chain time, and a way to wait for it. Tests pass one that advances the Hardhat clock. */
export interface Clock {
  /** Unix time in seconds, as the next transaction will see them (about). */
  now(): Promise<bigint>;
  /** Returns once `now()` has reached `timestamp`, or after a polling interval when it is null. */
  waitUntil(timestamp: bigint | null): Promise<void>;
}

/**
 * Real time: the later of the latest block's timestamp and the wall clock (an idle local node mines no
 * blocks, but its next block takes the wall time); waits by sleeping, at most `pollSeconds` at a time.
 * A node's `evm_increaseTime` shows only once a block is mined.
 */
export function chainClock(provider: Provider, pollSeconds = 15): Clock {
  const now = async (): Promise<bigint> => {
    const block = await provider.getBlock("latest");
    const wall = BigInt(Math.floor(Date.now() / 1000));
    const chain = BigInt(block?.timestamp ?? 0);
    return chain > wall ? chain : wall;
  };
  return {
    now,
    async waitUntil(timestamp) {
      const left = timestamp === null ? BigInt(pollSeconds) : timestamp - (await now());
      if (left <= 0n) return;
      const seconds = Number(left < BigInt(pollSeconds) ? left : BigInt(pollSeconds));
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    },
  };
}

/** The subnet's current round and its phase boundaries, from `roundTimes()`. */
export interface RoundInfo {
  round: bigint;
  start: bigint;
  commitEnd: bigint;
  revealEnd: bigint;
  now: bigint;
  phase: Phase;
}

export async function readRound(subnet: Subnet, clock: Clock): Promise<RoundInfo> {
  const [round, [start, commitEnd, revealEnd], now] = await Promise.all([
    subnet.round(),
    subnet.roundTimes(),
    clock.now(),
  ]);
  const phase = now < commitEnd ? Phase.Commit : now < revealEnd ? Phase.Reveal : Phase.Closed;
  return { round, start, commitEnd, revealEnd, now, phase };
}

/** `2026-01-31 12:00:00 UTC (in 3h 20m)`. */
export const formatTime = formatTimestamp;

const decoders = new WeakMap<Subnet, ErrorDecoder>();

/**
 * The subnet's reverts, decoded with its ABI and every other error a Tetrad call can surface (the
 * token's ERC20InsufficientBalance when staking, ...; `errorAbi`), from any error.
 */
function decoderOf(subnet: Subnet): ErrorDecoder {
  let decoder = decoders.get(subnet);
  if (decoder === undefined) {
    decoder = new ErrorDecoder([subnet.interface.fragments, errorAbi() as never[]]);
    decoders.set(subnet, decoder);
  }
  return decoder;
}

/** A revert's custom error, decoded with the subnet's ABI, from an in-process or JSON-RPC error. */
export function decodeRevert(subnet: Subnet, error: unknown): DecodedRevert | null {
  return decoderOf(subnet).decode(error);
}

/** Runs `send`; says the subnet's reverts in plain words, with the round's times (the one table, ../chain/errors). */
async function explain<T>(subnet: Subnet, info: RoundInfo, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    const decoder = decoderOf(subnet);
    if (decoder.decode(e) === null) throw e;
    const { round, commitEnd, revealEnd, now } = info;
    throw new Error(decoder.explain(e, { now, round: { round, commitEnd, revealEnd } }), { cause: e });
  }
}

interface Context {
  chainId: bigint;
  subnetAddress: string;
  validator: string;
  info: RoundInfo;
}

async function context(subnet: Subnet, signer: Signer, clock?: Clock): Promise<Context> {
  const provider = signer.provider;
  if (provider === null) throw new Error("the signer has no provider");
  const [network, subnetAddress, validator] = await Promise.all([
    provider.getNetwork(),
    subnet.getAddress(),
    signer.getAddress(),
  ]);
  if ((await provider.getCode(subnetAddress)) === "0x") throw new Error(`no contract at ${subnetAddress}`);
  const info = await readRound(subnet, clock ?? chainClock(provider));
  return { chainId: network.chainId, subnetAddress, validator, info };
}

/** The validator's permit slot and what it has done this round; throws when it holds no permit. */
async function validatorState(
  subnet: Subnet,
  ctx: Context,
): Promise<{ slot: bigint; committed: boolean; revealed: boolean }> {
  let slot: bigint;
  try {
    slot = await subnet.validatorSlot(ctx.validator);
  } catch (e) {
    if (decodeRevert(subnet, e)?.name === "NotValidator") {
      throw new Error(
        `not a validator of this subnet (${ctx.validator} holds no permit on ${ctx.subnetAddress})`,
      );
    }
    throw e;
  }
  const v = await subnet.validatorAt(slot);
  return { slot, committed: v.commitRound === ctx.info.round, revealed: v.revealRound === ctx.info.round };
}

function requirePhase(ctx: Context, wanted: Phase.Commit | Phase.Reveal): void {
  const { round, phase, commitEnd, revealEnd, now } = ctx.info;
  if (phase === wanted) return;
  if (wanted === Phase.Commit) {
    if (phase === Phase.Reveal) {
      throw new Error(
        `commit phase is over (round ${round}: reveal window opened at ${formatTime(commitEnd, now)}, ` +
          `closes at ${formatTime(revealEnd, now)}; the next commit phase starts once the round is finalized)`,
      );
    }
    throw new Error(
      `commit phase is over (round ${round} closed at ${formatTime(revealEnd, now)}; ` +
        `the next commit phase starts once the round is finalized)`,
    );
  }
  if (phase === Phase.Commit) {
    throw new Error(
      `reveal window is not open yet (round ${round}: reveal window opens at ${formatTime(commitEnd, now)})`,
    );
  }
  throw new Error(`reveal window is closed (round ${round}: it closed at ${formatTime(revealEnd, now)})`);
}

/*//////////////////////////////////////////////////////////////
                         COMMIT AND REVEAL
//////////////////////////////////////////////////////////////*/

export interface ClientOptions {
  /** Defaults to `chainClock(signer.provider)`. */
  clock?: Clock;
}

export interface CommitResult {
  round: bigint;
  commitment: string;
  rows: number;
  txHash: string;
  saltFile: string;
  /** When the reveal window opens. */
  revealOpensAt: bigint;
}

export interface RevealResult {
  round: bigint;
  rows: number;
  txHash: string;
}

/**
 * Commits the scoresheet built from `metricsJson` for the current round: checks the file, the permit
 * and the phase, draws a 32-byte salt, saves salt and sheet, then sends the commitment. The record is
 * saved before the transaction is sent, so a crash after sending still leaves a revealable salt.
 */
export async function commitScores(
  subnet: Subnet,
  signer: Signer,
  metricsJson: unknown,
  store: SaltStore,
  options: ClientOptions = {},
): Promise<CommitResult> {
  const ctx = await context(subnet, signer, options.clock);
  const { round } = ctx.info;
  const [weights] = await subnet.metricWeights();
  const metricCount = weights.length;
  const metrics = parseRoundMetrics(metricsJson, metricCount);
  if (metrics.subnet !== ctx.subnetAddress) {
    throw new Error(
      `subnet: the metrics are for ${metrics.subnet}, not for this subnet ${ctx.subnetAddress}`,
    );
  }
  if (metrics.round !== undefined && metrics.round !== round) {
    throw new Error(`round: the metrics are for round ${metrics.round}, the subnet is in round ${round}`);
  }
  await validatorState(subnet, ctx);
  requirePhase(ctx, Phase.Commit);

  const table = buildRows(await resolveSlots(subnet, metrics), metricCount);
  const sheet = encodeSheet(table, metricCount);
  const rows = table.length;
  const salt = hexlify(randomBytes(32));
  const c = commitment(ctx.subnetAddress, round, ctx.validator, salt, sheet);
  const connected = subnet.connect(signer);
  await explain(subnet, ctx.info, () => connected.commit.staticCall(c));

  const record: SaltRecord = {
    chainId: ctx.chainId,
    subnet: ctx.subnetAddress,
    round,
    validator: ctx.validator,
    salt,
    sheet,
    commitment: c,
    rows,
    savedAt: new Date().toISOString(),
  };
  const saltFile = await store.save(record);
  const receipt = await explain(subnet, ctx.info, async () => (await connected.commit(c)).wait());
  if (receipt === null || receipt.status !== 1)
    throw new Error(`the commit transaction for round ${round} failed`);
  await store.save({ ...record, commitTx: receipt.hash });
  return { round, commitment: c, rows, txHash: receipt.hash, saltFile, revealOpensAt: ctx.info.commitEnd };
}

/** Reveals the sheet committed for the current round, from the salt store. */
export async function revealScores(
  subnet: Subnet,
  signer: Signer,
  store: SaltStore,
  options: ClientOptions = {},
): Promise<RevealResult> {
  const ctx = await context(subnet, signer, options.clock);
  const { round } = ctx.info;
  const state = await validatorState(subnet, ctx);
  requirePhase(ctx, Phase.Reveal);
  if (state.revealed) throw new Error(`already revealed for round ${round}`);
  const key: SaltKey = { chainId: ctx.chainId, subnet: ctx.subnetAddress, round, validator: ctx.validator };
  const record = await store.load(key);
  if (record === undefined) {
    throw new Error(`no saved salt for round ${round}: commit first (looked for ${store.fileFor(key)})`);
  }
  if (!state.committed) {
    throw new Error(
      `a salt is saved for round ${round} but its commitment is not on chain (the commit transaction never landed)`,
    );
  }
  const connected = subnet.connect(signer);
  await explain(subnet, ctx.info, () => connected.reveal.staticCall(record.sheet, record.salt));
  const receipt = await explain(subnet, ctx.info, async () =>
    (await connected.reveal(record.sheet, record.salt)).wait(),
  );
  if (receipt === null || receipt.status !== 1)
    throw new Error(`the reveal transaction for round ${round} failed`);
  let rows = record.rows;
  for (const log of receipt.logs) {
    const parsed = subnet.interface.parseLog(log);
    if (parsed?.name === "Revealed") rows = Number(parsed.args.rows);
  }
  return { round, rows, txHash: receipt.hash };
}

/*//////////////////////////////////////////////////////////////
                             STATUS
//////////////////////////////////////////////////////////////*/

/** Where the validator stands: its permit, its sheet, its strikes and its last judged round. */
export interface ValidatorStatus {
  round: bigint;
  phase: Phase;
  validator: string;
  slot: bigint;
  stake: bigint;
  strikes: number;
  maxStrikes: number;
  activityCutoff: number;
  committed: boolean;
  revealed: boolean;
  /** Its sheet's standing (in force until which round; at risk of expulsion this finalization). */
  standing: Standing;
  /** The last finalized round it revealed in or that had a consensus since it joined (from events). */
  last?: ValidatorRound;
  /** The node would not serve the events (`last` is then unknown). */
  eventsUnavailable: boolean;
  /** The status in lines, for a terminal. */
  lines: string[];
}

const PHASE_NAMES = { [Phase.Commit]: "commit", [Phase.Reveal]: "reveal", [Phase.Closed]: "closed" } as const;

/**
 * The validator's status: permit, strikes, sheet standing (with a warning when this round's
 * finalization will expel it, for inactivity or a withheld reveal), and the last round's agreement,
 * median, lagged agreement and dividend from the `ValidatorDividend` and `RoundAgreement` events.
 * Throws when the signer holds no permit.
 */
export async function validatorStatus(
  subnet: Subnet,
  signer: Signer,
  options: ClientOptions & { fromBlock?: number } = {},
): Promise<ValidatorStatus> {
  const ctx = await context(subnet, signer, options.clock);
  const { round, phase } = ctx.info;
  const state = await validatorState(subnet, ctx);
  const [v, [p]] = await Promise.all([subnet.validatorAt(state.slot), subnet.params()]);
  const standing = sheetStanding({
    round,
    activityCutoff: p.activityCutoff,
    commitRound: v.commitRound,
    revealRound: v.revealRound,
    joinRound: v.joinRound,
    phase: PHASE_NAMES[phase],
  });
  const from = options.fromBlock ?? 0;
  let eventsUnavailable = false;
  const [dividends, agreements] = await Promise.all([
    subnet.queryFilter(subnet.filters.ValidatorDividend(undefined, ctx.validator), from),
    subnet.queryFilter(subnet.filters.RoundAgreement(), from),
  ]).catch(() => {
    eventsUnavailable = true; // a node that limits log ranges: no last round
    return [[], []] as const;
  });
  const [last] = validatorRounds(
    dividends.map((e) => ({ round: e.args.round, agreement: e.args.agreementBps, reward: e.args.reward })),
    agreements.map((e) => ({ round: e.args.round, median: e.args.medianBps, lagged: e.args.laggedBps })),
    { agreementThreshold: p.agreementThreshold, relativeThreshold: p.relativeThreshold },
    { limit: 1, fromRound: v.joinRound },
  );
  const status: Omit<ValidatorStatus, "lines"> = {
    round,
    phase,
    validator: ctx.validator,
    slot: state.slot,
    stake: v.stake,
    strikes: Number(v.strikes),
    maxStrikes: Number(p.maxStrikes),
    activityCutoff: Number(p.activityCutoff),
    committed: state.committed,
    revealed: state.revealed,
    standing,
    last,
    eventsUnavailable,
  };
  return { ...status, lines: statusLines(status) };
}

/** `validatorStatus` in lines: permit, this round, sheet standing (and its warning), last round. */
export function statusLines(s: Omit<ValidatorStatus, "lines">): string[] {
  const st = s.standing;
  const lines = [
    `permit: slot ${s.slot}, stake ${formatEther(s.stake)} TTD; strikes ${s.strikes} of ${s.maxStrikes}`,
    `round ${s.round} (${PHASE_NAMES[s.phase]}): ${s.committed ? "committed" : "not committed"}, ${s.revealed ? "revealed" : "not revealed"}`,
    st.activeUntil === undefined
      ? "sheet: none revealed yet"
      : `sheet: revealed in round ${st.lastRevealed}, active until round ${st.activeUntil}${st.inForce ? "" : " (no longer in force)"}`,
    `inactivity: without a reveal, the permit is expelled at the finalization of round ${st.expelRound}`,
  ];
  if (st.warning !== undefined) lines.push(`WARNING: ${st.warning}`);
  const l = s.last;
  if (s.eventsUnavailable) lines.push("last round: unknown (the node did not serve the subnet's events)");
  else if (l === undefined) lines.push("last round: none judged since the permit was taken");
  else if (!l.revealed)
    lines.push(
      `last round ${l.round}: no reveal (median ${l.median === undefined ? "?" : bpsText(l.median)}, ` +
        `lagged ${l.lagged === undefined ? "?" : bpsText(l.lagged)})`,
    );
  else
    lines.push(
      `last round ${l.round}: agreement ${bpsText(l.agreement ?? 0n)}, median ${l.median === undefined ? "?" : bpsText(l.median)}, ` +
        `lagged ${l.lagged === undefined ? "?" : bpsText(l.lagged)}, edge ${l.edge === undefined ? "?" : bpsText(l.edge, true)}, ` +
        `dividend ${formatEther(l.reward ?? 0n)} TTD${l.struck ? ", struck" : ""}`,
    );
  return lines;
}

/*//////////////////////////////////////////////////////////////
                        THE VALIDATOR LOOP
//////////////////////////////////////////////////////////////*/

export interface StepOptions extends ClientOptions {
  /** The round's metrics file, parsed JSON; needed only to commit. */
  metrics?: unknown;
  /** Or a loader, called only when a commit is due (e.g. reads the file then). */
  loadMetrics?: (round: bigint) => Promise<unknown>;
  /** Finalize a closed round (one page per step) instead of waiting for someone else to. */
  finalize?: boolean;
  /** Contributors per finalization transaction. */
  finalizePage?: number;
}

export type StepResult = { round: bigint; message: string } & (
  | { action: "committed"; commit: CommitResult }
  | { action: "revealed"; reveal: RevealResult }
  | { action: "finalized"; done: boolean }
  | { action: "waiting"; until: bigint | null }
);

/**
 * Does whatever the current phase allows, once: commits (when not yet committed from this store),
 * reveals (when committed and not yet revealed), finalizes a closed round when `finalize` is set, or
 * says what it waits for and until when. Throws when the validator holds no permit, or when it has a
 * commitment on chain it cannot reveal.
 */
export async function step(
  subnet: Subnet,
  signer: Signer,
  store: SaltStore,
  options: StepOptions = {},
): Promise<StepResult> {
  const ctx = await context(subnet, signer, options.clock);
  const clock: Clock = { now: async () => ctx.info.now, waitUntil: async () => {} }; // same instant for the action
  const { round, phase, commitEnd, revealEnd, now } = ctx.info;
  const state = await validatorState(subnet, ctx);
  const key: SaltKey = { chainId: ctx.chainId, subnet: ctx.subnetAddress, round, validator: ctx.validator };

  if (phase === Phase.Commit) {
    if (state.committed && (await store.load(key)) !== undefined) {
      return {
        round,
        action: "waiting",
        until: commitEnd,
        message: `round ${round}: committed; reveal window opens at ${formatTime(commitEnd, now)}`,
      };
    }
    const json = options.metrics ?? (await options.loadMetrics?.(round));
    if (json === undefined)
      throw new Error(`round ${round} is in its commit phase: metrics are needed to commit`);
    const commit = await commitScores(subnet, signer, json, store, { clock });
    return {
      round,
      action: "committed",
      commit,
      message:
        `round ${round}: committed ${commit.rows} rows (${commit.commitment.slice(0, 10)}…, tx ${commit.txHash}); ` +
        `reveal window opens at ${formatTime(commitEnd, now)}`,
    };
  }

  if (phase === Phase.Reveal) {
    if (state.revealed) {
      return {
        round,
        action: "waiting",
        until: revealEnd,
        message: `round ${round}: revealed; the round closes at ${formatTime(revealEnd, now)}`,
      };
    }
    if (!state.committed) {
      return {
        round,
        action: "waiting",
        until: revealEnd,
        message: `round ${round}: no commitment this round (commit phase missed); the round closes at ${formatTime(revealEnd, now)}`,
      };
    }
    const reveal = await revealScores(subnet, signer, store, { clock });
    return {
      round,
      action: "revealed",
      reveal,
      message: `round ${round}: revealed ${reveal.rows} rows (tx ${reveal.txHash})`,
    };
  }

  if (options.finalize) {
    const page = options.finalizePage ?? 32;
    const connected = subnet.connect(signer);
    const done = await explain(subnet, ctx.info, () => connected.finalizeRound.staticCall(page));
    await explain(subnet, ctx.info, async () => (await connected.finalizeRound(page)).wait());
    return {
      round,
      action: "finalized",
      done,
      message: done
        ? `round ${round}: finalized; round ${round + 1n} has started`
        : `round ${round}: finalized a page of ${page} contributors; more to go`,
    };
  }
  return {
    round,
    action: "waiting",
    until: null,
    message: `round ${round}: closed since ${formatTime(revealEnd, now)}; waiting for it to be finalized`,
  };
}

export interface RunOptions extends StepOptions {
  /** Gives up after this many steps (default 1,000). */
  maxSteps?: number;
  /** Called with every step's result (to log). */
  onStep?: (result: StepResult) => void;
}

/**
 * Runs the validator through one round: commits in the next commit phase it sees (unless this store
 * already holds a commitment for that round, e.g. after a restart), waits for the reveal window with
 * `clock.waitUntil`, and reveals. Returns the reveal, and the commit when this run made it.
 */
export async function runValidator(
  subnet: Subnet,
  signer: Signer,
  metricsJson: unknown,
  store: SaltStore,
  options: RunOptions = {},
): Promise<{ commit: CommitResult | null; reveal: RevealResult }> {
  const provider = signer.provider;
  if (provider === null) throw new Error("the signer has no provider");
  const clock = options.clock ?? chainClock(provider);
  const maxSteps = options.maxSteps ?? 1000;
  let commit: CommitResult | undefined;
  for (let i = 0; i < maxSteps; i++) {
    const result = await step(subnet, signer, store, { ...options, clock, metrics: metricsJson });
    options.onStep?.(result);
    if (result.action === "committed") commit = result.commit;
    else if (result.action === "revealed") {
      return { commit: commit?.round === result.round ? commit : null, reveal: result.reveal };
    } else if (result.action === "waiting") await clock.waitUntil(result.until);
  }
  throw new Error(`runValidator: no commit and reveal after ${maxSteps} steps`);
}
