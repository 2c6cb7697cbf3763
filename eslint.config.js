// ESLint 9 flat config. Kept fast on purpose: typescript-eslint's `recommended` set, which needs no
// type information (`tsc` via `npm run typecheck` covers the type level).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import litPlugin from 'eslint-plugin-lit';
import litA11yPlugin from 'eslint-plugin-lit-a11y';
import wcPlugin from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const componentFiles = ['components/**/*.{ts,js,mjs}'];

export default defineConfig([
  globalIgnores([
    'dist/',
    'docs/api/',
    'node_modules/',
    '.data/',
    'coverage/',
    'examples/partner-react/dist/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // The core rule does not understand TypeScript; the typescript-eslint one replaces it.
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  // Server tests read untyped JSON replies and assert on their fields.
  {
    files: ['test/server/**', 'test/concurrency/**', 'test/support/**', 'test/e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Lit elements: template, web-component and accessibility rules.
  {
    files: componentFiles,
    extends: [
      litPlugin.configs['flat/recommended'],
      wcPlugin.configs['flat/recommended'],
      // eslint-plugin-lit-a11y 5 has no `flat/` names: its `configs.recommended` is already a flat config.
      litA11yPlugin.configs.recommended,
    ],
    settings: {
      // Recognise Lit elements, including those built on the shared bases in components/internal, as custom elements.
      wc: { elementBaseClasses: ['LitElement', 'DropSlotLightElement', 'DropSlotElement'] },
      lit: { elementBaseClasses: ['LitElement', 'DropSlotLightElement', 'DropSlotElement'] },
    },
  },
]);
