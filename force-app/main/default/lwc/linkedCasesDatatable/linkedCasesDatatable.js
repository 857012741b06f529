import LightningDatatable from 'lightning/datatable';
import statusBadgeTemplate from './statusBadge.html';

/**
 * lightning-datatable with one extra column type, `statusBadge`: a case's status as an SLDS
 * badge themed by its state (typeAttributes.badgeClass), so open and closed cases differ at a
 * glance and the status still reads as text.
 */
export default class LinkedCasesDatatable extends LightningDatatable {
  static customTypes = {
    statusBadge: {
      template: statusBadgeTemplate,
      standardCellLayout: true,
      typeAttributes: ['badgeClass']
    }
  };
}
