/**
 * Incident timeline events are append-only; IncidentEventTriggerHandler enforces it. This
 * trigger only delegates.
 */
trigger IncidentEventTrigger on Incident_Event__c(
  before insert,
  before update,
  before delete
) {
  IncidentEventTriggerHandler.run(
    Trigger.operationType,
    Trigger.new,
    Trigger.oldMap
  );
}
