/**
 * The app end to end: headless Chromium (Debian's) drives the production build against `hardhat node`
 * with the whole system deployed by the deploy module. Wallets are injected EIP-1193 providers announced
 * by EIP-6963 whose keys stay in this process (./wallet.ts). Only the clock (evm_increaseTime) and a
 * little setup (ETH from the node's first account, a TTD transfer between two test wallets) bypass the UI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWalletClient, erc20Abi, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { capitalPoolAbi, emissionControllerAbi, governorAbi, tetradAbi } from "../src/generated/abis";
import { formatAmount } from "../src/lib/format";
import { rpc } from "../scripts/chain";
import { DAY, keyOf, startHarness, type Harness } from "./harness";
import { LOCAL_CHAIN_ID } from "./wallet";
import type { Page } from "playwright-core";

describe("Tetrad app end to end", () => {
  let h: Harness<"alice" | "bob" | "carol" | "dave">;
  const publicClient = () => h.publicClient();
  const warp = (seconds: number) => h.warp(seconds);
  const openAs: Harness<string>["openAs"] = (...args) => h.openAs(...args);
  const connect: Harness<string>["connect"] = (...args) => h.connect(...args);
  const go: Harness<string>["go"] = (...args) => h.go(...args);
  const waitStatus: Harness<string>["waitStatus"] = (...args) => h.waitStatus(...args);
  const shot: Harness<string>["shot"] = (...args) => h.shot(...args);
  const axe: Harness<string>["axe"] = (...args) => h.axe(...args);

  const alice = () => h.wallets.alice;
  let contracts: Harness<string>["contracts"];
  let wallets: Harness<"alice" | "bob" | "carol" | "dave">["wallets"];
  let chain: Harness<string>["chain"];
  let pageA: Page;

  beforeAll(async () => {
    // Dave's wallet starts on another network (chain 1): the app asks it to switch.
    h = await startHarness({
      id: "app-e2e",
      names: ["alice", "bob", "carol", "dave"],
      elsewhere: ["dave"],
      axeFile: "axe.json",
    });
    ({ contracts, wallets, chain } = h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("reads the protocol without a wallet and connects one found by EIP-6963", async () => {
    pageA = await openAs(alice());
    await expect.poll(() => pageA.getByTestId("today").textContent()).toContain("14,400 TTD");
    await expect.poll(() => pageA.getByTestId("share-capital").textContent()).toBe("24%");
    await connect(pageA, alice());
    expect(await pageA.getByTestId("network").textContent()).toBe("Hardhat (local)");
  });

  it("deposits with one permit signature; time passes; anyone distributes; the claim shown equals the chain's", async () => {
    const a = alice();
    await go(pageA, "#/capital", "Capital");
    await pageA.getByRole("button", { name: /Get 1,000 test/ }).click();
    await waitStatus(pageA, "faucet-status", "Faucet: Confirmed");
    await pageA.getByLabel(/Amount to deposit/).fill("100");
    await pageA.getByRole("button", { name: "Sign permit and deposit" }).click();
    await waitStatus(pageA, "deposit-status", "Deposit: Confirmed");
    expect(a.log).toContain("eth_signTypedData_v4");
    const c = publicClient();
    expect(
      await c.readContract({
        address: contracts.CapitalPool!,
        abi: capitalPoolAbi,
        functionName: "balanceOf",
        args: [a.address],
      }),
    ).toBe(parseEther("100"));
    expect(
      await c.readContract({
        address: contracts.StakingToken!,
        abi: erc20Abi,
        functionName: "allowance",
        args: [a.address, contracts.CapitalPool!],
      }),
    ).toBe(0n);
    await expect.poll(() => pageA.getByTestId("staked").textContent()).toMatch(/^100 /);

    await warp(DAY);
    await go(pageA, "#/", "Overview");
    await pageA.getByRole("button", { name: "Distribute" }).click();
    await waitStatus(pageA, "distribute-status", "Distribute: Confirmed");
    await warp(8 * DAY); // the 7-day stream runs out
    await go(pageA, "#/capital", "Capital");
    await expect
      .poll(() => pageA.getByTestId("pending-rewards").textContent(), { timeout: 15_000 })
      .not.toMatch(/^0 TTD/);
    await pageA.getByRole("button", { name: "Claim rewards" }).click();
    await waitStatus(pageA, "claim-status", "Claim: Confirmed");
    const balance = await c.readContract({
      address: contracts.Tetrad!,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [a.address],
    });
    expect(balance).toBeGreaterThan(parseEther("3000"));
    await expect
      .poll(() => pageA.getByTestId("ttd-balance").textContent(), { timeout: 15_000 })
      .toBe(formatAmount(balance, "TTD", 18, 6));
  });

  it("finalizes the closed round, then registers as a contributor (bond approved, then register)", async () => {
    await go(pageA, "#/contribute", "Contribute");
    // Nine days passed: the code subnet's round awaits finalization, which anyone may do.
    await pageA.getByRole("button", { name: /^Finalize round \d+ of the Code subnet$/ }).click();
    await waitStatus(pageA, "finalize-status-code", "Confirmed");
    await pageA.getByLabel(/Link to your work/).fill("https://example.org/alice-agent");
    await pageA.getByRole("button", { name: "Approve bond and register" }).click();
    await waitStatus(pageA, "register-status", "Register: Confirmed");
    await expect
      .poll(() => pageA.getByTestId("my-registrations").textContent())
      .toContain("Code subnet: registered (slot 0)");
  });

  it("stakes as a validator (approve, then stake) and holds a permit", async () => {
    await go(pageA, "#/validate", "Validate");
    await expect
      .poll(() => pageA.getByTestId("permit").textContent())
      .toContain("none: stake at least 100 TTD");
    await pageA.getByLabel(/Amount to stake/).fill("150");
    await pageA.getByRole("button", { name: "Stake", exact: true }).click();
    await waitStatus(pageA, "stake-status", "Stake: Confirmed");
    await expect.poll(() => pageA.getByTestId("permit").textContent()).toBe("held (slot 0)");
    expect(await pageA.getByTestId("validator-stake").textContent()).toBe("150 TTD");
    expect(await pageA.getByTestId("commit-status").textContent()).toBe("not committed");
    expect(await pageA.getByTestId("sheet-standing").textContent()).toBe("none revealed yet");
    expect(await pageA.getByTestId("strikes").textContent()).toMatch(
      /^0 of 3 \(struck under 50\.0% agreement/,
    );
  });

  it("delegates by signature (EIP-712), then submits the signature", async () => {
    const a = alice();
    await go(pageA, "#/govern", "Govern");
    await pageA.getByRole("button", { name: "Delegate by signature" }).click();
    await waitStatus(pageA, "delegate-sig-status", "Delegation signature: Signed");
    await pageA.getByRole("button", { name: "Submit this signature now" }).click();
    await waitStatus(pageA, "relay-status", "Submit signed delegation: Confirmed");
    const c = publicClient();
    const [votes, balance] = await Promise.all([
      c.readContract({
        address: contracts.Tetrad!,
        abi: tetradAbi,
        functionName: "getVotes",
        args: [a.address],
      }),
      c.readContract({
        address: contracts.Tetrad!,
        abi: tetradAbi,
        functionName: "balanceOf",
        args: [a.address],
      }),
    ]);
    expect(votes).toBe(balance);
    await expect.poll(() => pageA.getByTestId("delegate").textContent()).toBe("yourself");
  });

  it("a revert is shown in plain words (registering without the TTD for the bond and the fee)", async () => {
    const carol = wallets.carol;
    const page = await openAs(carol, "#/contribute");
    await connect(page, carol);
    await page.getByRole("button", { name: "Approve bond and register" }).click();
    const status = await waitStatus(page, "register-status", "Register: Failed");
    // The bond (10 TTD) and the registration fee (1 TTD, burned).
    expect(status).toContain("insufficient balance: you have 0.0 TTD, need 11.0");
  });

  it("creates a proposal from typed actions, a second wallet votes by signature, it is queued, executed and Overview shows the new shares", async () => {
    const a = alice();
    const bob = wallets.bob;
    // Setup outside the UI: alice gives bob 1,000 TTD, bob delegates to himself (both sign locally).
    const c = publicClient();
    for (const [w, fn] of [
      [a, "transfer"],
      [bob, "delegate"],
    ] as const) {
      const client = createWalletClient({
        account: privateKeyToAccount(keyOf(w.name)),
        chain: c.chain,
        transport: http(chain.url),
      });
      const hash =
        fn === "transfer"
          ? await client.writeContract({
              address: contracts.Tetrad!,
              abi: tetradAbi,
              functionName: "transfer",
              args: [bob.address, parseEther("1000")],
            })
          : await client.writeContract({
              address: contracts.Tetrad!,
              abi: tetradAbi,
              functionName: "delegate",
              args: [bob.address],
            });
      await c.waitForTransactionReceipt({ hash });
    }
    // The Governor counts votes held for its one-day vote lookback before the proposal.
    await warp(DAY + 1);

    await go(pageA, "#/govern", "Govern");
    await pageA.getByLabel("Title").fill("Capital to 34%");
    await pageA
      .getByLabel(/Rationale/)
      .fill("More **liquidity**: capital gets 34% (a share moves at most 10 points in 30 days).");
    await pageA.getByRole("button", { name: "Add action" }).click();
    for (const [bucket, pct] of [
      ["code", "20"],
      ["community", "20"],
      ["compute", "22"],
      ["capital", "34"],
      ["protection", "4"],
    ]) {
      await pageA.getByLabel(`${bucket} (%)`).fill(pct);
    }
    await expect
      .poll(() => pageA.getByTestId("action-preview").textContent())
      .toContain(
        "Set the emission's bucket shares to code 20%, community 20%, compute 22%, capital 34%, protection 4%",
      );
    await shot(pageA, "govern-new-proposal");
    await pageA.getByRole("button", { name: "Submit proposal" }).click();
    await waitStatus(pageA, "propose-status", "Propose: Confirmed");
    await expect.poll(() => pageA.getByTestId("proposal-state").first().textContent()).toBe("Pending");

    /** A Governor setting (seconds) read from the chain. */
    const governorSetting = async (functionName: "votingDelay" | "votingPeriod") =>
      Number(await c.readContract({ address: contracts.TetradGovernor!, abi: governorAbi, functionName }));
    const votingDelay = await governorSetting("votingDelay");
    await warp(votingDelay + 1);

    // Bob signs his vote (no gas); alice's wallet submits it.
    const pageB = await openAs(bob, "#/govern");
    await connect(pageB, bob);
    await expect
      .poll(() => pageB.getByTestId("proposal-state").first().textContent(), { timeout: 15_000 })
      .toBe("Active");
    await pageB
      .getByLabel(/Reason/)
      .first()
      .fill("Liquidity first");
    await pageB.getByRole("button", { name: "Sign vote (gasless)" }).first().click();
    await waitStatus(pageB, "sign-vote-status", "Vote signature: Signed");
    const signed = await pageB.getByTestId("signed-output").inputValue();
    expect(JSON.parse(signed)).toMatchObject({ kind: "tetrad-vote", support: 1, voter: bob.address });
    expect(bob.log).not.toContain("eth_sendTransaction");

    await pageA.getByTestId("relay-input").fill(signed);
    await pageA.getByRole("button", { name: "Submit signature", exact: true }).click();
    await waitStatus(pageA, "relay-box-status", "Submit signature: Confirmed");
    await expect.poll(() => pageA.getByTestId("votes-for").first().textContent()).toContain("1,000 TTD");
    await shot(pageA, "govern-voting");

    const period = await governorSetting("votingPeriod");
    await warp(period + 1);
    await expect
      .poll(() => pageA.getByTestId("proposal-state").first().textContent(), { timeout: 15_000 })
      .toBe("Succeeded");
    await pageA.getByRole("button", { name: "Queue in the Timelock" }).click();
    await waitStatus(pageA, "lifecycle-status", "Queue: Confirmed");
    await expect.poll(() => pageA.getByTestId("proposal-state").first().textContent()).toBe("Queued");
    await warp(2 * DAY + 1);
    const execute = pageA.getByRole("button", { name: "Execute" });
    await expect.poll(() => execute.isEnabled(), { timeout: 15_000 }).toBe(true);
    await execute.click();
    await waitStatus(pageA, "lifecycle-status", "Execute: Confirmed");
    await expect.poll(() => pageA.getByTestId("proposal-state").first().textContent()).toBe("Executed");
    expect(
      (
        await c.readContract({
          address: contracts.EmissionController!,
          abi: emissionControllerAbi,
          functionName: "shares",
        })
      ).map(Number),
    ).toEqual([2000, 2000, 2200, 3400, 400]);

    await go(pageA, "#/", "Overview");
    await expect
      .poll(() => pageA.getByTestId("share-capital").textContent(), { timeout: 15_000 })
      .toBe("34%");
    await expect.poll(() => pageA.getByTestId("share-code").textContent()).toBe("20%");
  });

  it("a wallet on another network is asked to switch, and switches", async () => {
    const dave = wallets.dave;
    const page = await openAs(dave, "#/capital");
    await connect(page, dave);
    const button = page.getByTestId("switch-network");
    await expect.poll(() => button.textContent()).toBe("Wrong network: switch to Hardhat (local)");
    await expect.poll(() => page.getByText("Your wallet is on another network.").count()).toBe(1);
    await button.click();
    await expect.poll(() => page.getByTestId("network").textContent()).toBe("Hardhat (local)");
    expect(dave.chainId).toBe(LOCAL_CHAIN_ID);
  });

  it("the wallets signed everything themselves: none is one of the node's unlocked accounts", async () => {
    const unlocked = (await rpc<string[]>(chain.url, "eth_accounts")).map((x) => x.toLowerCase());
    for (const w of Object.values(wallets)) expect(unlocked).not.toContain(w.address.toLowerCase());
    expect(alice().log).toContain("eth_sendTransaction");
    expect(alice().log).toContain("eth_signTypedData_v4");
  });

  /** Every page: its hash, its screenshot name and its heading. */
  const PAGES = [
    ["#/", "overview", "Overview"],
    ["#/subnets", "subnets-genesis", "Subnets"],
    ["#/capital", "capital", "Capital"],
    ["#/contribute", "contribute", "Contribute"],
    ["#/validate", "validate", "Validate"],
    ["#/govern", "govern", "Govern"],
  ] as const;

  it("every page: a screenshot, and axe finds no serious or critical violation", async () => {
    for (const [hash, name, heading] of PAGES) {
      await go(pageA, hash, heading);
      await pageA.waitForTimeout(1_000);
      await shot(pageA, name);
      await axe(pageA, name);
    }
    // Phone-sized screen: every page fits its width.
    const phone = await openAs(wallets.dave, "#/", { width: 390, height: 844 });
    await phone.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await expect.poll(() => phone.getByTestId("today").textContent()).toContain("TTD");
    for (const [hash, name, heading] of PAGES) {
      await go(phone, hash, heading);
      await phone.waitForTimeout(800);
      if (name === "overview") await shot(phone, "overview-phone");
      await axe(phone, `${name}-phone`);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} is wider than a phone`).toBeLessThanOrEqual(0);
    }
  });
});
