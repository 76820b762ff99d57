// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// iam-simulate is AGPL-3.0: a test oracle only, never part of the installed tool.
const agpl = { group: ['@cloud-copilot/iam-simulate'], message: 'AGPL-3.0: devDependency/test oracle only, never imported from src/ or checks/.' };
// Only src/aws/ talks to AWS (DESIGN.md): checks and the rest read facts.
const sdk = { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only src/aws/ imports the AWS SDK.' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.venv/', '.venv-localstack/', 'reports/', '.tmp/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/**/*.ts', 'checks/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [agpl, sdk] }] } },
  { files: ['src/aws/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [agpl] }] } },
);
