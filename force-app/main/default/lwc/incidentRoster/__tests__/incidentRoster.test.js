import { createElement } from '@lwc/engine-dom';
import IncidentRoster from 'c/incidentRoster';
import getRoster from '@salesforce/apex/IncidentConsoleController.getRoster';

const roster = require('./data/getRoster.json');

jest.mock(
  '@salesforce/apex/IncidentConsoleController.getRoster',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const RECORD_ID = '0ny000000000001AAA';

function mount() {
  const element = createElement('c-incident-roster', { is: IncidentRoster });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  return element;
}

function group(element, role) {
  return element.shadowRoot.querySelector(`.roster-group[data-role="${role}"]`);
}

describe('c-incident-roster', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('shows a spinner until the roster arrives and asks for this record', async () => {
    const element = mount();
    await Promise.resolve();
    expect(
      element.shadowRoot.querySelector('lightning-spinner')
    ).not.toBeNull();
    expect(getRoster.getLastConfig()).toEqual({ recordId: RECORD_ID });
  });

  it('groups contacts by role in call order, with reasons and mail/phone links', async () => {
    const element = mount();
    getRoster.emit(roster);
    await Promise.resolve();

    const headings = [
      ...element.shadowRoot.querySelectorAll('.roster-group h4')
    ].map((h) => h.textContent);
    expect(headings).toEqual([
      'Incident Owner',
      'Technical Experts',
      'Service Level Managers',
      'On-Duty Customer Service Manager'
    ]);

    const experts = group(element, 'Technical Expert').querySelectorAll(
      '.roster-contact'
    );
    expect(
      [...experts].map((li) => li.querySelector('.contact-name').textContent)
    ).toEqual(['Ken Tanaka', 'Aiko Sato']);
    expect(experts[0].querySelector('.contact-reason').textContent.trim()).toBe(
      'Expertise matches category Inverters'
    );
    expect(
      experts[0].querySelector('.contact-email').getAttribute('href')
    ).toBe('mailto:ken.tanaka@example.com');
    expect(
      experts[0].querySelector('.contact-phone').getAttribute('href')
    ).toBe('tel:4155550111');
    expect(experts[1].querySelector('.contact-email')).toBeNull();

    const owner = group(element, 'Incident Owner');
    expect(owner.querySelector('.contact-phone').getAttribute('href')).toBe(
      'tel:+14155550100'
    );
    expect(owner.querySelector('.contact-phone').textContent).toBe(
      '+1 (415) 555-0100'
    );

    const manager = group(element, 'Service Level Manager');
    expect(manager.querySelector('.contact-details').textContent).toBe(
      'Fremont Water District'
    );
    expect(manager.querySelector('.contact-phone')).toBeNull();

    expect(
      group(element, 'On-Duty Customer Service Manager').querySelector(
        '.group-empty'
      ).textContent
    ).toBe('No on-duty customer service manager found for this incident.');
  });

  it('keeps contacts of a role it does not know in their own group', async () => {
    const element = mount();
    getRoster.emit([
      {
        ...roster[0],
        id: 'a01000000000009AAA',
        role: 'Communications Lead',
        name: 'Sam Lee'
      }
    ]);
    await Promise.resolve();

    expect(
      group(element, 'Communications Lead').querySelector('.contact-name')
        .textContent
    ).toBe('Sam Lee');
  });

  it('says so when nobody on the roster matches', async () => {
    const element = mount();
    getRoster.emit([]);
    await Promise.resolve();

    expect(
      element.shadowRoot.querySelector('.empty-roster').textContent
    ).toContain('No one on the roster matches this incident yet.');
    expect(element.shadowRoot.querySelector('.roster-group')).toBeNull();
  });

  it('shows the error panel when the roster cannot be loaded', async () => {
    const element = mount();
    getRoster.error({
      message: 'Insufficient access to Incident_Roster_Member__c'
    });
    await Promise.resolve();

    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel.friendlyMessage).toBe('The roster could not be loaded.');
    expect(panel.errors.body.message).toBe(
      'Insufficient access to Incident_Roster_Member__c'
    );
    expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
  });

  describe('accessibility', () => {
    it('is accessible while loading', async () => {
      const element = mount();
      await Promise.resolve();

      // The lightning-spinner stub renders nothing for axe to check, so assert its name.
      expect(
        element.shadowRoot.querySelector('lightning-spinner').alternativeText
      ).toBe('Loading the roster');
      await expect(element).toBeAccessible();
    });

    it('is accessible with contacts, links and an empty role group', async () => {
      const element = mount();
      getRoster.emit(roster);
      await Promise.resolve();

      expect(element.shadowRoot.querySelector('.contact-email')).not.toBeNull();
      expect(element.shadowRoot.querySelector('.group-empty')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible when nobody matches', async () => {
      const element = mount();
      getRoster.emit([]);
      await Promise.resolve();

      expect(element.shadowRoot.querySelector('.empty-roster')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getRoster.error({ message: 'Insufficient access' });
      await Promise.resolve();

      expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
      await expect(element).toBeAccessible();
    });
  });
});
