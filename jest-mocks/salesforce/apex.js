/**
 * Stand-in for @salesforce/apex: `refreshApex` is a jest mock that resolves, so tests can assert
 * which wired value a component refreshed. `jest.clearAllMocks()` in afterEach resets it.
 */
export const refreshApex = jest.fn(() => Promise.resolve());
