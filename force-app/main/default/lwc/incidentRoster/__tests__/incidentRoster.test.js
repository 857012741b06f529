import IncidentRoster from 'c/incidentRoster';
import getRoster from '@salesforce/apex/IncidentConsoleController.getRoster';
import { refreshApex } from '@salesforce/apex';
import { navigateMock } from 'lightning/navigation';
import {
  $,
  $$,
  RECORD_ID,
  mount as mountElement,
  cleanUp,
  flushPromises,
  rendered,
  statusPart
} from 'test-utils';

const roster = require('./data/getRoster.json');

jest.mock(
  '@salesforce/apex/IncidentConsoleController.getRoster',
  () => require('test-utils').apexWireMock(),
  { virtual: true }
);

const mount = () =>
  mountElement('c-incident-roster', IncidentRoster, { recordId: RECORD_ID });
const group = (element, role) =>
  $(element, `.roster-group[data-role="${role}"]`);

describe('c-incident-roster', () => {
  afterEach(cleanUp);

  it('shows a spinner until the roster arrives and asks for this record', async () => {
    const element = mount();
    await flushPromises();
    expect(statusPart(element.shadowRoot, 'lightning-spinner')).not.toBeNull();
    expect(getRoster.getLastConfig()).toEqual({ recordId: RECORD_ID });
  });

  it('groups contacts by role in call order, with reasons and mail/phone links', async () => {
    const element = mount();
    getRoster.emit(roster);
    await flushPromises();

    const headings = $$(element, '.roster-group h3').map((h) => h.textContent);
    // The call order of roles is incidentRules' ROSTER_ROLES, as IncidentRosterService's.
    expect(headings).toEqual([
      'Incident Owner',
      'On-Duty Customer Service Manager',
      'Technical Experts',
      'Service Level Managers'
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
    const dial = experts[0].querySelector('lightning-click-to-dial');
    expect(dial.value).toBe('415-555-0111');
    expect(dial.recordId).toBe('a01000000000002AAA');
    expect(experts[1].querySelector('.contact-email')).toBeNull();

    const owner = group(element, 'Incident Owner');
    expect(owner.querySelector('lightning-click-to-dial').value).toBe(
      '+1 (415) 555-0100'
    );

    const manager = group(element, 'Service Level Manager');
    expect(manager.querySelector('.contact-details').textContent).toBe(
      'Fremont Water District'
    );
    expect(manager.querySelector('lightning-click-to-dial')).toBeNull();
    expect(manager.querySelector('.no-phone').textContent).toBe('No phone');

    expect(
      group(element, 'On-Duty Customer Service Manager').querySelector(
        '.group-empty'
      ).textContent
    ).toBe('No on-duty customer service manager found for this incident.');
  });

  it('keeps email and phone in their own slots when one is missing', async () => {
    const element = mount();
    getRoster.emit(roster);
    await flushPromises();

    const [, aiko] = group(element, 'Technical Expert').querySelectorAll(
      '.roster-contact'
    );
    const slots = aiko.querySelectorAll('.contact-channels > .channel');
    expect([...slots].map((slot) => slot.classList[1])).toEqual([
      'channel-email',
      'channel-phone'
    ]);
    expect(slots[0].textContent.trim()).toBe('No email');
    expect(slots[1].querySelector('lightning-click-to-dial').value).toBe(
      '415-555-0112'
    );
  });

  it('says who to call first, numbers everyone in call order and orders each group by it', async () => {
    const element = mount();
    // Sent out of order: the component orders by callOrder, not by arrival.
    getRoster.emit([
      { ...roster[2], callOrder: 2 },
      { ...roster[1], callOrder: 3 },
      roster[0],
      roster[3]
    ]);
    await flushPromises();

    expect($(element, '.call-first').textContent).toBe(
      'Call first: Maria Gonzalez · Incident Owner'
    );
    const firstBadges = $$(element, '.call-first-badge');
    expect(firstBadges).toHaveLength(1);
    expect(
      firstBadges[0].closest('.roster-contact').querySelector('.contact-name')
        .textContent
    ).toBe('Maria Gonzalez');

    const experts = [
      ...group(element, 'Technical Expert').querySelectorAll('.roster-contact')
    ];
    expect(
      experts.map((li) => [
        li.querySelector('.contact-name').textContent,
        li.querySelector('.call-order').textContent
      ])
    ).toEqual([
      ['Aiko Sato', 'Call order 2'],
      ['Ken Tanaka', 'Call order 3']
    ]);
  });

  it('shows who is on duty until when, who is off duty and who comes on duty next', async () => {
    const element = mount();
    getRoster.emit(roster);
    await flushPromises();

    const [ken, aiko] = group(element, 'Technical Expert').querySelectorAll(
      '.roster-contact'
    );
    expect(ken.querySelector('.duty-badge').textContent).toBe('On duty');
    expect(ken.querySelector('.duty-badge').classList).toContain(
      'slds-theme_success'
    );
    expect(ken.querySelector('.duty-detail').textContent).toBe('Until ');
    expect(
      ken.querySelector('.duty-detail lightning-formatted-date-time').value
    ).toBe('2025-03-05T01:00:00.000Z');
    expect(ken.querySelector('.duty-detail').title).toBe('America/Los_Angeles');

    expect(aiko.querySelector('.duty-badge').textContent).toBe('Off duty');
    expect(
      aiko.querySelector('.duty-detail lightning-formatted-date-time').value
    ).toBe('2025-03-05T16:00:00.000Z');

    // Always on duty (no shift): the badge, without an end time.
    const maria = group(element, 'Incident Owner').querySelector(
      '.roster-contact'
    );
    expect(maria.querySelector('.duty-badge').textContent).toBe('On duty');
    expect(
      maria.querySelector('.duty-detail lightning-formatted-date-time')
    ).toBeNull();

    expect($(element, '.on-duty-summary').textContent).toBe(
      '3 of 4 on duty now'
    );
    const next = $(element, '.next-on-duty');
    expect(next.textContent).toContain('Next on duty: Aiko Sato');
    expect(next.querySelector('lightning-formatted-date-time').value).toBe(
      '2025-03-05T16:00:00.000Z'
    );
  });

  it('says when an off-duty member has no shift in the next 14 days', async () => {
    const element = mount();
    getRoster.emit([{ ...roster[2], nextOnDutyAt: null }]);
    await flushPromises();

    expect($(element, '.duty-detail').textContent.trim()).toBe(
      'No shift in the next 14 days'
    );
    expect($(element, '.next-on-duty')).toBeNull();
  });

  it('shows no duty or call order when the controller sends none', async () => {
    const element = mount();
    getRoster.emit([
      {
        id: 'a01000000000001AAA',
        role: 'Incident Owner',
        name: 'Maria Gonzalez',
        email: null,
        phone: null,
        reason: 'Owns this incident'
      }
    ]);
    await flushPromises();

    expect($(element, '.duty-badge')).toBeNull();
    expect($(element, '.call-order')).toBeNull();
    expect($(element, '.roster-summary')).toBeNull();
  });

  it('offers the roster from an empty group and from the card header', async () => {
    const element = mount();
    getRoster.emit(roster);
    await flushPromises();

    const empty = group(element, 'On-Duty Customer Service Manager');
    empty.querySelector('lightning-button.find-in-roster').click();
    $(element, 'lightning-button.open-roster').click();

    const listView = {
      type: 'standard__objectPage',
      attributes: {
        objectApiName: 'Incident_Roster_Member__c',
        actionName: 'list'
      }
    };
    expect(navigateMock.mock.calls).toEqual([
      [listView, undefined],
      [listView, undefined]
    ]);
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
    await flushPromises();

    expect(
      group(element, 'Communications Lead').querySelector('.contact-name')
        .textContent
    ).toBe('Sam Lee');
  });

  it('says so when nobody on the roster matches', async () => {
    const element = mount();
    getRoster.emit([]);
    await flushPromises();

    expect($(element, '.empty-roster').textContent).toContain(
      'No one on the roster matches this incident yet.'
    );
    expect($(element, '.roster-group')).toBeNull();
  });

  it('shows the error panel when the roster cannot be loaded', async () => {
    const element = mount();
    getRoster.error({
      message: 'Insufficient access to Incident_Roster_Member__c'
    });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.friendlyMessage).toBe('The roster could not be loaded.');
    expect(panel.errors.body.message).toBe(
      'Insufficient access to Incident_Roster_Member__c'
    );
    expect(statusPart(element.shadowRoot, 'lightning-spinner')).toBeNull();
  });

  it('tries again after an error by calling the controller itself, and shows the roster it gets', async () => {
    getRoster.mockResolvedValue(roster);
    const element = mount();
    getRoster.error({ message: 'Timed out' });
    await flushPromises();

    const panel = statusPart(element.shadowRoot, 'c-error-panel');
    expect(panel.retryable).toBe(true);
    panel.dispatchEvent(new CustomEvent('retry'));
    await rendered();
    expect(
      statusPart(element.shadowRoot, 'lightning-spinner').alternativeText
    ).toBe('Loading the roster');
    await flushPromises();

    expect(getRoster).toHaveBeenCalledWith({ recordId: RECORD_ID });
    expect(statusPart(element.shadowRoot, 'c-error-panel')).toBeNull();
    expect($$(element, '.roster-contact')).toHaveLength(4);
  });

  it('shows the new error when the retry fails too', async () => {
    getRoster.mockRejectedValue({ body: { message: 'Still down' } });
    const element = mount();
    getRoster.error({ message: 'Timed out' });
    await flushPromises();

    await element.refresh();
    await flushPromises();

    expect(
      statusPart(element.shadowRoot, 'c-error-panel').errors.body.message
    ).toBe('Still down');
  });

  it('refreshes the wired roster in place when it already shows one', async () => {
    const element = mount();
    getRoster.emit(roster);
    await flushPromises();

    await element.refresh();

    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(roster);
    expect(getRoster).not.toHaveBeenCalled();
  });

  describe('accessibility', () => {
    it('is accessible while loading', async () => {
      const element = mount();
      await flushPromises();

      // The lightning-spinner stub renders nothing for axe to check, so assert its name.
      expect(
        statusPart(element.shadowRoot, 'lightning-spinner').alternativeText
      ).toBe('Loading the roster');
      await expect(element).toBeAccessible();
    });

    it('is accessible with contacts, links and an empty role group', async () => {
      const element = mount();
      getRoster.emit(roster);
      await flushPromises();

      expect($(element, '.contact-email')).not.toBeNull();
      expect($(element, '.group-empty')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible with call order, duty badges, the summary and an off-duty member without a next shift', async () => {
      const element = mount();
      getRoster.emit([
        ...roster,
        { ...roster[2], id: 'x', nextOnDutyAt: null }
      ]);
      await flushPromises();

      expect($(element, '.roster-summary')).not.toBeNull();
      expect($(element, '.call-first-badge')).not.toBeNull();
      expect($(element, '.no-email')).not.toBeNull();
      expect($(element, '.find-in-roster').label).toBe(
        'Find someone in the roster'
      );
      await expect(element).toBeAccessible();
    });

    it('is accessible when nobody matches', async () => {
      const element = mount();
      getRoster.emit([]);
      await flushPromises();

      expect($(element, '.empty-roster')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('is accessible with the error panel', async () => {
      const element = mount();
      getRoster.error({ message: 'Insufficient access' });
      await flushPromises();

      expect(statusPart(element.shadowRoot, 'c-error-panel')).not.toBeNull();
      await expect(element).toBeAccessible();
    });
  });
});
