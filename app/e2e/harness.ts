/**
 * What every end-to-end spec starts from: `hardhat node` with the whole system deployed by the deploy
 * module, the production build served, headless Chromium (Debian's), test wallets (./wallet.ts: their
 * keys stay in this process) funded with ETH from the node's first account, and the steps a spec takes
 * through the UI (open a page as a wallet, connect, navigate, wait for a transaction's status line,
 * screenshot, axe). Only the clock (evm_increaseTime) and a little setup bypass the UI.
 */
import { expect } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  parseEther,
  stringToBytes,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { shortAddress } from "../src/lib/format";
import { FUNDED_ACCOUNT, ROOT, rpc, startChain, type LocalChain } from "../scripts/chain";
import { CHROMIUM, CHROMIUM_FLAGS } from "../scripts/chromium";
import { serveDist, type Served } from "../scripts/serve-dist";
import { LOCAL_CHAIN_ID, TestWallet } from "./wallet";

export const SHOTS = path.join(ROOT, "reports", "ui");
export const DAY = 86_400;

/** A test wallet's private key, from its name. */
export const keyOf = (name: string): Hex => keccak256(stringToBytes(`tetrad app e2e: ${name}`));

/** axe's findings per page, as `reports/ui/<file>` records them. */
export type AxeFindings = Record<string, { id: string; impact: string | null | undefined; nodes: number }[]>;

export interface Harness<W extends string> {
  chain: LocalChain;
  site: Served;
  browser: Browser;
  contracts: Record<string, Address>;
  wallets: Record<W, TestWallet>;
  axeResults: AxeFindings;
  publicClient(): PublicClient<Transport, Chain>;
  /** A wallet client signing here with `wallet`'s key (setup outside the UI). */
  walletClient(wallet: TestWallet): WalletClient<Transport, Chain, Account>;
  /** Moves the node's clock forward and mines a block. */
  warp(seconds: number): Promise<void>;
  /** A new browser context with `wallet` injected, on `hash`. */
  openAs(wallet: TestWallet, hash?: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Connects `wallet` through the wallet bar (EIP-6963 discovery). */
  connect(page: Page, wallet: TestWallet): Promise<void>;
  /** Navigates to `hash` and waits for its level-1 heading. */
  go(page: Page, hash: string, heading: string): Promise<void>;
  /** Waits until the status line `testId` says `text` (or Failed: then throws with what it says). */
  waitStatus(page: Page, testId: string, text: string, timeout?: number): Promise<string>;
  shot(page: Page, name: string): Promise<void>;
  /** Runs axe (WCAG 2.1 A and AA) and expects no serious or critical violation. */
  axe(page: Page, name: string): Promise<void>;
  /** Closes the browser, the server and the node; writes the axe findings to `reports/ui/<axeFile>`. */
  close(): Promise<void>;
}

/**
 * Starts a harness with wallets named `names` (10 ETH each; those in `elsewhere` start on chain 1, to be
 * asked to switch). `axeFile` names the findings file under reports/ui.
 */
export async function startHarness<W extends string>(opts: {
  id: string;
  names: readonly W[];
  elsewhere?: readonly W[];
  axeFile: string;
}): Promise<Harness<W>> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const started = Date.now();
  const chain = await startChain({ deploymentId: `${opts.id}-${process.pid}` });
  try {
    return await withChain(chain, opts, started);
  } catch (e) {
    await chain.stop();
    throw e;
  }
}

async function withChain<W extends string>(
  chain: LocalChain,
  opts: { id: string; names: readonly W[]; elsewhere?: readonly W[]; axeFile: string },
  started: number,
): Promise<Harness<W>> {
  const deployment = JSON.parse(
    fs.readFileSync(path.join(chain.deploymentsDir, `${LOCAL_CHAIN_ID}.json`), "utf8"),
  ) as { contracts: Record<string, Address> };
  const viemChain = defineChain({
    id: LOCAL_CHAIN_ID,
    name: "Hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [chain.url] } },
  });
  const publicClient = () =>
    createPublicClient({ chain: viemChain, transport: http(chain.url) }) as PublicClient<Transport, Chain>;
  const wallets = {} as Record<W, TestWallet>;
  for (const name of opts.names) {
    wallets[name] = new TestWallet(
      name,
      keyOf(name),
      chain.url,
      opts.elsewhere?.includes(name) ? 1 : LOCAL_CHAIN_ID,
    );
  }
  // ETH for gas from the node's first account, signed here like any wallet.
  const funder = createWalletClient({
    account: privateKeyToAccount(FUNDED_ACCOUNT.privateKey),
    chain: viemChain,
    transport: http(chain.url),
  });
  for (const w of Object.values(wallets) as TestWallet[]) {
    const hash = await funder.sendTransaction({ to: w.address, value: parseEther("10") });
    await publicClient().waitForTransactionReceipt({ hash });
  }
  // Playwright gives every launch a fresh, empty profile (its own --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", ...CHROMIUM_FLAGS],
  });
  const site = await serveDist({ deploymentsDir: chain.deploymentsDir, rpcUrl: chain.url }).catch(
    async (e: unknown) => {
      await browser.close();
      throw e;
    },
  );
  const contexts: BrowserContext[] = [];
  const axeResults: AxeFindings = {};

  const h: Harness<W> = {
    chain,
    site,
    browser,
    contracts: deployment.contracts,
    wallets,
    axeResults,
    publicClient,
    walletClient: (wallet) =>
      createWalletClient({
        account: privateKeyToAccount(keyOf(wallet.name)),
        chain: viemChain,
        transport: http(chain.url),
      }),
    async warp(seconds) {
      await rpc(chain.url, "evm_increaseTime", [seconds]);
      await rpc(chain.url, "evm_mine", []);
    },
    async openAs(wallet, hash = "#/", viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`[${wallet.name}] page error: ${e.message}`));
      await wallet.install(page);
      await page.goto(site.url + hash);
      return page;
    },
    async connect(page, wallet) {
      await page.getByRole("button", { name: "Connect wallet" }).click();
      await page.getByRole("button", { name: `Test Wallet (${wallet.name})` }).click();
      await expect.poll(() => page.getByTestId("account").textContent()).toBe(shortAddress(wallet.address));
    },
    async go(page, hash, heading) {
      await page.evaluate((x) => (window.location.hash = x), hash);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    },
    async waitStatus(page, testId, text, timeout = 60_000) {
      const loc = page.getByTestId(testId).first();
      await expect
        .poll(async () => (await loc.textContent()) ?? "", { timeout, interval: 250 })
        .toMatch(new RegExp(`${text}|Failed`));
      const got = (await loc.textContent()) ?? "";
      if (!got.includes(text)) throw new Error(`${testId}: expected "${text}", got "${got}"`);
      return got;
    },
    async shot(page, name) {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    },
    async axe(page, name) {
      const result = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      axeResults[name] = result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
      }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        bad.map(
          (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
        ),
        `axe on ${name}`,
      ).toEqual([]);
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await site.close();
      await chain.stop();
      if (Object.keys(axeResults).length > 0)
        fs.writeFileSync(path.join(SHOTS, opts.axeFile), JSON.stringify(axeResults, null, 2) + "\n");
      console.log(`e2e (${opts.id}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
  return h;
}
