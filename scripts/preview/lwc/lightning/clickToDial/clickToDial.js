/**
 * Preview stand-in for lightning-click-to-dial, which exists only on the platform (it is not in
 * the lightning-base-components package): without a softphone the platform renders a tel: link,
 * and so does this. Public properties are declared with registerDecorators, the call @api
 * compiles to, because this folder's linter parses plain JavaScript without decorators.
 */
import { LightningElement, registerDecorators } from 'lwc';

class ClickToDial extends LightningElement {
  value;
  recordId;
  params;

  get href() {
    const trimmed = String(this.value ?? '').trim();
    const digits = trimmed.replace(/[^\d]/g, '');
    return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
  }

  get hasValue() {
    return String(this.value ?? '').trim() !== '';
  }
}

registerDecorators(ClickToDial, {
  publicProps: {
    value: { config: 0 },
    recordId: { config: 0 },
    params: { config: 0 }
  }
});

export default ClickToDial;
