// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {GovernorProposalGuardian} from "@openzeppelin/contracts/governance/extensions/GovernorProposalGuardian.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorStorage} from "@openzeppelin/contracts/governance/extensions/GovernorStorage.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {GovernancePath} from "../libraries/GovernancePath.sol";

/// @title TetradGovernor
/// @notice The DAO: TTD holders propose and vote (on the token's timestamp clock); passed proposals run
/// through the Timelock, which holds the AccessManager's admin role and so every protocol parameter.
/// OpenZeppelin 5 parts only, plus one setting: the proposal threshold as a share of the supply.
/// @dev Defenses: votes are read at the snapshot (`votingDelay` before voting opens), so tokens borrowed
/// or bought later carry no weight (Beanstalk); the Timelock's delay lets holders exit or the guardian
/// cancel a malicious proposal before it runs (Tornado Cash); a quorum reached late extends the vote
/// (Compound). The proposal guardian can only cancel, and only during its term (`GUARDIAN_TERM`).
/// A proposal's voting path (`votingDelay + votingPeriod + lateQuorumVoteExtension`) never exceeds
/// `GovernancePath.MAX_VOTING_PATH`, so a slash proposal can pass before a validator finishes unbonding.
contract TetradGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorStorage,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorPreventLateQuorum,
    GovernorProposalGuardian,
    GovernorTimelockControl
{
    /// @notice How long a proposal guardian keeps its power to cancel: a hostile or compromised guardian
    /// can veto proposals (its own revocation included) at most this long. Governance renews a guardian
    /// by setting it again.
    uint256 public constant GUARDIAN_TERM = 180 days;

    /// @notice Highest proposal threshold governance can set (10% of the supply).
    uint256 public constant MAX_PROPOSAL_THRESHOLD_BPS = 1_000;

    /// @notice Highest quorum governance can set (50% of the supply).
    uint256 public constant MAX_QUORUM_PERCENT = 50;

    /// @notice Shortest lookback governance can set: votes must be held at least a day before the snapshot.
    uint256 public constant MIN_VOTE_LOOKBACK = 1 days;

    /// @notice Longest lookback governance can set.
    uint256 public constant MAX_VOTE_LOOKBACK = 30 days;

    /// @notice Basis points of the total supply (at the last second) needed to propose.
    uint256 public proposalThresholdBps;

    /// @notice Voting power at a timepoint `t` is the lesser of the delegated votes at `t` and at
    /// `t - voteLookback`, so votes borrowed around a snapshot (a loan of a few blocks) weigh nothing.
    uint256 public voteLookback;

    /// @notice Least quorum in TTD (wei), whatever the supply: the bootstrap guard while most of the
    /// supply sits in the pool and the buckets and does not vote.
    uint256 public quorumFloor;

    /// @notice When the current proposal guardian's term ends.
    uint256 public guardianTermEnd;

    // Each setting's event, then the error of a value out of its bounds.

    /// @notice The threshold share changed.
    event ProposalThresholdBpsSet(uint256 oldBps, uint256 newBps);

    /// @notice A threshold above `MAX_PROPOSAL_THRESHOLD_BPS`.
    error InvalidProposalThresholdBps(uint256 bps);

    /// @notice The vote lookback changed.
    event VoteLookbackSet(uint256 oldLookback, uint256 newLookback);

    /// @notice A lookback outside `[MIN_VOTE_LOOKBACK, MAX_VOTE_LOOKBACK]`.
    error InvalidVoteLookback(uint256 lookback);

    /// @notice The quorum floor changed.
    event QuorumFloorSet(uint256 oldFloor, uint256 newFloor);

    /// @notice A quorum floor above `MAX_QUORUM_PERCENT` of the supply.
    error InvalidQuorumFloor(uint256 floor);

    /// @notice A quorum above `MAX_QUORUM_PERCENT`.
    error InvalidQuorum(uint256 percent);

    /// @notice `votingDelay + votingPeriod + lateQuorumVoteExtension` above `GovernancePath.MAX_VOTING_PATH`:
    /// a slash proposal could then outlast a validator's unbonding.
    /// @param path The voting path the change would make, in seconds.
    /// @param max `GovernancePath.MAX_VOTING_PATH`.
    error GovernancePathTooLong(uint256 path, uint256 max);

    /// @notice Settings of a new governor (all later settable by governance itself).
    struct Config {
        uint48 votingDelay; // seconds
        uint32 votingPeriod; // seconds
        uint256 proposalThresholdBps; // of the supply
        uint256 quorumPercent; // of the supply at the snapshot
        uint48 lateQuorumExtension; // seconds
        address guardian; // may cancel proposals; zero for none
        uint256 voteLookback; // seconds, at least MIN_VOTE_LOOKBACK
        uint256 quorumFloor; // TTD (wei)
    }

    constructor(
        IVotes token,
        TimelockController timelock,
        Config memory config
    )
        Governor("Tetrad Governor")
        GovernorSettings(config.votingDelay, config.votingPeriod, 0)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(config.quorumPercent)
        GovernorPreventLateQuorum(config.lateQuorumExtension)
        GovernorTimelockControl(timelock)
    {
        _setProposalThresholdBps(config.proposalThresholdBps);
        _setProposalGuardian(config.guardian);
        _setVoteLookback(config.voteLookback);
        // No supply check at genesis: the floor is what protects a supply of zero.
        emit QuorumFloorSet(0, config.quorumFloor);
        quorumFloor = config.quorumFloor;
        // The setters already checked each partial path (GovernorPreventLateQuorum's constructor runs
        // after GovernorSettings', so its check saw the whole path); checked once more here so the
        // bound does not depend on the order of the base constructors.
        _checkGovernancePath();
    }

    /// @notice Sets how long before a snapshot votes must already be held. Governance only.
    /// @param lookback Seconds, within `[MIN_VOTE_LOOKBACK, MAX_VOTE_LOOKBACK]`.
    function setVoteLookback(uint256 lookback) external onlyGovernance {
        _setVoteLookback(lookback);
    }

    /// @notice Sets the least quorum in TTD (wei). Governance only; at most `MAX_QUORUM_PERCENT` of the
    /// supply one second ago, so governance cannot lock itself out.
    /// @param floor The new floor.
    function setQuorumFloor(uint256 floor) external onlyGovernance {
        uint256 supply = token().getPastTotalSupply(clock() - 1);
        if (floor > Math.mulDiv(supply, MAX_QUORUM_PERCENT, 100)) revert InvalidQuorumFloor(floor);
        emit QuorumFloorSet(quorumFloor, floor);
        quorumFloor = floor;
    }

    /// @notice Votes needed for a quorum at `timepoint`: the larger of the quorum fraction of the supply
    /// and `quorumFloor`.
    function quorum(
        uint256 timepoint
    ) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return Math.max(super.quorum(timepoint), quorumFloor);
    }

    /// @notice Sets the proposal threshold as basis points of the supply. Governance only.
    function setProposalThresholdBps(uint256 bps) external onlyGovernance {
        _setProposalThresholdBps(bps);
    }

    /// @notice Votes needed to propose: the larger of the absolute setting (GovernorSettings) and
    /// `proposalThresholdBps` of the total supply one second ago.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        uint256 supply = token().getPastTotalSupply(clock() - 1);
        return Math.max(super.proposalThreshold(), Math.mulDiv(supply, proposalThresholdBps, 10_000));
    }

    /// @notice The proposal guardian, while its term lasts (zero after it ends).
    function proposalGuardian() public view override returns (address) {
        return block.timestamp < guardianTermEnd ? super.proposalGuardian() : address(0);
    }

    /// @dev Voting power that cannot be rented: the lesser of the votes at `timepoint` and `voteLookback`
    /// earlier (none before the clock's origin). Applies to voting and to the proposal threshold.
    function _getVotes(
        address account,
        uint256 timepoint,
        bytes memory params
    ) internal view override(Governor, GovernorVotes) returns (uint256) {
        uint256 lookback = voteLookback;
        if (timepoint < lookback) return 0;
        return
            Math.min(
                super._getVotes(account, timepoint, params),
                token().getPastVotes(account, timepoint - lookback)
            );
    }

    /// @dev Starts a new term with each (re)appointment.
    function _setProposalGuardian(address newProposalGuardian) internal override {
        super._setProposalGuardian(newProposalGuardian);
        guardianTermEnd = newProposalGuardian == address(0) ? 0 : block.timestamp + GUARDIAN_TERM;
    }

    /// @dev Caps the quorum so a proposal cannot make governance unusable.
    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator > MAX_QUORUM_PERCENT) revert InvalidQuorum(newQuorumNumerator);
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    /// @dev Keeps the voting path within `GovernancePath.MAX_VOTING_PATH`.
    function _setVotingDelay(uint48 newVotingDelay) internal override {
        super._setVotingDelay(newVotingDelay);
        _checkGovernancePath();
    }

    /// @dev Keeps the voting path within `GovernancePath.MAX_VOTING_PATH`.
    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        super._setVotingPeriod(newVotingPeriod);
        _checkGovernancePath();
    }

    /// @dev Keeps the voting path within `GovernancePath.MAX_VOTING_PATH`.
    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        super._setLateQuorumVoteExtension(newVoteExtension);
        _checkGovernancePath();
    }

    /// @dev Reverts if `votingDelay + votingPeriod + lateQuorumVoteExtension` (the longest a proposal
    /// can take from creation to the end of its vote) exceeds `GovernancePath.MAX_VOTING_PATH`.
    function _checkGovernancePath() private view {
        uint256 path = uint256(votingDelay()) + votingPeriod() + lateQuorumVoteExtension();
        if (path > GovernancePath.MAX_VOTING_PATH)
            revert GovernancePathTooLong(path, GovernancePath.MAX_VOTING_PATH);
    }

    function _setVoteLookback(uint256 lookback) private {
        if (lookback < MIN_VOTE_LOOKBACK || lookback > MAX_VOTE_LOOKBACK)
            revert InvalidVoteLookback(lookback);
        emit VoteLookbackSet(voteLookback, lookback);
        voteLookback = lookback;
    }

    function _setProposalThresholdBps(uint256 bps) private {
        if (bps > MAX_PROPOSAL_THRESHOLD_BPS) revert InvalidProposalThresholdBps(bps);
        emit ProposalThresholdBpsSet(proposalThresholdBps, bps);
        proposalThresholdBps = bps;
    }

    // ----- the overrides Solidity needs to compose the parts -----

    function state(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalDeadline(
        uint256 proposalId
    ) public view override(Governor, GovernorPreventLateQuorum) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorStorage) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        super._tallyUpdated(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _validateCancel(
        uint256 proposalId,
        address caller
    ) internal view override(Governor, GovernorProposalGuardian) returns (bool) {
        return super._validateCancel(proposalId, caller);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
