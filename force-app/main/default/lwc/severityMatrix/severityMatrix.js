import { LightningElement, api } from 'lwc';
import { updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import URGENCY_FIELD from '@salesforce/schema/Incident.Urgency';
import IMPACT_FIELD from '@salesforce/schema/Incident.Impact';
import {
  levelLabel,
  priorityFor,
  severityFor,
  toLevel,
  validateRules
} from 'c/incidentRules';
import { LEVELS, toSeverityRules } from 'c/consoleData';
import { reduceErrors } from 'c/ldsUtils';
import {
  IMPACT_CRITERIA,
  URGENCY_CRITERIA,
  proposeLevel
} from './assessmentCriteria';

/** The two halves of the assessment; each raises its own level (see proposeLevel). */
const ASSESSMENT_GROUPS = [
  {
    key: 'urgency',
    legend: 'Urgent if any of these apply',
    criteria: URGENCY_CRITERIA
  },
  {
    key: 'impact',
    legend: 'High impact if any of these apply',
    criteria: IMPACT_CRITERIA
  }
];

function levelOrNull(value) {
  try {
    return toLevel(value);
  } catch {
    return null;
  }
}

/** The rule records' problems, keyed for the template. */
function problemsOf(ruleRecords) {
  return validateRules(ruleRecords).map((problem, index) => ({
    key: `${index}`,
    message: problem.message
  }));
}

/**
 * The 3×3 severity matrix (urgency rows × impact columns) with the record's current cell
 * marked, and the major-incident assessment that proposes urgency and impact. Editors set
 * urgency/impact by choosing a cell or applying the proposal; the Incident trigger then
 * recomputes severity, priority and the SLA due times, so the component only writes the
 * two inputs and fires `assessmentsaved` for its container to reload.
 */
export default class SeverityMatrix extends LightningElement {
  @api recordId;
  /** Current urgency picklist value ('High' | 'Medium' | 'Low') or null. */
  @api urgency;
  /** Current impact picklist value ('High' | 'Medium' | 'Low') or null. */
  @api impact;
  /** Severity rules as IncidentConsoleController returns them: { urgency, impact, severity }. */
  @api
  get rules() {
    return this.rulesValue;
  }
  set rules(value) {
    this.rulesValue = value;
    // Converted and validated once here: the matrix, the proposal and saves all read them.
    this.ruleRecords = toSeverityRules(value);
    this.ruleProblems = problemsOf(this.ruleRecords);
  }
  /** True when the user may update Urgency and Impact on this record. */
  @api canEdit = false;

  rulesValue;
  ruleRecords = [];
  ruleProblems = problemsOf(this.ruleRecords);
  saving = false;
  saveError;
  /** Ids of the ticked criteria, by assessment group key. */
  ticked = { urgency: new Set(), impact: new Set() };

  get hasRuleProblems() {
    return this.ruleProblems.length > 0;
  }

  get impactHeaders() {
    return LEVELS.map((level) => ({
      key: `impact-${level}`,
      label: `${levelLabel(level)} impact`
    }));
  }

  get rows() {
    const records = this.ruleRecords;
    const currentUrgency = levelOrNull(this.urgency);
    const currentImpact = levelOrNull(this.impact);
    return LEVELS.map((urgency) => ({
      key: `urgency-${urgency}`,
      label: `${levelLabel(urgency)} urgency`,
      cells: LEVELS.map((impact) => {
        const severity = severityFor(records, urgency, impact);
        const isCurrent =
          urgency === currentUrgency && impact === currentImpact;
        return {
          key: `${urgency}-${impact}`,
          urgency: levelLabel(urgency),
          impact: levelLabel(impact),
          severity,
          priority: priorityFor(severity),
          isCurrent,
          ariaCurrent: isCurrent ? 'true' : null,
          cellClass: `severity-cell severity-${severity}${isCurrent ? ' is-current' : ''}`,
          actionLabel: `Set urgency ${levelLabel(urgency)} and impact ${levelLabel(impact)}:`,
          disabled: isCurrent || this.saving
        };
      })
    }));
  }

  get assessmentGroups() {
    return ASSESSMENT_GROUPS.map((group) => ({
      ...group,
      criteria: group.criteria.map((criterion) => ({
        ...criterion,
        checked: this.ticked[group.key].has(criterion.id)
      }))
    }));
  }

  get proposedUrgency() {
    return proposeLevel(this.ticked.urgency, this.urgency);
  }

  get proposedImpact() {
    return proposeLevel(this.ticked.impact, this.impact);
  }

  get proposedSeverity() {
    if (this.hasRuleProblems || !this.proposedUrgency || !this.proposedImpact) {
      return null;
    }
    return severityFor(
      this.ruleRecords,
      this.proposedUrgency,
      this.proposedImpact
    );
  }

  get proposalText() {
    const urgency = this.proposedUrgency ?? 'not set';
    const impact = this.proposedImpact ?? 'not set';
    const severity = this.proposedSeverity;
    const outcome =
      severity === null
        ? 'severity cannot be determined'
        : `severity ${severity} (${priorityFor(severity)})`;
    return `Proposed: urgency ${urgency}, impact ${impact}: ${outcome}.`;
  }

  get applyDisabled() {
    const changes =
      this.proposedUrgency !== this.urgency ||
      this.proposedImpact !== this.impact;
    return this.saving || this.proposedSeverity === null || !changes;
  }

  handleCriterionChange(event) {
    const { group, id } = event.target.dataset;
    const ticked = new Set(this.ticked[group]);
    if (event.target.checked) {
      ticked.add(id);
    } else {
      ticked.delete(id);
    }
    // A new object (not a mutation) so the template re-renders.
    this.ticked = { ...this.ticked, [group]: ticked };
  }

  handleCellClick(event) {
    const { urgency, impact } = event.currentTarget.dataset;
    this.save(urgency, impact);
  }

  handleApplyProposal() {
    this.save(this.proposedUrgency, this.proposedImpact);
  }

  async save(urgency, impact) {
    if (!this.canEdit || this.saving) {
      return;
    }
    const severity = severityFor(this.ruleRecords, urgency, impact);
    this.saving = true;
    this.saveError = undefined;
    try {
      await updateRecord({
        fields: {
          Id: this.recordId,
          [URGENCY_FIELD.fieldApiName]: urgency,
          [IMPACT_FIELD.fieldApiName]: impact
        }
      });
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Severity updated',
          message: `Urgency ${urgency}, impact ${impact}: severity ${severity} (${priorityFor(severity)}).`,
          variant: 'success'
        })
      );
      this.dispatchEvent(
        new CustomEvent('assessmentsaved', {
          detail: { urgency, impact, severity }
        })
      );
    } catch (error) {
      this.saveError = error;
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Severity not updated',
          message: reduceErrors(error).join(' '),
          variant: 'error'
        })
      );
    } finally {
      this.saving = false;
    }
  }
}
