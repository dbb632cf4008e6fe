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

/// @title TetradGovernor
/// @notice The DAO: TTD holders propose and vote (on the token's timestamp clock); passed proposals run
/// through the Timelock, which holds the AccessManager's admin role and so every protocol parameter.
/// OpenZeppelin 5 parts only, plus one setting: the proposal threshold as a share of the supply.
/// @dev Defenses: votes are read at the snapshot (`votingDelay` before voting opens), so tokens borrowed
/// or bought later carry no weight (Beanstalk); the Timelock's delay lets holders exit or the guardian
/// cancel a malicious proposal before it runs (Tornado Cash); a quorum reached late extends the vote
/// (Compound). The proposal guardian can only cancel.
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
    /// @notice Basis points of the total supply (at the last second) needed to propose.
    uint256 public proposalThresholdBps;

    /// @notice The threshold share changed.
    event ProposalThresholdBpsSet(uint256 oldBps, uint256 newBps);

    /// @notice A threshold above 10,000 basis points.
    error InvalidProposalThresholdBps(uint256 bps);

    /// @notice Settings of a new governor (all later settable by governance itself).
    struct Config {
        uint48 votingDelay; // seconds
        uint32 votingPeriod; // seconds
        uint256 proposalThresholdBps; // of the supply
        uint256 quorumPercent; // of the supply at the snapshot
        uint48 lateQuorumExtension; // seconds
        address guardian; // may cancel proposals; zero for none
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

    function _setProposalThresholdBps(uint256 bps) private {
        if (bps > 10_000) revert InvalidProposalThresholdBps(bps);
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
