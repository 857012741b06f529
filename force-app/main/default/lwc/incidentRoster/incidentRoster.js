import { LightningElement, api, wire } from 'lwc';
import getRoster from '@salesforce/apex/IncidentConsoleController.getRoster';

/** Roster roles (Incident_Roster_Member__c.Role__c values) in the order people are called. */
export const ROLE_GROUPS = [
  { role: 'Incident Owner', heading: 'Incident Owner' },
  { role: 'Technical Expert', heading: 'Technical Experts' },
  { role: 'Service Level Manager', heading: 'Service Level Managers' },
  {
    role: 'On-Duty Customer Service Manager',
    heading: 'On-Duty Customer Service Manager'
  }
];

/** Dialable form of a phone number: digits and a leading plus only. */
function telHref(phone) {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

function toContact(entry) {
  const details = [entry.expertise, entry.accountName].filter(
    (value) => !!value
  );
  return {
    key: `${entry.role}-${entry.id}`,
    name: entry.name,
    details: details.join(' · '),
    reason: entry.reason,
    email: entry.email,
    mailto: entry.email ? `mailto:${entry.email}` : null,
    phone: entry.phone,
    tel: entry.phone ? telHref(entry.phone) : null
  };
}

/**
 * Who to contact for this incident, grouped by role: the incident owner, the technical
 * experts whose expertise matches, the service level managers of affected accounts and the
 * on-duty customer service manager. The controller decides who matches and why.
 */
export default class IncidentRoster extends LightningElement {
  @api recordId;

  roster;
  error;

  @wire(getRoster, { recordId: '$recordId' })
  wiredRoster({ data, error }) {
    if (data) {
      this.roster = data;
      this.error = undefined;
    } else if (error) {
      this.roster = undefined;
      this.error = error;
    }
  }

  get isLoading() {
    return !this.roster && !this.error;
  }

  get isEmpty() {
    return Array.isArray(this.roster) && this.roster.length === 0;
  }

  get groups() {
    const entries = this.roster ?? [];
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
}
