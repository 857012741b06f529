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
  /** True in a narrow region (the console passes it): the assessment groups stack. */
  @api narrow = false;

  rulesValue;
  ruleRecords = [];
  ruleProblems = problemsOf(this.ruleRecords);
  saving = false;
  saveError;
  /** Ids of the ticked criteria, by assessment group key. */
  ticked = { urgency: new Set(), impact: new Set() };

  /** The priority of a severity: the matrix's Priority__c where it names one, else the default. */
  priorityOf(severity) {
    return priorityFor(
      severity,
      this.hasRuleProblems ? null : this.ruleRecords
    );
  }

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
          priority: this.priorityOf(severity),
          isCurrent,
          ariaCurrent: isCurrent ? 'true' : null,
          cellClass: `severity-cell severity-${severity}${isCurrent ? ' is-current' : ''}`,
          actionLabel: isCurrent
            ? `Current urgency ${levelLabel(urgency)} and impact ${levelLabel(impact)}:`
            : `Set urgency ${levelLabel(urgency)} and impact ${levelLabel(impact)}:`,
          // Not `disabled`: a focused button that becomes disabled loses the keyboard focus.
          ariaDisabled: isCurrent || this.saving ? 'true' : null
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
        : `severity ${severity} (${this.priorityOf(severity)})`;
    return `Proposed: urgency ${urgency}, impact ${impact}: ${outcome}.`;
  }

  get fieldsetClass() {
    return this.narrow
      ? 'slds-form-element slds-col slds-size_1-of-1'
      : 'slds-form-element slds-col slds-size_1-of-1 slds-medium-size_1-of-2';
  }

  get applyDisabled() {
    return this.saving || this.applyReason !== null;
  }

  /** Why "Apply proposal" cannot be used now, in words next to it; null when it can. */
  get applyReason() {
    if (this.saving) {
      return null;
    }
    if (this.hasRuleProblems) {
      return 'The severity rules are incomplete, so no severity can be proposed.';
    }
    const missing = [
      !this.proposedUrgency && 'urgency',
      !this.proposedImpact && 'impact'
    ].filter((part) => !!part);
    if (missing.length > 0) {
      return `No ${missing.join(' or ')} yet: tick a criterion of that group or choose a cell.`;
    }
    if (
      this.proposedUrgency === this.urgency &&
      this.proposedImpact === this.impact
    ) {
      return 'Nothing to apply: the proposal is the current urgency and impact. Tick a criterion to propose High.';
    }
    return null;
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
    const urgency = this.proposedUrgency;
    const impact = this.proposedImpact;
    // The button disables itself once the proposal is applied, which would drop the focus:
    // the focus moves to the cell being set, the result the user now reads.
    this.focusCell(urgency, impact);
    this.save(urgency, impact);
  }

  focusCell(urgency, impact) {
    this.template
      .querySelector(
        `button.cell-button[data-urgency="${urgency}"][data-impact="${impact}"]`
      )
      ?.focus();
  }

  async save(urgency, impact) {
    const unchanged = urgency === this.urgency && impact === this.impact;
    if (!this.canEdit || this.saving || unchanged) {
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
          message: `Urgency ${urgency}, impact ${impact}: severity ${severity} (${this.priorityOf(severity)}).`,
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
