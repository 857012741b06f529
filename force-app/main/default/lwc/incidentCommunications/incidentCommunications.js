import { LightningElement, api, wire } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getCommunications from '@salesforce/apex/IncidentResponseController.getCommunications';
import getDraft from '@salesforce/apex/IncidentResponseController.getDraft';
import previewMessage from '@salesforce/apex/IncidentResponseController.previewMessage';
import sendCommunication from '@salesforce/apex/IncidentResponseController.sendCommunication';
import { RespondSection } from 'c/respondSection';
import { communicationSent } from 'c/nextUpdateTimer';

/** The ledger's states that are neither a draft nor a finished send. */
const SEND_STATE_TEXT = {
  Sending:
    ' · Sending: still going out (a large send continues in the background)',
  'Partially Sent': ' · Partially sent: some recipients could not be reached'
};

/**
 * The stage a new message starts from: updates once something went out; before that the stage
 * the response plan drafted (its first alert), else the first alert.
 */
const FIRST_ALERT = 'First Alert';
const UPDATE = 'Update';
const DRAFT = 'Draft';

const MERGE_FIELD_HELP =
  'Merge fields such as {!Incident.Subject}, {!AffectedProducts}, {!AffectedRegions}, {!NextUpdateAt} and {!Workaround} are filled in from the incident when the message is previewed and sent.';

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * "12 recipients: 9 by email, 3 by case comment (15 linked cases)." A contact is counted once
 * however many of their cases are linked; a case without a contact hears through a comment.
 * @param {{contacts: number, byEmail: number, byComment: number, cases: number}} audience
 */
export function audienceText(audience) {
  if (!audience || audience.contacts === 0) {
    return 'nobody (no case is linked to this incident).';
  }
  return `${plural(audience.contacts, 'recipient', 'recipients')}: ${audience.byEmail} by email, ${
    audience.byComment
  } by case comment (${plural(audience.cases, 'linked case', 'linked cases')}).`;
}

/**
 * The Communications section of the console: compose a customer message from a template
 * (first alert, update, webinar invitation, service restored), preview it merged with the
 * incident's data and see who would receive it (the contacts of every linked case, each once:
 * by email where the contact has an address, as a published case comment otherwise), send it
 * after a confirmation, and see what was sent. Sending goes through the controller's
 * IncidentCommunicationService.send, which refuses with a clear message when the org's daily
 * email limit would be passed; that message shows here and nothing is sent.
 */
export default class IncidentCommunications extends RespondSection(
  LightningElement
) {
  @api recordId;
  /** Only incidents get customer communications; elsewhere nothing renders. */
  @api objectApiName;

  /** A new console data value after the first (a save, a refresh): reload the section. */
  @api
  get consoleData() {
    return this.consoleDataValue;
  }
  set consoleData(value) {
    this.followConsole(value);
  }

  consoleDataValue;
  /** getCommunications' answer: templates, history, canSend, nextUpdateAt. */
  sectionData;
  error;
  reloading = false;
  wiredResult;

  stage;
  subject = '';
  body = '';
  /** The open draft the text was taken from (getDraft's answer); sending it sends that draft. */
  draft;
  /** Counts stage choices, so a draft that arrives after another choice is not applied. */
  stageChoice = 0;
  /** previewMessage's answer for the text as it is now; cleared by any edit. */
  preview;
  previewing = false;
  confirming = false;
  sending = false;
  /** Why the last preview or send failed. */
  actionError;
  actionErrorText;

  @wire(getCommunications, { recordId: '$incidentId' })
  wiredCommunications(result) {
    this.receive(result);
  }

  /** What arrived, and the template to start from the first time. */
  show(data) {
    super.show(data);
    if (!this.stage) {
      const stages = (data.templates ?? []).map((template) => template.stage);
      const history = data.history ?? [];
      const drafted = history.find((row) => row.status === DRAFT)?.stage;
      const preferred = history.some((row) => row.status !== DRAFT)
        ? UPDATE
        : (drafted ?? FIRST_ALERT);
      this.selectStage(stages.includes(preferred) ? preferred : stages[0]);
    }
  }

  @api
  refresh() {
    return this.reload(getCommunications);
  }

  get communications() {
    return this.sectionData;
  }

  selectStage(stage) {
    const template = (this.communications?.templates ?? []).find(
      (candidate) => candidate.stage === stage
    );
    this.stage = stage;
    this.subject = template?.subject ?? '';
    this.body = template?.body ?? '';
    this.draft = undefined;
    this.resetPreview();
    const choice = ++this.stageChoice;
    const drafted = (this.communications?.history ?? []).some(
      (row) => row.status === DRAFT && row.stage === stage
    );
    if (drafted) {
      this.loadDraft(stage, choice);
    }
  }

  /**
   * Starts from the response plan's open draft of the stage instead of its template: the send
   * then takes that draft over (the controller sends under the draft's key), so the history
   * shows it as sent rather than as a draft beside the send. Applied only while the agent has
   * not chosen another stage or edited the text; a draft that cannot be read leaves the
   * template's text, which is as good a start.
   */
  async loadDraft(stage, choice) {
    let draft;
    try {
      draft = await getDraft({ recordId: this.recordId, stage });
    } catch {
      // Unreadable: the template's text stays, as the comment above says.
      draft = undefined;
    }
    if (draft && choice === this.stageChoice) {
      this.draft = draft;
      this.subject = draft.subject ?? '';
      this.body = draft.body ?? '';
      this.resetPreview();
    }
  }

  get draftNote() {
    return this.draft
      ? `The response plan drafted this ${this.stage.toLowerCase()}: review it and send it, and the draft is marked sent.`
      : null;
  }

  resetPreview() {
    this.preview = undefined;
    this.confirming = false;
    this.actionError = undefined;
  }

  get canSend() {
    return this.communications?.canSend === true;
  }

  get hasTemplates() {
    return (this.communications?.templates ?? []).length > 0;
  }

  get mergeFieldHelp() {
    return MERGE_FIELD_HELP;
  }

  get stageOptions() {
    return (this.communications?.templates ?? []).map((template) => ({
      label: template.stage,
      value: template.stage
    }));
  }

  get history() {
    return (this.communications?.history ?? []).map((sent) => ({
      ...sent,
      countsText: `${plural(sent.emailCount ?? 0, 'email', 'emails')}, ${plural(
        sent.commentCount ?? 0,
        'case comment',
        'case comments'
      )}`,
      // A row without a stage (none should have one missing) still gets a label.
      stageLabel: sent.stage || 'Message',
      sentByText: sent.sentBy ? `by ${sent.sentBy}` : '',
      // A draft (the response plan's first alert) was written, never sent: no counts.
      isDraft: sent.status === 'Draft',
      // A send still going out, or one some recipients refused: said beside its counts.
      stateText: SEND_STATE_TEXT[sent.status] ?? ''
    }));
  }

  get hasHistory() {
    return this.history.length > 0;
  }

  get historyTitle() {
    return `History (${this.history.length})`;
  }

  get busy() {
    return this.previewing || this.sending;
  }

  get cannotPreview() {
    return this.busy || this.body.trim() === '';
  }

  get previewProblems() {
    return (this.preview?.problems ?? []).map((message, index) => ({
      key: `${index}`,
      message
    }));
  }

  get hasProblems() {
    return this.previewProblems.length > 0;
  }

  get missingText() {
    const missing = this.preview?.missing ?? [];
    return missing.length > 0
      ? `Not known yet, shown as a placeholder: ${missing.map((name) => `{!${name}}`).join(', ')}.`
      : null;
  }

  get audienceSummary() {
    return audienceText(this.preview?.audience);
  }

  get noAudience() {
    return (this.preview?.audience?.contacts ?? 0) === 0;
  }

  get cannotSend() {
    return this.busy || this.hasProblems || this.noAudience;
  }

  get confirmText() {
    return `Send "${this.preview?.subject ?? ''}" to ${audienceText(this.preview?.audience)}`;
  }

  handleStageChange(event) {
    this.selectStage(event.detail.value);
  }

  handleSubjectChange(event) {
    this.subject = event.detail.value ?? '';
    this.editedText();
  }

  handleBodyChange(event) {
    this.body = event.detail.value ?? '';
    this.editedText();
  }

  /** The agent's own edit: a draft still loading must not overwrite it. */
  editedText() {
    if (!this.draft) {
      this.stageChoice++;
    }
    this.resetPreview();
  }

  async loadPreview() {
    this.previewing = true;
    this.actionError = undefined;
    try {
      this.preview = await previewMessage({
        recordId: this.recordId,
        stage: this.stage,
        subject: this.subject,
        body: this.body
      });
      return true;
    } catch (error) {
      this.preview = undefined;
      this.actionError = error;
      this.actionErrorText = 'The message could not be previewed.';
      return false;
    } finally {
      this.previewing = false;
    }
  }

  handlePreview() {
    this.confirming = false;
    return this.loadPreview();
  }

  /** Send asks first: the audience it names comes from a fresh preview of this very text. */
  async handleSend() {
    if (!this.preview && !(await this.loadPreview())) {
      return;
    }
    if (!this.cannotSend) {
      this.confirming = true;
      // The confirmation is a dialog: keyboard and screen reader users land on its action.
      await this.focusAfterRender('.confirm-send');
    }
  }

  async handleCancelSend() {
    this.confirming = false;
    await this.focusAfterRender('.send-button');
  }

  /** Focuses an element of the next render (the one the state just set up). */
  async focusAfterRender(selector) {
    await Promise.resolve();
    this.template.querySelector(selector)?.focus?.();
  }

  async handleConfirmSend() {
    this.sending = true;
    this.actionError = undefined;
    try {
      const result = await sendCommunication({
        recordId: this.recordId,
        stage: this.stage,
        subject: this.subject,
        body: this.body
      });
      this.confirming = false;
      const failures = result?.failures ?? [];
      const pending = result?.pending ?? 0;
      // Some recipients refused is a partial send: the others were messaged, so it is reported
      // as a warning naming each failure, and the history and the timer still move on. A large
      // send goes on in the background: said so, with how many are still to be messaged.
      this.dispatchEvent(
        new ShowToastEvent(
          failures.length === 0 && pending > 0
            ? {
                title: 'Communication going out',
                message: `${this.stage} is being sent: ${plural(pending, 'recipient is', 'recipients are')} still to be messaged in the background. The history shows it as Sending until everyone is reached.`,
                variant: 'info'
              }
            : failures.length === 0
              ? {
                  title: 'Communication sent',
                  message: `${this.stage} sent to ${audienceText(this.preview?.audience)}`,
                  variant: 'success'
                }
              : {
                  title: `Communication sent, but ${plural(failures.length, 'recipient was', 'recipients were')} not reached`,
                  message: failures.join(' '),
                  variant: 'warning',
                  mode: 'sticky'
                }
        )
      );
      communicationSent(
        this.recordId,
        result?.sentAt ?? new Date().toISOString()
      );
      this.preview = undefined;
      // A draft that was sent is spent: the next message starts from a template.
      this.draft = undefined;
      await this.refresh();
    } catch (error) {
      this.confirming = false;
      this.actionError = error;
      this.actionErrorText = 'The communication was not sent.';
    } finally {
      this.sending = false;
    }
  }

  handleRetry() {
    return this.refresh();
  }
}
