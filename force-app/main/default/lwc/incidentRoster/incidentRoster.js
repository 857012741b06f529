import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getRoster from '@salesforce/apex/IncidentConsoleController.getRoster';
import { reloadApex } from 'c/ldsUtils';
import { ROSTER_ROLES } from 'c/incidentRules';

/** Group headings of the roster roles (Incident_Roster_Member__c.Role__c values). */
const HEADINGS = {
  'Incident Owner': 'Incident Owner',
  'Technical Expert': 'Technical Experts',
  'Service Level Manager': 'Service Level Managers',
  'On-Duty Customer Service Manager': 'On-Duty Customer Service Manager'
};

/** The role groups in the order their people are called: incidentRules' one list of it. */
export const ROLE_GROUPS = ROSTER_ROLES.map((role) => ({
  role,
  heading: HEADINGS[role] ?? role
}));

const ROSTER_OBJECT = 'Incident_Roster_Member__c';

/** Entries without a call order (older controllers) go after those with one, in list order. */
function byCallOrder(a, b) {
  const orderA = a.callOrder ?? Number.MAX_SAFE_INTEGER;
  const orderB = b.callOrder ?? Number.MAX_SAFE_INTEGER;
  return orderA - orderB;
}

/** Duty as the controller computed it (contract C2); null when it sent none. */
function dutyOf(entry) {
  if (entry.onDuty === true) {
    return {
      badgeClass: 'slds-badge slds-theme_success duty-badge',
      label: 'On duty',
      timeLabel: entry.shiftEndsAt ? 'Until ' : null,
      time: entry.shiftEndsAt ?? null
    };
  }
  if (entry.onDuty === false) {
    return {
      badgeClass: 'slds-badge duty-badge',
      label: 'Off duty',
      timeLabel: entry.nextOnDutyAt
        ? 'Back on duty '
        : 'No shift in the next 14 days',
      time: entry.nextOnDutyAt ?? null
    };
  }
  return null;
}

function toContact(entry) {
  const details = [entry.expertise, entry.accountName].filter(
    (value) => !!value
  );
  const duty = dutyOf(entry);
  return {
    key: `${entry.role}-${entry.id}`,
    id: entry.id,
    name: entry.name,
    callOrder: entry.callOrder ?? null,
    hasCallOrder: Number.isInteger(entry.callOrder),
    callFirst: entry.callOrder === 1,
    details: details.join(' · '),
    reason: entry.reason,
    email: entry.email,
    mailto: entry.email ? `mailto:${entry.email}` : null,
    phone: entry.phone,
    duty,
    shiftTimeZone: entry.timeZone ?? null
  };
}

/**
 * Who to contact for this incident, grouped by role: the incident owner, the technical
 * experts whose expertise matches, the service level managers of affected accounts and the
 * on-duty customer service manager. The controller decides who matches, why, whether each is
 * on duty now (from their shift) and the order to call them in; this component shows it:
 * who to call first, who is on duty and who comes on duty next.
 */
export default class IncidentRoster extends NavigationMixin(LightningElement) {
  @api recordId;

  roster;
  error;
  reloading = false;
  wiredRosterResult;

  @wire(getRoster, { recordId: '$recordId' })
  wiredRoster(result) {
    this.wiredRosterResult = result;
    const { data, error } = result;
    if (data) {
      this.roster = data;
      this.error = undefined;
    } else if (error) {
      this.roster = undefined;
      this.error = error;
    }
  }

  /** Loads the roster again (the console's refresh, or "Try again" after an error). */
  @api
  async refresh() {
    this.reloading = !!this.error;
    try {
      const data = await reloadApex(this.wiredRosterResult, getRoster, {
        recordId: this.recordId
      });
      if (data) {
        this.roster = data;
        this.error = undefined;
      }
    } catch (error) {
      this.roster = undefined;
      this.error = error;
    } finally {
      this.reloading = false;
    }
  }

  get isLoading() {
    return this.reloading || (!this.roster && !this.error);
  }

  get showStatus() {
    return this.isLoading || !!this.error;
  }

  get isEmpty() {
    return Array.isArray(this.roster) && this.roster.length === 0;
  }

  get entries() {
    return [...(this.roster ?? [])].sort(byCallOrder);
  }

  /** The person to call first (call order 1), as one line above the groups. */
  get callFirst() {
    const first = this.entries.find((entry) => entry.callOrder === 1);
    return first ? { name: first.name, role: first.role } : null;
  }

  /** Who comes on duty soonest among those off duty now. */
  get nextOnDuty() {
    const next = this.entries
      .filter((entry) => entry.onDuty === false && entry.nextOnDutyAt)
      .sort(
        (a, b) => Date.parse(a.nextOnDutyAt) - Date.parse(b.nextOnDutyAt)
      )[0];
    return next
      ? { name: next.name, role: next.role, at: next.nextOnDutyAt }
      : null;
  }

  get onDutySummary() {
    const withDuty = this.entries.filter(
      (entry) => typeof entry.onDuty === 'boolean'
    );
    if (withDuty.length === 0) {
      return null;
    }
    const onDuty = withDuty.filter((entry) => entry.onDuty).length;
    return `${onDuty} of ${withDuty.length} on duty now`;
  }

  get hasSummary() {
    return !!(this.callFirst || this.nextOnDuty || this.onDutySummary);
  }

  get groups() {
    const entries = this.entries;
    const known = new Set(ROLE_GROUPS.map((group) => group.role));
    const groups = ROLE_GROUPS.map(({ role, heading }) => ({ role, heading }));
    // Roles added to the picklist later still show up rather than silently vanish.
    entries
      .filter((entry) => !known.has(entry.role))
      .forEach((entry) => {
        known.add(entry.role);
        groups.push({ role: entry.role, heading: entry.role });
      });
    return groups.map(({ role, heading }) => {
      const contacts = entries
        .filter((entry) => entry.role === role)
        .map(toContact);
      return {
        key: role,
        heading,
        contacts,
        hasContacts: contacts.length > 0,
        emptyText: `No ${heading.toLowerCase()} found for this incident.`
      };
    });
  }

  handleRetry() {
    return this.refresh();
  }

  /** The roster's list view: everyone may read it; managers add members there. */
  handleOpenRoster() {
    this[NavigationMixin.Navigate]({
      type: 'standard__objectPage',
      attributes: { objectApiName: ROSTER_OBJECT, actionName: 'list' }
    });
  }
}
