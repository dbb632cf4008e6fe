// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {CapitalPool} from "../../contracts/rewards/CapitalPool.sol";
import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {TetradGovernor} from "../../contracts/governance/TetradGovernor.sol";
import {TetradTimelock} from "../../contracts/governance/TetradTimelock.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {ReentrantToken} from "../../contracts/mocks/ReentrantToken.sol";
import {Core, Dao, TetradTest} from "../utils/TetradTest.sol";

/*//////////////////////////////////////////////////////////////
                 ATTACKERS AND TARGETS (test-only)
//////////////////////////////////////////////////////////////*/

/// @notice A staker contract that re-enters through a hook token's transfer callback (ERC-777 style):
/// the token calls one of the `re*` functions mid-transfer, which calls the pool again as the staker.
contract HookAttacker {
    ReentrantToken public immutable hook;

    constructor(ReentrantToken hook_) {
        hook = hook_;
    }

    function approve(address spender) external {
        hook.approve(spender, type(uint256).max);
    }

    function deposit(CapitalPool pool, uint256 amount) external {
        pool.deposit(amount);
    }

    function withdraw(CapitalPool pool, uint256 amount) external {
        pool.withdraw(amount);
    }

    function claim(CapitalPool pool) external {
        pool.claim();
    }

    function naiveDeposit(NaiveBalanceDeltaPool pool, uint256 amount) external {
        pool.deposit(amount);
    }

    function naiveWithdraw(NaiveBalanceDeltaPool pool, uint256 amount) external {
        pool.withdraw(amount);
    }

    function register(Subnet subnet) external {
        subnet.register("attacker");
    }

    function deregister(Subnet subnet) external {
        subnet.deregister();
    }

    // ----- called by the hook token in the middle of a transfer -----

    function reDeposit(address pool, uint256 amount) external {
        CapitalPool(pool).deposit(amount);
    }

    function reWithdraw(address pool, uint256 amount) external {
        CapitalPool(pool).withdraw(amount);
    }

    function reClaim(address pool) external {
        CapitalPool(pool).claim();
    }

    function reNaiveDeposit(address pool, uint256 amount) external {
        NaiveBalanceDeltaPool(pool).deposit(amount);
    }

    function reSubnet(address subnet, bytes calldata data) external {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = subnet.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}

/// @notice The counterfactual of ADV-05: CapitalPool's balance-delta intake without `nonReentrant`.
contract NaiveBalanceDeltaPool {
    IERC20 public immutable token;
    mapping(address => uint256) public balanceOf;

    constructor(IERC20 token_) {
        token = token_;
    }

    function deposit(uint256 amount) external {
        uint256 before = token.balanceOf(address(this));
        token.transferFrom(msg.sender, address(this), amount);
        balanceOf[msg.sender] += token.balanceOf(address(this)) - before;
    }

    function withdraw(uint256 amount) external {
        balanceOf[msg.sender] -= amount;
        token.transfer(msg.sender, amount);
    }
}

/// @notice A lender of TTD for one transaction (the Beanstalk attack's first step).
contract FlashLender {
    IERC20 public immutable token;

    constructor(IERC20 token_) {
        token = token_;
    }

    function flashLoan(uint256 amount, FlashVoter to, bytes calldata data) external {
        uint256 before = token.balanceOf(address(this));
        token.transfer(address(to), amount);
        to.onFlashLoan(amount, data);
        require(token.balanceOf(address(this)) >= before, "FlashLender: not repaid");
    }
}

/// @notice Borrows TTD, delegates to itself, votes on a live proposal and tries to propose, repays: all
/// in one transaction.
contract FlashVoter {
    Tetrad public immutable token;
    TetradGovernor public immutable governor;
    FlashLender public immutable lender;
    uint256 public votesDuringLoan;
    uint256 public weight;
    bool public voted;
    bytes public proposeError;

    constructor(Tetrad token_, TetradGovernor governor_, FlashLender lender_) {
        token = token_;
        governor = governor_;
        lender = lender_;
    }

    function attack(uint256 proposalId, uint256 amount) external {
        lender.flashLoan(amount, this, abi.encode(proposalId));
    }

    function onFlashLoan(uint256 amount, bytes calldata data) external {
        require(msg.sender == address(lender), "FlashVoter: not the lender");
        uint256 proposalId = abi.decode(data, (uint256));
        token.delegate(address(this));
        votesDuringLoan = token.getVotes(address(this));
        if (proposalId != 0) {
            weight = governor.castVote(proposalId, 0); // Against
            voted = true;
        }
        address[] memory targets = new address[](1);
        targets[0] = address(token);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(IERC20.transfer, (address(this), 1));
        try governor.propose(targets, values, calldatas, "flash-loaned proposal") {
            proposeError = "";
        } catch (bytes memory err) {
            proposeError = err;
        }
        token.transfer(address(lender), amount);
    }
}

/*//////////////////////////////////////////////////////////////
                              CATALOGUE
//////////////////////////////////////////////////////////////*/

/// @notice The adversarial catalogue (issue 7), forge half: the attacks that need an attacker contract,
/// signatures or another chain id. Table and numbers: reports/adversarial.md; the Hardhat half is
/// test/security/Adversarial.test.ts.
contract AdversarialTest is TetradTest {
    uint256 internal constant ALICE_PK = 0xA11CE;
    uint256 internal constant BOB_PK = 0xB0B;
    uint256 internal constant CAROL_PK = 0xCA201;
    uint256 internal constant DAVE_PK = 0xDA7E;
    uint256 internal constant OTHER_CHAIN = 1;

    bytes32 internal constant BALLOT_TYPEHASH = keccak256(
        "Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)"
    );

    Core internal c;
    TetradGovernor internal governor;
    TetradTimelock internal timelock;
    FlashLender internal lender;
    address internal alice;
    address internal bob;
    address internal carol;
    address internal dave;
    address internal constant MALLORY = address(0x3A110);
    uint256 internal chain;

    /// @dev The core economy after 60 days of emission, the DAO in charge: alice (100,000 TTD) and bob
    /// (50,000) vote, carol (10,000) has not delegated, a lender holds 150,000 undelegated TTD.
    function setUp() public {
        chain = block.chainid;
        c = deployCore(new MockStakeToken("Stake", "STK"), 0);
        Dao memory dao = deployGovernance(c);
        (governor, timelock) = (dao.governor, dao.timelock);

        vm.warp(block.timestamp + 60 days);
        c.controller.distribute();
        alice = vm.addr(ALICE_PK);
        bob = vm.addr(BOB_PK);
        carol = vm.addr(CAROL_PK);
        dave = vm.addr(DAVE_PK);
        lender = new FlashLender(c.token);
        c.buckets[0].release(c.token, alice, 100_000 ether);
        c.buckets[1].release(c.token, bob, 50_000 ether);
        c.buckets[1].release(c.token, carol, 10_000 ether);
        c.buckets[2].release(c.token, address(lender), 150_000 ether);
        vm.prank(alice);
        c.token.delegate(alice);
        vm.prank(bob);
        c.token.delegate(bob);
        handOver(c, dao);
        // Past the Governor's vote lookback: alice's and bob's delegations count when they propose.
        vm.warp(block.timestamp + governor.voteLookback() + 1);
    }

    /*//////////////////////////////////////////////////////////////
              ADV-05 reentrancy through a token with hooks
    //////////////////////////////////////////////////////////////*/

    /// @notice ADV-05 reentrancy through a transfer hook (ERC-777 style: Lendf.Me, imBTC/Uniswap): a
    /// staker contract re-enters deposit, withdraw, claim and the subnet's exits from the hook; every
    /// attempt reverts with ReentrancyGuardReentrantCall and leaves the books as they were. The same
    /// deposit-in-deposit attack on a copy of the balance-delta intake without the guard credits
    /// a + 2b for a + b paid and steals b.
    function test_ADV05_reentrancyThroughHookToken() public {
        ReentrantToken hook = new ReentrantToken();
        MockStakeToken reward = new MockStakeToken("Reward", "RWD");
        TetradAccessManager manager = new TetradAccessManager(address(this));
        CapitalPool pool = new CapitalPool(address(manager), hook, reward, 7 days, 0, 0);
        HookAttacker attacker = new HookAttacker(hook);
        attacker.approve(address(pool));
        hook.mint(address(attacker), 1_000 ether);
        uint256 a = 100 ether;
        uint256 b = 40 ether;
        bytes4 guard = ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector;

        // deposit -> deposit: the inner deposit would be counted twice by the outer balance delta.
        hook.arm(address(attacker), abi.encodeCall(HookAttacker.reDeposit, (address(pool), b)));
        vm.expectRevert(guard);
        attacker.deposit(pool, a);
        assertEq(pool.balanceOf(address(attacker)), 0, "deposit-in-deposit credited nothing");
        assertEq(hook.balanceOf(address(pool)), 0);

        // withdraw -> withdraw and withdraw -> deposit, from a stake placed with the hook disarmed.
        hook.arm(address(0), "");
        attacker.deposit(pool, a);
        hook.arm(address(attacker), abi.encodeCall(HookAttacker.reWithdraw, (address(pool), a)));
        vm.expectRevert(guard);
        attacker.withdraw(pool, a);
        hook.arm(address(attacker), abi.encodeCall(HookAttacker.reDeposit, (address(pool), b)));
        vm.expectRevert(guard);
        attacker.withdraw(pool, a);
        assertEq(pool.balanceOf(address(attacker)), a, "stake intact");
        assertEq(hook.balanceOf(address(pool)), a);

        // claim -> claim, through a reward token with a hook.
        CapitalPool paying = new CapitalPool(address(manager), reward, hook, 7 days, 0, 0);
        reward.mint(address(this), 10 ether);
        reward.approve(address(paying), type(uint256).max);
        hook.arm(address(0), "");
        hook.mint(address(paying), 7 days * 1e12);
        paying.deposit(10 ether);
        paying.notifyRewards();
        vm.warp(block.timestamp + 1 days);
        hook.arm(address(this), abi.encodeCall(this.reenterClaim, (paying)));
        vm.expectRevert(guard);
        paying.claim();
        hook.arm(address(0), "");
        assertEq(paying.claim(), 1 days * 1e12, "the claim pays once, after the failed re-entry");

        // The subnet's exits: deregister -> register/claim during the bond refund.
        ContributionBucket bucket = new ContributionBucket(address(manager), hook);
        Subnet subnet = new Subnet(
            address(manager),
            hook,
            bucket,
            address(new Treasury(address(manager))),
            address(this),
            "",
            defaultSubnetParams(),
            _weights()
        );
        // The hook token has no burn: this scenario is about the bond refund, not the registration fee.
        subnet.setRegistrationPricing(ISubnet.RegistrationPricing(0, 0, 1 days, 1, 0));
        attacker.approve(address(subnet));
        attacker.register(subnet);
        uint256 bondsBefore = subnet.totalBonds();
        hook.arm(
            address(attacker),
            abi.encodeCall(
                HookAttacker.reSubnet,
                (address(subnet), abi.encodeCall(ISubnet.register, ("again")))
            )
        );
        vm.expectRevert(guard);
        attacker.deregister(subnet);
        hook.arm(
            address(attacker),
            abi.encodeCall(HookAttacker.reSubnet, (address(subnet), abi.encodeCall(ISubnet.claim, ())))
        );
        vm.expectRevert(guard);
        attacker.deregister(subnet);
        assertEq(subnet.totalBonds(), bondsBefore, "bond still held");
        assertEq(subnet.contributorSlot(address(attacker)), 0);

        // Counterfactual: the same deposit-in-deposit against balance-delta intake without the guard.
        NaiveBalanceDeltaPool naive = new NaiveBalanceDeltaPool(hook);
        hook.arm(address(0), "");
        hook.mint(address(this), 1_000 ether);
        hook.approve(address(naive), type(uint256).max);
        naive.deposit(500 ether); // an honest staker
        attacker.approve(address(naive));
        uint256 held = hook.balanceOf(address(attacker));
        hook.arm(address(attacker), abi.encodeCall(HookAttacker.reNaiveDeposit, (address(naive), b)));
        attacker.naiveDeposit(naive, a);
        hook.arm(address(0), "");
        assertEq(naive.balanceOf(address(attacker)), a + 2 * b, "without the guard: credited a + 2b");
        attacker.naiveWithdraw(naive, a + 2 * b);
        assertEq(hook.balanceOf(address(attacker)), held + b, "and b stolen from the honest staker");
        assertEq(hook.balanceOf(address(naive)), 500 ether - b);
    }

    /// @dev The hook's re-entry into `claim` as this test contract (the staker of `paying`).
    function reenterClaim(CapitalPool pool) external {
        pool.claim();
    }

    /*//////////////////////////////////////////////////////////////
                      ADV-06 signature replay
    //////////////////////////////////////////////////////////////*/

    /// @notice ADV-06 signature replay (cross-chain replay after a fork, e.g. ETHW; reused nonces; stale
    /// deadlines): permit, delegateBySig and castVoteBySig refuse a signature made for another chain id,
    /// a signature of this chain replayed on a fork, a second use of a nonce and a past deadline or
    /// expiry, each with its exact error; the legitimate use goes through exactly once.
    function test_ADV06_signatureReplay() public {
        _permitReplay();
        _delegationReplay();
        _ballotReplay();
    }

    /// @dev EIP-2612 permit: other chain, fork replay, the legitimate use, nonce reuse, past deadline.
    function _permitReplay() internal {
        Tetrad token = c.token;
        address spender = address(0x5BE7);
        uint256 deadline = block.timestamp + 1 days;
        assertEq(_tokenDomain(chain), token.DOMAIN_SEPARATOR(), "domain recomputed");
        bytes32 here = permitDigest(_tokenDomain(chain), bob, spender, 1 ether, 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            BOB_PK,
            permitDigest(_tokenDomain(OTHER_CHAIN), bob, spender, 1 ether, 0, deadline)
        );
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(here, v, r, s), bob)
        );
        token.permit(bob, spender, 1 ether, deadline, v, r, s);

        (v, r, s) = vm.sign(BOB_PK, here);
        vm.chainId(OTHER_CHAIN); // a fork of this chain: same contracts, same state, another chain id
        bytes32 onFork = permitDigest(_tokenDomain(OTHER_CHAIN), bob, spender, 1 ether, 0, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(onFork, v, r, s), bob)
        );
        token.permit(bob, spender, 1 ether, deadline, v, r, s);
        vm.chainId(chain);

        token.permit(bob, spender, 1 ether, deadline, v, r, s);
        assertEq(token.allowance(bob, spender), 1 ether);
        bytes32 reused = permitDigest(_tokenDomain(chain), bob, spender, 1 ether, 1, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(reused, v, r, s), bob)
        );
        token.permit(bob, spender, 1 ether, deadline, v, r, s);

        (v, r, s) = vm.sign(BOB_PK, permitDigest(_tokenDomain(chain), bob, spender, 5 ether, 1, deadline));
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(bob, spender, 5 ether, deadline, v, r, s);
        assertEq(token.allowance(bob, spender), 1 ether, "only the legitimate permit took effect");
        assertEq(token.nonces(bob), 1);
    }

    /// @dev ERC20Votes delegateBySig: other chain, fork replay, the legitimate use, nonce reuse, expiry.
    function _delegationReplay() internal {
        Tetrad token = c.token;
        uint256 expiry = block.timestamp + 1 days;
        uint256 nonce = token.nonces(carol); // 0
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            CAROL_PK,
            delegationDigest(_tokenDomain(OTHER_CHAIN), carol, nonce, expiry)
        );
        address stranger = ecrecover(delegationDigest(_tokenDomain(chain), carol, nonce, expiry), v, r, s);
        // Another chain's signature recovers a stranger here. With nonce 0 it "delegates" the stranger's
        // empty balance: carol's delegation and everyone's votes are untouched.
        token.delegateBySig(carol, nonce, expiry, v, r, s);
        assertEq(token.delegates(carol), address(0), "carol's delegation untouched");
        assertEq(token.delegates(stranger), carol);
        assertEq(token.getVotes(carol), 0, "no votes moved");

        (v, r, s) = vm.sign(CAROL_PK, delegationDigest(_tokenDomain(chain), carol, nonce, expiry));
        vm.chainId(OTHER_CHAIN);
        // The fork recovers another stranger: at most the same empty delegation, never carol's.
        token.delegateBySig(carol, nonce, expiry, v, r, s);
        assertEq(token.delegates(carol), address(0), "fork: carol's delegation untouched");
        vm.chainId(chain);
        token.delegateBySig(carol, nonce, expiry, v, r, s);
        assertEq(token.delegates(carol), carol);
        assertEq(token.getVotes(carol), 10_000 ether);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, carol, nonce + 1));
        token.delegateBySig(carol, nonce, expiry, v, r, s);

        (v, r, s) = vm.sign(
            CAROL_PK,
            delegationDigest(_tokenDomain(chain), dave, nonce + 1, block.timestamp - 1)
        );
        vm.expectRevert(abi.encodeWithSelector(IVotes.VotesExpiredSignature.selector, block.timestamp - 1));
        token.delegateBySig(dave, nonce + 1, block.timestamp - 1, v, r, s);
        assertEq(token.delegates(carol), carol, "only the legitimate delegation took effect");
    }

    /// @dev Governor castVoteBySig: other chain, fork replay, a flipped support, the legitimate use,
    /// reuse, a ballot after the voting period.
    function _ballotReplay() internal {
        (uint256 id, , , ) = _proposeShares(alice, "ADV-06");
        vm.warp(governor.proposalSnapshot(id) + 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(BOB_PK, _ballotDigest(id, 1, bob, 0, OTHER_CHAIN));
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, bob));
        governor.castVoteBySig(id, 1, bob, abi.encodePacked(r, s, v));

        (v, r, s) = vm.sign(BOB_PK, _ballotDigest(id, 1, bob, governor.nonces(bob), chain));
        bytes memory sig = abi.encodePacked(r, s, v);
        vm.chainId(OTHER_CHAIN);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, bob));
        governor.castVoteBySig(id, 1, bob, sig);
        vm.chainId(chain);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, bob));
        governor.castVoteBySig(id, 0, bob, sig); // a relayer cannot flip For into Against
        assertEq(governor.castVoteBySig(id, 1, bob, sig), 50_000 ether);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, bob));
        governor.castVoteBySig(id, 1, bob, sig);

        // After the voting period a fresh, valid ballot is refused.
        (v, r, s) = vm.sign(ALICE_PK, _ballotDigest(id, 0, alice, governor.nonces(alice), chain));
        vm.warp(governor.proposalDeadline(id) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Succeeded,
                bytes32(uint256(1) << uint8(IGovernor.ProposalState.Active))
            )
        );
        governor.castVoteBySig(id, 0, alice, abi.encodePacked(r, s, v));
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
        assertEq(against, 0);
        assertEq(forVotes, 50_000 ether, "bob's one vote");
        assertEq(abstain, 0);
    }

    /*//////////////////////////////////////////////////////////////
                ADV-07 votes from tokens borrowed after the snapshot
    //////////////////////////////////////////////////////////////*/

    /// @notice ADV-07 flash-loaned votes (Beanstalk, April 2022: flash loan, vote and execute in one
    /// transaction): 150,000 TTD borrowed, delegated and voted within one transaction weigh 0, cannot
    /// propose, and leave 0 votes at the snapshot even when borrowed in the snapshot's own second; tokens
    /// borrowed after the snapshot and held for a day weigh 0 too. The boundary: tokens held across the
    /// snapshot second (a loan over two blocks, not a flash loan) do count.
    function test_ADV07_flashLoanedVotes() public {
        (uint256 id, , , ) = _proposeShares(alice, "ADV-07");
        uint256 snapshot = governor.proposalSnapshot(id);
        uint256 loan = c.token.balanceOf(address(lender));
        assertEq(loan, 150_000 ether);

        // In the snapshot's own second: borrow, delegate, repay. The checkpoint ends the second at 0.
        FlashVoter early = new FlashVoter(c.token, governor, lender);
        vm.warp(snapshot);
        early.attack(0, loan);
        assertEq(early.votesDuringLoan(), loan, "the loan carries votes while it lasts");

        vm.warp(snapshot + 1);
        assertEq(c.token.getPastVotes(address(early), snapshot), 0, "nothing at the snapshot");
        uint256 threshold = governor.proposalThreshold();
        FlashVoter voter = new FlashVoter(c.token, governor, lender);
        voter.attack(id, loan);
        assertEq(voter.votesDuringLoan(), loan);
        assertTrue(voter.voted());
        assertEq(voter.weight(), 0, "flash-loaned vote weighs 0");
        assertEq(
            voter.proposeError(),
            abi.encodeWithSelector(
                IGovernor.GovernorInsufficientProposerVotes.selector,
                address(voter),
                0,
                threshold
            ),
            "a flash loan cannot reach the proposal threshold"
        );
        assertEq(c.token.balanceOf(address(lender)), loan, "repaid");

        // Borrowed after the snapshot and held for a day: still 0.
        vm.prank(address(lender));
        c.token.transfer(MALLORY, loan);
        vm.prank(MALLORY);
        c.token.delegate(MALLORY);
        vm.warp(block.timestamp + 1 days);
        assertEq(c.token.getVotes(MALLORY), loan);
        vm.prank(MALLORY);
        assertEq(governor.castVote(id, 0), 0, "borrowed after the snapshot weighs 0");
        (uint256 against, , ) = governor.proposalVotes(id);
        assertEq(against, 0);

        // Nothing was counted against it: alice's proposal passes on her own votes.
        vm.prank(alice);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded));

        // The boundary: a loan held across the snapshot second counts (it costs more than one block).
        vm.prank(MALLORY);
        c.token.transfer(carol, loan);
        vm.prank(carol);
        c.token.delegate(carol);
        (uint256 id2, , , ) = _proposeShares(alice, "ADV-07 boundary");
        vm.warp(governor.proposalSnapshot(id2) + 1);
        assertEq(governor.getVotes(carol, governor.proposalSnapshot(id2)), 10_000 ether + loan);
    }

    /*//////////////////////////////////////////////////////////////
            ADV-08 proposal target whose code changes after the vote
    //////////////////////////////////////////////////////////////*/

    /// @notice ADV-08b Tetrad's own proposal targets cannot change their code (the metamorphic attack
    /// itself, ADV-08a, runs on real transactions in Adversarial.test.ts): no deployed contract has a
    /// CALLCODE or SELFDESTRUCT instruction or an EIP-1967 implementation, admin or beacon slot (no
    /// proxy, no upgrade path), and the only DELEGATECALL is the AccessManager's one, OpenZeppelin's
    /// Multicall into the manager itself, which keeps the caller's permissions.
    function test_ADV08b_tetradTargetsAreImmutable() public {
        ContributionBucket bucket = new ContributionBucket(address(c.manager), c.token);
        Subnet subnet = new Subnet(
            address(c.manager),
            c.token,
            bucket,
            address(c.buckets[4]),
            address(this),
            "",
            defaultSubnetParams(),
            _weights()
        );
        address[10] memory targets = [
            address(c.token),
            address(c.controller),
            address(c.pool),
            address(c.buckets[4]),
            address(c.manager),
            address(governor),
            address(timelock),
            address(bucket),
            address(subnet),
            subnet.extension()
        ];
        bytes32[3] memory slots = [
            bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1),
            bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1),
            bytes32(uint256(keccak256("eip1967.proxy.beacon")) - 1)
        ];
        for (uint256 i; i < targets.length; ++i) {
            bytes memory code = targets[i].code;
            assertGt(code.length, 0);
            (uint256 delegatecalls, uint256 callcodes, uint256 selfdestructs) = _scan(code);
            // Multicall's self-delegatecall; the subnet's one delegatecall, to its extension (an immutable
            // set by its constructor, which itself delegates nowhere).
            uint256 allowed = targets[i] == address(c.manager) || targets[i] == address(subnet) ? 1 : 0;
            assertEq(delegatecalls, allowed, "DELEGATECALL");
            assertEq(callcodes, 0, "CALLCODE");
            assertEq(selfdestructs, 0, "SELFDESTRUCT");
            for (uint256 k; k < 3; ++k) assertEq(vm.load(targets[i], slots[k]), bytes32(0), "EIP-1967 slot");
        }
        // The manager's multicall runs its own functions with the caller's permissions: no bypass.
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(IAccessManager.grantRole, (0, MALLORY, 0));
        vm.prank(MALLORY);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessManager.AccessManagerUnauthorizedAccount.selector, MALLORY, 0)
        );
        c.manager.multicall(calls);
        // The scanner does see the instructions.
        (, , uint256 found) = _scan(hex"33ff"); // CALLER SELFDESTRUCT
        assertEq(found, 1, "scanner finds SELFDESTRUCT");
        (found, , ) = _scan(hex"600060006000600060006000f400");
        assertEq(found, 1, "scanner finds DELEGATECALL");
    }

    /*//////////////////////////////////////////////////////////////
                               HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Walks the instructions of runtime `code` (PUSH data skipped, Solidity's CBOR metadata cut).
    function _scan(
        bytes memory code
    ) internal pure returns (uint256 delegatecalls, uint256 callcodes, uint256 selfdestructs) {
        uint256 end = code.length;
        if (end >= 2) {
            uint256 meta = (uint256(uint8(code[end - 2])) << 8) | uint8(code[end - 1]);
            if (meta + 2 <= end && meta > 0 && uint8(code[end - 2 - meta]) == 0xa2) end -= meta + 2;
        }
        for (uint256 i; i < end; ++i) {
            uint8 op = uint8(code[i]);
            if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
            else if (op == 0xf4) ++delegatecalls;
            else if (op == 0xf2) ++callcodes;
            else if (op == 0xff) ++selfdestructs;
        }
    }

    /// @dev Proposes setShares with the current shares (harmless) as `proposer`.
    function _proposeShares(
        address proposer,
        string memory description
    )
        internal
        returns (uint256 id, address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        targets[0] = address(c.controller);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(EmissionController.setShares, (c.controller.shares()));
        vm.prank(proposer);
        id = governor.propose(targets, values, calldatas, description);
    }

    /// @dev The token's EIP-712 domain on chain `chainId`, recomputed from its fields.
    function _tokenDomain(uint256 chainId) internal view returns (bytes32) {
        return domainSeparator("Tetrad", "1", chainId, address(c.token));
    }

    function _ballotDigest(
        uint256 id,
        uint8 support,
        address voter,
        uint256 nonce,
        uint256 chainId
    ) internal view returns (bytes32) {
        return
            typedDigest(
                domainSeparator("Tetrad Governor", "1", chainId, address(governor)),
                keccak256(abi.encode(BALLOT_TYPEHASH, id, support, voter, nonce))
            );
    }

    function _weights() internal pure returns (uint16[] memory w) {
        w = new uint16[](4);
        w[0] = 3_000;
        w[1] = 2_500;
        w[2] = 2_500;
        w[3] = 2_000;
    }
}
