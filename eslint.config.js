import { defineConfig, globalIgnores } from 'eslint/config';
import eslintJs from '@eslint/js';
import jestPlugin from 'eslint-plugin-jest';
import lwcConfig from '@salesforce/eslint-config-lwc';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default defineConfig([
  globalIgnores([
    'node_modules/**',
    'coverage/**',
    '.sfdx/**',
    '.sf/**',
    'bench-results/**',
    '.tmp/**',
    '.local-org/**',
    '**/__fixtures__/**',
    'force-app/main/default/staticresources/**'
  ]),

  // Lightning Web Components: Salesforce's recommended LWC rules.
  {
    files: ['force-app/**/lwc/**/*.js'],
    extends: [lwcConfig.configs.recommended]
  },
  {
    files: [
      'force-app/**/lwc/**/__tests__/**/*.js',
      'force-app/**/lwc/**/*.test.js'
    ],
    extends: [lwcConfig.configs.recommended],
    plugins: { jest: jestPlugin },
    rules: {
      ...jestPlugin.configs['flat/recommended'].rules,
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off'
    },
    languageOptions: { globals: { ...globals.node, ...globals.jest } }
  },
  {
    files: ['jest-mocks/**/*.js', 'jest-utils/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      // jest runs these in jsdom, beside the components.
      globals: { ...globals.node, ...globals.jest, ...globals.browser }
    },
    extends: [eslintJs.configs.recommended]
  },

  // TypeScript tooling: type-aware rules.
  {
    files: ['scripts/**/*.ts'],
    extends: [
      tseslint.configs.strictTypeChecked,
      tseslint.configs.stylisticTypeChecked
    ],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname
      }
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true }
      ],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite']
            }
          ]
        }
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },

  // Plain Node scripts and config files.
  {
    files: ['**/*.mjs', '*.js', '.ci/**/*.js', 'scripts/**/*.js'],
    extends: [eslintJs.configs.recommended],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } }
  }
]);
