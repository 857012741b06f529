import { reloadApex } from 'c/ldsUtils';

/**
 * How the console's respond sections (incidentCommunications, incidentOutreach,
 * incidentResponse, nextUpdateTimer) load and reload their data, as one mixin instead of a
 * copy in each:
 * - they work on incidents only: `incidentId` is undefined elsewhere, which holds their wire
 *   back, and `isIncident` hides them;
 * - their wire handler passes its result to `receive`; `reload` asks again (refreshApex while
 *   the wire holds data, the method itself after an error, which refreshApex cannot recover);
 * - they follow the console's data (`followConsole` from their consoleData setter): a new value
 *   after the first means the incident was saved or refreshed, so they reload, and what the
 *   automation did after the save (response steps, a reset cadence) shows without a page reload.
 *
 * The component declares what LWC must see: @api recordId, objectApiName and consoleData, its
 * @wire, and the fields sectionData, error, reloading and wiredResult (so they are reactive).
 * It may override `show(data)` to derive more from what arrived.
 * @param {typeof import('lwc').LightningElement} Base
 */
export const RespondSection = (Base) =>
  class extends Base {
    get isIncident() {
      return (
        this.objectApiName === undefined || this.objectApiName === 'Incident'
      );
    }

    /** Undefined (which holds the wire back) unless the record is an incident. */
    get incidentId() {
      return this.isIncident ? this.recordId : undefined;
    }

    /** The first load, or a reload after an error: nothing to show yet. */
    get isLoading() {
      return this.reloading || (this.sectionData === undefined && !this.error);
    }

    get showStatus() {
      return this.isLoading || !!this.error;
    }

    /** For the consoleData setter: keeps the value and reloads when it is a reload. */
    followConsole(value) {
      const reloaded =
        this.consoleDataValue !== undefined && value !== this.consoleDataValue;
      this.consoleDataValue = value;
      if (reloaded && value) {
        this.refresh();
      }
    }

    /** For the wire handler. */
    receive(result) {
      this.wiredResult = result;
      if (result.data) {
        this.show(result.data);
      } else if (result.error) {
        this.fail(result.error);
      }
    }

    show(data) {
      this.sectionData = data;
      this.error = undefined;
    }

    fail(error) {
      this.sectionData = undefined;
      this.error = error;
    }

    /**
     * Loads the section again with the wire's method and parameters.
     * @param {(params: object) => Promise<unknown>} apexMethod the method the wire uses
     */
    async reload(apexMethod) {
      if (!this.incidentId) {
        return;
      }
      this.reloading = !!this.error;
      try {
        const data = await reloadApex(this.wiredResult, apexMethod, {
          recordId: this.incidentId
        });
        if (data) {
          this.show(data);
        }
      } catch (error) {
        this.fail(error);
      } finally {
        this.reloading = false;
      }
    }
  };
