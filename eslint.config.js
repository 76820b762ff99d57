// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// iam-simulate is AGPL-3.0: a test oracle only, never part of the installed tool.
const agpl = { group: ['@cloud-copilot/iam-simulate'], message: 'AGPL-3.0: devDependency/test oracle only, never imported from src/ or checks/.' };
// Only src/aws/ talks to AWS (DESIGN.md): checks and the rest read facts.
const sdk = { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only src/aws/ imports the AWS SDK.' };
// Packs declare the facts they read (checks/<pack>/facts.ts) and src/aws implements them, so a
// second fact source (a Terraform plan) can stand in; config is input parsing, not the AWS layer.
const awsLayer = {
  regex: '(^|/)src/aws/|^\\.\\./aws/',
  message: 'checks/ and src/config/ may not import the AWS layer (src/aws/): checks read the facts interfaces of their pack (checks/<pack>/facts.ts), pure helpers live outside src/aws.',
};

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
  // The plan fact source (src/terraform/) has no client: it may not reach the AWS layer either.
  { files: ['checks/**/*.ts', 'src/config/**/*.ts', 'src/terraform/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [agpl, sdk, awsLayer] }] } },
);
