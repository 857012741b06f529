/**
 * Incident automation lives in IncidentTriggerHandler; this trigger only delegates.
 */
trigger IncidentTrigger on Incident(
  before insert,
  before update,
  after insert,
  after update
) {
  IncidentTriggerHandler.run(
    Trigger.operationType,
    Trigger.new,
    Trigger.oldMap
  );
}
