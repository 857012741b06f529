/**
 * Stand-in for lightning/navigation that records what a component asked for, so tests can
 * assert the page reference instead of a real navigation. `navigateMock` and
 * `generateUrlMock` are jest mocks: `jest.clearAllMocks()` in afterEach resets them.
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

export const navigateMock = jest.fn();
export const generateUrlMock = jest.fn(
  (pageReference) =>
    `/lightning/r/${pageReference?.attributes?.objectApiName ?? 'record'}/${pageReference?.attributes?.recordId ?? ''}/view`
);

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace) {
      navigateMock(pageReference, replace);
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(generateUrlMock(pageReference));
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
