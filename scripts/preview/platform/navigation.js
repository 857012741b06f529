/* global window -- browser code: the linter's globals for scripts/ are Node's */
/**
 * Preview stand-in for lightning/navigation. Record page references become the preview's own
 * hash routes (#/r/<Object>/<Id>), which the page shell (preview/app) renders; GenerateUrl
 * returns the same URL, so links and Navigate agree.
 */
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function urlFor(pageReference) {
  const { type, attributes = {} } = pageReference ?? {};
  if (type === 'standard__recordPage' && attributes.recordId) {
    return `#/r/${attributes.objectApiName ?? 'record'}/${attributes.recordId}`;
  }
  if (type === 'standard__objectPage' && attributes.objectApiName) {
    return `#/o/${attributes.objectApiName}`;
  }
  return '#/';
}

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace) {
      const url = urlFor(pageReference);
      if (replace) window.location.replace(url);
      else window.location.assign(url);
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(urlFor(pageReference));
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
