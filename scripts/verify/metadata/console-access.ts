/**
 * What a user of the incident console must be able to read and edit, so that a permission set
 * which opens the console (class access to its controller) is enough on a minimal profile.
 * The lists follow the console's Apex (IncidentConsoleController, IncidentRosterService,
 * LinkedCaseSelector, RelatedProductSelector: all user-mode reads) and the Incident record
 * page; keep them in step when those read more.
 *
 * Not listed because a permission set cannot grant them: User (readable by every user),
 * BusinessHours and Holiday (setup data every user reads), UserRecordAccess, and
 * Incident.BusinessHoursId (not in every org, so the console reads it dynamically, in system
 * mode: which calendar an incident runs on is setup data, like the calendar itself).
 */

export interface ConsoleAccess {
  /** Apex class whose access marks a permission set as a console permission set. */
  controller: string;
  /** Objects the console reads. */
  readObjects: readonly string[];
  /** Fields it reads (`Object.Field`); those that take no field permissions pass on object read. */
  readFields: readonly string[];
  /** Fields the console edits (urgency and impact from the severity matrix). */
  editFields: readonly string[];
}

const fields = (object: string, names: readonly string[]): string[] =>
  names.map((name) => `${object}.${name}`);

export const INCIDENT_CONSOLE_ACCESS: ConsoleAccess = {
  controller: 'IncidentConsoleController',
  readObjects: [
    'Incident',
    'Problem',
    'ChangeRequest',
    'Case',
    'CaseRelatedIssue',
    'ChangeRequestRelatedIssue',
    'IncidentRelatedItem',
    'ProblemRelatedItem',
    'ChangeRequestRelatedItem',
    'Asset',
    'Product2',
    'Account',
    'Contact',
    'Incident_Roster_Member__c'
  ],
  readFields: [
    ...fields('Incident', [
      'Subject',
      'Description',
      'Status',
      'Urgency',
      'Impact',
      'Priority',
      'Category',
      'SubCategory',
      'DetectedDateTime',
      'ResolutionDateTime',
      'OwnerId',
      'Severity__c',
      'Sla_Response_Due__c',
      'Sla_Resolution_Due__c',
      'Sla_Responded_At__c'
    ]),
    ...fields('Problem', [
      'Subject',
      'Description',
      'Status',
      'Urgency',
      'Impact',
      'Priority',
      'Category',
      'SubCategory',
      'ResolutionDateTime',
      'OwnerId'
    ]),
    ...fields('ChangeRequest', [
      'Subject',
      'Description',
      'Status',
      'Impact',
      'Priority',
      'Category',
      'OwnerId'
    ]),
    ...fields('Case', [
      'CaseNumber',
      'Subject',
      'Status',
      'IsClosed',
      'Priority',
      'AccountId',
      'ContactId'
    ]),
    ...fields('CaseRelatedIssue', ['CaseId', 'RelatedIssueId']),
    ...fields('ChangeRequestRelatedIssue', [
      'ChangeRequestId',
      'RelatedIssueId'
    ]),
    ...fields('IncidentRelatedItem', ['IncidentId', 'AssetId', 'Product2Id']),
    ...fields('ProblemRelatedItem', ['ProblemId', 'AssetId']),
    ...fields('ChangeRequestRelatedItem', ['ChangeRequestId', 'AssetId']),
    ...fields('Asset', ['Name', 'Product2Id']),
    ...fields('Product2', ['Name']),
    ...fields('Account', ['Name']),
    ...fields('Contact', ['Name']),
    ...fields('Incident_Roster_Member__c', [
      'Name',
      'Role__c',
      'User__c',
      'Email__c',
      'Phone__c',
      'Expertise__c',
      'Account__c',
      'Active__c'
    ])
  ],
  editFields: ['Incident.Urgency', 'Incident.Impact']
};
