import { LightningElement, api } from 'lwc';

/**
 * One page of the incident timeline's events (see c-incident-timeline, which builds the rows).
 * The timeline renders one of these per page loaded: a page whose rows did not change keeps
 * the same rows and is not rendered again, so loading the 20th page costs what the first did.
 * Clicks go up as `toggle` and `star` events with the event's id; the timeline owns the state.
 */
export default class IncidentTimelineEvents extends LightningElement {
  /** The page's rows, as c-incident-timeline builds them. */
  @api rows = [];
  /** The list's accessible name: "Timeline events 51 to 100". */
  @api label;

  handleToggle(event) {
    this.dispatchEvent(
      new CustomEvent('toggle', {
        detail: { id: event.currentTarget.dataset.id }
      })
    );
  }

  handleStar(event) {
    this.dispatchEvent(
      new CustomEvent('star', {
        detail: { id: event.currentTarget.dataset.id }
      })
    );
  }
}
