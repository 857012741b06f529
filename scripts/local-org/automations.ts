/**
 * The project's automation as the local org's save handlers, registered on every org the
 * server assembles (OrgContext.saveHandlers).
 */
import {
  timelineAfterSave,
  timelineBeforeDelete
} from './automation-timeline.ts';
import { responsePlanAfterSave } from './automation-response.ts';
import { outreachAfterSave } from './automation-outreach.ts';
import type { SaveHandlers } from './context.ts';

export const PROJECT_SAVE_HANDLERS: SaveHandlers = {
  /**
   * In the order IncidentTriggerHandler calls its after-save services (the timeline first, so
   * later services' own writes are recorded after the save's events).
   */
  afterSave: [timelineAfterSave, responsePlanAfterSave, outreachAfterSave],
  beforeDelete: [timelineBeforeDelete]
};
