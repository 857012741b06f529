/**
 * Stand-in for lightning/navigation that records what a component asked for, so tests can
 * assert the page reference instead of a real navigation. `navigateMock` is a jest mock:
 * `jest.clearAllMocks()` in afterEach resets it.
 */
export const navigateMock = jest.fn();

const Navigate = Symbol('Navigate');

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace) {
      navigateMock(pageReference, replace);
    }
  };
}
NavigationMixin.Navigate = Navigate;
