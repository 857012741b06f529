import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/** Jest runs the Lightning Web Component tests only; the TypeScript tooling uses node:test. */
export default {
  ...jestConfig,
  moduleNameMapper: {
    '^lightning/platformShowToastEvent$':
      '<rootDir>/jest-mocks/lightning/platformShowToastEvent.js',
    '^lightning/navigation$': '<rootDir>/jest-mocks/lightning/navigation.js',
    '^lightning/uiRecordApi$': '<rootDir>/jest-mocks/lightning/uiRecordApi.js',
    '^@salesforce/apex$': '<rootDir>/jest-mocks/salesforce/apex.js',
    // The component tests' shared helpers (mount, flushPromises, $, ...), by a short name.
    '^test-utils$': '<rootDir>/jest-utils/lwc.js'
  },
  setupFilesAfterEnv: [
    ...(jestConfig.setupFilesAfterEnv ?? []),
    '<rootDir>/jest-sa11y-setup.js'
  ],
  modulePathIgnorePatterns: [
    '<rootDir>/.localdevserver',
    '<rootDir>/node_modules'
  ],
  testPathIgnorePatterns: ['/node_modules/', '/scripts/', '/.tmp/']
};
