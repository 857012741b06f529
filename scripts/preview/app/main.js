/* global document -- browser code: the linter's globals for scripts/ are Node's */
/**
 * The preview's entry point. Synthetic shadow must be loaded before any component (the base
 * components are written for it, as on the platform), so it is the first import.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'preview/app';

const root = document.getElementById('root');
root.replaceChildren(createElement('preview-app', { is: App }));
